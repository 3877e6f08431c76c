// WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside whichever commit
// pushes the WAL past its limit, so every few hundred scheduler turns or sync batches one of them stalled
// the engine's thread for tens of milliseconds while 32 MB went to the database file. A second connection
// on a worker thread copies the WAL back (PASSIVE: it never blocks a writer) on a short timer; the main
// connection keeps a far larger automatic limit only as a backstop, should this thread ever fall behind.
//
// A thread is a whole V8 isolate, about 10 MB resident for one PRAGMA every 250 ms. While a parse thread
// runs (pool.ts), it runs the same loop beside its parsing and this thread stops; it starts again when no
// parse thread is left (issue 23: the engine's process within 250 MB through a 100,000-message first sync).
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Sqlite } from './open'

/** The main connection's fallback limit, in pages (4 KiB each): only reached if the worker stops. */
export const BACKSTOP_PAGES = 64_000

export interface Checkpointer {
  /** For a parse pool: its threads take over the checkpoints while they run. */
  host: CheckpointHost
  /** Whether this module's own thread is running now (the hand-off's tests read it). */
  ownThread(): boolean
  close(): Promise<void>
}

/** What a parse pool needs to run the checkpoints in its threads (PoolOptions.checkpoint). */
export interface CheckpointHost {
  file: string
  everyMs: number
  /** A thread of the pool started (+1) or stopped (-1) checkpointing. */
  changed(delta: 1 | -1): void
  /** A checkpoint in a pool's thread failed. */
  failed(message: string): void
}

// Plain CommonJS evaluated in the worker, so it needs no build entry of its own: only the driver path.
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
db.pragma('busy_timeout = 1000')
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
const timer = setInterval(() => {
  try { checkpoint.get() } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }) }
}, workerData.everyMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.postMessage({ closed: true })
})
`

export function startCheckpointer(sqlite: Sqlite, opts: { everyMs?: number; restartMs?: number; log?: (m: string) => void } = {}): Checkpointer {
  const log = opts.log ?? (() => {})
  const everyMs = opts.everyMs ?? 250
  // A parse thread killed over a hostile message is replaced at once, and the engine's close stops the pools
  // first: this thread starts again only once no parse thread has checkpointed for a moment (the main
  // connection's backstop covers the gap).
  const restartMs = opts.restartMs ?? 1000
  let restart: ReturnType<typeof setTimeout> | null = null
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
  // The bundle and tsx have CommonJS `require`; vitest's ESM transform does not, and runs at the repo root.
  const req = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'))
  const driver = req.resolve('better-sqlite3')
  let worker: Worker | null = null
  let failed = false
  let closed = false
  /** Parse threads checkpointing now: while there is one, this module's thread is not needed. */
  let hosted = 0

  function start(): void {
    const w = new Worker(SCRIPT, { eval: true, workerData: { driver, file: sqlite.name, everyMs } })
    worker = w
    w.unref()
    w.on('message', (m: { error?: string }) => m.error && log(`[db] background checkpoint failed: ${m.error}`))
    w.on('error', (err) => {
      if (worker !== w) return
      worker = null
      // Without the thread, the connection checkpoints inline again, as SQLite does by default.
      failed = true
      log(`[db] checkpoint thread stopped: ${err.message}`)
      if (hosted === 0) sqlite.pragma('wal_autocheckpoint = 8000')
    })
  }

  function stop(): Promise<void> {
    const w = worker
    worker = null
    if (!w) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const done = () => void w.terminate().finally(resolve)
      w.once('message', done)
      w.once('exit', () => resolve())
      w.postMessage('close')
      setTimeout(done, 2000).unref()
    })
  }

  start()
  return {
    host: {
      file: sqlite.name,
      everyMs,
      failed: (message) => log(`[db] background checkpoint failed: ${message}`),
      changed(delta) {
        hosted = Math.max(0, hosted + delta)
        if (closed) return
        if (restart) clearTimeout(restart)
        restart = null
        if (hosted > 0) {
          void stop()
          // A parse thread checkpoints now: the backstop is enough again, even after this thread failed.
          sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
        } else if (failed) sqlite.pragma('wal_autocheckpoint = 8000')
        else if (!worker) {
          restart = setTimeout(() => {
            restart = null
            if (!closed && hosted === 0 && !worker) start()
          }, restartMs)
          restart.unref()
        }
      },
    },
    ownThread: () => worker !== null,
    close: () => {
      closed = true
      if (restart) clearTimeout(restart)
      return stop()
    },
  }
}
