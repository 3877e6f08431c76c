// Drafts: saved as typed (even offline, even half-finished); checked strictly only when sent. A sent
// draft hides behind its message while the undo window is open, and comes back on undo (restoreDraft).
import type { z } from 'zod'
import type { Draft, NewAttachment, SaveDraft } from '../../../shared/outbound'
import { SendMail } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import { isEmail } from '../../../shared/validators'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { fromZod } from '../dispatch'
import { queueReply, replyAttachments, replyProfileId } from '../inbound/reply'
import { attachmentsOf, publicAttachment, resolveRefs, setAttachments, stageUpload, storeUpload } from '../outbound/attachments'
import { cleanOutgoingHtml } from '../outbound/outgoingHtml'
import { loadProfile, queueMessage } from '../outbound/queue'
import { tagRow } from '../repos/bulk'
import * as repo from '../repos/drafts'
import { toOutbound, type OutboxRow } from '../repos/outbox'
import { templateRow } from '../repos/templates'
import { assertMaySendFrom } from './permissions'
import { mustTemplate } from './templates'

const toDraft = (ctx: Ctx, r: repo.DraftRow): Draft => ({
  id: r.id,
  profileId: r.profile_id,
  contactId: r.contact_id,
  to: JSON.parse(r.to_json) as string[],
  cc: JSON.parse(r.cc_json) as string[],
  bcc: JSON.parse(r.bcc_json) as string[],
  subject: r.subject,
  html: r.html,
  attachments: attachmentsOf(ctx, { draftId: r.id }).map(publicAttachment),
  replyTo: r.reply_to_message_id !== null && r.reply_mode ? { messageId: r.reply_to_message_id, mode: r.reply_mode } : null,
  templateId: r.template_id,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
})

function requireDraft(ctx: Ctx, id: number, field = 'id'): repo.DraftRow {
  const r = repo.visibleDraft(ctx, id)
  if (!r) throw new AppError('NOT_FOUND', `Draft ${id} does not exist`, field)
  return r
}

/** While its message sits in the undo window the draft is hidden, not deleted. Call inside the send's transaction. */
export function hideDraft(ctx: Ctx, draftId: number, outboundId: number): void {
  requireDraft(ctx, draftId, 'draftId')
  repo.setSentAs(ctx, draftId, outboundId)
}

/** Undo send: the draft it came from comes back (or a new one is made from the message). Call inside a transaction. */
export function restoreDraft(ctx: Ctx, row: OutboxRow): Draft {
  const now = ctx.clock.now()
  if (row.draftId && repo.unhideDraft(ctx, row.draftId, row.id, now)) return toDraft(ctx, repo.draftById(ctx, row.draftId)!)
  const values = { profileId: row.profileId, contactId: row.contactId, toJson: row.toJson, ccJson: row.ccJson, bccJson: row.bccJson ?? '[]', subject: row.subject, html: row.html }
  const draftId = repo.insertDraft(ctx, values, null, now)
  setAttachments(ctx, { draftId }, attachmentsOf(ctx, { outboundId: row.id }))
  return toDraft(ctx, repo.draftById(ctx, draftId)!)
}

export function saveDraft(ctx: Ctx, input: z.output<typeof SaveDraft>): Draft {
  const now = ctx.clock.now()
  if (input.id !== undefined) requireDraft(ctx, input.id)
  // The message a reply draft answers must exist; its files start a forward draft.
  if (input.replyTo && !repo.messageExists(ctx, input.replyTo.messageId))
    throw new AppError('NOT_FOUND', `Message ${input.replyTo.messageId} does not exist`, 'replyTo.messageId')
  if (input.templateId) mustTemplate(ctx, input.templateId, 'templateId')
  // Uploaded files reach the store before the transaction that points at them.
  const files = input.attachments ? resolveRefs(ctx, input.attachments) : undefined
  const values: repo.DraftValues = {
    profileId: input.profileId,
    contactId: input.contactId,
    toJson: JSON.stringify(input.to),
    ccJson: JSON.stringify(input.cc),
    bccJson: JSON.stringify(input.bcc),
    subject: input.subject,
    html: cleanOutgoingHtml(input.html),
  }
  const id = inTransaction(ctx.sqlite, () => {
    let id = input.id
    if (id !== undefined) repo.updateDraft(ctx, id, values, now)
    else {
      id = repo.insertDraft(ctx, values, input.replyTo ?? null, now)
      // A forward starts with the original's files (the user may remove them before sending).
      if (!files && input.replyTo) setAttachments(ctx, { draftId: id }, replyAttachments(ctx, { ...input.replyTo, includeOriginalAttachments: true }))
    }
    if (files) setAttachments(ctx, { draftId: id }, files)
    if (input.templateId !== undefined) repo.setDraftTemplate(ctx, id, input.templateId)
    return id
  })
  ctx.emit('drafts.changed', {})
  return toDraft(ctx, requireDraft(ctx, id))
}

/** Uploads a file once; drafts.save then names it by id (autosave never sends the bytes again). */
export const attachToDraft = (ctx: Ctx, input: NewAttachment) => stageUpload(ctx, storeUpload(ctx, input, 'contentBase64'))

/** A conversation's reply drafts (to bring them back when it is opened), or all of them. */
export const listDrafts = (ctx: Ctx, by: { replyTo?: number; threadId?: number }): Draft[] => repo.listDrafts(ctx, by).map((r) => toDraft(ctx, r))

export const getDraft = (ctx: Ctx, id: number): Draft => toDraft(ctx, requireDraft(ctx, id))

export function deleteDraft(ctx: Ctx, id: number): { id: number; deleted: true } {
  requireDraft(ctx, id)
  repo.deleteDraft(ctx, id)
  ctx.emit('drafts.changed', {})
  return { id, deleted: true }
}

export function sendDraft(ctx: Ctx, draftId: number, sendAt: string | undefined) {
  const d = requireDraft(ctx, draftId, 'draftId')
  if (d.reply_to_message_id !== null && d.reply_mode) return sendReplyDraft(ctx, d, sendAt)
  // The same rules as mail.send, so a draft can never leave with an address mail.send would refuse.
  const parsed = SendMail.safeParse({
    profileId: d.profile_id ?? undefined,
    to: JSON.parse(d.to_json),
    cc: JSON.parse(d.cc_json),
    bcc: JSON.parse(d.bcc_json),
    subject: d.subject,
    html: d.html,
    contactId: d.contact_id ?? undefined,
    sendAt,
  })
  if (!parsed.success) {
    const { message, field } = fromZod(parsed.error)
    throw new AppError('VALIDATION', message, field)
  }
  const input = parsed.data
  assertMaySendFrom(ctx, input.profileId)
  const row = inTransaction(ctx.sqlite, () => {
    const r = queueMessage(ctx, {
      ...input,
      attachments: attachmentsOf(ctx, { draftId }),
      sendAt: input.sendAt ? Date.parse(input.sendAt) : undefined,
      source: 'compose',
      undoMs: ctx.outbound.undoMs,
      draftId,
    })
    hideDraft(ctx, draftId, r.id)
    // Counted under its template only while it is still from that template's business.
    if (d.template_id !== null && templateRow(ctx, d.template_id)?.objectId === loadProfile(ctx, input.profileId).objectId) tagRow(ctx, r.id, d.template_id, null, null)
    return r
  })
  return sent(ctx, row)
}

/** A reply or forward draft goes out through messages.reply: quoted, threaded, from the thread's business. */
function sendReplyDraft(ctx: Ctx, d: repo.DraftRow, sendAt: string | undefined) {
  if (sendAt) throw new AppError('VALIDATION', 'Replies are sent now; schedule a new message instead', 'sendAt')
  const to = JSON.parse(d.to_json) as string[]
  const cc = JSON.parse(d.cc_json) as string[]
  const bcc = JSON.parse(d.bcc_json) as string[]
  const bad = [...to, ...cc, ...bcc].find((a) => !isEmail(a))
  if (bad) throw new AppError('VALIDATION', `${bad} is not an email address`, 'to')
  const input = {
    messageId: d.reply_to_message_id!,
    mode: d.reply_mode!,
    to,
    cc,
    bcc,
    html: d.html,
    profileId: d.profile_id ?? undefined,
    includeOriginalAttachments: false,
    draftId: d.id,
  }
  input.profileId = replyProfileId(ctx, input)
  assertMaySendFrom(ctx, input.profileId)
  const row = inTransaction(ctx.sqlite, () => {
    const r = queueReply(ctx, input, attachmentsOf(ctx, { draftId: d.id }))
    hideDraft(ctx, d.id, r.id)
    return r
  })
  return sent(ctx, row)
}

function sent(ctx: Ctx, row: OutboxRow) {
  ctx.emit('outbox.changed', { ids: [row.id] })
  ctx.emit('drafts.changed', {})
  ctx.outbound.scheduler.wake()
  return toOutbound(row)
}
