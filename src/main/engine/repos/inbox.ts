// Queries of the inbox list: the thread list (keyset-paged, FTS-searchable), its unread count, and the
// thread ids a filter selects. Everything comes from local SQLite, so it works offline. Only reads: mail is
// linked to contacts when it is stored or when a contact changes (inbound/match.ts), never here.
import type { z } from 'zod'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import type { InboxPage, ListInbox } from '../../../shared/inbox'
import { AppError } from '../../../shared/result'
import { folderForRole } from './folders'
import { decodeIntCursor, encodeCursor } from './cursor'
import { THREAD_COLS, toThreads, type ThreadRow } from './threads'
import { estimateMatches, storeSize, walkQuery, walkSearch } from './inboxSearch'

type ListInput = z.output<typeof ListInbox>

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
  const boxes = input.mailboxId !== undefined ? [input.mailboxId] : (stmtPluck(ctx.sqlite, 'SELECT id FROM mailboxes').all() as number[])
  const pairs: Array<[number, string]> = []
  for (const mb of boxes) {
    const f = folderForRole(ctx, mb, view) ?? (view === 'archive' ? folderForRole(ctx, mb, 'all') : null)
    if (f) pairs.push([mb, f.path])
  }
  if (!pairs.length) return '0'
  params.push(...pairs.flat())
  return `t.id IN (SELECT m.thread_id FROM messages m WHERE ${pairs.map(() => '(m.mailbox_id = ? AND m.folder = ?)').join(' OR ')})`
}

/** The view's filters (business, mailbox, direction, contact, folder) as WHERE terms over `threads t`. */
function viewTerms(ctx: Ctx, input: Omit<ListInput, 'cursor' | 'limit'>): { where: string[]; params: unknown[] } {
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
  return { where, params }
}

/** Every thread id a filter selects (no paging): "mark all read" over the current view. */
export function threadIdsOf(ctx: Ctx, input: Omit<ListInput, 'cursor' | 'limit'>): number[] {
  const { where, params } = viewTerms(ctx, input)
  if (input.unread) where.push('t.unread_count > 0')
  const q = input.query?.trim()
  if (q) {
    where.push('t.id IN (SELECT m.thread_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?)')
    params.push(ftsQuery(q))
  }
  try {
    return stmtPluck(ctx.sqlite, `SELECT t.id FROM threads t ${w(where)}`).all(...params) as number[]
  } catch (e) {
    if (e instanceof Error && e.name === 'SqliteError' && q) throw new AppError('VALIDATION', `Search could not be understood: ${e.message.replace(/^fts5: /, '')}`, 'query')
    throw e
  }
}

export function listInbox(ctx: Ctx, input: ListInput): InboxPage {
  const { where, params } = viewTerms(ctx, input)
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
 * Where gathering every match stops paying: above this many matching messages (and this share of the store),
 * walking conversations newest first finds a page sooner (a walk costs ~limit / share steps, gathering costs
 * every match; they cross near 2 % at 100,000 messages, measured with bench:inbox).
 */
const WALK_ABOVE = { matches: 2000, share: 0.02 }

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
  // A word in a large share of the mail: walk conversations newest first instead of gathering every match.
  const plain = ftsQuery(q) !== q
  const estimate = plain ? estimateMatches(ctx, q.split(/\s+/).filter(Boolean)) : null
  if (estimate !== null && !cursorError && estimate > Math.max(WALK_ABOVE.matches, WALK_ABOVE.share * storeSize(ctx))) {
    try {
      const walked = walkSearch(ctx, walkQuery(ctx, q, match), where, params, { unread: !!input.unread, cursor, limit: input.limit })
      return { ...pageOf(ctx, walked.rows, input.limit, walked.unreadThreads), ...(walked.unreadThreadsAtLeast ? { unreadThreadsAtLeast: true } : {}) }
    } catch (e) {
      if (e instanceof Error && e.name === 'SqliteError') throw new AppError('VALIDATION', `Search could not be understood: ${e.message.replace(/^fts5: /, '')}`, 'query')
      throw e
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
