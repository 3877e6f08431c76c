// The unified inbox over local SQLite: thread list, threads, messages, flags, remote images, manual contact
// links, attachments, replies. Writes run in one transaction each; `inbox.changed` goes out after commit.
import type { HandlersFor } from '../context'
import type { Ctx } from '../context'
import { queueReply, replyAttachments } from '../inbound/reply'
import { resolveRefs } from '../outbound/attachments'
import { hideDraft } from './drafts'
import { queueSeen } from '../inbound/store'
import { getThread, listInbox, contactTimeline, threadIdsOf } from '../queries/inbox'
import { idsOf, listFolders, queueFlag, queueMove } from '../repos/triage'
import { AppError } from '../../../shared/result'
import { allowRemoteImages, attachmentContent, linkContact, messageDetail, messageOriginal } from '../repos/messages'
import { syncManager } from './sync'
import { toOutbound } from '../repos/outbox'

const tx = <T>(ctx: Ctx, f: () => T): T => ctx.sqlite.transaction(f).immediate()
/** Bodies stored before migration 0010 are sanitised in a parse thread for the read (never on this one). */
const shown = async (ctx: Ctx, id: number) => messageDetail(ctx, id, await syncManager(ctx)?.preparedForRead(id))

/** Which messages a markRead means: ids, whole conversations, or every conversation a filter shows. */
function markReadIds(ctx: Ctx, input: { ids?: number[]; threadIds?: number[]; filter?: Parameters<typeof threadIdsOf>[1] }): number[] {
  if (!input.ids && !input.threadIds && !input.filter) throw new AppError('VALIDATION', 'Say which messages (ids), conversations (threadIds) or view (filter)', 'ids')
  const threads = [...(input.threadIds ?? []), ...(input.filter ? threadIdsOf(ctx, input.filter) : [])]
  const all = threads.length
    ? (ctx.sqlite.prepare("SELECT id FROM messages WHERE thread_id IN (SELECT value FROM json_each(?)) AND direction = 'in'").pluck().all(JSON.stringify(threads)) as number[])
    : []
  return [...new Set([...(input.ids ?? []), ...all])]
}

const changedEvent = (ctx: Ctx, r: { changed: number; threadIds: number[] }) => {
  if (r.changed) ctx.emit('inbox.changed', { threadIds: r.threadIds, newMessages: 0 })
  return r
}

export const inboxHandlers: HandlersFor<'inbox' | 'threads' | 'messages' | 'attachments' | 'folders'> = {
  'inbox.list': (ctx, input) => listInbox(ctx, input),
  'threads.get': (ctx, { id }) => getThread(ctx, id),
  'messages.get': (ctx, { id }) => shown(ctx, id),
  'messages.original': (ctx, { id }) => messageOriginal(ctx, id),

  'messages.markRead': (ctx, input) => {
    const r = tx(ctx, () => queueSeen(ctx, markReadIds(ctx, input), input.read))
    if (r.changed) ctx.emit('inbox.changed', { threadIds: r.threadIds, newMessages: 0 })
    return { changed: r.changed }
  },

  'messages.allowRemoteImages': (ctx, { id, scope }) => {
    tx(ctx, () => allowRemoteImages(ctx, id, scope))
    return shown(ctx, id)
  },

  'messages.linkContact': (ctx, { messageId, contactId, linked }) => {
    const s = tx(ctx, () => linkContact(ctx, messageId, contactId, linked))
    ctx.emit('inbox.changed', { threadIds: [s.threadId], newMessages: 0 })
    return s
  },

  'messages.reply': (ctx, input) => {
    // Uploaded files reach the store before the transaction that points at them.
    const given = input.attachments ? resolveRefs(ctx, input.attachments) : []
    const row = tx(ctx, () => {
      const r = queueReply(ctx, input, replyAttachments(ctx, input, given))
      if (input.draftId) hideDraft(ctx, input.draftId, r.id)
      return r
    })
    if (input.draftId) ctx.emit('drafts.changed', {})
    ctx.emit('outbox.changed', { ids: [row.id] })
    ctx.outbound.scheduler.wake()
    return toOutbound(row)
  },

  'attachments.content': (ctx, { id }) => attachmentContent(ctx, id),

  // Triage: local at once, queued for the server (the sync worker is nudged by inbox.changed).
  'messages.move': (ctx, input) => changedEvent(ctx, tx(ctx, () => queueMove(ctx, idsOf(ctx, input), input.to))),
  'messages.flag': (ctx, input) => {
    // A conversation's star is its messages' stars; our own Sent copies included (Gmail stars the thread).
    const ids = [...new Set([...(input.ids ?? []), ...(input.threadIds ? allOfThreads(ctx, input.threadIds) : [])])]
    if (!ids.length && !input.threadIds) throw new AppError('VALIDATION', 'Say which messages (ids) or conversations (threadIds)', 'ids')
    return changedEvent(ctx, tx(ctx, () => queueFlag(ctx, ids, input.flagged)))
  },
  'folders.list': (ctx, { mailboxId }) => listFolders(ctx, mailboxId),
}


function allOfThreads(ctx: Ctx, threadIds: number[]): number[] {
  return ctx.sqlite.prepare('SELECT id FROM messages WHERE thread_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(threadIds)) as number[]
}
