// A small pool of parse threads shared by every mailbox worker. A batch that takes too long (a
// hostile message) or kills its thread is retried one message at a time; the message that still
// fails is returned as parseError + raw. Nothing is ever dropped.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { deserialize } from 'node:v8'
import { Worker } from 'node:worker_threads'
import { fallback, type ParsedBody } from './parse'
import { storeWeight } from './chunks'
import { unprepared, type PreparedBody, type PrepareItem } from '../prepare'
import type { ParseReply, ParseRequest } from './parseWorker'
import type { CheckpointHost } from '../../db/checkpointer'

export interface ParseItem {
  source: Buffer
  internalDate: number
}

/**
 * A parsed message as the parse thread sent it: serialised bytes, outside the engine's heap. `open()` makes it
 * an object, once, just before it is stored: a first sync's bodies then never wait in the young generation
 * for the store (where each scavenge copied them and then promoted them to the old one).
 */
export interface PackedBody {
  /** What storing it weighs (storeWeight, worked out where it was parsed): how store transactions are cut. */
  bytes: number
  /** Once only: the object is not kept here after it is handed out. */
  open(): ParsedBody
}

export interface ParsePool {
  /** `deferHtml`: sanitising is left to the background pass (see prepareBody). */
  parse(items: ParseItem[], opts?: { deferHtml?: boolean }): Promise<ParsedBody[]>
  /**
   * As parse, each result left packed until it is opened (the sync's store opens a chunk at a time).
   * `releaseSources`: once the thread has parsed them, the sources' memory is given back at once (see release);
   * the caller must not read them afterwards. A source the thread gave up on is kept: it is stored raw.
   */
  parsePacked(items: ParseItem[], opts?: { deferHtml?: boolean; releaseSources?: boolean }): Promise<PackedBody[]>
  /** Sanitises stored bodies (from before migration 0010) in a parse thread. */
  prepare(items: PrepareItem[]): Promise<PreparedBody[]>
  /** Starts the threads now, so the first new mail does not wait for a thread to boot. */
  warm(): void
  /** The heap limits each running thread was started with (what the threads may hold). */
  limits(): Array<{ maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number }>
  /** Resolves once every thread has loaded (or after `timeoutMs`). */
  ready(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export interface PoolOptions {
  size?: number
  /** Per message; a batch gets size × this (minimum 10 s). */
  timeoutMs?: number
  /** Where the threads write attachment files (engine data dir). */
  dataDir?: string
  /** Heap limit of each thread: a message that needs more kills only its thread (default 768 MB). */
  maxMemoryMb?: number
  /** Young generation of each thread (default PARSE_YOUNG_MB). */
  youngMb?: number
  /** Each thread also runs the WAL checkpoints while it lives, in place of the checkpoint thread (db/checkpointer.ts). */
  checkpoint?: CheckpointHost
}

/**
 * The parse thread's young generation. V8's default (48 MB: two 16 MB semispaces and more) is sized for
 * throughput, and a parse thread fills it with short-lived strings between every collection: it stayed
 * resident through a first sync. 16 MB measured 15-20 MB less peak RSS for the process over 10,000 messages
 * with the same parse CPU; 4 MB saved a little more but cost ~10 % more CPU in scavenges.
 */
export const PARSE_YOUNG_MB = 16

interface Task {
  items: ParseItem[]
  deferHtml?: boolean
  releaseSources?: boolean
  resolve(r: PackedBody[]): void
  reject(e: Error): void
  /** A sanitising task (items is then empty). */
  prepare?: { items: PrepareItem[]; resolve(r: PreparedBody[]): void }
}

interface Slot {
  booted: Promise<void>
  /** The thread said it checkpoints (counted in opts.checkpoint until the slot is let go). */
  checkpointing: boolean
  worker: Worker
  task: Task | null
  timer: ReturnType<typeof setTimeout> | null
  reqId: number
}

/**
 * The worker entry: the built .js next to the main bundle, or the .ts source under tsx/vitest (loaded
 * through tsx's CommonJS hook: `--import tsx` does not reach worker threads on Node 20).
 */
function workerEntry(): { script: string; eval: boolean } {
  // The CommonJS bundle has a true __dirname; from source (tsx, vitest, Playwright) everything runs at the
  // repo root. (No import.meta here: Playwright's loader then treats the file as ESM and the e2e suite fails.)
  const bundled = typeof __dirname === 'string' ? __dirname : ''
  const here = bundled && ['parseWorker.js', 'inbound/sync/parseWorker.js'].some((n) => existsSync(join(bundled, n))) ? bundled : join(process.cwd(), 'src/main/engine/inbound/sync')
  for (const name of ['parseWorker.js', 'inbound/sync/parseWorker.js']) {
    if (existsSync(join(here, name))) return { script: join(here, name), eval: false }
  }
  const tsx = createRequire(join(process.cwd(), 'package.json')).resolve('tsx/cjs')
  return { script: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(join(here, 'parseWorker.ts'))})`, eval: true }
}

/** Parse threads run at this niceness (Linux sets it per thread): on a busy machine the engine's thread goes first. */
const PARSE_NICE = 10

/**
 * The entry wrapped so the thread lowers its own priority before it loads (a failure to do so is harmless).
 * Linux only: elsewhere setpriority(0) names the whole process, which would slow the engine's thread too.
 */
function niced(entry: { script: string; eval: boolean }): { script: string; eval: boolean } {
  if (process.platform !== 'linux') return entry
  const load = entry.eval ? entry.script : `require(${JSON.stringify(entry.script)})`
  return { script: `try { require('node:os').setPriority(${PARSE_NICE}) } catch {}\n${load}`, eval: true }
}

export function createParsePool(opts: PoolOptions = {}): ParsePool {
  const size = Math.max(1, opts.size ?? 2)
  const perMessageMs = opts.timeoutMs ?? 5_000
  const entry = niced(workerEntry())
  const queue: Task[] = []
  const slots: Slot[] = []
  let nextId = 1
  let closed = false

  function spawn(): Slot {
    const checkpoint = opts.checkpoint && { file: opts.checkpoint.file, everyMs: opts.checkpoint.everyMs }
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      workerData: { checkpoint },
      resourceLimits: { maxOldGenerationSizeMb: opts.maxMemoryMb ?? 768, maxYoungGenerationSizeMb: opts.youngMb ?? PARSE_YOUNG_MB },
    })
    let booted!: () => void
    const slot: Slot = { worker, task: null, timer: null, reqId: 0, checkpointing: false, booted: new Promise<void>((r) => (booted = r)) }
    worker.unref()
    worker.on('exit', () => booted())
    worker.on('message', (reply: ParseReply) => {
      if (reply.id === 0) {
        if (reply.checkpointing && slots.includes(slot) && !slot.checkpointing) {
          slot.checkpointing = true
          opts.checkpoint?.changed(1)
        }
        return booted()
      }
      if (reply.checkpointError) return opts.checkpoint?.failed(reply.checkpointError)
      if (!slot.task || reply.id !== slot.reqId) return
      const task = slot.task
      finish(slot)
      if (task.releaseSources) for (const it of task.items) releaseOwned(it.source)
      if (task.prepare) task.prepare.resolve(reply.prepared ?? task.prepare.items.map(unprepared))
      else task.resolve(reply.packed ? unpack(reply.packed) : reply.results.map((r) => opened(revive(r))))
      pump()
    })
    // A crash (out of memory, a native fault) loses only this thread: its batch is retried.
    worker.on('error', () => lost(slot, 'the parser crashed'))
    worker.on('exit', () => lost(slot, 'the parser exited'))
    return slot
  }

  function finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = null
    slot.task = null
    slot.worker.unref()
  }

  /** The slot's thread is going: it no longer counts as checkpointing. */
  function letGo(slot: Slot): void {
    if (!slot.checkpointing) return
    slot.checkpointing = false
    opts.checkpoint?.changed(-1)
  }

  function lost(slot: Slot, why: string): void {
    const i = slots.indexOf(slot)
    if (i < 0) return
    const task = slot.task
    finish(slot)
    slots.splice(i, 1)
    letGo(slot)
    void slot.worker.terminate().catch(() => {})
    if (task?.prepare) task.prepare.resolve(task.prepare.items.map(unprepared))
    else if (task) {
      if (task.items.length === 1) {
        const it = task.items[0]
        task.resolve([opened(fallback(it.source, it.internalDate, `MIME parse gave up: ${why}`))])
      } else {
        // Split the batch: the one bad message then fails alone.
        const parts = task.items.map(
          (it) => new Promise<PackedBody[]>((resolve, reject) => queue.unshift({ items: [it], resolve, reject, deferHtml: task.deferHtml, releaseSources: task.releaseSources })),
        )
        Promise.all(parts).then((rs) => task.resolve(rs.flat()), task.reject)
      }
    }
    if (!closed) pump()
  }

  function pump(): void {
    if (closed) return
    while (queue.length) {
      let slot = slots.find((s) => !s.task)
      if (!slot && slots.length < size) slots.push((slot = spawn()))
      if (!slot) return
      const task = queue.shift()!
      const s = slot
      s.task = task
      s.reqId = nextId++
      s.worker.ref()
      s.timer = setTimeout(() => lost(s, 'it took too long'), Math.max(10_000, perMessageMs * (task.prepare?.items.length ?? task.items.length)))
      const req: ParseRequest = task.prepare
        ? { id: s.reqId, items: [], prepare: task.prepare.items }
        : { id: s.reqId, items: task.items.map((it) => ({ source: it.source, internalDate: it.internalDate })), dataDir: opts.dataDir, deferHtml: task.deferHtml }
      s.worker.postMessage(req)
    }
  }

  function parsePacked(items: ParseItem[], o?: { deferHtml?: boolean; releaseSources?: boolean }): Promise<PackedBody[]> {
    if (closed) return Promise.reject(new Error('parse pool closed'))
    if (items.length === 0) return Promise.resolve([])
    return new Promise((resolve, reject) => {
      queue.push({ items, resolve, reject, deferHtml: o?.deferHtml, releaseSources: o?.releaseSources })
      pump()
    })
  }

  return {
    warm() {
      while (!closed && slots.length < size) slots.push(spawn())
    },
    limits() {
      return slots.map((s) => ({ ...s.worker.resourceLimits }))
    },
    async ready(timeoutMs = 15_000) {
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([Promise.all(slots.map((s) => s.booted)), new Promise((r) => (timer = setTimeout(r, timeoutMs)))])
      clearTimeout(timer)
    },
    parsePacked,
    async parse(items, o) {
      return (await parsePacked(items, o)).map((p) => p.open())
    },
    prepare(items) {
      if (closed) return Promise.reject(new Error('parse pool closed'))
      if (items.length === 0) return Promise.resolve([])
      return new Promise((resolve, reject) => {
        queue.push({ items: [], resolve: () => {}, reject, prepare: { items, resolve } })
        pump()
      })
    },
    async close() {
      closed = true
      const all = slots.splice(0)
      const gone = new Error('parse pool closed')
      for (const t of queue.splice(0)) t.reject(gone)
      for (const s of all) {
        s.task?.reject(gone)
        finish(s)
      }
      await Promise.all(all.map((s) => s.worker.terminate().catch(() => 0)))
      // The threads are gone, and their checkpoints with them: the checkpoint thread takes over again.
      all.forEach(letGo)
    },
  }
}

/** A result that is an object already (made here, or cloned by an older thread): weighed by its text. */
export function opened(r: ParsedBody): PackedBody {
  return { bytes: storeWeight(r), open: () => r }
}

/**
 * Gives an ArrayBuffer's memory back now rather than at the next full collection. Its bytes move (no copy) to a
 * new, unreferenced ArrayBuffer, which the next scavenge frees (every few ms in a sync). Left as it was, a buffer
 * that outlived two scavenges waited for a mark-compact, and during a first sync 6 to 50 MB of them did (issue 23:
 * most of the spread in peak RSS between runs). `buffer` reads as empty afterwards.
 */
export function release(buffer: ArrayBuffer): void {
  try {
    structuredClone(buffer, { transfer: [buffer] })
  } catch {
    // Not detachable (a buffer some API pinned): it is freed the ordinary way.
  }
}

/** Releases a Buffer's memory if the Buffer is all of it (never one of Node's shared pool slabs). */
function releaseOwned(b: Uint8Array): void {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.byteLength > 0 && b.buffer instanceof ArrayBuffer) release(b.buffer)
}

/** One PackedBody per message; a group is deserialised when its first message is opened, and let go with its last. */
function unpack(p: NonNullable<ParseReply['packed']>): PackedBody[] {
  const out: PackedBody[] = []
  p.groups.forEach((u, g) => {
    let group: Array<ParsedBody | null> | null = null
    let left = p.counts[g]!
    for (let k = 0; k < p.counts[g]!; k++) {
      out.push({
        bytes: p.weights[out.length]!,
        open: () => {
          if (left === 0) throw new Error('A packed message was opened twice')
          if (!group) {
            group = deserialize(Buffer.from(u.buffer, u.byteOffset, u.byteLength)) as ParsedBody[]
            // Deserialised Uint8Arrays (a raw source, an attachment not written to a file) are views of these
            // bytes: only a group without any lets them go now.
            if (group.every((r) => !r || (!r.raw && r.attachments.every((a) => !a.content)))) releaseOwned(u)
          }
          const r = group[k]
          if (!r) throw new Error('A packed message was opened twice')
          group[k] = null
          if (--left === 0) group = null
          return revive(r)
        },
      })
    }
  })
  return out
}

/** Buffers cross the thread boundary as Uint8Array: make them Buffers again. */
function revive(r: ParsedBody): ParsedBody {
  const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)
  return {
    ...r,
    raw: r.raw ? buf(r.raw) : null,
    attachments: r.attachments.map((a) => ({ ...a, content: a.content && buf(a.content) })),
  }
}
