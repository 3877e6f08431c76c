// One online backup on a thread of its own: a second connection copies the database with SQLite's backup
// API (better-sqlite3's backup()) while the engine's connection keeps reading and writing. The copy runs
// as one step inside one read transaction: in WAL mode that never blocks the writer, and a stepwise copy
// would start over every time the engine commits, which on a busy 1 GB workspace may be never.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

// Plain CommonJS evaluated in the worker (as db/checkpointer.ts does), so it needs no build entry.
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const Database = require(workerData.driver)
const started = Date.now()
let src, out
try {
  // The destination exists (made 0600 by the engine): SQLite keeps its mode.
  src = new Database(workerData.source, { fileMustExist: true })
  src.pragma('busy_timeout = 5000')
  src.backup(workerData.target, { progress: () => 0x7fffffff }).then(
    () => {
      src.close()
      // A restore must not need the WAL: a backup is one self-contained file.
      out = new Database(workerData.target, { fileMustExist: true })
      out.pragma('journal_mode = DELETE')
      const check = out.pragma('quick_check', { simple: true })
      out.close()
      parentPort.postMessage({ ok: check === 'ok', error: check === 'ok' ? undefined : 'the copy failed its check: ' + check, ms: Date.now() - started, bytes: fs.statSync(workerData.target).size })
    },
    (err) => { src.close(); parentPort.postMessage({ ok: false, error: String(err && err.message || err) }) },
  )
} catch (err) {
  try { src && src.close() } catch {}
  parentPort.postMessage({ ok: false, error: String(err && err.message || err) })
}
`

export interface CopyResult {
  ms: number
  bytes: number
}

/** Copies `source` into `target` (which must exist, empty) off the calling thread. */
export function copyDatabase(source: string, target: string): { done: Promise<CopyResult>; abort(): Promise<void> } {
  // The bundle and tsx have CommonJS `require`; vitest's ESM transform does not, and runs at the repo root.
  const req = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'))
  const worker = new Worker(SCRIPT, { eval: true, workerData: { driver: req.resolve('better-sqlite3'), source, target } })
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
