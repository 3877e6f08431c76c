// Single-message reads and writes behind messages.* and attachments.content: the lazily loaded body
// (sanitised by the parse threads when it was stored, finished here in one linear pass), remote-image
// permissions, manual contact links, attachment bytes.
import { ORIGINAL_MAX_CHARS, type Attachment, type MessageDetail, type MessageOriginal, type MessageSummary } from '../../../shared/inbox'
import { AppError, notFound } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { readAttachment } from '../inbound/attachmentFiles'
import { displayFilename } from '../inbound/attachmentName'
import type { PreparedBody } from '../inbound/prepare'
import { finishHtml, sanitizeEmailHtml, textAsHtml } from '../inbound/sanitize'
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

interface BodyRow {
  text: string | null
  hasHtml: number
  safeHtml: string | null
  state: 'ok' | 'size' | 'depth' | null
  remote: number
  htmlText: string | null
  headersJson: string
  raw: Buffer | null
}
// typeof(), not IS NOT NULL: SQLite answers it from the record header without reading a large body.
const bodyRow = (ctx: Ctx, id: number) =>
  stmt(
    ctx.sqlite,
    `SELECT text, typeof(html) <> 'null' AS hasHtml, safe_html AS safeHtml, safe_html_state AS state, safe_html_remote AS remote, html_text AS htmlText,
       headers_json AS headersJson, raw FROM message_bodies WHERE message_id = ?`,
  ).get(id) as BodyRow | undefined

/** The HTML of a body stored before migration 0010, to sanitise in a parse thread (null: nothing to do). */
export function unpreparedHtml(ctx: Ctx, id: number): { text: string | null; html: string } | null {
  const r = stmt(ctx.sqlite, "SELECT text, substr(html, 1, ?) AS html FROM message_bodies WHERE message_id = ? AND safe_html_state IS NULL AND typeof(html) = 'text'").get(
    LEGACY_HTML_MAX,
    id,
  ) as { text: string | null; html: string } | undefined
  return r ?? null
}
/** Enough to break the size budget (sanitize.ts) without copying a 30 MB body to a thread. */
export const LEGACY_HTML_MAX = 2_000_001

const RASTER = /^image\/(png|gif|jpe?g|webp|bmp|x-icon|avif)$/

/**
 * The message as the reading pane shows it. Only reads: the HTML was sanitised when it was stored; a body
 * stored before that (migration 0010) comes with `legacy`, prepared by a parse thread for this call only
 * (the background backfill stores it).
 */
export function messageDetail(ctx: Ctx, id: number, legacy?: PreparedBody): MessageDetail {
  const r = messageRow(ctx, id)
  const body = bodyRow(ctx, id)
  const atts = attachmentRows(ctx, id)
  const allowed = remoteAllowed(ctx, id, r.fromEmail)
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
  const summary = toSummary(ctx, r)
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

/** "Show original": the HTML source, as text for the renderer to show escaped (never rendered). */
export function messageOriginal(ctx: Ctx, id: number): MessageOriginal {
  messageRow(ctx, id)
  const r = stmt(ctx.sqlite, 'SELECT substr(html, 1, ?) AS source, length(html) AS total FROM message_bodies WHERE message_id = ? AND html IS NOT NULL').get(
    ORIGINAL_MAX_CHARS,
    id,
  ) as { source: string; total: number } | undefined
  if (!r) throw new AppError('NOT_FOUND', 'This message has no HTML part to show', 'id')
  return { source: r.source, truncated: r.total > r.source.length, totalChars: r.total }
}

/** The quoted original in a reply or forward: the stored sanitised HTML with nothing remote or inline loaded. */
export function quotableHtml(ctx: Ctx, id: number): string | null {
  const b = stmt(
    ctx.sqlite,
    "SELECT text, typeof(html) <> 'null' AS hasHtml, safe_html AS safeHtml, safe_html_state AS state, html_text AS htmlText FROM message_bodies WHERE message_id = ?",
  ).get(id) as
    | Pick<BodyRow, 'text' | 'hasHtml' | 'safeHtml' | 'state' | 'htmlText'>
    | undefined
  if (!b?.hasHtml) return null
  if (b.state === 'ok' && b.safeHtml !== null) return finishHtml(b.safeHtml, { allowRemote: false, inline: new Map() })
  if (b.state) return textAsHtml(b.text?.trim() ? b.text : (b.htmlText ?? ''))
  // Stored before 0010 and not yet backfilled: the same hardened sanitiser, with its budgets.
  const legacy = unpreparedHtml(ctx, id)
  return legacy ? sanitizeEmailHtml(legacy.html, { allowRemote: false, inline: new Map() }).html : null
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
  return { filename: displayFilename(a.filename), contentType: a.contentType, base64: bytes.toString('base64') }
}
