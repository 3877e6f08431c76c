// How the sync cuts fetched mail into store transactions. A transaction blocks the engine's thread (UI
// reads wait behind it), and its cost follows the bytes it writes (bodies, sanitised HTML, the FTS text)
// more than the message count: 200 small messages take a few ms, three 1 MB ones take tens. So a chunk
// ends at a count (adapted to how long the last one took) or at a byte budget, whichever comes first.
import type { ParsedMessage } from '../types'
import type { ParsedBody } from './parse'

export const CHUNK = {
  /** Messages in the first transaction of a fetch. */
  start: 25,
  min: 5,
  max: 200,
  /** Parsed content per transaction; a single message above it is stored on its own. */
  maxBytes: 2 * 1024 * 1024,
  /**
   * What a transaction aims to take, in ms. A window's inbox.list waits behind the transaction under way (issue
   * 23: p99 <= 20 ms through the socket during a first sync). Each count is scaled from the last one by
   * targetMs / its time, by at most maxGrow up and 1/2 down. Doubling after any transaction under 4 ms (the
   * old rule) overshot whenever the next messages were heavier. Against that rule, medians of three runs each:
   * at 100,000 messages 6 ms took inbox.list's p50 through the socket from 11.2 to 9.3 ms for 3 % more sync
   * time (29.0 -> 29.8 s; 3.75 -> 3.88 s at 10,000). 4 ms reached 7.8 ms but cost 7 % (31.1 s): each commit
   * writes the pages of every index it touched, and an FTS segment.
   */
  targetMs: 6,
  maxGrow: 1.5,
}

/** What storing a message writes, in characters/bytes: the bodies, the sanitised copy, headers, raw source. */
export function storeWeight(m: ParsedBody): number {
  let n = (m.text?.length ?? 0) + (m.html?.length ?? 0) + m.subject.length
  if (m.prepared) n += (m.prepared.safeHtml?.length ?? 0) + (m.prepared.htmlText?.length ?? 0)
  else n += m.html?.length ?? 0 // sanitised on the engine's thread: at least as costly again
  if (m.parseError && m.raw) n += m.raw.length
  for (const [k, v] of m.headers) n += k.length + v.length
  return n
}

/**
 * The end (exclusive) of the chunk that starts at `from`: at most `maxCount` messages and, beyond the
 * first, no more than `maxBytes` of content. Always at least one message, so progress is certain.
 */
export function chunkEnd<T = ParsedMessage>(msgs: T[], from: number, maxCount: number, maxBytes = CHUNK.maxBytes, weight: (m: T) => number = storeWeight as (m: T) => number): number {
  let end = from
  let bytes = 0
  while (end < msgs.length && end - from < maxCount) {
    const w = weight(msgs[end]!)
    if (end > from && bytes + w > maxBytes) break
    bytes += w
    end++
  }
  return end
}

/** Next chunk count from how long the last transaction took (see CHUNK.targetMs). */
export function adaptCount(count: number, ms: number, cut: boolean): number {
  const scale = Math.min(CHUNK.maxGrow, Math.max(0.5, CHUNK.targetMs / Math.max(ms, 0.01)))
  // A chunk cut short by bytes says nothing about whether more small messages would fit.
  if (scale > 1 && cut) return count
  return Math.max(CHUNK.min, Math.min(CHUNK.max, Math.round(count * scale)))
}

/** Lets timers and I/O (UI reads, the scheduler) run before the next piece of sync work. */
export const yieldToLoop = () => new Promise<void>((r) => setImmediate(r))
