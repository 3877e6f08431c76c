// worker_threads entry: parses batches of raw sources with mailparser so the thread that answers the
// UI never spends its time in MIME decoding. Built as out/main/parseWorker.js (electron.vite.config.ts);
// under tsx/vitest it runs as .ts with `--import tsx`.
import { parentPort } from 'node:worker_threads'
import { saveAttachment } from '../attachmentFiles'
import { prepareBody, unprepared, type PreparedBody, type PrepareItem } from '../prepare'
import { fallback, parseSource, type ParsedBody } from './parse'

export interface ParseRequest {
  id: number
  items: Array<{ source: Uint8Array; internalDate: number }>
  /** The engine's data dir: attachment files are written here, off the main thread (the store then finds them). */
  dataDir?: string
  /** Leave HTML unsanitised for the background pass (a big first sync; see prepareBody). */
  deferHtml?: boolean
  /** Instead of items: stored bodies (from before migration 0010) to sanitise. */
  prepare?: PrepareItem[]
}
export interface ParseReply {
  id: number
  results: ParsedBody[]
  prepared?: PreparedBody[]
}

parentPort?.on('message', async (req: ParseRequest) => {
  if (req.prepare) {
    const prepared = req.prepare.map((it) => {
      try {
        return prepareBody({ ...it, raw: null })
      } catch {
        return unprepared(it)
      }
    })
    parentPort!.postMessage({ id: req.id, results: [], prepared } satisfies ParseReply)
    return
  }
  const results: ParsedBody[] = []
  for (const it of req.items) {
    const source = Buffer.from(it.source.buffer, it.source.byteOffset, it.source.byteLength)
    try {
      results.push(await parseSource(source, it.internalDate, { deferHtml: req.deferHtml }))
    } catch (e) {
      results.push(fallback(source, it.internalDate, `MIME parse failed: ${e instanceof Error ? e.message : String(e)}`))
    }
  }
  if (req.dataDir) {
    for (const r of results)
      for (const a of r.attachments) {
        if (!a.content) continue
        try {
          a.sha256 = saveAttachment(req.dataDir, a.content, a.sha256)
          a.content = null
        } catch {
          // the store writes it itself when the file is not there
        }
      }
  }
  parentPort!.postMessage({ id: req.id, results } satisfies ParseReply)
})
// Imports are done: the pool may count on this thread now.
parentPort?.postMessage({ id: 0, results: [] } satisfies ParseReply)
