// The long part of an erase, in slices (issue 18 on a 100,000-message store). Merging three FTS indexes into one
// segment each, finding a person's mail among every message (one HMAC per message and salt), and cutting them out
// of thousands of shared messages took 5-7 s in one go on the engine's thread: the window froze, and on a team
// desktop it froze unprompted when a colleague erased someone. Here every step is a short slice with a turn of the
// event loop between, so the app answers throughout.
//
// Nothing is lost to a crash or a quit halfway: a marker row (app_settings 'erase.pending') is written in the same
// transaction as what makes the work due (the local erase's own transaction; the apply of another desktop's erase),
// and removed only when the work is done. An engine that starts with the marker set runs the work again. Every step
// can run twice: a deleted message is gone, a cut address reads "[erased]", a merged index merges no further.
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import { removeNow } from '../inbound/removeMail'
import { yieldToLoop } from '../inbound/sync/chunks'
import { listBackupFiles, removeBackup } from '../backups/files'
import { AppError } from '../../../shared/result'
import {
  allErasedBlocks,
  allErasedKeys,
  clearErasePending,
  eraseSalts,
  erasePending,
  lastMessageId,
  mailOfErasedBlocks,
  messagesWithErasedKeys,
  namesInMail,
  nameWords,
  newBlockScan,
  redactMessages,
} from '../repos/dataRights'

/**
 * Rows scanned, messages deleted or cut, and FTS pages merged per slice: on a 100,000-message store each slice measured
 * 30-70 ms (cutting a person out of a message rewrites its search rows, the costliest step). Tests lower them.
 */
export const ERASE_SLICES = { scanRows: 2000, writeRows: 60, mergePages: 128 }

const FTS_TABLES = ['messages_fts', 'contacts_fts', 'notes_fts'] as const

/** One erase's work at a time per engine: secure_delete is switched for the whole of it. */
const queue = new WeakMap<Ctx, Promise<unknown>>()
export function serially<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const run = (queue.get(ctx) ?? Promise.resolve()).then(fn, fn)
  queue.set(
    ctx,
    run.catch(() => undefined),
  )
  return run
}

/** Resolves when no erase work is running or queued (tests, the engine's close). */
export const eraseWorkIdle = async (ctx: Ctx): Promise<void> => void (await queue.get(ctx))

const stopping = new WeakSet<Ctx>()
const STOPPED = 'The app closed before the erase was finished; it finishes when the app starts again'
/** The engine is closing: the work stops at its next slice (the marker stays, so the next start finishes it). */
export async function stopEraseWork(ctx: Ctx): Promise<void> {
  stopping.add(ctx)
  await eraseWorkIdle(ctx)
}

/** Between slices: the event loop's turn (a window's call, the sync), and the place the work stops when the engine closes. */
async function turn(ctx: Ctx): Promise<void> {
  await yieldToLoop()
  if (stopping.has(ctx)) throw new AppError('UNAVAILABLE', STOPPED)
}

/**
 * The work an erase leaves due, while the marker says so: the mail of erased people found and removed (after an
 * erase on another desktop: every erased key and block, so a restart halfway loses nothing), then the tidy (indexes
 * merged, WAL emptied, snapshots re-taken). Callers hold `serially`.
 */
export async function finishErases(ctx: Ctx): Promise<number> {
  let removed = 0
  for (let round = 0; round < 10; round++) {
    const pending = erasePending(ctx)
    if (!pending) return removed
    await withSecureDelete(ctx, async () => {
      if (pending.rescan) {
        scrubFreePages(ctx)
        removed += await removeErasedMail(ctx)
      }
      await mergeIndexes(ctx)
    })
    if (ctx.backups.runner.running()) await ctx.backups.runner.create('manual').catch(() => undefined)
    await checkpointTruncate(ctx)
    retakeBackups(ctx)
    // Another erase marked while this ran (a changed value): the loop goes round for it.
    if (clearErasePending(ctx, pending.raw)) return removed
  }
  return removed
}

/** Runs whatever erase work is due (engine start, another desktop's erase arriving); logs a failure. */
export function runEraseWork(ctx: Ctx, log: (msg: string) => void): Promise<number> {
  return serially(ctx, () => finishErases(ctx)).catch((e) => {
    if (stopping.has(ctx)) return 0
    log(`[engine] finishing an erase failed (it runs again at the next start): ${e instanceof Error ? e.message : String(e)}`)
    return 0
  })
}

/** Listens for erases that arrive from other desktops of a team workspace, and resumes work a quit left (engine start). */
export function wireErasedMail(ctx: Ctx, log: (msg: string) => void): Array<() => void> {
  void runEraseWork(ctx, log)
  return [ctx.hooks.on('team.erasedMessages', () => void runEraseWork(ctx, log))]
}

/**
 * This desktop's copies of erased people's mail: messages whose salted key was erased (on any desktop) are deleted,
 * and mail that stays but names an erased person (shared with other contacts) has their address and the names the
 * mail gives them cut out, as the erasing desktop did. Found in id slices, changed in small transactions.
 */
async function removeErasedMail(ctx: Ctx): Promise<number> {
  const keys = allErasedKeys(ctx)
  const blocks = allErasedBlocks(ctx)
  const salts = eraseSalts(ctx)
  if ((keys.size === 0 && blocks.length === 0) || salts.length === 0) return 0
  const gone: number[] = []
  const named = newBlockScan()
  const last = lastMessageId(ctx)
  for (let after = 0; after < last; after += ERASE_SLICES.scanRows) {
    const range = { after, upTo: Math.min(last, after + ERASE_SLICES.scanRows) }
    gone.push(...messagesWithErasedKeys(ctx, keys, range, salts))
    mailOfErasedBlocks(ctx, blocks, range, named, salts)
    await turn(ctx)
  }
  const goneSet = new Set(gone)
  const cut = [...named.ids].filter((id) => !goneSet.has(id))
  const addresses = [...named.addresses]
  const names = nameWords(named.names)
  await deleteInSlices(ctx, gone)
  await redactInSlices(ctx, cut, addresses, names)
  return gone.length + cut.length
}

/**
 * Deletes these messages, a slice per transaction (removeNow, as a mailbox's removal does). Each slice's attachment
 * files go with it: a quit between slices leaves no file that nothing could find again.
 */
export async function deleteInSlices(ctx: Ctx, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += ERASE_SLICES.writeRows) {
    removeNow(ctx, ids.slice(i, i + ERASE_SLICES.writeRows))
    await turn(ctx)
  }
}

/** Cuts these addresses and names out of these messages (redactMessages), a slice of messages per transaction. */
export async function redactInSlices(ctx: Ctx, ids: number[], addresses: string[], names: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += ERASE_SLICES.writeRows) {
    const slice = ids.slice(i, i + ERASE_SLICES.writeRows)
    ctx.sqlite.transaction(() => redactMessages(ctx, slice, addresses, names)).immediate()
    const threads = stmtPluck(ctx.sqlite, 'SELECT DISTINCT thread_id FROM messages WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(slice)) as number[]
    if (threads.length) ctx.emit('inbox.changed', { threadIds: threads, newMessages: 0 })
    await turn(ctx)
  }
}

/** The names local mail gives these addresses (namesInMail), read in id slices. */
export async function namesInMailSliced(ctx: Ctx, addresses: string[]): Promise<string[]> {
  const names = new Set<string>()
  const last = lastMessageId(ctx)
  for (let after = 0; after < last; after += ERASE_SLICES.scanRows) {
    for (const n of namesInMail(ctx, addresses, { after, upTo: Math.min(last, after + ERASE_SLICES.scanRows) })) names.add(n)
    await turn(ctx)
  }
  return [...names]
}

/**
 * Deleted rows' tokens stay in FTS5 segments until merged. FTS5's 'merge' with a negative page count merges every
 * segment, as 'optimize' does, but stops after about that many pages: repeated until it does no work (fewer than
 * two changes, as the FTS5 documentation says to test), it ends with one segment per index, a slice at a time.
 * Pages it frees are zeroed (secure_delete, set by the caller).
 */
export async function mergeIndexes(ctx: Ctx): Promise<void> {
  const changes = stmtPluck(ctx.sqlite, 'SELECT total_changes()')
  for (const t of FTS_TABLES) {
    const merge = stmt(ctx.sqlite, `INSERT INTO ${t}(${t}, rank) VALUES ('merge', ?)`)
    for (;;) {
      const before = changes.get() as number
      merge.run(-ERASE_SLICES.mergePages)
      if ((changes.get() as number) - before < 2) break
      await turn(ctx)
    }
  }
}

/** Runs `fn` with secure_delete on (freed cells and pages overwritten with zeros), as it was before after. */
export async function withSecureDelete<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const secure = ctx.sqlite.pragma('secure_delete', { simple: true }) as number
  ctx.sqlite.pragma('secure_delete = ON')
  try {
    return await fn()
  } finally {
    ctx.sqlite.pragma(`secure_delete = ${secure}`)
  }
}

/**
 * Pages freed before this erase (an ordinary delete of an old conversation, say) keep their old bytes on the
 * freelist. One zero-filled blob as large as the freelist takes every free page and writes it; dropped again
 * under secure_delete, the pages go back to the freelist as zeros. Costs one write per free page, no VACUUM.
 */
export function scrubFreePages(ctx: Ctx): void {
  const free = ctx.sqlite.pragma('freelist_count', { simple: true }) as number
  if (free === 0) return
  const size = ctx.sqlite.pragma('page_size', { simple: true }) as number
  ctx.sqlite.transaction(() => {
    ctx.sqlite.exec('CREATE TABLE IF NOT EXISTS temp_erase_scrub (b BLOB)')
    ctx.sqlite.prepare('INSERT INTO temp_erase_scrub (b) VALUES (zeroblob(?))').run(free * size)
    ctx.sqlite.exec('DROP TABLE temp_erase_scrub')
  })()
}

/**
 * Earlier snapshots go at once and a fresh one is taken on the backup thread (see services/dataRights.ts for why);
 * the erase does not wait for the copy. A copy already in progress may hold the person: it is waited for on that
 * thread and removed like the others.
 */
function retakeBackups(ctx: Ctx): void {
  const runner = ctx.backups.runner
  const old = listBackupFiles(ctx.info.dataDir)
  if (old.length === 0 && !runner.running()) return
  for (const b of old) removeBackup(b)
  const fresh = async () => {
    if (runner.running()) {
      const stale = await runner.create('manual').catch(() => null)
      if (stale) removeBackup(stale)
    }
    await runner.create('manual')
  }
  fresh().catch(() => undefined) // a failed copy shows in the backups screen (runner.lastError)
}

/** Copies the WAL's pages into the database and empties it; a reader still on an old snapshot is waited for. */
async function checkpointTruncate(ctx: Ctx): Promise<void> {
  // A short busy wait per try (the usual 5 s would stall the engine's thread), and the waiting between tries async.
  const busyMs = ctx.sqlite.pragma('busy_timeout', { simple: true }) as number
  try {
    ctx.sqlite.pragma('busy_timeout = 50')
    for (let i = 0; i < 100; i++) {
      const r = ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
      if (!r[0]?.busy) return
      await new Promise((res) => setTimeout(res, 50))
    }
  } finally {
    ctx.sqlite.pragma(`busy_timeout = ${busyMs}`)
  }
  throw new AppError('UNAVAILABLE', 'The erase is done, but the database is busy and could not be tidied; try again in a moment')
}
