// The outbox: sending mail, and what the user can do with a message on its way (retry, cancel, undo).
import type { OutboxStatus } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx, HandlersFor } from '../context'
import { eventsOf, getRow, isHistory, isPending, OPEN, outboxCounts, PENDING, toOutbound, transition, type OutboxRow } from '../repos/outbox'
import { queueMessage } from '../services/outbox'
import { notBefore } from '../outbound/holds'
import { cancelWaiting, WAITING_STATUSES } from '../outbound/cancel'
import { inTransaction, stmt } from '../db/stmt'
import { createDraftFrom, hideDraft } from './drafts'
import { attachmentsOf, publicAttachment, resolveRefs } from '../outbound/attachments'

function requireRow(ctx: Ctx, id: number): OutboxRow {
  const row = getRow(ctx, id)
  if (!row) throw new AppError('NOT_FOUND', `Outbound message ${id} does not exist`, 'id')
  return row
}

const changed = (ctx: Ctx, ...ids: number[]) => {
  ctx.emit('outbox.changed', { ids })
  ctx.outbound.scheduler.wake()
}

export const outboxHandlers: HandlersFor<'mail' | 'outbox' | 'net'> = {
  'mail.send': (ctx, input) => {
    // Uploaded files reach the store before the transaction that points at them.
    const attachments = input.attachments ? resolveRefs(ctx, input.attachments) : undefined
    const row = inTransaction(ctx.sqlite, () => {
      const r = queueMessage(ctx, {
        ...input,
        attachments,
        sendAt: input.sendAt ? Date.parse(input.sendAt) : undefined,
        source: 'compose',
        undoMs: ctx.outbound.undoMs,
        draftId: input.draftId ?? null,
      })
      if (input.draftId) hideDraft(ctx, input.draftId, r.id)
      return r
    })
    changed(ctx, row.id)
    if (input.draftId) ctx.emit('drafts.changed', {})
    return toOutbound(row)
  },

  'outbox.list': (ctx, { status, objectId, limit }) => {
    const byObject = objectId ? ' AND object_id = ?' : ''
    const obj = objectId ? [objectId] : []
    // Waiting rows first, in the order they will leave; then the rest, newest first. Both walks stop at
    // `limit`: the sent history can run to millions of rows and is never sorted as a whole.
    const waiting = (which: string, ...p: unknown[]): number[] =>
      stmt(ctx.sqlite, `SELECT id FROM outbound_messages WHERE ${which} AND ${OPEN}${byObject} ORDER BY coalesce(next_attempt_at, scheduled_for), id LIMIT ?`)
        .pluck()
        .all(...p, ...obj, limit) as number[]
    const newest = (which: string, n: number, ...p: unknown[]): number[] =>
      n <= 0 ? [] : (stmt(ctx.sqlite, `SELECT id FROM outbound_messages WHERE ${which}${byObject} ORDER BY id DESC LIMIT ?`).pluck().all(...p, ...obj, n) as number[])
    let ids: number[]
    if (status === 'pending') ids = waiting(PENDING)
    else if (status && isPending(status)) ids = waiting('status = ?', status)
    // Failed, cancelled, bounced… are found through the partial status index; the sent history is not in it.
    else if (status) ids = newest(isHistory(status) ? 'status = ?' : `status = ? AND ${OPEN}`, limit, status)
    else {
      ids = waiting(PENDING)
      ids = ids.concat(newest(`NOT ${PENDING}`, limit - ids.length))
    }
    return { items: ids.map((id) => toOutbound(getRow(ctx, id)!)), ...outboxCounts(ctx, objectId) }
  },

  'outbox.get': (ctx, { id }) => {
    const row = requireRow(ctx, id)
    return {
      ...toOutbound(row),
      html: row.html,
      text: row.text,
      events: eventsOf(ctx, id).map((e) => ({ ...e, at: iso(e.at) })),
      attachments: attachmentsOf(ctx, { outboundId: id }).map(publicAttachment),
    }
  },

  'outbox.retry': (ctx, { id }) => {
    const row = requireRow(ctx, id)
    if (!['failed', 'retry_wait', 'held', 'cancelled'].includes(row.status))
      throw new AppError('CONFLICT', `A ${row.status.replace('_', ' ')} message cannot be retried`, 'id')
    // A manual retry starts a fresh set of attempts; an auth hold is only lifted by new settings.
    if (row.status === 'held' && row.statusReason === 'auth') throw new AppError('CONFLICT', 'Fix the sign-in details of the mailbox first; held messages then resume on their own', 'id')
    // Retry skips a backoff, never the time the message was scheduled for.
    transition(ctx, id, [row.status], { status: 'queued', statusReason: null, nextAttemptAt: notBefore(row, ctx.clock.now()), attempts: 0, lastError: row.lastError }, 'retry', 'Retried by the user')
    changed(ctx, id)
    return toOutbound(getRow(ctx, id)!)
  },

  'outbox.cancel': (ctx, { id }) => {
    const row = requireRow(ctx, id)
    if (!(WAITING_STATUSES as readonly string[]).includes(row.status)) throw new AppError('CONFLICT', `A ${row.status.replace('_', ' ')} message cannot be cancelled`, 'id')
    cancelWaiting(ctx, id, 'Cancelled by the user', null)
    changed(ctx, id)
    return toOutbound(getRow(ctx, id)!)
  },

  'outbox.undo': (ctx, { id }) => {
    const row = requireRow(ctx, id)
    const now = ctx.clock.now()
    if (row.status !== 'queued' || row.undoUntil === null || row.undoUntil <= now)
      throw new AppError('CONFLICT', 'Too late to undo: the message is already on its way', 'id')
    const draft = ctx.sqlite.transaction(() => {
      transition(ctx, id, ['queued'], { status: 'cancelled', statusReason: 'Undone: back in drafts', nextAttemptAt: null, undoUntil: null }, 'undone', null)
      return createDraftFrom(ctx, row)
    })()
    changed(ctx, id)
    ctx.emit('drafts.changed', {})
    return draft
  },

  'net.status': (ctx) => ctx.outbound.net.status(heldOffline(ctx)),
}

export const heldOffline = (ctx: Ctx): number =>
  (stmt(ctx.sqlite, `SELECT count(*) AS n FROM outbound_messages WHERE status = 'held' AND status_reason IN ('offline', 'unreachable') AND ${OPEN}`).get() as { n: number }).n
