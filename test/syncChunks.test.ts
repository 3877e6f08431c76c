// How the sync cuts fetched mail into store transactions (sync/chunks.ts): by count and by bytes, so one
// transaction never holds megabytes of hostile mail (issue 14: the engine's thread yields between chunks).
import { describe, expect, it } from 'vitest'
import { adaptCount, CHUNK, chunkEnd, storeWeight } from '../src/main/engine/inbound/sync/chunks'
import type { ParsedMessage } from '../src/main/engine/inbound/types'

const MB = 1024 * 1024
function msg(uid: number, textBytes: number, extra: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    uid, flags: [], modseq: null, internalDate: 0, size: textBytes, messageId: null, inReplyTo: null, references: [], subject: '',
    date: 0, from: null, to: [], cc: [], replyTo: [], headers: [], text: 'x'.repeat(textBytes), html: null, attachments: [], dsn: null,
    parseError: null, raw: null, ...extra,
  }
}
/** Every chunk of a list, as the sync cuts it with a fixed count. */
function cut(msgs: ParsedMessage[], count: number, maxBytes = CHUNK.maxBytes): number[] {
  const sizes: number[] = []
  for (let i = 0; i < msgs.length; ) {
    const end = chunkEnd(msgs, i, count, maxBytes)
    sizes.push(end - i)
    i = end
  }
  return sizes
}

describe('store chunks', () => {
  it('counts what storing writes: bodies, the sanitised copy, headers, and the raw source of an unparsed message', () => {
    expect(storeWeight(msg(1, 1000))).toBe(1000)
    expect(storeWeight(msg(1, 0, { text: null, html: 'h'.repeat(300), prepared: { safeHtml: 's'.repeat(200), htmlState: 'ok', htmlRemote: false, htmlText: 't'.repeat(100), snippet: '' } }))).toBe(600)
    expect(storeWeight(msg(1, 10, { headers: [['x-big', 'v'.repeat(5000)]] }))).toBe(10 + 5 + 5000)
    expect(storeWeight(msg(1, 0, { text: null, parseError: 'bad', raw: Buffer.alloc(70_000) }))).toBe(70_000)
  })

  it('small messages fill a chunk by count', () => {
    const small = Array.from({ length: 100 }, (_, i) => msg(i + 1, 2000))
    expect(cut(small, 25)).toEqual([25, 25, 25, 25])
    expect(cut(small, 200)).toEqual([100])
  })

  it('big messages cut a chunk by bytes: each 1.5 MB message in a transaction of its own, small ones grouped up to the budget', () => {
    const mixed = [msg(1, 1.5 * MB), msg(2, 1.5 * MB), ...Array.from({ length: 10 }, (_, i) => msg(i + 3, 100_000)), msg(13, 3 * MB), msg(14, 10)]
    // 1.5 + 1.5 MB > 2 MB; the second 1.5 MB one takes five 100 kB ones with it (2.07 MB of 2.10), the other five go
    // together; the 3 MB one is alone (never skipped), the tiny one after it.
    expect(cut(mixed, 200)).toEqual([1, 6, 5, 1, 1])
    // No chunk of more than one message is over the budget.
    for (let i = 0, end = 0; i < mixed.length; i = end) {
      end = chunkEnd(mixed, i, 200)
      const bytes = mixed.slice(i, end).reduce((n, m) => n + storeWeight(m), 0)
      if (end - i > 1) expect(bytes).toBeLessThanOrEqual(CHUNK.maxBytes)
    }
  })

  it('the count scales toward the target time, by at most half down and maxGrow up, and a chunk cut by bytes does not make it grow', () => {
    expect(adaptCount(30, CHUNK.targetMs, false)).toBe(30)
    expect(adaptCount(40, CHUNK.targetMs * 1.25, false)).toBe(32)
    expect(adaptCount(40, CHUNK.targetMs * 10, false)).toBe(20)
    expect(adaptCount(30, CHUNK.targetMs / 1.2, false)).toBe(36)
    expect(adaptCount(30, 0.01, false)).toBe(Math.round(30 * CHUNK.maxGrow))
    expect(adaptCount(200, 0.01, false)).toBe(CHUNK.max)
    expect(adaptCount(25, 0.01, true)).toBe(25)
    expect(adaptCount(40, CHUNK.targetMs * 2, true)).toBe(20)
    expect(adaptCount(CHUNK.min, 100, false)).toBe(CHUNK.min)
  })
})
