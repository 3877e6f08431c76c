// After a crash, rows left in `sending` may or may not have left. Before sending one again we look for
// it where the server keeps evidence (the mailbox's Sent folder, Mailgun's events), and only resend if
// it is not there. If the evidence cannot be read (server down), the row waits and we look again later.
import type { Ctx } from '../context'
import { openRowsWhere, transition, type OutboxRow } from '../repos/outbox'
import { release } from './capacity'
import { senderOf, type Senders } from './transport'

export function reconciler(
  ctx: Ctx,
  senders: Senders,
  opts: { leaseMs: number; retryMs?: number; log: (msg: string) => void; onDone: () => void },
) {
  const pending = new Set<number>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let stopped = false

  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t)
      if (!stopped) fn()
    }, ms)
    timers.add(t)
  }

  async function check(row: OutboxRow): Promise<void> {
    const sender = senderOf(senders, row.transport)
    const verdict = await sender.wasSent(row)
    if (stopped) return
    if (verdict === 'unknown') {
      later(() => void check(row).catch(onError(row)), opts.retryMs ?? 15_000)
      return
    }
    ctx.sqlite.transaction(() => {
      if (verdict === true) {
        transition(ctx, row.id, ['sending'], { status: 'sent', sentAt: ctx.clock.now(), leaseOwner: null, leaseUntil: null }, 'reconciled', 'Found on the server after a restart: not sent again')
      } else {
        if (row.capacityDay && row.mailboxId) release(ctx, row.mailboxId, row.capacityDay)
        const why = verdict === 'no-evidence' ? 'No Sent folder to check after a restart: sending again' : 'Not found on the server after a restart: sending again'
        transition(ctx, row.id, ['sending'], { status: 'queued', nextAttemptAt: ctx.clock.now(), leaseOwner: null, leaseUntil: null, capacityDay: null }, 'requeued', why)
      }
    }).immediate()
    ctx.emit('outbox.changed', { ids: [row.id] })
    pending.delete(row.id)
    opts.onDone()
  }

  const onError = (row: OutboxRow) => (err: unknown) => {
    opts.log(`[reconcile] ${row.messageId}: ${(err as Error).stack}`)
    later(() => void check(row).catch(onError(row)), opts.retryMs ?? 15_000)
  }

  return {
    /** Starts reconciling one stale row; evidence that is still settling is waited for first. */
    run(row: OutboxRow): void {
      if (pending.has(row.id)) return
      pending.add(row.id)
      const claimedAt = (row.leaseUntil ?? 0) - opts.leaseMs
      const settle = senderOf(senders, row.transport).settleMs
      const fresh = ctx.clock.now() - claimedAt < settle
      // A copy filed by the server (or a provider event) can lag the send by a moment.
      later(() => void check(row).catch(onError(row)), fresh ? settle : 0)
    },
    pending: () => pending.size > 0,
    stop(): void {
      stopped = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
    },
  }
}

export const staleRows = (ctx: Ctx, owner: string): OutboxRow[] => openRowsWhere(ctx, "status = 'sending' AND (lease_owner IS NULL OR lease_owner != ?)", owner)
