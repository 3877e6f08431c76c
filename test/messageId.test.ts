// Message-IDs are UUIDv7 on the sender's domain: unique, and in order (time, then a counter within the
// millisecond), so rows queued together sit side by side in the outbox's unique index.
import { describe, expect, it } from 'vitest'
import { newMessageId } from '../src/main/engine/outbound/queue'

const V7 = /^<[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@shop\.test>$/
const msOf = (id: string) => parseInt(id.slice(1, 9) + id.slice(10, 14), 16)

describe('newMessageId', () => {
  it('is a UUIDv7 on the sender’s domain, whose first 48 bits are the time', () => {
    const t = Date.UTC(2030, 11, 3, 20, 0, 0, 123)
    const id = newMessageId('ann@shop.test', t)
    expect(id).toMatch(V7)
    expect(msOf(id)).toBe(t)
  })

  it('sorts in the order made, within one millisecond, past 4,096 of them, and with a clock set back', () => {
    const t = Date.UTC(2031, 0, 1)
    const ids = [
      ...Array.from({ length: 10_000 }, () => newMessageId('ann@shop.test', t)), // a frozen (test) clock
      ...Array.from({ length: 100 }, (_, i) => newMessageId('ann@shop.test', t - 5000 + i)), // set back
      ...Array.from({ length: 100 }, (_, i) => newMessageId('ann@shop.test', t + 60_000 + i)),
    ]
    expect(new Set(ids).size).toBe(ids.length)
    for (let i = 1; i < ids.length; i++) expect(ids[i - 1]! < ids[i]!, `id ${i}`).toBe(true)
    for (const id of ids) expect(id).toMatch(V7)
    // Borrowed milliseconds stay close to the real time.
    expect(msOf(ids[9_999]!) - t).toBeLessThan(10)
    expect(msOf(ids[10_199]!)).toBe(t + 60_000 + 99)
  })

  it('falls back to a local domain for an address without one', () => {
    expect(newMessageId('nobody')).toMatch(/^<[0-9a-f-]{36}@switchboard\.local>$/)
  })
})
