// The texts' background work: delivery status and received texts, each polled on its own interval (no
// webhooks on a desktop). A pass never overlaps the previous one; `pollNow` runs one at once (texts.poll).
import type { Ctx } from '../context'
import type { RetryPolicy } from '../outbound/outcome'
import { pollInbound } from './inbound'
import { pollTextStatuses } from './status'

export interface TextPollOptions {
  /** Delivery status: each open text asked at most once per interval (default 15 s; 0 = only pollNow). */
  statusPollMs?: number
  /** Received texts (default 30 s; 0 = only pollNow). */
  inboundPollMs?: number
  concurrency?: number
  batch?: number
}

export interface TextsRuntime {
  pollNow(): Promise<{ statusChanged: number; received: number }>
}

export function createTextPoller(ctx: Ctx, opts: TextPollOptions & { retry: RetryPolicy; log: (m: string) => void; wake: () => void }) {
  const statusMs = opts.statusPollMs ?? 15_000
  const inboundMs = opts.inboundPollMs ?? 30_000
  const timers: Array<ReturnType<typeof setInterval>> = []
  let chain: Promise<unknown> = Promise.resolve()
  let stopped = false
  // One pass at a time: a slow Twilio never piles up passes.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn, fn)
    chain = p.catch(() => undefined)
    return p
  }
  const statuses = () =>
    serial(async () => {
      if (stopped) return 0
      const changed = await pollTextStatuses(ctx, { intervalMs: statusMs || 15_000, concurrency: opts.concurrency ?? 8, batch: opts.batch ?? 2000, retry: opts.retry })
      if (changed.length) opts.wake()
      return changed.length
    })
  const inbound = () =>
    serial(async () => {
      if (stopped) return 0
      const r = await pollInbound(ctx, opts.log)
      if (r.outboxChanged.length) opts.wake()
      return r.received
    })
  const guard = (fn: () => Promise<unknown>) => () => void fn().catch((err) => opts.log(`[twilio] poll failed: ${(err as Error).stack}`))
  return {
    start() {
      if (statusMs > 0) timers.push(setInterval(guard(statuses), statusMs))
      if (inboundMs > 0) timers.push(setInterval(guard(inbound), inboundMs))
      for (const t of timers) t.unref?.()
    },
    async pollNow() {
      const statusChanged = await statuses()
      const received = await inbound()
      return { statusChanged, received }
    },
    async stop() {
      stopped = true
      for (const t of timers) clearInterval(t)
      await chain
    },
  }
}
