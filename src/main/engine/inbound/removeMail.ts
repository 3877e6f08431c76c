// Removing stored mail in bulk: a narrowed sync window's older copies, a removed mailbox's or business's mail.
// A chunk of messages per transaction (bodies, attachment rows, FTS rows, contact links; threads recounted and
// emptied ones deleted), the attachment files no one else uses after each commit, and a turn of the event loop
// between chunks: 100,000 messages never hold the engine's thread for more than a chunk.
import type { Ctx } from '../context'
import { stmtPluck } from '../db/stmt'
import { deleteMessageSet, dropUnreferencedFiles } from './storeChanges'
import { refreshThreads } from './thread'
import { yieldToLoop } from './sync/chunks'

/** Messages per transaction: each one blocks the engine's thread for a few ms at most. Tests lower it. */
export const REMOVE = { chunk: 200 }

/**
 * Deletes, chunk by chunk, the messages `pick(after, limit)` returns (ids above `after`, ascending), until it
 * returns none or `isStopped()`. Returns how many went.
 */
export async function removeInChunks(ctx: Ctx, pick: (after: number, limit: number) => number[], isStopped: () => boolean = () => false): Promise<number> {
  let after = 0
  let removed = 0
  while (!isStopped()) {
    const ids = pick(after, REMOVE.chunk)
    if (!ids.length) break
    after = ids[ids.length - 1]!
    removed += removeNow(ctx, ids)
    await yieldToLoop()
  }
  return removed
}

/** One chunk: deleted in one transaction (set statements: deleteMessageSet), then its unused files and `inbox.changed`. */
export function removeNow(ctx: Ctx, ids: number[]): number {
  const d = ctx.sqlite.transaction(() => removeSet(ctx, ids)).immediate()
  return afterRemoval(ctx, d)
}

type Removal = ReturnType<typeof deleteMessageSet>

function removeSet(ctx: Ctx, ids: number[]): Removal {
  const d = deleteMessageSet(ctx, ids)
  refreshThreads(ctx, d.touched)
  return d
}

function afterRemoval(ctx: Ctx, d: Removal): number {
  dropUnreferencedFiles(ctx, new Set(d.hashes))
  const threads = [...d.touched, ...d.emptied]
  if (threads.length) ctx.emit('inbox.changed', { threadIds: threads, newMessages: 0 })
  return d.removed
}

type Owner = { mailboxId: number } | { objectId: number }
const columnOf = (where: Owner): [string, number] => ('mailboxId' in where ? ['mailbox_id', where.mailboxId] : ['object_id', where.objectId])

/** The mail of one mailbox, or of every mailbox of one business, before the row goes (services/mailboxes.ts, objects.ts). */
export function removeMailOf(ctx: Ctx, where: Owner, isStopped?: () => boolean): Promise<number> {
  const [col, id] = columnOf(where)
  const pick = stmtPluck(ctx.sqlite, `SELECT id FROM messages WHERE ${col} = ? AND id > ? ORDER BY id LIMIT ?`)
  return removeInChunks(ctx, (after, limit) => pick.all(id, after, limit) as number[], isStopped)
}

/**
 * The removal's last step, in one transaction with `then` (the row's own delete): whatever mail of theirs is left
 * (a message a stopping sync stored last) goes with the row, never by the foreign key's cascade, which would leave
 * its search rows, attachment files and threads behind.
 */
export function removeLastOf(ctx: Ctx, where: Owner, then: () => void): void {
  const [col, id] = columnOf(where)
  const d = ctx.sqlite
    .transaction(() => {
      const r = removeSet(ctx, stmtPluck(ctx.sqlite, `SELECT id FROM messages WHERE ${col} = ?`).all(id) as number[])
      then()
      return r
    })
    .immediate()
  afterRemoval(ctx, d)
}
