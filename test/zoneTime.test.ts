// Wall-clock time in a zone, shared by the engine and the renderer: readings, offsets and the way back,
// across both DST changes, in zones off UTC by a half or three quarters of an hour.
import { describe, expect, it } from 'vitest'
import { nextAllowed } from '../src/main/engine/automation/sendWindow'
import { nextLocalMidnight } from '../src/main/engine/outbound/localDay'
import { wallParts, wallToInstant, ymd, zoneOffsetMs } from '../src/shared/zoneTime'

describe('zoneTime', () => {
  it('reads the wall clock, weekday included, and the offset, in any zone', () => {
    const t = Date.UTC(2026, 2, 8, 6, 59, 30) // 01:59:30 EST, a Sunday, a minute before spring-forward
    expect(wallParts(t, 'America/New_York')).toEqual({ y: 2026, m: 3, d: 8, h: 1, min: 59, s: 30, wd: 0 })
    expect(zoneOffsetMs(t, 'America/New_York')).toBe(-5 * 3_600_000)
    expect(zoneOffsetMs(t + 60_000, 'America/New_York')).toBe(-4 * 3_600_000)
    expect(zoneOffsetMs(t, 'Asia/Kathmandu')).toBe(5.75 * 3_600_000)
    expect(wallParts(Date.UTC(2026, 11, 31, 23, 30), 'Asia/Kolkata')).toMatchObject({ y: 2027, m: 1, d: 1, h: 5, min: 0, wd: 5 })
    expect(ymd(wallParts(Date.UTC(2026, 0, 5, 4), 'America/Los_Angeles'))).toBe('2026-01-04')
  })

  it('turns a wall-clock time back into its instant, across DST, rolling over out-of-range days', () => {
    expect(wallToInstant(2026, 7, 1, 9, 30, 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 13, 30))
    expect(wallToInstant(2026, 1, 1, 9, 0, 'America/New_York')).toBe(Date.UTC(2026, 0, 1, 14, 0))
    // Midnight after the spring-forward day and after the autumn day.
    expect(wallToInstant(2026, 3, 9, 0, 0, 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4))
    expect(wallToInstant(2026, 11, 2, 0, 0, 'America/New_York')).toBe(Date.UTC(2026, 10, 2, 5))
    // 02:30 does not exist on 8 March in New York: it moves past the gap (03:30 EDT), never before it.
    expect(wallToInstant(2026, 3, 8, 2, 30, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 30))
    // 01:30 happens twice on 1 November: the first one (EDT) is taken.
    expect(wallToInstant(2026, 11, 1, 1, 30, 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30))
    // 32 January is 1 February; a half-hour zone.
    expect(wallToInstant(2026, 1, 32, 0, 0, 'Asia/Kolkata')).toBe(Date.UTC(2026, 0, 31, 18, 30))
  })

  it('never opens a sending window early on the night the clocks spring forward', () => {
    // A window opening at 02:00 on Sunday 8 March 2026 in New York, asked on the Saturday evening: 02:00 does
    // not exist that night, so it opens at 03:00 EDT (07:00Z). It used to answer 01:00 EST, an hour early.
    const saturdayEvening = Date.UTC(2026, 2, 8, 1) // 20:00 EST on the 7th
    expect(nextAllowed(saturdayEvening, { days: [0], startHour: 2, endHour: 5 }, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7))
    expect(nextLocalMidnight(saturdayEvening, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 5))
  })
})
