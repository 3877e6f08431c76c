// Event details keep instants as the engine wrote them (ISO, UTC); the outbox timeline shows them as a date and
// time in the viewer's zone, like every other date on the screen.
import { describe, expect, it } from 'vitest'
import { formatDate, withLocalTimes } from '../../src/renderer/src/lib/format'

describe('withLocalTimes', () => {
  it('shows each instant in a stored detail as the screen shows dates, and leaves the rest alone', () => {
    const at = '2026-12-05T06:22:09.495Z'
    expect(withLocalTimes(`Scheduled for ${at}`)).toBe(`Scheduled for ${formatDate(at)}`)
    expect(withLocalTimes(`Scheduled for ${at}`)).not.toContain('T06:22')
    expect(withLocalTimes('Daily cap of 3 reached; resumes at 2026-12-06T00:00:00.000Z, when its sending window opens')).toBe(
      `Daily cap of 3 reached; resumes at ${formatDate('2026-12-06T00:00:00.000Z')}, when its sending window opens`,
    )
    expect(withLocalTimes('Invoice 2026-114 bounced: 550 no such user')).toBe('Invoice 2026-114 bounced: 550 no such user')
  })
})
