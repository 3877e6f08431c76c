// Runs one MailboxWorker per mailbox that has IMAP settings and is not paused, shares one parse pool
// between them, restarts a worker when its mailbox's settings change, and answers sync.status.
import { availableParallelism } from 'node:os'
import type { SyncStatus } from '../../../../shared/inbox'
import { iso } from '../../clock'
import type { Ctx } from '../../context'
import type { CheckpointHost } from '../../db/checkpointer'
import { stmt, stmtPluck } from '../../db/stmt'
import { preparedForRead, startBackfill } from './backfill'
import type { PreparedBody } from '../prepare'
import { createParsePool, type ParsePool } from './pool'
import { getMailboxSync, loadImapConfig, mailboxIds } from './state'
import type { StoreApi } from './storeApi'
import { MailboxWorker, type WorkerOptions } from './worker'
import { narrowWindow, windowMonths, windowSince } from './window'

/** The window's start must have moved on by this much before older copies are pruned (daily, not per pass). */
const SLIDE_MIN_MS = 86_400_000

export interface SyncOptions extends Partial<Omit<WorkerOptions, 'log'>> {
  /** Parse threads (default: one per core beyond the first, at most 2; one on a two-core machine). */
  parseThreads?: number
  /** The parse threads run the WAL checkpoints while they live (db/checkpointer.ts). */
  checkpoint?: CheckpointHost
  log?: (msg: string) => void
}

export interface SyncManager {
  start(): void
  /** Mailbox created, updated or deleted: start, restart or stop its worker as needed. */
  settingsChanged(mailboxId: number): void
  /** "Sync now". Resolves when the pass is over (handlers do not wait for it). */
  syncNow(mailboxId: number): Promise<void>
  /** Local \Seen changes are waiting for this mailbox (or every mailbox). */
  nudgeFlags(mailboxId?: number): void
  status(mailboxId: number): SyncStatus | null
  statusAll(): SyncStatus[]
  close(): Promise<void>
  /** messages.get of a body stored before migration 0010: sanitised in a parse thread, not stored. */
  preparedForRead(messageId: number): Promise<PreparedBody | undefined>
  /** The background pass over bodies stored before migration 0010 (resolves with how many it prepared). */
  backfillDone(): Promise<number>
  /** Resolves when the window changes seen so far are applied locally (narrowing done). */
  windowDone(): Promise<void>
  /** Mail changed (every inbox.changed, at once): the unread counts are read again when next asked for. */
  unreadChanged(): void
  /**
   * These mailboxes are being removed: their workers stop (their connections closed) and stay stopped while `fn`
   * runs; then each is looked at again (gone with its row, or back if the removal stopped short).
   */
  hold<T>(mailboxIds: number[], fn: (isStopped: () => boolean) => Promise<T>): Promise<T>
}

export function createSyncManager(ctx: Ctx, store: StoreApi, o: SyncOptions = {}): SyncManager {
  const log = o.log ?? (() => {})
  const opts: WorkerOptions = {
    pollMs: o.pollMs ?? 60_000,
    idle: o.idle ?? true,
    insecureTls: o.insecureTls ?? false,
    batchSize: o.batchSize ?? 200,
    flagWindow: o.flagWindow ?? 500,
    flagChunk: o.flagChunk ?? 2000,
    inboxPollMs: o.inboxPollMs ?? 15_000,
    useCondstore: o.useCondstore ?? true,
    backoffBaseMs: o.backoffBaseMs ?? 1_000,
    backoffMaxMs: o.backoffMaxMs ?? 5 * 60_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 15_000,
    deferHtmlFrom: o.deferHtmlFrom,
    log,
  }
  let pool: ParsePool | null = null
  // The main thread (fetch, store, the UI's reads) is the busiest: on two cores a second parse thread only
  // takes CPU from it (measured: the initial sync is no faster and costs ~0.5 s more CPU per 10k messages).
  const threads = o.parseThreads ?? Math.max(1, Math.min(2, availableParallelism() - 1))
  const getPool = () => (pool ??= createParsePool({ size: threads, dataDir: ctx.info.dataDir, checkpoint: o.checkpoint }))
  let backfill: (ReturnType<typeof startBackfill> & { over?: boolean }) | null = null
  /** Starts the background pass unless one is running (it ends when no unprepared body is left). */
  const kickBackfill = () => {
    if (closed || (backfill && !backfill.over)) return
    const b: ReturnType<typeof startBackfill> & { over?: boolean } = startBackfill(ctx, getPool, log)
    void b.done.then(() => (b.over = true))
    backfill = b
  }
  const workers = new Map<number, MailboxWorker>()
  /** Each mailbox's sync window as last seen (months, null = all): a change narrows or widens it. */
  const windows = new Map<number, number | null>()
  let narrowing: Promise<unknown> = Promise.resolve()
  for (const m of mailboxIds(ctx)) windows.set(m.id, windowMonths(ctx, m.id))
  const stopping = new Set<Promise<void>>()
  let closed = false

  const emit = (w: MailboxWorker) => {
    const s = status(w.mailboxId)
    if (s) ctx.emit('sync.status', s)
    // A pass is over: bodies a big first sync left unsanitised are prepared in the background now.
    if (w.status.state === 'idle') {
      kickBackfill()
      slide(w.mailboxId)
    }
  }

  /**
   * "The last N months" moves with the calendar: once the window's start has moved on by a day, the copies
   * that fell out of it are removed as an explicit narrowing removes them (local copies only, at most daily).
   */
  function slide(mailboxId: number): void {
    const since = windowSince(ctx, mailboxId)
    if (since === null || closed) return
    const kept = stmtPluck(ctx.sqlite, 'SELECT min(window_since) FROM sync_folders WHERE mailbox_id = ?').get(mailboxId) as number | null
    if (kept === null || since - kept < SLIDE_MIN_MS) return
    narrowing = narrowing
      .then(() => (closed ? 0 : narrowWindow(ctx, mailboxId, since, () => closed)))
      .then((n) => {
        if (n) log(`sync ${mailboxId}: the window moved on, ${n} older local copies removed`)
        if (n) ctx.emit('objects.changed', {})
      })
      .catch((e) => log(`sync ${mailboxId}: moving the window failed: ${e instanceof Error ? e.message : String(e)}`))
  }

  /** Mailboxes being removed (hold), with how many holds each: no worker runs for them meanwhile. */
  const held = new Map<number, number>()

  function ensure(mailboxId: number): void {
    if (closed || held.has(mailboxId)) return
    const cfg = loadImapConfig(ctx, mailboxId)
    const current = workers.get(mailboxId)
    if (current && current.key === (cfg?.key ?? null) && cfg) return
    if (current) {
      workers.delete(mailboxId)
      const p = current.stop().finally(() => stopping.delete(p))
      stopping.add(p)
      if (!cfg) {
        emitDisabled(mailboxId)
        return
      }
      // The new worker starts once the old connection is closed (never two sessions per mailbox).
      void p.then(() => !closed && !workers.has(mailboxId) && launch(mailboxId))
      return
    }
    if (cfg) launch(mailboxId)
  }

  /**
   * The window changed: a narrower one drops the older local copies (one narrowing at a time, in small
   * transactions); any change sends the worker through a pass, which fetches what a wider one adds.
   */
  function windowChanged(mailboxId: number): void {
    const exists = stmt(ctx.sqlite, 'SELECT 1 FROM mailboxes WHERE id = ?').get(mailboxId)
    const known = windows.has(mailboxId)
    const before = windows.get(mailboxId) ?? null
    if (!exists) return void windows.delete(mailboxId)
    const months = windowMonths(ctx, mailboxId)
    windows.set(mailboxId, months)
    if (!known || months === before) return
    const since = windowSince(ctx, mailboxId)
    const narrower = months !== null && (before === null || months < before)
    narrowing = narrowing
      .then(() => (narrower && since !== null && !closed ? narrowWindow(ctx, mailboxId, since, () => closed) : 0))
      .then((n) => {
        if (n) log(`sync ${mailboxId}: window narrowed to ${months} months, ${n} older local copies removed`)
        const w = workers.get(mailboxId)
        if (w && !closed) void w.syncNow()
        const s = status(mailboxId)
        if (s) ctx.emit('sync.status', s)
        ctx.emit('objects.changed', {})
      })
      .catch((e) => log(`sync ${mailboxId}: changing the window failed: ${e instanceof Error ? e.message : String(e)}`))
  }

  function launch(mailboxId: number): void {
    const p = getPool()
    p.warm()
    const w = new MailboxWorker(ctx, mailboxId, p, store, opts, emit)
    workers.set(mailboxId, w)
    w.start()
  }

  function emitDisabled(mailboxId: number): void {
    const s = status(mailboxId)
    if (s) ctx.emit('sync.status', s)
  }

  /**
   * Unread counts per mailbox, dropped on every inbox.changed (unreadChanged): a pass that changed nothing
   * (the no-change resync, a status event) costs no count, however big the mailbox.
   */
  const unread = new Map<number, number>()
  const unreadOf = (mailboxId: number): number => {
    let n = unread.get(mailboxId)
    if (n === undefined) unread.set(mailboxId, (n = unreadCount(ctx, mailboxId)))
    return n
  }

  function status(mailboxId: number): SyncStatus | null {
    const mb = stmt(ctx.sqlite, 'SELECT id, object_id AS objectId, email FROM mailboxes WHERE id = ?').get(mailboxId) as
      | { id: number; objectId: number; email: string }
      | undefined
    if (!mb) return null
    const w = workers.get(mailboxId)
    const saved = getMailboxSync(ctx, mailboxId)
    const hasImap = loadImapConfig(ctx, mailboxId) !== null
    const st = w?.status
    return {
      mailboxId,
      objectId: mb.objectId,
      email: mb.email,
      state: !hasImap ? 'disabled' : (st?.state ?? (saved?.state as SyncStatus['state']) ?? 'connecting'),
      progress: st?.progress ?? null,
      lastSyncAt: (st?.lastSyncAt ?? saved?.lastSyncAt) != null ? iso((st?.lastSyncAt ?? saved?.lastSyncAt) as number) : null,
      error: hasImap ? (st?.error ?? saved?.error ?? null) : null,
      unread: unreadOf(mailboxId),
    }
  }

  return {
    start() {
      for (const m of mailboxIds(ctx)) ensure(m.id)
      kickBackfill()
    },
    preparedForRead: (messageId) => preparedForRead(ctx, closed ? null : getPool(), messageId),
    backfillDone: () => backfill?.done ?? Promise.resolve(0),
    settingsChanged(mailboxId) {
      // After the handler's transaction: the worker reads the committed row.
      setImmediate(() => {
        // A change that lands while the engine closes: its database may be closed by now.
        if (closed) return
        ensure(mailboxId)
        windowChanged(mailboxId)
      })
    },
    async syncNow(mailboxId) {
      const w = workers.get(mailboxId)
      if (w) await w.syncNow()
    },
    nudgeFlags(mailboxId) {
      // Called on every inbox.changed (the sync's own stores included): one cheap look before any per-mailbox query.
      if (!(stmt(ctx.sqlite, 'SELECT EXISTS (SELECT 1 FROM pending_flag_ops) OR EXISTS (SELECT 1 FROM pending_moves) AS x').get() as { x: number }).x) return
      for (const w of workers.values()) if (mailboxId === undefined || w.mailboxId === mailboxId) w.nudge()
    },
    status,
    statusAll: () => mailboxIds(ctx).map((m) => status(m.id)).filter((s): s is SyncStatus => s !== null),
    windowDone: () => narrowing.then(() => undefined),
    async hold(mailboxIds, fn) {
      for (const id of mailboxIds) held.set(id, (held.get(id) ?? 0) + 1)
      try {
        await Promise.all(
          mailboxIds.map((id) => {
            const w = workers.get(id)
            workers.delete(id)
            return w?.stop()
          }),
        )
        return await fn(() => closed)
      } finally {
        for (const id of mailboxIds) {
          const n = (held.get(id) ?? 1) - 1
          if (n > 0) held.set(id, n)
          else held.delete(id)
        }
        if (!closed) for (const id of mailboxIds) ensure(id)
      }
    },
    unreadChanged: () => unread.clear(),
    async close() {
      closed = true
      await narrowing
      await backfill?.stop()
      const all = [...workers.values()]
      workers.clear()
      await Promise.all([...all.map((w) => w.stop()), ...stopping])
      await pool?.close()
    },
  }
}

// The partial index holds exactly these rows (migration 0024): counting reads no message row.
export const UNREAD_SQL =
  "SELECT COUNT(*) AS n FROM messages INDEXED BY messages_inbox_unread_idx WHERE mailbox_id = ? AND direction = 'in' AND read = 0 AND folder = 'INBOX'"

/** Unread inbound mail in a mailbox's INBOX (not Junk, Trash or Archive), from the store's tables (0 until they exist). */
function unreadCount(ctx: Ctx, mailboxId: number): number {
  try {
    const r = stmt(ctx.sqlite, UNREAD_SQL).get(mailboxId) as { n: number }
    return r.n
  } catch {
    return 0
  }
}
