// Every way a send can go wrong, reduced to the five kinds the outbox acts on (seed 003):
//   transient  → retry_wait with backoff 1, 5, 15 min (+ jitter), then failed + dead letter
//   rate_limit → retry_wait with a longer backoff (or the server's Retry-After)
//   auth       → hold every row of the mailbox / Mailgun domain until the settings change
//   permanent  → failed at once (recipient rejected, Mailgun 400)
//   offline    → held(offline) with no attempt used; resent when the network is back
import { SETTINGS_PROBLEMS, UNREACHABLE_PROBLEMS, type ServerErrorCode, type ServerProblem } from '../../../shared/serverErrors'

export type FailureKind = 'transient' | 'rate_limit' | 'auth' | 'permanent' | 'offline'

export class SendFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Server-suggested wait (Retry-After), when it gave one. */
    readonly retryAfterMs?: number,
    /** What went wrong, when it was a connection or sign-in problem (shared/serverErrors), or a Twilio error (TWILIO_21211). */
    readonly code?: ServerErrorCode | `TWILIO_${number}`,
  ) {
    super(message)
    this.name = 'SendFailure'
  }
}

/**
 * A connection-level problem as the outbox acts on it: what only new settings fix (a password, the TLS
 * mode, a certificate) holds the mailbox like a refused login; what may be the network or the host and
 * port is held without using an attempt and tried again when the server answers or the settings change.
 * Null for anything else (the server's reply code decides).
 */
export function failureOfProblem(p: ServerProblem): SendFailure | null {
  if (SETTINGS_PROBLEMS.includes(p.code)) return new SendFailure('auth', p.message, undefined, p.code)
  if (UNREACHABLE_PROBLEMS.includes(p.code)) return new SendFailure('offline', p.message, undefined, p.code)
  return null
}

// Node/libuv codes that mean "we could not reach anything", not "the server refused".
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'EDNS', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'])

/** Walks an error and its `cause` chain for a network error code (fetch wraps them; nodemailer copies them). */
export function networkCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && OFFLINE_CODES.has(e.code)) return e.code
  }
  return undefined
}
