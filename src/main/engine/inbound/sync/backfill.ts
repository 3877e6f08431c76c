// Bodies stored before migration 0010 were never sanitised for storage, and a big first sync leaves its HTML
// unsanitised to finish sooner (folder.ts, deferHtml). A background pass sanitises them in
// a parse thread, a few at a time, and stores the result (a write of its own, like the sync's); until it
// reaches a row, messages.get has that one body sanitised in a parse thread for the call, without storing
// it (a read never writes). Nothing here runs sanitize-html on the engine's thread.
import type { Ctx } from '../../context'
import { stmt } from '../../db/stmt'
import type { PreparedBody } from '../prepare'
import { LEGACY_HTML_MAX, unpreparedHtml } from '../../repos/messages'
import type { ParsePool } from './pool'

const CHUNK = 10

/** For messages.get: the prepared body of a row the backfill has not reached yet, or undefined. */
export async function preparedForRead(ctx: Ctx, pool: ParsePool | null, id: number): Promise<PreparedBody | undefined> {
  const legacy = unpreparedHtml(ctx, id)
  if (!legacy || !pool) return undefined
  try {
    return (await pool.prepare([legacy]))[0]
  } catch {
    return undefined // pool closing: the body shows as text
  }
}

/** Runs until every old body is prepared (or stop()); resolves when it is done. */
export function startBackfill(ctx: Ctx, pool: () => ParsePool, log: (m: string) => void): { stop(): Promise<void>; done: Promise<number> } {
  let stopped = false
  const run = async (): Promise<number> => {
    let after = 0
    let n = 0
    while (!stopped) {
      const rows = stmt(
        ctx.sqlite,
        `SELECT message_id AS id, text, substr(html, 1, ?) AS html FROM message_bodies
         WHERE html IS NOT NULL AND safe_html_state IS NULL AND message_id > ? ORDER BY message_id LIMIT ?`,
      ).all(LEGACY_HTML_MAX, after, CHUNK) as Array<{ id: number; text: string | null; html: string }>
      if (rows.length === 0) break
      after = rows[rows.length - 1]!.id
      const prepared = await pool().prepare(rows.map((r) => ({ text: r.text, html: r.html })))
      if (stopped) break
      const upd = stmt(
        ctx.sqlite,
        `UPDATE message_bodies SET safe_html = ?, safe_html_state = ?, safe_html_remote = ?, html_text = ?
         WHERE message_id = ? AND safe_html_state IS NULL`,
      )
      ctx.sqlite
        .transaction(() => {
          rows.forEach((r, i) => {
            const p = prepared[i]!
            upd.run(p.safeHtml, p.htmlState ?? 'size', p.htmlRemote ? 1 : 0, p.htmlState === 'ok' ? null : p.htmlText, r.id)
          })
        })
        .immediate()
      n += rows.length
      await new Promise((r) => setImmediate(r))
    }
    if (n) log(`sanitised ${n} stored message bodies in the background`)
    return n
  }
  const done = run().catch((e) => {
    if (!stopped) log(`backfill of sanitised bodies stopped: ${e instanceof Error ? e.message : String(e)}`)
    return 0
  })
  return {
    done,
    async stop() {
      stopped = true
      await done
    },
  }
}
