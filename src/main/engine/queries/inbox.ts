// Read side of the inbox: the thread list (keyset-paged, FTS-searchable), threads and message summaries.
// Everything comes from local SQLite, so it works offline. Threads carry denormalised counts, so a page is
// one indexed walk over threads plus a few point lookups per thread.
import type { z } from 'zod'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { linkStoredMail } from '../inbound/match'
import type { InboxPage, InboxThread, ListInbox, MessageSummary } from '../../../shared/inbox'
import { AppError, notFound } from '../../../shared/result'
import { folderForRole } from '../repos/triage'
import { decodeIntCursor, encodeCursor } from '../repos/cursor'

type ListInput = z.output<typeof ListInbox>

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

function summaryOf(r: MessageRow, contactIds: number[]): MessageSummary {
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

interface ThreadRow {
  id: number
  objectId: number
  subject: string
  lastMessageAt: number
  latestMessageId: number | null
  messageCount: number
  unreadCount: number
  hasAttachments: number
}
const THREAD_COLS = `t.id, t.object_id AS objectId, t.subject, t.last_message_at AS lastMessageAt, t.latest_message_id AS latestMessageId,
  t.message_count AS messageCount, t.unread_count AS unreadCount, t.has_attachments AS hasAttachments`

/** A page of threads in four queries (not four per thread): latest messages, their contacts, participants, contacts. */
function toThreads(ctx: Ctx, threads: ThreadRow[]): InboxThread[] {
  if (threads.length === 0) return []
  const tids = JSON.stringify(threads.map((t) => t.id))
  const latestIds = JSON.stringify(threads.map((t) => t.latestMessageId))
  const latest = new Map(
    (stmt(ctx.sqlite, `SELECT ${MESSAGE_COLS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))`).all(latestIds) as MessageRow[]).map((r) => [r.id, r]),
  )
  const linked = new Map<number, number[]>()
  for (const r of stmt(
    ctx.sqlite,
    'SELECT message_id AS m, contact_id AS c FROM message_contacts WHERE message_id IN (SELECT value FROM json_each(?)) AND linked = 1 ORDER BY contact_id',
  ).all(latestIds) as Array<{ m: number; c: number }>) {
    linked.set(r.m, [...(linked.get(r.m) ?? []), r.c])
  }
  // Who each thread is with: senders of inbound mail, recipients of ours; latest first.
  const participants = new Map<number, string[]>()
  for (const r of stmt(
    ctx.sqlite,
    `SELECT t, direction, n, e, tj FROM (
       SELECT thread_id AS t, direction, from_name AS n, from_email AS e, to_json AS tj,
              row_number() OVER (PARTITION BY thread_id ORDER BY date DESC, id DESC) AS rn
         FROM messages WHERE thread_id IN (SELECT value FROM json_each(?))) WHERE rn <= 20 ORDER BY t, rn`,
  ).all(tids) as Array<{ t: number; direction: string; n: string; e: string | null; tj: string }>) {
    const list = participants.get(r.t) ?? []
    participants.set(r.t, list)
    const add = (name: string, email: string | null) => {
      const label = name.trim() || email || ''
      if (label && !list.includes(label)) list.push(label)
    }
    if (r.direction === 'in') add(r.n, r.e)
    else for (const a of JSON.parse(r.tj) as Array<{ name: string; email: string }>) add(a.name, a.email)
  }
  const contacts = new Map<number, Array<{ id: number; name: string; email: string }>>()
  for (const r of stmt(
    ctx.sqlite,
    `SELECT DISTINCT m.thread_id AS t, c.id, trim(c.first_name || ' ' || c.last_name) AS name, coalesce(c.email, '') AS email
       FROM messages m JOIN message_contacts mc ON mc.message_id = m.id AND mc.linked = 1 JOIN contacts c ON c.id = mc.contact_id
      WHERE m.thread_id IN (SELECT value FROM json_each(?))`,
  ).all(tids) as Array<{ t: number; id: number; name: string; email: string }>) {
    const list = contacts.get(r.t) ?? []
    contacts.set(r.t, list)
    if (list.length < 10) list.push({ id: r.id, name: r.name, email: r.email })
  }
  return threads.filter((t) => latest.has(t.latestMessageId!)).map((t) => ({
    id: t.id,
    objectId: t.objectId,
    subject: t.subject,
    latest: summaryOf(latest.get(t.latestMessageId!)!, linked.get(t.latestMessageId!) ?? []),
    messageCount: t.messageCount,
    unreadCount: t.unreadCount,
    participants: (participants.get(t.id) ?? []).slice(0, 10),
    contacts: contacts.get(t.id) ?? [],
    hasAttachments: t.hasAttachments === 1,
    lastMessageAt: iso(t.lastMessageAt),
  }))
}

/**
 * Plain words become phrases ("ann@client.test" → "ann@client.test"), prefix-matched from three characters
 * on (a one-letter prefix would match most of the mailbox); a query using FTS5 syntax goes as written.
 */
export function ftsQuery(q: string): string {
  // "Re: offer" is words, not a column filter: only our own column names make a query FTS syntax.
  if (/["()*^]|\b(AND|OR|NOT|NEAR)\b|\b(subject|body|names|addresses)\s*:/i.test(q)) return q
  return q
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length >= 3 ? `"${w}"*` : `"${w}"`))
    .join(' ')
}


/** The inbox view (ARCHITECTURE §5, issue 20): kept by triggers as two counts per thread (0011_triage.sql). */
export const IN_INBOX = '(t.inbox_count > 0 OR t.away_count = 0)'

type ViewInput = Pick<ListInput, 'folder' | 'folderId' | 'mailboxId'>

/** Which threads a folder view shows, as one WHERE term (null: every thread). */
function folderTerm(ctx: Ctx, input: ViewInput, params: unknown[]): string | null {
  if (input.folderId !== undefined) {
    const f = stmt(ctx.sqlite, 'SELECT mailbox_id AS mailboxId, path FROM sync_folders WHERE id = ?').get(input.folderId) as { mailboxId: number; path: string } | undefined
    if (!f) throw new AppError('NOT_FOUND', `Folder ${input.folderId} does not exist`, 'folderId')
    params.push(f.mailboxId, f.path)
    return 't.id IN (SELECT m.thread_id FROM messages m WHERE m.mailbox_id = ? AND m.folder = ?)'
  }
  const view = input.folder ?? 'inbox'
  if (view === 'all') return null
  if (view === 'inbox') return IN_INBOX
  if (view === 'flagged') return 'EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id AND m.flagged = 1)'
  // A special folder of every mailbox (or of the chosen one); Gmail's All Mail stands in for a missing Archive.
  const boxes = input.mailboxId !== undefined ? [input.mailboxId] : (stmt(ctx.sqlite, 'SELECT id FROM mailboxes').pluck().all() as number[])
  const pairs: Array<[number, string]> = []
  for (const mb of boxes) {
    const f = folderForRole(ctx, mb, view) ?? (view === 'archive' ? folderForRole(ctx, mb, 'all') : null)
    if (f) pairs.push([mb, f.path])
  }
  if (!pairs.length) return '0'
  params.push(...pairs.flat())
  return `t.id IN (SELECT m.thread_id FROM messages m WHERE ${pairs.map(() => '(m.mailbox_id = ? AND m.folder = ?)').join(' OR ')})`
}

/** Every thread id a filter selects (no paging): "mark all read" over the current view. */
export function threadIdsOf(ctx: Ctx, input: Omit<ListInput, 'cursor' | 'limit'>): number[] {
  const where: string[] = []
  const params: unknown[] = []
  if (input.objectId !== undefined) (where.push('t.object_id = ?'), params.push(input.objectId))
  if (input.mailboxId !== undefined) (where.push('EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id AND m.mailbox_id = ?)'), params.push(input.mailboxId))
  if (input.direction !== undefined) (where.push('EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id AND m.direction = ?)'), params.push(input.direction))
  if (input.contactId !== undefined) {
    where.push('t.id IN (SELECT m.thread_id FROM message_contacts mc JOIN messages m ON m.id = mc.message_id WHERE mc.contact_id = ? AND mc.linked = 1)')
    params.push(input.contactId)
  }
  const term = folderTerm(ctx, input, params)
  if (term) where.push(term)
  if (input.unread) where.push('t.unread_count > 0')
  const q = input.query?.trim()
  if (q) {
    where.push('t.id IN (SELECT m.thread_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?)')
    params.push(ftsQuery(q))
  }
  try {
    return stmt(ctx.sqlite, `SELECT t.id FROM threads t ${w(where)}`).pluck().all(...params) as number[]
  } catch (e) {
    if (e instanceof Error && e.name === 'SqliteError' && q) throw new AppError('VALIDATION', `Search could not be understood: ${e.message.replace(/^fts5: /, '')}`, 'query')
    throw e
  }
}

export function listInbox(ctx: Ctx, input: ListInput): InboxPage {
  const where: string[] = []
  const params: unknown[] = []
  if (input.objectId !== undefined) (where.push('t.object_id = ?'), params.push(input.objectId))
  if (input.mailboxId !== undefined) (where.push('EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id AND m.mailbox_id = ?)'), params.push(input.mailboxId))
  if (input.direction !== undefined) (where.push('EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id AND m.direction = ?)'), params.push(input.direction))
  if (input.contactId !== undefined) {
    if (!input.cursor) ctx.sqlite.transaction(() => linkStoredMail(ctx, input.contactId!)).immediate()
    where.push('t.id IN (SELECT m.thread_id FROM message_contacts mc JOIN messages m ON m.id = mc.message_id WHERE mc.contact_id = ? AND mc.linked = 1)')
    params.push(input.contactId)
  }
  const term = folderTerm(ctx, input, params)
  if (term) where.push(term)
  const q = input.query?.trim()
  if (q) return searchInbox(ctx, input, q, where, params)
  const base = [...where]
  const baseParams = [...params]
  if (input.unread) where.push('t.unread_count > 0')
  if (input.cursor) {
    const [at, id] = decodeIntCursor(input.cursor, 2)
    where.push('(t.last_message_at < ? OR (t.last_message_at = ? AND t.id < ?))')
    params.push(at, at, id)
  }
  const rows = stmt(ctx.sqlite, `SELECT ${THREAD_COLS} FROM threads t ${w(where)} ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?`)
    .all(...params, input.limit + 1) as ThreadRow[]
  // Unfiltered or by business only: the trigger-kept totals (all mail), or the inbox's partial index (no look
  // at each unread thread's messages).
  const onlyObject = input.mailboxId === undefined && input.direction === undefined && input.contactId === undefined && input.folderId === undefined
  const unreadThreads =
    onlyObject && input.folder === 'all'
      ? (stmt(ctx.sqlite, 'SELECT coalesce(sum(threads), 0) AS n FROM thread_unread_totals WHERE @o IS NULL OR object_id = @o').get({
          o: input.objectId ?? null,
        }) as { n: number }).n
      : onlyObject && (input.folder ?? 'inbox') === 'inbox'
        ? (stmt(ctx.sqlite, `SELECT count(*) AS n FROM threads t WHERE t.unread_count > 0 AND ${IN_INBOX} AND (@o IS NULL OR t.object_id = @o)`).get({
            o: input.objectId ?? null,
          }) as { n: number }).n
        : (stmt(ctx.sqlite, `SELECT count(*) AS n FROM threads t ${w([...base, 't.unread_count > 0'])}`).get(...baseParams) as { n: number }).n
  return pageOf(ctx, rows, input.limit, unreadThreads)
}

const w = (list: string[]) => (list.length ? `WHERE ${list.join(' AND ')}` : '')

function pageOf(ctx: Ctx, rows: ThreadRow[], limit: number, unreadThreads: number): InboxPage {
  const last = rows.length > limit ? rows[limit - 1]! : null
  const page = rows.slice(0, limit).filter((t) => t.latestMessageId !== null)
  return { threads: toThreads(ctx, page), nextCursor: last ? encodeCursor([last.lastMessageAt, last.id]) : null, unreadThreads }
}

/**
 * With a search, the FTS match decides the candidate threads. Their sort keys are materialised once and
 * SQLite both counts the unread ones and picks the page (top-N), so only the page comes back to JS. The
 * matches reach their threads through messages_thread_of_idx (the wide message rows would be 3× slower).
 */
function searchInbox(ctx: Ctx, input: ListInput, q: string, where: string[], params: unknown[]): InboxPage {
  const hit = `hit AS MATERIALIZED (
       SELECT t.id, t.last_message_at AS at, t.unread_count AS u FROM threads t
        ${w([...where, 't.id IN (SELECT m.thread_id FROM messages_fts f JOIN messages m INDEXED BY messages_thread_of_idx ON m.id = f.rowid WHERE messages_fts MATCH ?)'])})`
  const match = ftsQuery(q)
  // A bad query is reported before a bad cursor, as when the cursor was only looked at after the search.
  let cursor: [number, number] | null = null
  let cursorError: unknown = null
  if (input.cursor) {
    try {
      cursor = decodeIntCursor(input.cursor, 2) as [number, number]
    } catch (e) {
      cursorError = e
    }
  }
  const page: string[] = []
  const pageParams: unknown[] = []
  if (input.unread) page.push('u > 0')
  if (cursor) (page.push('(at < ? OR (at = ? AND id < ?))'), pageParams.push(cursor[0], cursor[0], cursor[1]))
  let rows: Array<ThreadRow & { unreadThreads: number }>
  try {
    rows = stmt(
      ctx.sqlite,
      `WITH ${hit}
       SELECT ${THREAD_COLS}, (SELECT count(*) FROM hit WHERE u > 0) AS unreadThreads
         FROM (SELECT id, at FROM hit ${w(page)} ORDER BY at DESC, id DESC LIMIT ?) p JOIN threads t ON t.id = p.id
        ORDER BY p.at DESC, p.id DESC`,
    ).all(...params, match, ...pageParams, input.limit + 1) as typeof rows
  } catch (e) {
    // FTS5 reports bad queries as SQL errors ("fts5: syntax error near …", "no such column: x").
    if (e instanceof Error && e.name === 'SqliteError') throw new AppError('VALIDATION', `Search could not be understood: ${e.message.replace(/^fts5: /, '')}`, 'query')
    throw e
  }
  if (cursorError) throw cursorError
  // An empty page carries no count: without a cursor that means no (unread) match at all; past the end, count.
  let unreadThreads = rows[0]?.unreadThreads ?? 0
  if (rows.length === 0 && cursor) {
    unreadThreads = (stmt(ctx.sqlite, `WITH ${hit} SELECT count(*) AS n FROM hit WHERE u > 0`).get(...params, match) as { n: number }).n
  }
  return pageOf(ctx, rows, input.limit, unreadThreads)
}

export function getThread(ctx: Ctx, id: number): { thread: InboxThread; messages: MessageSummary[] } {
  const t = stmt(ctx.sqlite, `SELECT ${THREAD_COLS} FROM threads t WHERE t.id = ?`).get(id) as ThreadRow | undefined
  if (!t || t.latestMessageId === null) throw notFound('Thread', id)
  const rows = stmt(ctx.sqlite, `SELECT ${MESSAGE_COLS} FROM messages m WHERE m.thread_id = ? ORDER BY m.date, m.id`).all(id) as MessageRow[]
  const thread = toThreads(ctx, [t])[0]
  if (!thread) throw notFound('Thread', id)
  return { thread, messages: rows.map((r) => toSummary(ctx, r)) }
}

/**
 * A contact's mail, both ways: stored copies linked to the contact (one per Message-ID and mailbox), plus
 * outbox rows for the contact that have not come back through a Sent folder yet. Newest first.
 */
export function contactTimeline(ctx: Ctx, contactId: number, cursor: string | undefined, limit: number) {
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM contacts WHERE id = ?').get(contactId)) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
  // Mail synced before the contact (or its extra address) existed joins the timeline now.
  if (!cursor) ctx.sqlite.transaction(() => linkStoredMail(ctx, contactId)).immediate()
  let offset = 0
  if (cursor) {
    offset = decodeIntCursor(cursor, 1)[0]
    if (offset < 0) throw new AppError('VALIDATION', 'The page cursor is not valid; start again from the first page', 'cursor')
  }
  const rows = stmt(
    ctx.sqlite,
    `SELECT * FROM (
       SELECT CASE m.direction WHEN 'in' THEN 'inbound' ELSE 'outbound' END AS kind, m.id AS id, m.id AS messageId, m.outbound_id AS outboundId,
              m.thread_id AS threadId, m.date AS at, m.subject, m.snippet,
              CASE m.direction WHEN 'out' THEN o.status END AS status, m.is_auto_reply AS isAutoReply, m.is_bounce AS isBounce
         FROM message_contacts mc JOIN messages m ON m.id = mc.message_id
         LEFT JOIN outbound_messages o ON o.id = m.outbound_id
        WHERE mc.contact_id = @c AND mc.linked = 1
          AND (m.message_id IS NULL OR m.id = (SELECT min(m2.id) FROM messages m2 WHERE m2.mailbox_id = m.mailbox_id AND m2.message_id = m.message_id))
       UNION ALL
       SELECT 'outbound', o.id, NULL, o.id, coalesce((SELECT r.thread_id FROM thread_refs r WHERE r.object_id = o.object_id AND r.ref = o.message_id),
                       (SELECT r.thread_id FROM thread_refs r WHERE r.object_id = o.object_id AND r.ref = json_extract(o.headers_json, '$."In-Reply-To"'))),
              coalesce(o.sent_at, o.scheduled_for), o.subject, substr(o.text, 1, 200), o.status, 0, 0
         FROM outbound_messages o
        WHERE o.contact_id = @c AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.mailbox_id = o.mailbox_id AND m.message_id = o.message_id)
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.outbound_id = o.id AND m.direction = 'out')
     ) ORDER BY at DESC, kind, id DESC LIMIT @lim OFFSET @off`,
  ).all({ c: contactId, lim: limit + 1, off: offset }) as Array<{
    kind: 'inbound' | 'outbound'
    id: number
    messageId: number | null
    outboundId: number | null
    threadId: number | null
    at: number
    subject: string
    snippet: string
    status: string | null
    isAutoReply: number
    isBounce: number
  }>
  const items = rows.slice(0, limit).map((r) => ({
    ...r,
    at: iso(r.at),
    snippet: r.snippet.replace(/\s+/g, ' ').trim(),
    isAutoReply: r.isAutoReply === 1,
    isBounce: r.isBounce === 1,
  }))
  return { items, nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null }
}
