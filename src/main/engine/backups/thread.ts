// One online backup on a thread of its own: a second connection copies the database with SQLite's backup
// API (better-sqlite3's backup()) while the engine's connection keeps reading and writing. The copy holds
// one read transaction from start to end: in WAL mode that never blocks the writer, and it pins one
// snapshot, so the copy can go in steps (a stepwise copy without it starts over every time the engine
// commits, which on a busy workspace may be never). After each step the copied bytes are flushed to disk,
// so 1 GB of dirty pages never reaches the disk in one burst at the end, which held up the engine's own
// small writes for hundreds of milliseconds (bench:backup).
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

// Plain CommonJS evaluated in the worker (as db/checkpointer.ts does), so it needs no build entry.
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const Database = require(workerData.driver)
const started = Date.now()
let src, out, fd
const fail = (err) => {
  try { src && src.inTransaction && src.exec('ROLLBACK') } catch {}
  try { src && src.close() } catch {}
  try { fd !== undefined && fs.closeSync(fd) } catch {}
  parentPort.postMessage({ ok: false, error: String(err && err.message || err) })
}
try {
  src = new Database(workerData.source, { fileMustExist: true })
  src.pragma('busy_timeout = 5000')
  // Pin one snapshot for the whole copy (see above).
  src.exec('BEGIN')
  src.prepare('SELECT count(*) FROM sqlite_master').get()
  // The destination exists (made 0600 by the engine): SQLite keeps its mode.
  fd = fs.openSync(workerData.target, 'r+')
  src.backup(workerData.target, {
    progress: () => {
      fs.fdatasyncSync(fd)
      return workerData.stepPages
    },
  }).then(
    () => {
      src.exec('COMMIT')
      src.close()
      fs.closeSync(fd)
      fd = undefined
      // A restore must not need the WAL: a backup is one self-contained file.
      out = new Database(workerData.target, { fileMustExist: true })
      out.pragma('journal_mode = DELETE')
      const check = out.pragma('quick_check', { simple: true })
      out.close()
      parentPort.postMessage({ ok: check === 'ok', error: check === 'ok' ? undefined : 'the copy failed its check: ' + check, ms: Date.now() - started, bytes: fs.statSync(workerData.target).size })
    },
    fail,
  )
} catch (err) {
  fail(err)
}
`

/** Pages copied between flushes: 2048 pages of 4 KiB, 8 MB. */
export const STEP_PAGES = 2048

export interface CopyResult {
  ms: number
  bytes: number
}

/** Copies `source` into `target` (which must exist, empty) off the calling thread. */
export function copyDatabase(source: string, target: string): { done: Promise<CopyResult>; abort(): Promise<void> } {
  // The bundle and tsx have CommonJS `require`; vitest's ESM transform does not, and runs at the repo root.
  const req = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'))
  const worker = new Worker(SCRIPT, { eval: true, workerData: { driver: req.resolve('better-sqlite3'), source, target, stepPages: STEP_PAGES } })
  const done = new Promise<CopyResult>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; error?: string; ms: number; bytes: number }) => {
      void worker.terminate()
      if (m.ok) resolve({ ms: m.ms, bytes: m.bytes })
      else reject(new Error(m.error ?? 'backup failed'))
    })
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`backup thread exited (${code})`)))
  })
  done.catch(() => undefined)
  return { done, abort: async () => void (await worker.terminate()) }
}
