// A scripted stand-in for a transport, for tests of the scheduler's state machine only (retries, holds,
// caps, reconciliation). Real delivery is tested against Postfix, Dovecot and the Mailgun fake.
import { SendFailure, type FailureKind } from '../../src/main/engine/outbound/failure'
import type { Sender } from '../../src/main/engine/outbound/transport'
import type { OutboxRow } from '../../src/main/engine/repos/outbox'
import type { ServerErrorCode } from '../../src/shared/serverErrors'

export interface Stub {
  sender: (real: Sender) => Sender
  sent: OutboxRow[]
  /** Outcomes for the next sends, in order; afterwards every send succeeds. */
  script: Array<FailureKind | 'ok' | { kind: FailureKind; retryAfterMs?: number; code?: ServerErrorCode }>
  /** Milliseconds each send takes (real time), to make sends overlap. */
  delayMs: number
  wasSent: boolean | 'unknown' | 'no-evidence'
  maxConcurrent: number
  /** How many times reconciliation asked whether a row was sent. */
  checks: number
}

export function stubSender(): Stub {
  let current = 0
  const stub: Stub = {
    sent: [],
    script: [],
    delayMs: 0,
    wasSent: false,
    maxConcurrent: 0,
    checks: 0,
    sender: (real) => ({
      endpoint: (row) => real.endpoint(row),
      settleMs: 0,
      async send(row) {
        current++
        stub.maxConcurrent = Math.max(stub.maxConcurrent, current)
        try {
          if (stub.delayMs) await new Promise((r) => setTimeout(r, stub.delayMs))
          const next = stub.script.shift() ?? 'ok'
          if (next !== 'ok') {
            const f = typeof next === 'string' ? { kind: next } : next
            throw new SendFailure(f.kind, `scripted ${f.kind}`, 'retryAfterMs' in f ? f.retryAfterMs : undefined, 'code' in f ? f.code : undefined)
          }
          stub.sent.push(row)
          return { providerId: null }
        } finally {
          current--
        }
      },
      wasSent: async () => (stub.checks++, stub.wasSent),
      close() {},
    }),
  }
  return stub
}
