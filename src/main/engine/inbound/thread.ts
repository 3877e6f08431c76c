// Threading: References, then In-Reply-To, then the message's own Message-ID, looked up in thread_refs
// (per object). Every id a message mentions is registered for its thread, so a child that arrives before its
// parent still gathers the parent later; when one message links two threads they are merged.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

/** "Re: Fwd: AW: hello" → "hello": the thread's subject and the reply prefix check both use it. */
export function baseSubject(subject: string): string {
  let s = subject.trim()
  for (;;) {
    const next = s.replace(/^(re|fwd?|aw|wg|sv|vs|tr|rv|r|antw|odp|ynt)(\[\d+\])?\s*:\s*/i, '').trim()
    if (next === s) return s
    s = next
  }
}

/** The ids that place a message, most specific last: references oldest first, In-Reply-To, own Message-ID. */
export function threadKeys(m: { references: string[]; inReplyTo: string | null; messageId: string | null }): string[] {
  const keys: string[] = []
  for (const r of [...m.references, m.inReplyTo, m.messageId]) {
    const k = r?.trim()
    if (k && k.length <= 998 && !keys.includes(k)) keys.push(k)
  }
  // A hostile References header can hold thousands of ids; the newest ones are the useful ones.
  return keys.length > 100 ? keys.slice(-100) : keys
}

export interface Threader {
  /** The thread this message belongs to, creating or merging threads as needed. Call inside the write. */
  assign(keys: string[], subject: string, now: number, touched: Set<number>): number
}

/**
 * Threading for one stored batch: every id the batch mentions is looked up in one query, and the map is
 * then kept in step with thread_refs (new refs, merges), so a message costs no lookups of its own. Only
 * the batch's writes change thread_refs meanwhile: create it inside the write, use it for that batch.
 */
export function threader(ctx: Ctx, objectId: number, batchKeys: Iterable<string>): Threader {
  const known = new Map<string, number>()
  const all = [...new Set(batchKeys)]
  if (all.length) {
    const rows = stmt(ctx.sqlite, 'SELECT ref, thread_id AS t FROM thread_refs WHERE object_id = ? AND ref IN (SELECT value FROM json_each(?))').all(
      objectId,
      JSON.stringify(all),
    ) as Array<{ ref: string; t: number }>
    for (const r of rows) known.set(r.ref, r.t)
  }
  const put = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO thread_refs (object_id, ref, thread_id) VALUES (?, ?, ?)')
  return {
    assign(keys, subject, now, touched) {
      const found = new Set<number>()
      for (const k of keys) {
        const t = known.get(k)
        if (t !== undefined) found.add(t)
      }
      let threadId: number
      if (found.size === 0) {
        threadId = Number(
          stmt(ctx.sqlite, 'INSERT INTO threads (object_id, subject, created_at) VALUES (?, ?, ?)').run(objectId, baseSubject(subject), now).lastInsertRowid,
        )
      } else {
        const ids = [...found].sort((a, b) => a - b)
        threadId = ids[0]!
        for (const other of ids.slice(1)) {
          mergeThread(ctx, threadId, other, touched)
          for (const [k, t] of known) if (t === other) known.set(k, threadId)
        }
      }
      // Ids already known point at threadId now (merged above); only new ones are registered.
      for (const k of keys) {
        if (known.has(k)) continue
        put.run(objectId, k, threadId)
        known.set(k, threadId)
      }
      touched.add(threadId)
      return threadId
    },
  }
}

function mergeThread(ctx: Ctx, keep: number, gone: number, touched: Set<number>): void {
  stmt(ctx.sqlite, 'UPDATE messages SET thread_id = ? WHERE thread_id = ?').run(keep, gone)
  stmt(ctx.sqlite, 'UPDATE thread_refs SET thread_id = ? WHERE thread_id = ?').run(keep, gone)
  stmt(ctx.sqlite, 'DELETE FROM threads WHERE id = ?').run(gone)
  touched.delete(gone)
  touched.add(keep)
}

/** Recomputes the denormalised counts of these threads; threads left empty are deleted (unless the caller only added). */
export function refreshThreads(ctx: Ctx, threadIds: Iterable<number>, mayEmpty = true): number[] {
  // One pass over the thread's messages for the aggregates (was four correlated subqueries).
  const upd = stmt(
    ctx.sqlite,
    `UPDATE threads SET (message_count, unread_count, has_attachments, last_message_at, inbox_count, away_count) = (
         SELECT count(*), coalesce(sum(m.read = 0 AND m.direction = 'in'), 0), coalesce(max(m.has_attachments = 1), 0), coalesce(max(m.date), 0),
                -- Whether the thread is in the inbox view (0011_triage.sql): mail in INBOX, and mail put away elsewhere.
                coalesce(sum(m.folder = 'INBOX'), 0),
                coalesce(sum(m.folder != 'INBOX' AND (m.direction = 'in'
                  OR coalesce((SELECT f.role FROM sync_folders f WHERE f.mailbox_id = m.mailbox_id AND f.path = m.folder), 'sent') = 'other')), 0)
           FROM messages m WHERE m.thread_id = threads.id),
       latest_message_id = (SELECT m.id FROM messages m WHERE m.thread_id = threads.id ORDER BY m.date DESC, m.id DESC LIMIT 1)
     WHERE id = ?`,
  )
  const del = stmt(ctx.sqlite, 'DELETE FROM threads WHERE id = ? AND message_count = 0')
  const alive: number[] = []
  for (const id of threadIds) {
    upd.run(id)
    if (!mayEmpty || del.run(id).changes === 0) alive.push(id)
  }
  return alive
}
