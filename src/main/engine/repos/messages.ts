// Queries of single messages behind messages.* and attachments.content: the message row and its summary,
// the lazily loaded body, remote-image permissions, manual contact links, attachment rows. Shaping that
// needs the sanitiser or the data folder is services/messages.ts's.
import { ORIGINAL_MAX_CHARS, type MessageSummary } from '../../../shared/inbox'
import { notFound } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface MessageRow {
  id: number
  threadId: number
  objectId: number
  mailboxId: number
  folder: string
  direction: 'in' | 'out'
  fromName: string
  fromEmail: string | null
  toJson: string
  ccJson: string
  replyToJson: string
  subject: string
  snippet: string
  date: number
  read: number
  flagged: number
  isAutoReply: number
  isBounce: number
  hasAttachments: number
  parseError: string | null
  outboundId: number | null
  messageId: string | null
  inReplyTo: string | null
  referencesJson: string
}

export const MESSAGE_COLS = `m.id, m.thread_id AS threadId, m.object_id AS objectId, m.mailbox_id AS mailboxId, m.folder, m.direction,
  m.from_name AS fromName, m.from_email AS fromEmail, m.to_json AS toJson, m.cc_json AS ccJson, m.reply_to_json AS replyToJson,
  m.subject, m.snippet, m.date, m.read, m.flagged, m.is_auto_reply AS isAutoReply, m.is_bounce AS isBounce,
  m.has_attachments AS hasAttachments, m.parse_error AS parseError, m.outbound_id AS outboundId, m.message_id AS messageId,
  m.in_reply_to AS inReplyTo, m.references_json AS referencesJson`

export function messageRow(ctx: Ctx, id: number): MessageRow {
  const r = stmt(ctx.sqlite, `SELECT ${MESSAGE_COLS} FROM messages m WHERE m.id = ?`).get(id) as MessageRow | undefined
  if (!r) throw notFound('Message', id)
  return r
}

function contactIdsOf(ctx: Ctx, messageId: number): number[] {
  return (stmt(ctx.sqlite, 'SELECT contact_id AS c FROM message_contacts WHERE message_id = ? AND linked = 1 ORDER BY contact_id').all(messageId) as Array<{ c: number }>).map(
    (r) => r.c,
  )
}

export function toSummary(ctx: Ctx, r: MessageRow): MessageSummary {
  return summaryOf(r, contactIdsOf(ctx, r.id))
}

export function summaryOf(r: MessageRow, contactIds: number[]): MessageSummary {
  return {
    id: r.id,
    threadId: r.threadId,
    objectId: r.objectId,
    mailboxId: r.mailboxId,
    folder: r.folder,
    direction: r.direction,
    from: r.fromEmail === null && !r.fromName ? null : { name: r.fromName, email: r.fromEmail ?? '' },
    to: JSON.parse(r.toJson),
    cc: JSON.parse(r.ccJson),
    subject: r.subject,
    snippet: r.snippet,
    date: iso(r.date),
    read: r.read === 1,
    flagged: r.flagged === 1,
    isAutoReply: r.isAutoReply === 1,
    isBounce: r.isBounce === 1,
    hasAttachments: r.hasAttachments === 1,
    parseError: r.parseError,
    outboundId: r.outboundId,
    contactIds,
  }
}

/** Files over this are not handed to the renderer (attachments.content). */
export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024

export interface AttachmentRow {
  id: number
  filename: string
  contentType: string
  size: number
  sha256: string
  contentId: string | null
  inline: number
}
export const attachmentRows = (ctx: Ctx, messageId: number) =>
  stmt(
    ctx.sqlite,
    'SELECT id, filename, content_type AS contentType, size, sha256, content_id AS contentId, inline FROM attachments WHERE message_id = ? ORDER BY id',
  ).all(messageId) as AttachmentRow[]

export const attachmentRow = (ctx: Ctx, id: number) =>
  stmt(ctx.sqlite, 'SELECT id, filename, content_type AS contentType, size, sha256, content_id AS contentId, inline FROM attachments WHERE id = ?').get(id) as
    | AttachmentRow
    | undefined

export function remoteAllowed(ctx: Ctx, messageId: number, sender: string | null): boolean {
  return !!stmt(
    ctx.sqlite,
    "SELECT 1 FROM remote_image_allows WHERE (scope = 'message' AND value = ?) OR (scope = 'sender' AND value = ?) LIMIT 1",
  ).get(String(messageId), sender ?? '')
}

export function addRemoteAllow(ctx: Ctx, scope: 'message' | 'sender', value: string): void {
  stmt(ctx.sqlite, 'INSERT OR IGNORE INTO remote_image_allows (scope, value, created_at) VALUES (?, ?, ?)').run(scope, value, ctx.clock.now())
}

export interface BodyRow {
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
export const bodyRow = (ctx: Ctx, id: number) =>
  stmt(
    ctx.sqlite,
    `SELECT text, typeof(html) <> 'null' AS hasHtml, safe_html AS safeHtml, safe_html_state AS state, safe_html_remote AS remote, html_text AS htmlText,
       headers_json AS headersJson, raw FROM message_bodies WHERE message_id = ?`,
  ).get(id) as BodyRow | undefined

/** The parts of a body a quoted original needs (no raw source, no headers). */
export const quotableBody = (ctx: Ctx, id: number) =>
  stmt(
    ctx.sqlite,
    "SELECT text, typeof(html) <> 'null' AS hasHtml, safe_html AS safeHtml, safe_html_state AS state, html_text AS htmlText FROM message_bodies WHERE message_id = ?",
  ).get(id) as Pick<BodyRow, 'text' | 'hasHtml' | 'safeHtml' | 'state' | 'htmlText'> | undefined

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

/** "Show original": the start of the HTML source and its full length (undefined: no HTML part). */
export const htmlSource = (ctx: Ctx, id: number) =>
  stmt(ctx.sqlite, 'SELECT substr(html, 1, ?) AS source, length(html) AS total FROM message_bodies WHERE message_id = ? AND html IS NOT NULL').get(ORIGINAL_MAX_CHARS, id) as
    | { source: string; total: number }
    | undefined

export const contactExists = (ctx: Ctx, contactId: number): boolean => !!stmt(ctx.sqlite, 'SELECT 1 FROM contacts WHERE id = ?').get(contactId)

/** A manual link or unlink: recorded as manual, so automatic matching never overrides it. */
export function setManualLink(ctx: Ctx, messageId: number, contactId: number, linked: boolean): void {
  stmt(
    ctx.sqlite,
    `INSERT INTO message_contacts (message_id, contact_id, manual, linked) VALUES (?, ?, 1, ?)
     ON CONFLICT (message_id, contact_id) DO UPDATE SET manual = 1, linked = excluded.linked`,
  ).run(messageId, contactId, linked ? 1 : 0)
}

/** The contact a reply is for: a manual link first, then the lowest id. */
export const replyContactOf = (ctx: Ctx, messageId: number): number | null =>
  (stmtPluck(ctx.sqlite, 'SELECT contact_id FROM message_contacts WHERE message_id = ? AND linked = 1 ORDER BY manual DESC, contact_id LIMIT 1').get(messageId) as
    | number
    | undefined) ?? null

/** Message ids of these conversations; only the inbound ones with `inboundOnly` (read state is theirs). */
export function messageIdsOfThreads(ctx: Ctx, threadIds: number[], inboundOnly = false): number[] {
  if (!threadIds.length) return []
  return stmtPluck(ctx.sqlite, `SELECT id FROM messages WHERE thread_id IN (SELECT value FROM json_each(?))${inboundOnly ? " AND direction = 'in'" : ''}`)
    .all(JSON.stringify(threadIds)) as number[]
}
