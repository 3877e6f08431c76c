// Single-message reads and writes behind messages.* and attachments.content: the lazily loaded body
// (sanitised on the way out), remote-image permissions, manual contact links, attachment bytes.
import type { Attachment, MessageDetail, MessageSummary } from '../../../shared/inbox'
import { AppError, notFound } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { readAttachment } from '../inbound/attachmentFiles'
import { sanitizeEmailHtml } from '../inbound/sanitize'
import { messageRow, toSummary } from '../queries/inbox'

export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
/** Inline images larger than this are not turned into data: URLs (the message would balloon). */
const INLINE_MAX_BYTES = 5 * 1024 * 1024

interface AttachmentRow {
  id: number
  filename: string
  contentType: string
  size: number
  sha256: string
  contentId: string | null
  inline: number
}
const attachmentRows = (ctx: Ctx, messageId: number) =>
  stmt(
    ctx.sqlite,
    'SELECT id, filename, content_type AS contentType, size, sha256, content_id AS contentId, inline FROM attachments WHERE message_id = ? ORDER BY id',
  ).all(messageId) as AttachmentRow[]

export function remoteAllowed(ctx: Ctx, messageId: number, sender: string | null): boolean {
  return !!stmt(
    ctx.sqlite,
    "SELECT 1 FROM remote_image_allows WHERE (scope = 'message' AND value = ?) OR (scope = 'sender' AND value = ?) LIMIT 1",
  ).get(String(messageId), sender ?? '')
}

export function messageDetail(ctx: Ctx, id: number): MessageDetail {
  const r = messageRow(ctx, id)
  const body = stmt(ctx.sqlite, 'SELECT text, html, headers_json AS headersJson, raw FROM message_bodies WHERE message_id = ?').get(id) as
    | { text: string | null; html: string | null; headersJson: string; raw: Buffer | null }
    | undefined
  const atts = attachmentRows(ctx, id)
  const allowed = remoteAllowed(ctx, id, r.fromEmail)
  let html: string | null = null
  let blocked = false
  if (body?.html) {
    const inline = new Map<string, string>()
    for (const a of atts) {
      if (!a.contentId || !a.contentType.startsWith('image/') || a.size > INLINE_MAX_BYTES) continue
      const bytes = readAttachment(ctx.info.dataDir, a.sha256)
      if (bytes) inline.set(a.contentId.replace(/^<|>$/g, ''), `data:${a.contentType};base64,${bytes.toString('base64')}`)
    }
    const s = sanitizeEmailHtml(body.html, { allowRemote: allowed, inline })
    html = s.html
    blocked = s.remoteImagesBlocked
  }
  // Unparsable mail is shown as its source, as text.
  const text = body?.text ?? (r.parseError && body?.raw ? body.raw.toString('utf8') : null)
  const headers = (JSON.parse(body?.headersJson ?? '[]') as Array<[string, string]>).map(([name, value]) => ({ name, value }))
  const summary = toSummary(ctx, r)
  return {
    ...summary,
    messageIdHeader: r.messageId,
    replyTo: JSON.parse(r.replyToJson),
    headers,
    html,
    text,
    attachments: atts.map(
      (a): Attachment => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, inline: a.inline === 1, contentId: a.contentId }),
    ),
    remoteImagesBlocked: blocked,
    remoteImagesAllowed: allowed,
  }
}

export function allowRemoteImages(ctx: Ctx, id: number, scope: 'message' | 'sender'): void {
  const r = messageRow(ctx, id)
  if (scope === 'sender' && !r.fromEmail) throw new AppError('VALIDATION', 'This message has no sender address to trust', 'scope')
  stmt(ctx.sqlite, 'INSERT OR IGNORE INTO remote_image_allows (scope, value, created_at) VALUES (?, ?, ?)').run(
    scope,
    scope === 'message' ? String(id) : r.fromEmail,
    ctx.clock.now(),
  )
}

/** A manual link or unlink: recorded as manual, so automatic matching never overrides it. */
export function linkContact(ctx: Ctx, messageId: number, contactId: number, linked: boolean): MessageSummary {
  messageRow(ctx, messageId)
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM contacts WHERE id = ?').get(contactId)) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
  stmt(
    ctx.sqlite,
    `INSERT INTO message_contacts (message_id, contact_id, manual, linked) VALUES (?, ?, 1, ?)
     ON CONFLICT (message_id, contact_id) DO UPDATE SET manual = 1, linked = excluded.linked`,
  ).run(messageId, contactId, linked ? 1 : 0)
  return toSummary(ctx, messageRow(ctx, messageId))
}

export function attachmentContent(ctx: Ctx, id: number): { filename: string; contentType: string; base64: string } {
  const a = stmt(ctx.sqlite, 'SELECT id, filename, content_type AS contentType, size, sha256 FROM attachments WHERE id = ?').get(id) as AttachmentRow | undefined
  if (!a) throw notFound('Attachment', id)
  if (a.size > ATTACHMENT_MAX_BYTES) {
    throw new AppError('VALIDATION', `${a.filename} is ${(a.size / 1048576).toFixed(1)} MB; attachments over 25 MB cannot be saved from the app`, 'id')
  }
  const bytes = readAttachment(ctx.info.dataDir, a.sha256)
  if (!bytes) throw new AppError('NOT_FOUND', `The file of attachment ${id} is missing from the data folder`, 'id')
  if (bytes.length > ATTACHMENT_MAX_BYTES) throw new AppError('VALIDATION', `${a.filename} is over 25 MB and cannot be saved from the app`, 'id')
  return { filename: a.filename, contentType: a.contentType, base64: bytes.toString('base64') }
}
