// Changes to copies already stored: flags from the server, \Seen from the app (queued for the server),
// copies gone from the server, and uidvalidity resets. Each runs in one transaction and emits
// `inbox.changed` after commit. (New copies come in through store.ts.)
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import { removeAttachment } from './attachmentFiles'
import { refreshThreads } from './thread'
import type { FlagUpdate, FolderRef, PendingFlagOp } from './types'

/** Deletes these messages with their FTS rows; their threads go into `touched`, their attachment hashes into `hashes`. */
export function deleteMessages(ctx: Ctx, ids: number[], touched: Set<number>, hashes?: Set<string>): number {
  const thread = stmt(ctx.sqlite, 'SELECT thread_id AS t FROM messages WHERE id = ?')
  const shas = stmtPluck(ctx.sqlite, 'SELECT sha256 FROM attachments WHERE message_id = ?')
  const fts = stmt(ctx.sqlite, 'DELETE FROM messages_fts WHERE rowid = ?')
  const del = stmt(ctx.sqlite, 'DELETE FROM messages WHERE id = ?')
  let n = 0
  for (const id of ids) {
    const t = thread.get(id) as { t: number } | undefined
    if (!t) continue
    touched.add(t.t)
    if (hashes) for (const h of shas.all(id) as string[]) hashes.add(h)
    fts.run(id)
    n += del.run(id).changes
  }
  return n
}

/**
 * Deletes these messages and their FTS rows in a few set statements (the sync's deleteMessages goes row by row,
 * which is right for a handful and four times slower for a contact's ten thousand). Threads left empty go too.
 * Returns how many went, the threads that still have mail (to refresh) and the attachment hashes the messages used.
 */
export function deleteMessageSet(ctx: Ctx, ids: number[]): { removed: number; touched: number[]; emptied: number[]; hashes: string[] } {
  if (ids.length === 0) return { removed: 0, touched: [], emptied: [], hashes: [] }
  const list = JSON.stringify(ids)
  const threads = stmtPluck(ctx.sqlite, 'SELECT DISTINCT thread_id FROM messages WHERE id IN (SELECT value FROM json_each(?))').all(list) as number[]
  const hashes = stmtPluck(ctx.sqlite, 'SELECT DISTINCT sha256 FROM attachments WHERE message_id IN (SELECT value FROM json_each(?))').all(list) as string[]
  stmt(ctx.sqlite, 'DELETE FROM messages_fts WHERE rowid IN (SELECT value FROM json_each(?))').run(list)
  const removed = stmt(ctx.sqlite, 'DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))').run(list).changes
  const emptied = stmtPluck(
    ctx.sqlite,
    'DELETE FROM threads WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = threads.id) RETURNING id',
  )
    .all(JSON.stringify(threads)) as number[]
  const gone = new Set(emptied)
  return { removed, touched: threads.filter((t) => !gone.has(t)), emptied, hashes }
}

/**
 * The frame of every change below: `change` runs in one immediate transaction and the threads it touched are
 * recounted before commit (`mayEmpty`: deleting any left empty); after commit the attachment files it left
 * unreferenced go, then `inbox.changed` is emitted.
 */
function changeStored<T>(ctx: Ctx, mayEmpty: boolean, change: (touched: Set<number>, hashes: Set<string>) => T): T {
  const touched = new Set<number>()
  const hashes = new Set<string>()
  const result = ctx.sqlite
    .transaction(() => {
      const r = change(touched, hashes)
      refreshThreads(ctx, touched, mayEmpty)
      return r
    })
    .immediate()
  if (hashes.size) dropUnreferencedFiles(ctx, hashes)
  if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages: 0 })
  return result
}

export function applyFlags(ctx: Ctx, ref: FolderRef, updates: FlagUpdate[]): number {
  const uv = ref.uidValidity.toString()
  return changeStored(ctx, false, (touched) => {
    const find = stmt(
      ctx.sqlite,
      `SELECT m.id, m.thread_id AS threadId, m.read, m.flagged,
         EXISTS (SELECT 1 FROM pending_flag_ops p WHERE p.message_id = m.id AND p.flag = '\\Seen') AS pending,
         EXISTS (SELECT 1 FROM pending_flag_ops p WHERE p.message_id = m.id AND p.flag = '\\Flagged') AS pendingStar
       FROM messages m WHERE m.mailbox_id = ? AND m.folder = ? AND m.uidvalidity = ? AND m.uid = ?`,
    )
    const upd = stmt(ctx.sqlite, 'UPDATE messages SET read = ?, flagged = ?, modseq = coalesce(?, modseq) WHERE id = ?')
    let changed = 0
    for (const u of updates) {
      const r = find.get(ref.mailboxId, ref.folder, uv, u.uid) as
        | { id: number; threadId: number; read: number; flagged: number; pending: number; pendingStar: number }
        | undefined
      if (!r) continue
      // A local change not yet pushed is newer than what the server reports.
      const read = r.pending ? r.read : u.flags.includes('\\Seen') ? 1 : 0
      const flagged = r.pendingStar ? r.flagged : u.flags.includes('\\Flagged') ? 1 : 0
      upd.run(read, flagged, u.modseq?.toString() ?? null, r.id)
      if (read !== r.read || flagged !== r.flagged) {
        changed++
        touched.add(r.threadId)
      }
    }
    return changed
  })
}

export function removeMissing(ctx: Ctx, ref: FolderRef, present: number[] | { below: number; present: number[] }): number {
  const uv = ref.uidValidity.toString()
  const full = Array.isArray(present)
  const uids = JSON.stringify(full ? present : present.present)
  const below = full ? Number.MAX_SAFE_INTEGER : present.below
  return changeStored(ctx, true, (touched, hashes) => {
    const gone = stmt(
      ctx.sqlite,
      `SELECT id FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity = ? AND uid < ?
         AND uid NOT IN (SELECT value FROM json_each(?))`,
    ).all(ref.mailboxId, ref.folder, uv, below, uids) as Array<{ id: number }>
    // After a full listing, stale copies that did not come back are gone from the server.
    // (A copy moved here in the app and not yet moved on the server is not one of them.)
    const stale = full
      ? (stmt(
          ctx.sqlite,
          'SELECT id FROM messages WHERE mailbox_id = ? AND folder = ? AND stale = 1 AND NOT EXISTS (SELECT 1 FROM pending_moves p WHERE p.message_id = messages.id)',
        ).all(ref.mailboxId, ref.folder) as Array<{ id: number }>)
      : []
    return deleteMessages(ctx, [...gone, ...stale].map((r) => r.id), touched, hashes)
  })
}

/** After the rows are gone: files no attachment row points at any more. Only ever called after commit. */
export function dropUnreferencedFiles(ctx: Ctx, hashes: Set<string>): void {
  if (ctx.sqlite.inTransaction) return // the caller's transaction may still roll back; a stray file is harmless
  // Outgoing mail shares the store (a forward keeps the original's file after the original is gone).
  const used = stmt(ctx.sqlite, 'SELECT 1 FROM attachments WHERE sha256 = ? UNION ALL SELECT 1 FROM mail_attachments WHERE sha256 = ? LIMIT 1')
  for (const h of hashes) if (!used.get(h, h)) removeAttachment(ctx.info.dataDir, h)
}

export function resetFolder(ctx: Ctx, ref: FolderRef): void {
  const uv = ref.uidValidity.toString()
  changeStored(ctx, true, (touched) => {
    stmt(ctx.sqlite, 'UPDATE messages SET stale = 1 WHERE mailbox_id = ? AND folder = ? AND uidvalidity != ? AND message_id IS NOT NULL').run(
      ref.mailboxId,
      ref.folder,
      uv,
    )
    // Without a Message-ID a copy cannot be recognised when it comes back: drop it now, it will be re-fetched.
    const anon = stmt(ctx.sqlite, 'SELECT id FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity != ? AND message_id IS NULL').all(
      ref.mailboxId,
      ref.folder,
      uv,
    ) as Array<{ id: number }>
    deleteMessages(ctx, anon.map((r) => r.id), touched)
  })
}

// CROSS JOIN: from the (usually empty) queue to its messages. Left to the planner, it walked every message
// of the mailbox looking for queued ops: 285 ms at 100,000 messages, at the start of every sync pass.
export const PENDING_FLAG_OPS_SQL = `SELECT p.id, m.mailbox_id AS mailboxId, m.folder, m.uid, m.uidvalidity, p.flag, p.value FROM pending_flag_ops p
       CROSS JOIN messages m ON m.id = p.message_id WHERE m.mailbox_id = ? AND m.stale = 0 ORDER BY p.id`

export function pendingFlagOps(ctx: Ctx, mailboxId: number): PendingFlagOp[] {
  const rows = stmt(ctx.sqlite, PENDING_FLAG_OPS_SQL).all(mailboxId) as Array<{ id: number; mailboxId: number; folder: string; uid: number; uidvalidity: string; flag: PendingFlagOp['flag']; value: number }>
  return rows.map((r) => ({ id: r.id, mailboxId: r.mailboxId, folder: r.folder, uid: r.uid, uidValidity: BigInt(r.uidvalidity), flag: r.flag, set: r.value === 1 }))
}

export function ackFlagOps(ctx: Ctx, ids: number[]): void {
  if (ids.length === 0) return
  stmt(ctx.sqlite, 'DELETE FROM pending_flag_ops WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids))
}

/** The app changed \Seen: local at once, and queued for the sync worker (replacing an older op for the message). */
export function queueSeen(ctx: Ctx, messageIds: number[], read: boolean): { changed: number; threadIds: number[] } {
  const touched = new Set<number>()
  let changed = 0
  const now = ctx.clock.now()
  const upd = stmt(ctx.sqlite, 'UPDATE messages SET read = ? WHERE id = ? AND read != ? RETURNING thread_id AS t')
  // REPLACE gives the op a new id, so an ack of the op the worker pushed earlier cannot drop this newer one.
  const op = stmt(ctx.sqlite, "INSERT OR REPLACE INTO pending_flag_ops (message_id, flag, value, created_at) VALUES (?, '\\Seen', ?, ?)")
  for (const id of messageIds) {
    const r = upd.get(read ? 1 : 0, id, read ? 1 : 0) as { t: number } | undefined
    if (!r) continue
    changed++
    touched.add(r.t)
    op.run(id, read ? 1 : 0, now)
  }
  refreshThreads(ctx, touched, false)
  return { changed, threadIds: [...touched] }
}
