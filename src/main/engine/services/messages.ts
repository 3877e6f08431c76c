// One message: the reading pane's view, "show original", read state, remote images, manual contact links,
// replies and triage. Writes run in one transaction each; `inbox.changed` goes out after commit.
import type { z } from 'zod'
import type { Attachment, FlagMessages, MarkRead, MessageDetail, MessageOriginal, MessageSummary, MoveMessages, ReplyMail } from '../../../shared/inbox'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { readAttachment } from '../inbound/attachmentFiles'
import { displayFilename } from '../inbound/attachmentName'
import type { PreparedBody } from '../inbound/prepare'
import { queueReply, replyAttachments, replyProfileId } from '../inbound/reply'
import { finishHtml } from '../inbound/sanitize'
import { queueSeen } from '../inbound/store'
import { idsOf, queueFlag, queueMove } from '../inbound/triage'
import { resolveRefs } from '../outbound/attachments'
import { threadIdsOf } from '../repos/inbox'
import * as repo from '../repos/messages'
import { toOutbound } from '../repos/outbox'
import { contactTimeline as timeline } from '../repos/mailTimeline'
import { preparedForRead } from './sync'
import { hideDraft } from './drafts'
import { assertMaySendFrom } from './permissions'

const tx = <T>(ctx: Ctx, f: () => T): T => ctx.sqlite.transaction(f).immediate()

/** Inline images larger than this are not turned into data: URLs (the message would balloon). */
const INLINE_MAX_BYTES = 5 * 1024 * 1024
const RASTER = /^image\/(png|gif|jpe?g|webp|bmp|x-icon|avif)$/

/**
 * The message as the reading pane shows it. Only reads: the HTML was sanitised when it was stored; a body
 * stored before that (migration 0010) comes with `legacy`, prepared by a parse thread for this call only
 * (the background backfill stores it).
 */
export function messageDetail(ctx: Ctx, id: number, legacy?: PreparedBody): MessageDetail {
  const r = repo.messageRow(ctx, id)
  const body = repo.bodyRow(ctx, id)
  const atts = repo.attachmentRows(ctx, id)
  const allowed = repo.remoteAllowed(ctx, id, r.fromEmail)
  const prepared = body?.hasHtml
    ? body.state
      ? { safeHtml: body.safeHtml, htmlState: body.state, htmlRemote: body.remote === 1, htmlText: body.htmlText }
      : (legacy ?? { safeHtml: null, htmlState: 'size' as const, htmlRemote: false, htmlText: null })
    : null
  let html: string | null = null
  let blocked = false
  let omitted: MessageDetail['htmlOmitted'] = null
  if (prepared?.safeHtml != null) {
    const inline = new Map<string, string>()
    if (prepared.safeHtml.includes(' data-cid="')) {
      for (const a of atts) {
        if (!a.contentId || !RASTER.test(a.contentType) || a.size > INLINE_MAX_BYTES) continue
        const bytes = readAttachment(ctx.info.dataDir, a.sha256)
        if (bytes) inline.set(a.contentId.replace(/^<|>$/g, ''), `data:${a.contentType};base64,${bytes.toString('base64')}`)
      }
    }
    html = finishHtml(prepared.safeHtml, { allowRemote: allowed, inline })
    blocked = prepared.htmlRemote && !allowed
  } else if (prepared && prepared.htmlState !== 'ok') omitted = prepared.htmlState === 'depth' ? 'depth' : 'size'
  // Unparsable mail is shown as its source, as text; HTML over budget as its words.
  let text = body?.text ?? (r.parseError && body?.raw ? body.raw.toString('utf8') : null)
  if (omitted && !text?.trim()) text = prepared?.htmlText ?? null
  const headers = (JSON.parse(body?.headersJson ?? '[]') as Array<[string, string]>).map(([name, value]) => ({ name, value }))
  const summary = repo.toSummary(ctx, r)
  return {
    ...summary,
    messageIdHeader: r.messageId,
    replyTo: JSON.parse(r.replyToJson),
    headers,
    html,
    text,
    attachments: atts.map(
      (a): Attachment => ({ id: a.id, filename: displayFilename(a.filename), contentType: a.contentType, size: a.size, inline: a.inline === 1, contentId: a.contentId }),
    ),
    remoteImagesBlocked: blocked,
    remoteImagesAllowed: allowed,
    htmlOmitted: omitted,
    hasHtmlSource: !!body?.hasHtml,
  }
}

/** Bodies stored before migration 0010 are sanitised in a parse thread for the read (never on this one). */
export const getMessage = async (ctx: Ctx, id: number): Promise<MessageDetail> => messageDetail(ctx, id, await preparedForRead(ctx, id))

/** "Show original": the HTML source, as text for the renderer to show escaped (never rendered). */
export function messageOriginal(ctx: Ctx, id: number): MessageOriginal {
  repo.messageRow(ctx, id)
  const r = repo.htmlSource(ctx, id)
  if (!r) throw new AppError('NOT_FOUND', 'This message has no HTML part to show', 'id')
  return { source: r.source, truncated: r.total > r.source.length, totalChars: r.total }
}

/** Which messages a markRead means: ids, whole conversations, or every conversation a filter shows. */
function markReadIds(ctx: Ctx, input: z.output<typeof MarkRead>): number[] {
  if (!input.ids && !input.threadIds && !input.filter) throw new AppError('VALIDATION', 'Say which messages (ids), conversations (threadIds) or view (filter)', 'ids')
  const threads = [...(input.threadIds ?? []), ...(input.filter ? threadIdsOf(ctx, input.filter) : [])]
  return [...new Set([...(input.ids ?? []), ...repo.messageIdsOfThreads(ctx, threads, true)])]
}

const changedEvent = (ctx: Ctx, r: { changed: number; threadIds: number[] }) => {
  if (r.changed) ctx.emit('inbox.changed', { threadIds: r.threadIds, newMessages: 0 })
  return r
}

export function markRead(ctx: Ctx, input: z.output<typeof MarkRead>): { changed: number } {
  const r = changedEvent(ctx, tx(ctx, () => queueSeen(ctx, markReadIds(ctx, input), input.read)))
  return { changed: r.changed }
}

export function allowRemoteImages(ctx: Ctx, id: number, scope: 'message' | 'sender'): Promise<MessageDetail> {
  tx(ctx, () => {
    const r = repo.messageRow(ctx, id)
    if (scope === 'sender' && !r.fromEmail) throw new AppError('VALIDATION', 'This message has no sender address to trust', 'scope')
    repo.addRemoteAllow(ctx, scope, scope === 'message' ? String(id) : r.fromEmail!)
  })
  return getMessage(ctx, id)
}

/** A manual link or unlink: recorded as manual, so automatic matching never overrides it. */
export function linkContact(ctx: Ctx, messageId: number, contactId: number, linked: boolean): MessageSummary {
  const s = tx(ctx, () => {
    repo.messageRow(ctx, messageId)
    if (!repo.contactExists(ctx, contactId)) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
    repo.setManualLink(ctx, messageId, contactId, linked)
    return repo.toSummary(ctx, repo.messageRow(ctx, messageId))
  })
  ctx.emit('inbox.changed', { threadIds: [s.threadId], newMessages: 0 })
  return s
}

export function reply(ctx: Ctx, input: z.output<typeof ReplyMail>) {
  // The profile it goes from (asked for, or the business's), which a staff member must have been assigned.
  const profileId = replyProfileId(ctx, input)
  assertMaySendFrom(ctx, profileId)
  // Uploaded files reach the store before the transaction that points at them.
  const given = input.attachments ? resolveRefs(ctx, input.attachments) : []
  const row = tx(ctx, () => {
    const r = queueReply(ctx, { ...input, profileId }, replyAttachments(ctx, input, given))
    if (input.draftId) hideDraft(ctx, input.draftId, r.id)
    return r
  })
  if (input.draftId) ctx.emit('drafts.changed', {})
  ctx.emit('outbox.changed', { ids: [row.id] })
  ctx.outbound.scheduler.wake()
  return toOutbound(row)
}

// Triage: local at once, queued for the server (the sync worker is nudged by inbox.changed).
export const move = (ctx: Ctx, input: z.output<typeof MoveMessages>) => changedEvent(ctx, tx(ctx, () => queueMove(ctx, idsOf(ctx, input), input.to)))

export function flag(ctx: Ctx, input: z.output<typeof FlagMessages>) {
  // A conversation's star is its messages' stars; our own Sent copies included (Gmail stars the thread).
  const ids = [...new Set([...(input.ids ?? []), ...(input.threadIds ? repo.messageIdsOfThreads(ctx, input.threadIds) : [])])]
  if (!ids.length && !input.threadIds) throw new AppError('VALIDATION', 'Say which messages (ids) or conversations (threadIds)', 'ids')
  return changedEvent(ctx, tx(ctx, () => queueFlag(ctx, ids, input.flagged)))
}

/**
 * contacts.timeline's query (its handler is the contacts domain's): a contact's mail both ways, newest
 * first. Same name and signature as the old queries/inbox.ts export.
 */
export const contactTimeline = (ctx: Ctx, contactId: number, cursor: string | undefined, limit: number) => timeline(ctx, contactId, cursor, limit)
