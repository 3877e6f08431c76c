// The first sync's estimate of the time left (issue 23, item 6): from the recent rate, null until known.
import { describe, expect, it } from 'vitest'
import { EtaEstimator } from '../src/main/engine/inbound/sync/eta'

describe('time left of a first sync', () => {
  it('waits for a rate, then follows the recent one and restarts per folder', () => {
    const e = new EtaEstimator()
    expect(e.estimate({ folder: 'INBOX', done: 100, total: 10_000 }, 0)).toBeNull()
    expect(e.estimate({ folder: 'INBOX', done: 150, total: 10_000 }, 500)).toBeNull() // under a second of samples
    // 1,000 messages in 2 s: 500/s, 8,900 left → 18 s.
    expect(e.estimate({ folder: 'INBOX', done: 1100, total: 10_000 }, 2000)).toBe(18)
    // Slower lately: the window forgets samples older than 30 s.
    expect(e.estimate({ folder: 'INBOX', done: 5000, total: 10_000 }, 40_000)).toBe(Math.ceil((5000 * (40_000 - 2000)) / (5000 - 1100) / 1000))
    expect(e.estimate({ folder: 'INBOX', done: 10_000, total: 10_000 }, 41_000)).toBe(0)
    expect(e.estimate({ folder: 'Sent', done: 10, total: 500 }, 42_000)).toBeNull()
  })
})
