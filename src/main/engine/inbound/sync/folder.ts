// One folder's incremental sync on an open imapflow connection: uidvalidity check (full resync when it
// changed), new UIDs fetched in batches with parsing pipelined behind the fetch, flags through
// CONDSTORE (or, without it, the recent UIDs plus a rotating chunk of older ones), and expunges found by
// comparing counts.
import type { FetchMessageObject, FetchQueryObject, ImapFlow, MailboxObject, StatusObject } from 'imapflow'
import type { Ctx } from '../../context'
import type { FlagUpdate, FolderRef, ParsedMessage } from '../types'
import { opened, type PackedBody, type ParsePool } from './pool'
import { getFolder, saveFolder, saveFolderWindow, type FolderRole, type FolderState } from './state'
import type { StoreApi } from './storeApi'
import { adaptCount, chunkEnd, CHUNK, yieldToLoop } from './chunks'
import { stmtPluck } from '../../db/stmt'
import { fastParse } from './fastParse'
import { withPrepared } from './parse'
import { fetchNew, fetchUids } from './fetchRanges'

export interface FolderSyncDeps {
  ctx: Ctx
  client: ImapFlow
  pool: ParsePool
  store: StoreApi
  mailboxId: number
  batchSize: number
  /** Without CONDSTORE: how many of the newest UIDs get their flags re-read each pass. */
  flagWindow: number
  /** false: behave as with a server without CONDSTORE (flag window instead of CHANGEDSINCE, no status skips). */
  useCondstore: boolean
  /** Without CONDSTORE: how many older messages (by sequence number) get their flags re-read per pass, on top of the window. */
  flagChunk: number
  /** Per folder path: the sequence number the next older chunk starts below (kept by the worker across passes). */
  flagCursor: Map<string, number>
  /** SELECT the folder again even when it is the selected one (a fresh UIDVALIDITY: "sync now", servers that never tell). */
  reselect: boolean
  onProgress(p: { folder: string; done: number; total: number } | null): void
  isStopped(): boolean
  /** The mailbox's sync window: only mail with an internal date from this day on (ms, UTC midnight); null = all. */
  since?: number | null
  /** A first pass of at least this many messages leaves sanitising HTML to the background pass (see prepareBody). */
  deferHtmlFrom?: number
  /** Woken by the selected folder's own push (EXISTS/EXPUNGE/FETCH in IDLE): its counts are current already. */
  pushed?: boolean
}

export interface FolderSyncResult {
  fetched: number
  flagsChanged: number
  removed: number
  reset: boolean
}

/** Parsed batches waiting to be committed; more than this and the fetch waits for the store. */
const MAX_BATCHES_AHEAD = 4
/** The first fetched batch; each next one doubles, up to the configured batch size. */
const FIRST_BATCH = 25
/** A fetched batch is handed to the parse threads at this many bytes of source, even short of its count. */
const BATCH_MAX_BYTES = 4 * 1024 * 1024
/** Source of fetched batches not yet stored; past it the fetch waits (memory is bounded by bytes, not only count). */
const MAX_AHEAD_BYTES = 8 * 1024 * 1024

/**
 * `status` (from LIST-STATUS, taken before this call) lets an unchanged folder be skipped without a SELECT:
 * same uidvalidity, message count, UIDNEXT and HIGHESTMODSEQ as when it was last synced. Servers without
 * CONDSTORE report no modseq, and then every folder is checked (their flags could have changed).
 */
export async function syncFolder(d: FolderSyncDeps, path: string, role: FolderRole, status?: StatusObject, quiet = false): Promise<FolderSyncResult | null> {
  const { ctx, client, store } = d
  const known = getFolder(ctx, d.mailboxId, path)
  // The selected folder (INBOX between IDLEs): Dovecot answers STATUS for it from this session's own
  // view, which only moves on when the session syncs. NOOP makes it sync (EXISTS/EXPUNGE/FETCH arrive
  // and imapflow updates its counts), and the status cannot be used to skip it.
  const reused = !d.reselect && !!client.mailbox && client.mailbox.path === path
  if (d.reselect && client.mailbox && client.mailbox.path === path) status = undefined
  if (reused) {
    // After a push the session's view is current (imapflow applied the EXISTS it was woken by): the NOOP
    // would only add a round trip between new mail and inbox.changed.
    if (!d.pushed) await client.noop()
    status = undefined
  }
  if (
    status &&
    d.useCondstore &&
    known?.lastSyncAt != null &&
    known.role === role &&
    status.uidValidity === known.uidvalidity &&
    status.messages === known.knownCount &&
    status.uidNext === known.uidnext &&
    status.highestModseq !== undefined &&
    known.highestmodseq !== null &&
    status.highestModseq <= known.highestmodseq &&
    !mustWiden(known, d.since ?? null) &&
    !(d.since != null && known.olderCount == null)
  ) {
    return null
  }
  const box: MailboxObject = reused && client.mailbox ? client.mailbox : await client.mailboxOpen(path)
  const condstore = d.useCondstore && client.enabled.has('CONDSTORE') && !box.noModseq && box.highestModseq !== undefined
  let st: FolderState = known ?? {
    mailboxId: d.mailboxId,
    path,
    role,
    uidvalidity: null,
    lastUid: 0,
    highestmodseq: null,
    knownCount: 0,
    uidnext: null,
    lastSyncAt: null,
  }
  st.role = role
  const ref: FolderRef = { mailboxId: d.mailboxId, folder: path, folderRole: role, uidValidity: box.uidValidity, quiet }
  const result: FolderSyncResult = { fetched: 0, flagsChanged: 0, removed: 0, reset: false }

  if (st.uidvalidity !== null && st.uidvalidity !== box.uidValidity) {
    // Every UID we hold for this folder is meaningless now: drop the copies and fetch it all again.
    ctx.sqlite.transaction(() => {
      store.resetFolder(ctx, ref)
      st = { ...st, uidvalidity: box.uidValidity, lastUid: 0, highestmodseq: null, knownCount: 0, windowSince: d.since ?? null, olderCount: null }
      saveFolderWindow(ctx, st)
    })()
    result.reset = true
  }
  st.uidvalidity = box.uidValidity
  const modseqAtOpen = condstore ? (box.highestModseq ?? null) : null
  // Observed before any fetch below, so everything under them is covered once this pass is done.
  const observedUidNext = status?.uidNext ?? box.uidNext
  const observedModseq = condstore ? (status?.highestModseq ?? (reused ? null : modseqAtOpen)) : null
  // The first sync of a folder reports progress and takes its flags with the fetch.
  const firstPass = st.lastSyncAt === null

  // ---- new messages
  const since = d.since ?? null
  // A folder seen for the first time starts at the window; an older copy keeps what it already has.
  if (st.lastUid === 0 && st.lastSyncAt === null && (st.windowSince ?? null) !== since) {
    st.windowSince = since
    saveFolderWindow(ctx, st)
  }
  const mayHaveNew = box.exists > 0 && (box.uidNext > st.lastUid + 1 || box.exists > st.knownCount)
  if (mayHaveNew) {
    const total = Math.max(0, box.exists - st.knownCount)
    const from = st.lastUid + 1
    let wanted: number[] | null = null
    let skipped: number[] = []
    if (since !== null) {
      // The window: only UIDs whose internal date is in it are fetched; the rest are counted as known (so the
      // expunge check's counts still agree) and the high-water mark passes them, so they are never asked for again.
      const all = ((await client.search({ uid: `${from}:*` }, { uid: true })) || []).filter((u) => u >= from)
      const inWindow = new Set(((await client.search({ uid: `${from}:*`, since: new Date(since) }, { uid: true })) || []).filter((u) => u >= from))
      wanted = all.filter((u) => inWindow.has(u)).sort((a, b) => a - b)
      skipped = all.filter((u) => !inWindow.has(u))
    }
    const source = wanted ? fetchUids(client, wanted, FETCH_QUERY) : fetchNew(client, from, FETCH_QUERY, total > FIRST_BATCH)
    await storeFetched(d, st, ref, source, { folder: path, total: wanted ? wanted.length : total, firstPass, counted: true, floor: from }, result)
    if (d.isStopped()) return result
    if (skipped.length) {
      st.lastUid = Math.max(st.lastUid, ...skipped)
      st.knownCount += skipped.length
      if (st.olderCount != null) st.olderCount += skipped.length
      saveFolderWindow(ctx, st)
    }
    if (firstPass) d.onProgress(null)
  }

  // ---- a wider window (or none) than the folder was synced with: fetch what is now in it and not stored.
  if (st.lastUid > 0 && mustWiden(st, since)) {
    const inWindow = ((await client.search(since === null ? { uid: `1:${st.lastUid}` } : { uid: `1:${st.lastUid}`, since: new Date(since) }, { uid: true })) || []).filter(
      (u) => u <= st.lastUid,
    )
    const have = new Set(storedUidsOf(ctx, ref, inWindow))
    const missing = inWindow.filter((u) => !have.has(u)).sort((a, b) => a - b)
    if (missing.length) {
      await storeFetched(d, st, ref, fetchUids(client, missing, FETCH_QUERY), { folder: path, total: missing.length, firstPass: true, counted: false, floor: 1 }, result)
      if (d.isStopped()) return result
      d.onProgress(null)
    }
    st.windowSince = since
    st.olderCount = since === null ? 0 : null
    saveFolderWindow(ctx, st)
  }
  // How much of the folder lies before the window: the timelines say so ("older mail on the server").
  const olderBefore = st.olderCount ?? null
  if (since === null) st.olderCount = 0
  else if (st.olderCount == null) st.olderCount = ((await client.search({ before: new Date(since) }, { uid: true })) || []).length
  if (st.olderCount !== olderBefore) saveFolderWindow(ctx, st)

  // ---- flags changed elsewhere
  if (st.lastUid > 0 && !firstPass) {
    let updates: FlagUpdate[] = []
    let maxModseq = st.highestmodseq ?? 0n
    if (condstore && st.highestmodseq !== null) {
      // The selected folder's HIGHESTMODSEQ is current after the NOOP (or the push that woke this pass): once
      // CONDSTORE is on, every FETCH the server reports carries its MODSEQ (RFC 7162) and imapflow raises the
      // folder's value with it. Unchanged, no flag changed, and the CHANGEDSINCE fetch over 1:lastUid (a round
      // trip whose answer the server works out over the whole folder) is skipped.
      if (modseqAtOpen === null || modseqAtOpen > st.highestmodseq) {
        for await (const m of client.fetch(`1:${st.lastUid}`, { uid: true, flags: true }, { uid: true, changedSince: st.highestmodseq })) {
          updates.push({ uid: m.uid, flags: [...(m.flags ?? [])], modseq: m.modseq ?? null })
          if (m.modseq && m.modseq > maxModseq) maxModseq = m.modseq
        }
        // The fetch answered everything changed up to now: a HIGHESTMODSEQ raised by an expunge alone (no flag
        // in the answer) is covered too, so the next pass does not fetch again for it.
        if (reused && modseqAtOpen !== null && modseqAtOpen > maxModseq) maxModseq = modseqAtOpen
      }
    } else if (!condstore) {
      const lo = Math.max(1, st.lastUid - d.flagWindow + 1)
      const got = await client.fetchAll(`${lo}:${st.lastUid}`, { uid: true, flags: true }, { uid: true })
      got.push(...(await olderFlagChunk(d, path)))
      updates = got.map((m) => ({ uid: m.uid, flags: [...(m.flags ?? [])], modseq: null }))
    }
    if (updates.length) result.flagsChanged = store.applyFlags(ctx, ref, updates)
    if (condstore) st.highestmodseq = maxModseq
  }
  if (condstore && (firstPass || st.highestmodseq === null) && modseqAtOpen !== null) st.highestmodseq = modseqAtOpen
  if (condstore && observedModseq !== null && st.highestmodseq !== null && observedModseq > st.highestmodseq) st.highestmodseq = observedModseq

  // ---- expunged elsewhere: only when the counts disagree (or after a uidvalidity reset, to drop the
  // stale copies that did not come back) do we pay for a UID SEARCH.
  const exists = client.mailbox && client.mailbox.path === path ? client.mailbox.exists : box.exists
  if (exists !== st.knownCount || result.reset) {
    const all = (await client.search({ all: true }, { uid: true })) || []
    const known = all.filter((u) => u <= st.lastUid)
    if (known.length < st.knownCount || result.reset) result.removed = store.removeMissing(ctx, ref, all)
    st.knownCount = known.length
  }

  if (observedUidNext) st.uidnext = observedUidNext
  st.lastSyncAt = ctx.clock.now()
  saveFolder(ctx, st)
  return result
}

/** New mail of a few small plain-text messages: parsed here, not in a parse thread (see quickParse). */
const QUICK = { count: 4, bytes: 32 * 1024 }

/**
 * A message or two of new mail, small and plain (no HTML to sanitise, no attachment): the fast parser on the
 * engine's thread takes well under a millisecond, where a parse thread adds a hop, and on a loaded machine
 * waits for its lowered priority (measured: hundreds of ms between the IDLE push and inbox.changed).
 * Anything else (bigger, HTML, attachments, what the fast path declines) goes to the parse threads.
 */
function quickParse(items: Array<{ source: Buffer; internalDate: number }>): Promise<PackedBody[]> | null {
  if (items.length > QUICK.count || items.some((it) => it.source.length > QUICK.bytes)) return null
  const out: PackedBody[] = []
  for (const it of items) {
    const b = fastParse(it.source, it.internalDate)
    if (!b || b.html !== null || b.attachments.length || b.parseError) return null
    out.push(opened(withPrepared(b)))
  }
  return Promise.resolve(out)
}

const FETCH_QUERY: FetchQueryObject = { uid: true, flags: true, internalDate: true, size: true, source: true }

/** The folder's window is narrower than `since` asks for (null = everything): older mail must be fetched. */
function mustWiden(st: Pick<FolderState, 'windowSince'>, since: number | null): boolean {
  const have = st.windowSince ?? null
  return have !== null && (since === null || since < have)
}

/** Which of these UIDs of the folder are stored already (a widening fetches only the others). */
function storedUidsOf(ctx: Ctx, ref: FolderRef, uids: number[]): number[] {
  if (!uids.length) return []
  return stmtPluck(ctx.sqlite, 'SELECT uid FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity = ? AND uid IN (SELECT value FROM json_each(?))')
    .all(ref.mailboxId, ref.folder, ref.uidValidity.toString(), JSON.stringify(uids)) as number[]
}

interface FetchPlan {
  folder: string
  total: number
  firstPass: boolean
  /** New UIDs (above the high-water mark) count into knownCount; a widening's older ones were counted already. */
  counted: boolean
  /** UIDs below this are ignored (`n:*` always answers with the last message, even an old one). */
  floor: number
}

/** A failed merge step is left to the next one (and to FTS5's crisismerge): it must not fail the sync. */
function mergeStep(d: FolderSyncDeps): void {
  try {
    d.store.mergeIndexStep(d.ctx)
  } catch {
    // the index stays correct, only less merged
  }
}

/**
 * Fetched mail → parse threads → store, pipelined: batches are parsed while the next ones are fetched, and
 * each store chunk commits with the folder's high-water mark (a crash refetches at most one chunk).
 */
async function storeFetched(d: FolderSyncDeps, st: FolderState, ref: FolderRef, source: AsyncIterable<FetchMessageObject>, plan: FetchPlan, result: FolderSyncResult): Promise<void> {
  const { ctx } = d
  let done = 0
  let chain: Promise<void> = Promise.resolve()
  /** One promise per batch not yet committed, oldest first, with the bytes of source it came as. */
  const inFlight: Array<{ done: Promise<void>; bytes: number }> = []
  let aheadBytes = 0
  let failure: unknown = null
  let chunkSize: number = CHUNK.start
  // A big first sync stores what the list and search need and leaves sanitising to the background pass.
  const deferHtml = plan.firstPass && plan.total >= (d.deferHtmlFrom ?? DEFER_HTML_FROM)
  const commit = (msgs: FetchMessageObject[], bytes: number) => {
    const items = msgs.map((m) => ({ source: m.source ?? Buffer.alloc(0), internalDate: dateMs(m.internalDate) }))
    // Only the IMAP side is kept here: the sources stay with the parse task (for its retry) and go with it.
    const meta = msgs.map((m, i) => ({ uid: m.uid, flags: [...(m.flags ?? [])], modseq: m.modseq ?? null, internalDate: items[i]!.internalDate, size: m.size ?? items[i]!.source.length }))
    // Nothing here reads a source once it is parsed: its memory goes back at once (pool.ts, release).
    const parsed = quickParse(items) ?? d.pool.parsePacked(items, { deferHtml, releaseSources: true })
    parsed.catch(() => {}) // seen by the chain below; this only keeps it from counting as unhandled
    chain = chain.then(async () => {
      const full: Array<PackedBody | null> = await parsed
      for (let i = 0; i < full.length; ) {
        // Every chunk in a turn of its own, the first of a batch too: it would otherwise run straight from the
        // parse thread's reply, in the same turn as the socket reads before it, while a UI read waits.
        await yieldToLoop()
        // Timed from here: opening the chunk is part of the turn a UI read waits behind.
        const t0 = performance.now()
        const end = chunkEnd(full as PackedBody[], i, chunkSize, CHUNK.maxBytes, (b) => b.bytes)
        // Opened only now, for this transaction: the rest of the batch waits as bytes (see PackedBody).
        const chunk: ParsedMessage[] = []
        for (let k = i; k < end; k++) chunk.push({ ...full[k]!.open(), ...meta[k]! })
        // Stored bodies are not held while the rest of the batch is stored.
        full.fill(null, i, end)
        // A chunk and the folder's high-water mark commit together: a crash refetches at most one chunk.
        ctx.sqlite.transaction(() => {
          d.store.storeMessages(ctx, ref, chunk)
          st.lastUid = Math.max(st.lastUid, ...chunk.map((m) => m.uid))
          if (plan.counted) st.knownCount += chunk.length
          saveFolder(ctx, st)
        })()
        chunkSize = adaptCount(chunkSize, performance.now() - t0, chunk.length < chunkSize && end < full.length)
        i = end
        // The index's merging, a bounded step in a turn of its own instead of inside some commit (../ftsMerge.ts).
        await yieldToLoop()
        mergeStep(d)
      }
      done += full.length
      result.fetched += full.length
      if (plan.firstPass) d.onProgress({ folder: plan.folder, done, total: plan.total })
    })
    const entry = { done: chain, bytes }
    aheadBytes += bytes
    inFlight.push(entry)
    void chain.then(
      () => (aheadBytes -= entry.bytes),
      (e) => ((aheadBytes -= entry.bytes), (failure ??= e)),
    )
  }
  let batch: FetchMessageObject[] = []
  let batchBytes = 0
  // Small batches first, so parsing and storing start while the fetch is still warming up.
  let limit = Math.min(FIRST_BATCH, d.batchSize)
  for await (const msg of source) {
    if (msg.uid < plan.floor) continue
    batch.push(msg)
    batchBytes += msg.source?.length ?? 0
    if (batch.length >= limit || batchBytes >= BATCH_MAX_BYTES) {
      commit(batch, batchBytes)
      batch = []
      batchBytes = 0
      limit = Math.min(limit * 2, d.batchSize)
      // Back-pressure, by count and by bytes: wait for the oldest batch only, so parsing and storing never run dry.
      while (inFlight.length >= MAX_BATCHES_AHEAD || (inFlight.length > 1 && aheadBytes > MAX_AHEAD_BYTES)) await inFlight.shift()!.done.catch(() => {})
      if (failure) break
    }
    if (d.isStopped()) break
  }
  if (batch.length && !failure) commit(batch, batchBytes)
  await chain
  if (failure) throw failure
}

/** First passes of this many messages or more defer sanitising (new mail and small folders never wait for it). */
export const DEFER_HTML_FROM = 1000

/**
 * Without CONDSTORE nothing says which flags changed: besides the newest UIDs on every pass, one chunk of
 * older messages is re-read per pass, walking down the folder by sequence number and starting over at the
 * top, so a change anywhere in the folder shows within (messages / chunk) passes.
 */
async function olderFlagChunk(d: FolderSyncDeps, path: string): Promise<FetchMessageObject[]> {
  const exists = d.client.mailbox && d.client.mailbox.path === path ? d.client.mailbox.exists : 0
  const below = exists - d.flagWindow
  if (below < 1 || d.flagChunk <= 0) return []
  let top = d.flagCursor.get(path) ?? below
  if (top < 1 || top > below) top = below
  const bottom = Math.max(1, top - d.flagChunk + 1)
  d.flagCursor.set(path, bottom - 1)
  return d.client.fetchAll(`${bottom}:${top}`, { uid: true, flags: true })
}

const dateMs = (v: Date | string | undefined): number => {
  const t = v instanceof Date ? v.getTime() : v ? Date.parse(v) : NaN
  return Number.isFinite(t) ? t : 0
}
