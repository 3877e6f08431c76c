// Unread counts in the sidebar badge, the folder rail and the inbox header (issue 23, item 4): a count the
// engine stopped short of (unreadThreadsAtLeast) reads "N+", never as if it were exact.
import { describe, expect, it } from 'vitest'
import { unreadLabel } from '../../src/renderer/src/lib/inbox'

describe('unread count labels', () => {
  it('says "N+" when the count is a lower bound', () => {
    expect(unreadLabel(200, true)).toBe('200+')
    expect(unreadLabel(1234, true)).toBe('1,234+')
  })
  it('shows an exact count as it is', () => {
    expect(unreadLabel(200, false)).toBe('200')
    expect(unreadLabel(1234)).toBe('1,234')
    expect(unreadLabel(0)).toBe('0')
  })
})
