// Wall-clock time in an IANA zone, for the engine (daily caps, sending windows, analytics buckets, flow waits)
// and the renderer (due times, chart days) alike: one cached formatter per zone, and the DST-safe way back
// from a wall-clock time to an instant. Nothing here reads the computer's own zone.

export interface Wall {
  y: number
  /** 1–12 */
  m: number
  d: number
  /** 0–23 */
  h: number
  min: number
  s: number
  /** 0 = Sunday … 6 = Saturday */
  wd: number
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
    formatters.set(tz, f)
  }
  return f
}

/** The wall-clock reading of an instant in the zone. */
export function wallParts(ms: number, tz: string): Wall {
  const p: Record<string, string> = {}
  for (const x of formatter(tz).formatToParts(ms)) p[x.type] = x.value
  // Some engines print midnight as 24 even with h23.
  return { y: +p.year!, m: +p.month!, d: +p.day!, h: +p.hour! % 24, min: +p.minute!, s: +p.second!, wd: WEEKDAYS[p.weekday!]! }
}

/** The zone's offset from UTC at that instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const w = wallParts(ms, tz)
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(ms / 1000) * 1000
}

/**
 * The instant a wall-clock time in the zone names. Out-of-range parts roll over (day 32 is next month's
 * first). Across DST: an hour repeated in the autumn takes its first occurrence; a time skipped by the
 * spring-forward moves past the gap (02:30 becomes 03:30), never before it, so a window opening at a skipped
 * hour never opens early.
 */
export function wallToInstant(y: number, m: number, d: number, h: number, min: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, h, min)
  // The zone's offsets half a day either side are the two it can have at that time (changes are months apart).
  const cands = [wall - zoneOffsetMs(wall - 43_200_000, tz), wall - zoneOffsetMs(wall + 43_200_000, tz)]
  const named = cands.filter((t) => t + zoneOffsetMs(t, tz) === wall)
  return named.length ? Math.min(...named) : Math.max(...cands)
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** "YYYY-MM-DD" of a wall reading. */
export const ymd = (w: Pick<Wall, 'y' | 'm' | 'd'>): string => `${w.y}-${pad(w.m)}-${pad(w.d)}`
