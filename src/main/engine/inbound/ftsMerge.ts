// The message index merges a bounded step at a time, in a turn of its own. FTS5 writes each transaction's
// terms as a new segment and, left to itself (automerge), merges segments inside the commit of whichever
// transaction tips a level over: during a first sync some store commits took 10–60 ms (over 100 at 100,000
// messages) instead of 1–2, and a window's inbox.list waited behind them. Migration 0042 turns automerge off
// for messages_fts; the sync runs one step of MERGE_PAGES pages after each store transaction (folder.ts).
// FTS5's crisismerge (16 segments at one level merged at once) stays as the net for writers that do not step
// (a Mailgun webhook, the demo), so the index never degrades, it only merges in one go there.
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

/**
 * Pages of merge work per step: a few ms (3–4 of some 3,300 steps over 12 ms in a 100,000-message first sync),
 * and enough to keep up: a first sync ends in 7 segments at 10,000 messages and 12 at 100,000.
 */
export const MERGE_PAGES = 32

/** One bounded merge of the message index (levels with 4 or more segments). True when it found work to do. */
export function mergeIndexStep(ctx: Ctx, pages: number = MERGE_PAGES): boolean {
  const changes = stmtPluck(ctx.sqlite, 'SELECT total_changes()')
  const before = changes.get() as number
  // The page count is part of the SQL: FTS5 reads its special commands' values as literals.
  stmt(ctx.sqlite, `INSERT INTO messages_fts(messages_fts, rank) VALUES ('merge', ${Math.max(1, Math.floor(pages))})`).run()
  // FTS5's documented signal: a merge that did work moves total_changes() by 2 or more.
  return (changes.get() as number) - before >= 2
}
