// Drafts: saved as typed (even offline, even half-finished); checked strictly only when sent.
import type { Draft } from '../../../shared/outbound'
import { SendMail } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx, HandlersFor } from '../context'
import { fromZod } from '../dispatch'
import { toOutbound, type OutboxRow } from '../repos/outbox'
import { queueMessage } from '../services/outbox'
import type { ReplyMode } from '../../../shared/outbound'
import { isEmail } from '../../../shared/validators'
import { inTransaction, stmt } from '../db/stmt'
import { queueReply, replyAttachments } from '../inbound/reply'
import { attachmentsOf, publicAttachment, resolveRefs, setAttachments, stageUpload, storeUpload } from '../outbound/attachments'
import { cleanOutgoingHtml } from '../outbound/outgoingHtml'

interface DraftRow {
  id: number
  profile_id: number | null
  contact_id: number | null
  to_json: string
  cc_json: string
  bcc_json: string
  subject: string
  html: string
  reply_to_message_id: number | null
  reply_mode: ReplyMode | null
  sent_as: number | null
  created_at: number
  updated_at: number
}

const toDraftWith = (ctx: Ctx, r: DraftRow): Draft => ({
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
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
})

function requireDraft(ctx: Ctx, id: number, field = 'id'): DraftRow {
  const r = ctx.sqlite.prepare('SELECT * FROM drafts WHERE id = ? AND sent_as IS NULL').get(id) as DraftRow | undefined
  if (!r) throw new AppError('NOT_FOUND', `Draft ${id} does not exist`, field)
  return r
}

/** While its message sits in the undo window the draft is hidden, not deleted. */
export function hideDraft(ctx: Ctx, draftId: number, outboundId: number): void {
  requireDraft(ctx, draftId, 'draftId')
  ctx.sqlite.prepare('UPDATE drafts SET sent_as = ? WHERE id = ?').run(outboundId, draftId)
}

/** Undo send: the draft it came from comes back (or a new one is made from the message). */
export function createDraftFrom(ctx: Ctx, row: OutboxRow): Draft {
  const now = ctx.clock.now()
  if (row.draftId) {
    const back = ctx.sqlite.prepare('UPDATE drafts SET sent_as = NULL, updated_at = ? WHERE id = ? AND sent_as = ?').run(now, row.draftId, row.id)
    if (back.changes) return toDraftWith(ctx, ctx.sqlite.prepare('SELECT * FROM drafts WHERE id = ?').get(row.draftId) as DraftRow)
  }
  const info = ctx.sqlite
    .prepare('INSERT INTO drafts (profile_id, contact_id, to_json, cc_json, bcc_json, subject, html, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(row.profileId, row.contactId, row.toJson, row.ccJson, row.bccJson ?? '[]', row.subject, row.html, now, now)
  const draftId = Number(info.lastInsertRowid)
  setAttachments(ctx, { draftId }, attachmentsOf(ctx, { outboundId: row.id }))
  return toDraftWith(ctx, ctx.sqlite.prepare('SELECT * FROM drafts WHERE id = ?').get(draftId) as DraftRow)
}

/** The message a reply draft answers must exist; its files start a forward draft. */
function replyTarget(ctx: Ctx, messageId: number): void {
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM messages WHERE id = ?').get(messageId)) throw new AppError('NOT_FOUND', `Message ${messageId} does not exist`, 'replyTo.messageId')
}

export const draftHandlers: HandlersFor<'drafts'> = {
  'drafts.save': (ctx, input) => {
    const now = ctx.clock.now()
    if (input.id !== undefined) requireDraft(ctx, input.id)
    if (input.replyTo) replyTarget(ctx, input.replyTo.messageId)
    // Uploaded files reach the store before the transaction that points at them.
    const files = input.attachments ? resolveRefs(ctx, input.attachments) : undefined
    const values = [input.profileId, input.contactId, JSON.stringify(input.to), JSON.stringify(input.cc), JSON.stringify(input.bcc), input.subject, cleanOutgoingHtml(input.html)]
    const id = inTransaction(ctx.sqlite, () => {
      let id = input.id
      if (id !== undefined) {
        ctx.sqlite.prepare('UPDATE drafts SET profile_id = ?, contact_id = ?, to_json = ?, cc_json = ?, bcc_json = ?, subject = ?, html = ?, updated_at = ? WHERE id = ?').run(...values, now, id)
      } else {
        const info = ctx.sqlite
          .prepare(
            'INSERT INTO drafts (profile_id, contact_id, to_json, cc_json, bcc_json, subject, html, reply_to_message_id, reply_mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(...values, input.replyTo?.messageId ?? null, input.replyTo?.mode ?? null, now, now)
        id = Number(info.lastInsertRowid)
        // A forward starts with the original's files (the user may remove them before sending).
        if (!files && input.replyTo) setAttachments(ctx, { draftId: id }, replyAttachments(ctx, { ...input.replyTo, includeOriginalAttachments: true }))
      }
      if (files) setAttachments(ctx, { draftId: id }, files)
      return id
    })
    ctx.emit('drafts.changed', {})
    return toDraftWith(ctx, requireDraft(ctx, id))
  },

  /** Uploads a file once; drafts.save then names it by id (autosave never sends the bytes again). */
  'drafts.attach': (ctx, input) => stageUpload(ctx, storeUpload(ctx, input, 'contentBase64')),

  'drafts.list': (ctx, { replyTo, threadId }) => {
    // A conversation's reply drafts (to bring them back when it is opened), or all of them.
    const where = replyTo !== undefined ? 'AND reply_to_message_id = ?' : threadId !== undefined ? 'AND reply_to_message_id IN (SELECT id FROM messages WHERE thread_id = ?)' : ''
    const args = replyTo ?? threadId
    const rows = stmt(ctx.sqlite, `SELECT * FROM drafts WHERE sent_as IS NULL ${where} ORDER BY updated_at DESC, id DESC`).all(...(args === undefined ? [] : [args])) as DraftRow[]
    return rows.map((r) => toDraftWith(ctx, r))
  },

  'drafts.get': (ctx, { id }) => toDraftWith(ctx, requireDraft(ctx, id)),

  'drafts.delete': (ctx, { id }) => {
    requireDraft(ctx, id)
    ctx.sqlite.prepare('DELETE FROM drafts WHERE id = ?').run(id)
    ctx.emit('drafts.changed', {})
    return { id, deleted: true as const }
  },

  'drafts.send': (ctx, { draftId, sendAt }) => {
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
    const row = ctx.sqlite.transaction(() => {
      const r = queueMessage(ctx, {
        ...input,
        attachments: attachmentsOf(ctx, { draftId }),
        sendAt: input.sendAt ? Date.parse(input.sendAt) : undefined,
        source: 'compose',
        undoMs: ctx.outbound.undoMs,
        draftId,
      })
      hideDraft(ctx, draftId, r.id)
      return r
    })()
    ctx.emit('outbox.changed', { ids: [row.id] })
    ctx.emit('drafts.changed', {})
    ctx.outbound.scheduler.wake()
    return toOutbound(row)
  },
}

/** A reply or forward draft goes out through messages.reply: quoted, threaded, from the thread's business. */
function sendReplyDraft(ctx: Ctx, d: DraftRow, sendAt: string | undefined) {
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
  const row = inTransaction(ctx.sqlite, () => {
    const r = queueReply(ctx, input, attachmentsOf(ctx, { draftId: d.id }))
    hideDraft(ctx, d.id, r.id)
    return r
  })
  ctx.emit('outbox.changed', { ids: [row.id] })
  ctx.emit('drafts.changed', {})
  ctx.outbound.scheduler.wake()
  return toOutbound(row)
}
