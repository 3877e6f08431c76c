// The outbox: what the user can do with a message on its way (list, look, retry, cancel, undo). Every
// status change goes through repos/outbox.ts `transition` (a message_events row each), one transaction.
import type { OutboundDetail, OutboxPage, OutboxStatus } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { attachmentsOf, publicAttachment } from '../outbound/attachments'
import { cancelWaiting, WAITING_STATUSES } from '../outbound/cancel'
import { notBefore } from '../outbound/holds'
import { eventsOf, getRow, listIds, outboxCounts, toOutbound, transition, type OutboxRow } from '../repos/outbox'
import { restoreDraft } from './drafts'
// issue 22 item 5: who queued each message
import { queuedByOf } from '../repos/authors'
import { assertMaySendFrom } from './permissions'

// The one door into the outbox lives with the outbound machinery (the automation runner uses it too).
export { queueMessage, queueMessageId, type QueueInput } from '../outbound/queue'

function requireRow(ctx: Ctx, id: number): OutboxRow {
  const row = getRow(ctx, id)
  if (!row) throw new AppError('NOT_FOUND', `Outbound message ${id} does not exist`, 'id')
  return row
}

/** After a change: the outbox view refreshes, the scheduler looks again. */
export const outboxChanged = (ctx: Ctx, ...ids: number[]) => {
  ctx.emit('outbox.changed', { ids })
  ctx.outbound.scheduler.wake()
}

export function listOutbox(ctx: Ctx, input: { status?: OutboxStatus | 'pending'; objectId?: number; limit: number }): OutboxPage {
  const ids = listIds(ctx, input.status, input.objectId, input.limit)
  const by = queuedByOf(ctx, ids)
  return { items: ids.map((id) => ({ ...toOutbound(getRow(ctx, id)!), queuedBy: by.get(id) ?? null })), ...outboxCounts(ctx, input.objectId) }
}

export function getOutbound(ctx: Ctx, id: number): OutboundDetail {
  const row = requireRow(ctx, id)
  return {
    ...toOutbound(row),
    queuedBy: queuedByOf(ctx, [id]).get(id) ?? null,
    html: row.html,
    text: row.text,
    events: eventsOf(ctx, id).map((e) => ({ ...e, at: iso(e.at) })),
    attachments: attachmentsOf(ctx, { outboundId: id }).map(publicAttachment),
  }
}

/** Statuses the user may retry from. */
const RETRYABLE: readonly OutboxStatus[] = ['failed', 'retry_wait', 'held', 'cancelled']

export function retry(ctx: Ctx, id: number) {
  const row = requireRow(ctx, id)
  if (!RETRYABLE.includes(row.status)) throw new AppError('CONFLICT', `A ${row.status.replace('_', ' ')} message cannot be retried`, 'id')
  // A manual retry starts a fresh set of attempts; an auth hold is only lifted by new settings.
  if (row.status === 'held' && row.statusReason === 'auth') throw new AppError('CONFLICT', 'Fix the sign-in details of the mailbox first; held messages then resume on their own', 'id')
  // A retry sends the message again from its sender: in a team, only someone who may send from it (issue 22 item 5).
  if (row.profileId !== null) assertMaySendFrom(ctx, row.profileId, 'id')
  // Retry skips a backoff, never the time the message was scheduled for.
  // One transaction: the status, its event and whatever the hooks write land together.
  inTransaction(ctx.sqlite, () =>
    transition(ctx, id, [row.status], { status: 'queued', statusReason: null, nextAttemptAt: notBefore(row, ctx.clock.now()), attempts: 0, lastError: row.lastError }, 'retry', 'Retried by the user'),
  )
  outboxChanged(ctx, id)
  return toOutbound(getRow(ctx, id)!)
}

export function cancel(ctx: Ctx, id: number) {
  const row = requireRow(ctx, id)
  if (!(WAITING_STATUSES as readonly string[]).includes(row.status)) throw new AppError('CONFLICT', `A ${row.status.replace('_', ' ')} message cannot be cancelled`, 'id')
  inTransaction(ctx.sqlite, () => cancelWaiting(ctx, id, 'Cancelled by the user', null))
  outboxChanged(ctx, id)
  return toOutbound(getRow(ctx, id)!)
}

/** Undo send: the message is cancelled and its draft comes back, in one transaction. */
export function undo(ctx: Ctx, id: number) {
  const row = requireRow(ctx, id)
  const now = ctx.clock.now()
  if (row.status !== 'queued' || row.undoUntil === null || row.undoUntil <= now) throw new AppError('CONFLICT', 'Too late to undo: the message is already on its way', 'id')
  const draft = inTransaction(ctx.sqlite, () => {
    transition(ctx, id, ['queued'], { status: 'cancelled', statusReason: 'Undone: back in drafts', nextAttemptAt: null, undoUntil: null }, 'undone', null)
    return restoreDraft(ctx, row)
  })
  outboxChanged(ctx, id)
  ctx.emit('drafts.changed', {})
  return draft
}
