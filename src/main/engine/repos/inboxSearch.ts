// inbox.list with a search, for a word found in a large share of the mail (issue 23, item 5). Gathering
// every match and sorting its conversations costs time in proportion to the matches (a word in nearly
// every message: all 100,000 of them). Here conversations are walked newest first from the index, and
// each is tested against the matches, which FTS5 hands over newest id first in growing chunks: a page costs
// about limit / (share of conversations that match) steps, never the whole match list.
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import { THREAD_COLS, type ThreadRow } from './threads'

/** Index size estimate (the vocabulary's document counts) of a plain-word query; null for FTS syntax. */
export function estimateMatches(ctx: Ctx, words: string[]): number | null {
  const count = stmtPluck(ctx.sqlite, 'SELECT coalesce(sum(doc), 0) FROM messages_fts_terms WHERE term >= ? AND term < ?')
  const exact = stmtPluck(ctx.sqlite, 'SELECT coalesce(sum(doc), 0) FROM messages_fts_terms WHERE term = ?')
  let best: number | null = null
  for (const word of words) {
    // unicode61: lower case, diacritics off, split at anything not a letter or digit; a phrase is at most its rarest token.
    const tokens = word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
    for (const [i, tok] of tokens.entries()) {
      const prefix = i === tokens.length - 1 && word.length >= 3
      const n = (prefix ? count.get(tok, `${tok}\u{10FFFF}`) : exact.get(tok)) as number
      best = best === null ? n : Math.min(best, n)
    }
  }
  return best
}

/**
 * The query for the walk: a plain word's prefix spelt out as the few terms it stands for ("w0ax"* → ("w0ax" OR
 * "w0axes")). FTS5 gathers a prefix's whole doclist in memory for every cursor (6 ms for a word in every
 * message), where an OR of terms is read lazily. Words with many terms, or several tokens, stay as they are.
 */
export function walkQuery(ctx: Ctx, q: string, fallback: string): string {
  const terms = stmtPluck(ctx.sqlite, 'SELECT term FROM messages_fts_terms WHERE term >= ? AND term < ? LIMIT 17')
  const parts: string[] = []
  for (const word of q.split(/\s+/).filter(Boolean)) {
    const tokens = word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
    if (tokens.length !== 1 || word.length < 3 || /["()*^]/.test(word)) return fallback
    const list = terms.all(tokens[0], `${tokens[0]}\u{10FFFF}`) as string[]
    if (!list.length || list.length > 16) return fallback
    parts.push(`(${list.map((t) => `"${t}"`).join(' OR ')})`)
  }
  return parts.length ? parts.join(' ') : fallback
}

/** Messages in the store (the largest id: constant time, and close enough to choose a plan). */
export const storeSize = (ctx: Ctx): number => (stmtPluck(ctx.sqlite, 'SELECT coalesce(max(id), 0) FROM messages').get() as number) || 0

/** Matches known from the top down: everything at or above `low` has been read from the index. */
class MatchStream {
  private seen = new Set<number>()
  private low = Number.MAX_SAFE_INTEGER
  private done = false
  private chunk = 256
  private next
  constructor(
    ctx: Ctx,
    private match: string,
  ) {
    // A range on rowid, never `rowid = ?`: with MATCH, FTS5 (3.53) ignored the equality and answered every match.
    this.next = stmtPluck(ctx.sqlite, 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?')
  }

  has(id: number): boolean {
    while (!this.done && id < this.low) {
      const ids = this.next.all(this.match, this.low, this.chunk) as number[]
      for (const r of ids) this.seen.add(r)
      if (ids.length < this.chunk) this.done = true
      if (ids.length) this.low = ids[ids.length - 1]!
      this.chunk = Math.min(this.chunk * 2, 8192)
    }
    return this.seen.has(id)
  }
}

export interface WalkPage {
  rows: ThreadRow[]
  unreadThreads: number
  unreadThreadsAtLeast: boolean
}

/** How many unread conversations the count looks at before it reports "at least". */
const UNREAD_LOOK = 200
const STEP = 64

/**
 * The page of conversations (view terms `where`/`params`, newest first after `cursor`) that hold a match,
 * and the unread ones among the matching conversations (exact when the look reached the end of them).
 */
export function walkSearch(ctx: Ctx, match: string, where: string[], params: unknown[], opts: { unread: boolean; cursor: [number, number] | null; limit: number }): WalkPage {
  const stream = new MatchStream(ctx, match)
  // One query per step of the walk for its threads' message ids (not one per thread).
  const idsOf = stmt(ctx.sqlite, 'SELECT thread_id AS t, id FROM messages INDEXED BY messages_thread_idx WHERE thread_id IN (SELECT value FROM json_each(?)) ORDER BY thread_id, id DESC')
  const messagesOf = (threads: ThreadRow[]): Map<number, number[]> => {
    const out = new Map<number, number[]>()
    for (const r of idsOf.all(JSON.stringify(threads.map((t) => t.id))) as Array<{ t: number; id: number }>) {
      const list = out.get(r.t)
      if (list) list.push(r.id)
      else out.set(r.t, [r.id])
    }
    return out
  }
  const walk = (extra: string[], from: [number, number] | null, want: number, budget: number): { rows: ThreadRow[]; exhausted: boolean } => {
    const list = [...where, ...extra, '(t.last_message_at < ? OR (t.last_message_at = ? AND t.id < ?))']
    const page = stmt(ctx.sqlite, `SELECT ${THREAD_COLS} FROM threads t WHERE ${list.join(' AND ')} ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?`)
    const out: ThreadRow[] = []
    let at = from ?? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]
    let looked = 0
    for (;;) {
      const batch = page.all(...params, at[0], at[0], at[1], STEP) as ThreadRow[]
      const ids = messagesOf(batch)
      for (const t of batch) {
        looked++
        if ((ids.get(t.id) ?? []).some((id) => stream.has(id)) && out.push(t) >= want) return { rows: out, exhausted: false }
        if (looked >= budget) return { rows: out, exhausted: false }
      }
      if (batch.length < STEP) return { rows: out, exhausted: true }
      const last = batch[batch.length - 1]!
      at = [last.lastMessageAt, last.id]
    }
  }
  const rows = walk(opts.unread ? ['t.unread_count > 0'] : [], opts.cursor, opts.limit + 1, Number.MAX_SAFE_INTEGER).rows
  const unread = walk(['t.unread_count > 0'], null, Number.MAX_SAFE_INTEGER, UNREAD_LOOK)
  return { rows, unreadThreads: unread.rows.length, unreadThreadsAtLeast: !unread.exhausted }
}
