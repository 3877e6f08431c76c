// Inbox triage in the local store: moves and stars show at once and are queued for the sync worker
// (pending_moves, pending_flag_ops), exactly as \Seen is (storeChanges.ts). The worker's side is sync/push.ts.
//
// A moved message keeps its row (thread, read state, contact links): it takes the target folder's path at
// once, with a placeholder identity (uidvalidity 0, uid -id, stale) until the server's COPYUID gives it the
// real one. Without UIDPLUS the next sync of the target folder recognises it by Message-ID (reviveStale).
import type { FolderRole, MoveTarget } from '../../../shared/inbox'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { DEFAULT_FOLDER, ensureFolderRow, folderById, folderForRole } from '../repos/folders'
import { deleteMessages } from './storeChanges'
import { refreshThreads } from './thread'

interface MsgRow {
  id: number
  mailboxId: number | null
  folder: string
  uidvalidity: string
  uid: number
  threadId: number
  direction: string
}

/** Message ids of these conversations, less our own copies in Sent (they stay where they are). */
export function messagesOfThreads(ctx: Ctx, threadIds: number[]): number[] {
  return (
    stmt(
      ctx.sqlite,
      `SELECT m.id FROM messages m WHERE m.thread_id IN (SELECT value FROM json_each(?))
         AND NOT (m.direction = 'out' AND coalesce((SELECT f.role FROM sync_folders f WHERE f.mailbox_id = m.mailbox_id AND f.path = m.folder), 'sent') = 'sent')`,
    ).all(JSON.stringify(threadIds)) as Array<{ id: number }>
  ).map((r) => r.id)
}

export function idsOf(ctx: Ctx, input: { ids?: number[]; threadIds?: number[] }): number[] {
  if (!input.ids && !input.threadIds) throw new AppError('VALIDATION', 'Say which messages (ids) or conversations (threadIds)', 'ids')
  return [...new Set([...(input.ids ?? []), ...(input.threadIds ? messagesOfThreads(ctx, input.threadIds) : [])])]
}

/**
 * Moves messages locally at once and queues the move for the server. Trash on mail already in Trash deletes
 * it for good (queued as an expunge). Runs inside the caller's transaction.
 */
export function queueMove(ctx: Ctx, ids: number[], to: MoveTarget): { changed: number; threadIds: number[] } {
  const now = ctx.clock.now()
  const touched = new Set<number>()
  const get = stmt(ctx.sqlite, 'SELECT id, mailbox_id AS mailboxId, folder, uidvalidity, uid, thread_id AS threadId, direction FROM messages WHERE id = ?')
  const pending = stmt(
    ctx.sqlite,
    "SELECT id, from_folder AS fromFolder, from_uidvalidity AS fromUv, from_uid AS fromUid FROM pending_moves WHERE message_id = ? AND to_role != 'expunge'",
  )
  const addOp = stmt(
    ctx.sqlite,
    'INSERT INTO pending_moves (message_id, mailbox_id, from_folder, from_uidvalidity, from_uid, to_role, to_folder, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const retarget = stmt(ctx.sqlite, 'UPDATE pending_moves SET to_role = ?, to_folder = ?, created_at = ? WHERE id = ?')
  const dropOp = stmt(ctx.sqlite, 'DELETE FROM pending_moves WHERE id = ?')
  const place = stmt(ctx.sqlite, "UPDATE messages SET folder = ?, uidvalidity = '0', uid = ?, stale = 1 WHERE id = ?")
  const restore = stmt(ctx.sqlite, 'UPDATE messages SET folder = ?, uidvalidity = ?, uid = ?, stale = 0 WHERE id = ?')
  const target = typeof to === 'string' ? null : folderById(ctx, to.folderId)
  // One lookup (and one folder row) per mailbox, not per message: a triage of 500 conversations stays one short transaction.
  const paths = new Map<number, string>()
  const pathFor = (mailboxId: number, role: FolderRole): string => {
    let path = paths.get(mailboxId)
    if (path === undefined) {
      const existing = role === 'other' ? null : folderForRole(ctx, mailboxId, role) ?? (role === 'archive' ? folderForRole(ctx, mailboxId, 'all') : null)
      path = target?.path ?? existing?.path ?? DEFAULT_FOLDER[to as keyof typeof DEFAULT_FOLDER]
      if (!target) ensureFolderRow(ctx, mailboxId, path, role)
      paths.set(mailboxId, path)
    }
    return path
  }
  const gone: number[] = []
  let changed = 0
  for (const id of ids) {
    const m = get.get(id) as MsgRow | undefined
    if (!m) throw new AppError('NOT_FOUND', `Message ${id} does not exist`, 'ids')
    if (m.mailboxId === null) continue
    if (target && target.mailboxId !== m.mailboxId) throw new AppError('VALIDATION', 'That folder belongs to another mailbox', 'to')
    const role: FolderRole = target ? 'other' : (to as FolderRole)
    const path = pathFor(m.mailboxId, role)
    const op = pending.get(m.id) as { id: number; fromFolder: string; fromUv: string; fromUid: number } | undefined
    if (m.folder === path) {
      if (role !== 'trash') continue
      // Delete for good: the row goes now, the server copy at the next connection.
      if (op) retarget.run('expunge', null, now, op.id)
      else addOp.run(m.id, m.mailboxId, m.folder, m.uidvalidity, m.uid, 'expunge', null, now)
      gone.push(m.id)
      changed++
      continue
    }
    if (op && op.fromFolder === path) {
      // Moved back before the first move reached the server: nothing to do there, and the row takes back
      // the identity the server still has for it.
      dropOp.run(op.id)
      restore.run(path, op.fromUv, op.fromUid, m.id)
    } else {
      // Moved again before the first move reached the server: one move from where it really is.
      if (op) retarget.run(target ? 'folder' : role, path, now, op.id)
      else addOp.run(m.id, m.mailboxId, m.folder, m.uidvalidity, m.uid, target ? 'folder' : role, path, now)
      place.run(path, -m.id, m.id)
    }
    touched.add(m.threadId)
    changed++
  }
  // A move changes no thread aggregate (count, unread, latest): the triggers keep the inbox counts. Only a
  // delete for good needs its threads recomputed (and emptied ones dropped).
  if (gone.length) {
    const emptied = new Set<number>()
    deleteMessages(ctx, gone, emptied)
    refreshThreads(ctx, emptied)
    for (const t of emptied) touched.add(t)
  }
  return { changed, threadIds: [...touched] }
}

/** Star / unstar: local at once, \Flagged queued for the server (replacing an older op for the message). */
export function queueFlag(ctx: Ctx, ids: number[], flagged: boolean): { changed: number; threadIds: number[] } {
  const touched = new Set<number>()
  let changed = 0
  const upd = stmt(ctx.sqlite, 'UPDATE messages SET flagged = ? WHERE id = ? AND flagged != ? RETURNING thread_id AS t')
  const op = stmt(ctx.sqlite, "INSERT OR REPLACE INTO pending_flag_ops (message_id, flag, value, created_at) VALUES (?, '\\Flagged', ?, ?)")
  const exists = stmt(ctx.sqlite, 'SELECT 1 FROM messages WHERE id = ?')
  for (const id of ids) {
    const r = upd.get(flagged ? 1 : 0, id, flagged ? 1 : 0) as { t: number } | undefined
    if (!r) {
      if (!exists.get(id)) throw new AppError('NOT_FOUND', `Message ${id} does not exist`, 'ids')
      continue
    }
    changed++
    touched.add(r.t)
    op.run(id, flagged ? 1 : 0, ctx.clock.now())
  }
  return { changed, threadIds: [...touched] }
}
