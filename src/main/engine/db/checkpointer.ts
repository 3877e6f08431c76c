// WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside whichever commit
// pushes the WAL past its limit, so every few hundred scheduler turns or sync batches one of them stalled
// the engine's thread for tens of milliseconds while 32 MB went to the database file. A second connection
// on a worker thread copies the WAL back (PASSIVE: it never blocks a writer) on a short timer; the main
// connection keeps a far larger automatic limit only as a backstop, should this thread ever fall behind.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Sqlite } from './open'

/** The main connection's fallback limit, in pages (4 KiB each): only reached if the worker stops. */
export const BACKSTOP_PAGES = 64_000

export interface Checkpointer {
  close(): Promise<void>
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

export function startCheckpointer(sqlite: Sqlite, opts: { everyMs?: number; log?: (m: string) => void } = {}): Checkpointer {
  const log = opts.log ?? (() => {})
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
  // The bundle and tsx have CommonJS `require`; vitest's ESM transform does not, and runs at the repo root.
  const req = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'))
  const worker = new Worker(SCRIPT, { eval: true, workerData: { driver: req.resolve('better-sqlite3'), file: sqlite.name, everyMs: opts.everyMs ?? 250 } })
  worker.unref()
  let failed = false
  worker.on('message', (m: { error?: string }) => m.error && log(`[db] background checkpoint failed: ${m.error}`))
  worker.on('error', (err) => {
    // Without the thread, the connection checkpoints inline again, as SQLite does by default.
    failed = true
    log(`[db] checkpoint thread stopped: ${err.message}`)
    sqlite.pragma('wal_autocheckpoint = 8000')
  })
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (failed) return resolve()
        const done = () => void worker.terminate().finally(resolve)
        worker.once('message', done)
        worker.once('exit', () => resolve())
        worker.postMessage('close')
        setTimeout(done, 2000).unref()
      }),
  }
}
