// An outbox row PostgreSQL refused at push (row-level security, issue 22): its sender was taken away from this
// member after the row was queued. Kept on this desktop only and withdrawn with the reason (replicator.ts).
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { cancelWaiting } from '../outbound/cancel'
import { deleteOp, dropOutboundOps, profileEmail, setApplying, type LocalOp, type TeamStateRow } from '../repos/team'
import { maySendFrom, readAssignments, storeAssignments } from './assignments'
import type { PgClient } from './pg'

/**
 * PostgreSQL refused a push (42501): an outbox row queued here from a profile this staff member was allowed
 * when they asked, and which an admin has taken away since (this desktop had not synced yet). Left in the queue
 * it would block every later change of this desktop. Such a row stays on this desktop only: its ops leave the
 * queue, and if it is still waiting it is withdrawn with the reason (a message that already left stays sent).
 * Not captured: PostgreSQL would refuse it, and no other desktop knows the row. True when something was set aside.
 */
export async function setAsideRefused(ctx: Ctx, log: (m: string) => void, c: PgClient, s: TeamStateRow, batch: LocalOp[]): Promise<boolean> {
  const snap = await readAssignments(c, s.userEmail)
  const rows = new Map<number, number>()
  let dropped = 0
  inTransaction(ctx.sqlite, () => {
    storeAssignments(ctx.sqlite, snap)
    for (const o of batch) {
      if (o.tbl !== 'outbound_messages') continue
      const profileId = (JSON.parse(o.fields) as { profile_id?: unknown }).profile_id
      if (typeof profileId !== 'number' || maySendFrom(ctx.sqlite, profileId)) continue
      // A row made here: set aside whole. A change of a shared row's sender (no screen makes one): only that op.
      if (o.kind === 'insert') rows.set(Number(o.rowKey), profileId)
      else if (!rows.has(Number(o.rowKey))) {
        deleteOp(ctx.sqlite, o.id)
        dropped++
      }
    }
    if (!rows.size) return
    setApplying(ctx.sqlite, true)
    for (const [id, profileId] of rows) {
      dropOutboundOps(ctx.sqlite, id)
      const address = profileEmail(ctx.sqlite, profileId) ?? `sender profile ${profileId}`
      cancelWaiting(ctx, id, `Not sent: you may no longer send from ${address} (an admin of the workspace took this sender away)`)
    }
    setApplying(ctx.sqlite, false)
  })
  if (!rows.size) return dropped > 0
  log(`team: PostgreSQL refused ${rows.size} outbox row(s) from senders no longer assigned to ${s.userEmail}; kept on this desktop only`)
  ctx.emit('outbox.changed', { ids: [...rows.keys()] })
  ctx.emit('objects.changed', {})
  return true
}

