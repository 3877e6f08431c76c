// worker_threads entry: parses batches of raw sources with mailparser so the thread that answers the
// UI never spends its time in MIME decoding. Built as out/main/parseWorker.js (electron.vite.config.ts);
// under tsx/vitest it runs as .ts with `--import tsx`.
import { serialize } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { startCheckpointLoop, type CheckpointJob } from '../../db/checkpointLoop'
import { saveAttachment } from '../attachmentFiles'
import { prepareBody, unprepared, type PreparedBody, type PrepareItem } from '../prepare'
import { fallback, parseSource, type ParsedBody } from './parse'
import { storeWeight } from './chunks'

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
  /** Instead of results: groups of them, each v8-serialised and its bytes transferred (see pool.ts, PackedBody). */
  packed?: { groups: Uint8Array[]; counts: number[]; weights: number[] }
  prepared?: PreparedBody[]
  /** In the ready message (id 0): this thread runs the WAL checkpoints (workerData.checkpoint) while it lives. */
  checkpointing?: boolean
  /** A checkpoint that failed, for the engine's log. */
  checkpointError?: string
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
  // Packed, not cloned: the bodies stay bytes outside the engine's heap until their store transaction, so its
  // young generation does not copy (and promote) megabytes of strings that wait there for the store.
  const packed = pack(results)
  parentPort!.postMessage({ id: req.id, results: [], packed } satisfies ParseReply, packed.groups.map((b) => b.buffer as ArrayBuffer))
})

/**
 * A group is serialised at once (one message at a time costs twice the CPU: measured 270 against 140 ms per
 * 10,000), and small enough that opening one for a store transaction opens little beyond it.
 */
const GROUP = { count: 16, weight: 256 * 1024 }

function pack(results: ParsedBody[]): NonNullable<ParseReply['packed']> {
  const weights = results.map(storeWeight)
  const groups: Uint8Array[] = []
  const counts: number[] = []
  for (let i = 0; i < results.length; ) {
    let end = i
    let w = 0
    while (end < results.length && end - i < GROUP.count && (end === i || w + weights[end]! <= GROUP.weight)) w += weights[end++]!
    groups.push(ownBytes(results.slice(i, end)))
    counts.push(end - i)
    i = end
  }
  return { groups, counts, weights }
}

/** The group serialised into an ArrayBuffer of its own (transferable without taking a shared pool along). */
function ownBytes(r: ParsedBody[]): Uint8Array {
  const b = serialize(r)
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength ? b : new Uint8Array(b)
}
// The checkpoint thread's loop, run here while this thread lives: one isolate less (db/checkpointer.ts).
let checkpointing = false
const job = (workerData as { checkpoint?: CheckpointJob } | null)?.checkpoint
if (job && parentPort) {
  try {
    startCheckpointLoop(job, (checkpointError) => parentPort!.postMessage({ id: -1, results: [], checkpointError } satisfies ParseReply))
    checkpointing = true
  } catch {
    // The checkpoint thread keeps the job.
  }
}
// Imports are done: the pool may count on this thread now.
parentPort?.postMessage({ id: 0, results: [], checkpointing } satisfies ParseReply)
