// The unified inbox over local SQLite: thread list, threads, messages, flags, remote images, manual contact
// links, attachments, replies. Writes run in one transaction each; `inbox.changed` goes out after commit.
import type { HandlersFor } from '../context'
import type { Ctx } from '../context'
import { queueReply, replyAttachments } from '../inbound/reply'
import { resolveRefs } from '../outbound/attachments'
import { hideDraft } from './drafts'
import { queueSeen } from '../inbound/store'
import { getThread, listInbox, contactTimeline } from '../queries/inbox'
import { allowRemoteImages, attachmentContent, linkContact, messageDetail, messageOriginal } from '../repos/messages'
import { syncManager } from './sync'
import { toOutbound } from '../repos/outbox'

const tx = <T>(ctx: Ctx, f: () => T): T => ctx.sqlite.transaction(f).immediate()
/** Bodies stored before migration 0010 are sanitised in a parse thread for the read (never on this one). */
const shown = async (ctx: Ctx, id: number) => messageDetail(ctx, id, await syncManager(ctx)?.preparedForRead(id))

export const inboxHandlers: HandlersFor<'inbox' | 'threads' | 'messages' | 'attachments'> = {
  'inbox.list': (ctx, input) => listInbox(ctx, input),
  'threads.get': (ctx, { id }) => getThread(ctx, id),
  'messages.get': (ctx, { id }) => shown(ctx, id),
  'messages.original': (ctx, { id }) => messageOriginal(ctx, id),

  'messages.markRead': (ctx, { ids, read }) => {
    const r = tx(ctx, () => queueSeen(ctx, [...new Set(ids)], read))
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
}

