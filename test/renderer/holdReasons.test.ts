// Every hold reason the engine can give reads as words in the outbox (row, detail, banner), never as its
// raw code: HOLD_REASONS is the one list, and a reason added there needs words here.
import { describe, expect, it } from 'vitest'
import { HOLD_REASONS } from '../../src/shared/outbound'
import { HOLD_WORDS, reasonOf } from '../../src/renderer/src/lib/outbox'

const held = (statusReason: string, errorCode: string | null = null) => ({ status: 'held' as const, statusReason, scheduledFor: '2026-01-05T09:00:00.000Z', undoUntil: null, errorCode })

describe('hold reasons in the outbox', () => {
  it('lists unreachable with the others', () => {
    expect(HOLD_REASONS).toContain('unreachable')
  })

  it.each(HOLD_REASONS)('"%s" has words of its own', (r) => {
    expect(HOLD_WORDS[r]).toBeTruthy()
    expect(reasonOf(held(r))).toBe(HOLD_WORDS[r])
    expect(reasonOf(held(r))).not.toBe(r)
  })

  it('an unreachable server says which problem it is when the engine knows', () => {
    expect(reasonOf(held('unreachable', 'CONNECTION_REFUSED'))).not.toBe(HOLD_WORDS.unreachable)
    expect(reasonOf(held('unreachable', 'CONNECTION_REFUSED'))).toBeTruthy()
  })
})
