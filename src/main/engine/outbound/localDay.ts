// Daily caps count per local day of the mailbox's business, so "today" depends on a time zone.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    formatters.set(tz, f)
  }
  return f
}

function parts(ms: number, tz: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = Object.fromEntries(formatter(tz).formatToParts(ms).map((x) => [x.type, x.value]))
  return { y: +p.year!, m: +p.month!, d: +p.day!, h: +p.hour!, min: +p.minute!, s: +p.second! }
}

/** The last answer per zone and the span it holds for: every claim asks, and the day rarely changes. */
const lastDay = new Map<string, { since: number; until: number; day: string }>()

/** "YYYY-MM-DD" of the instant in the zone. */
export function localDay(ms: number, tz: string): string {
  const hit = lastDay.get(tz)
  if (hit && ms >= hit.since && ms < hit.until) return hit.day
  const { y, m, d } = parts(ms, tz)
  const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  lastDay.set(tz, { since: ms, until: nextLocalMidnight(ms, tz), day })
  return day
}

/** The zone's offset from UTC at that instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, tz: string): number {
  const p = parts(ms, tz)
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(ms / 1000) * 1000
}

/** The first instant of the next local day (DST-safe: the offset is re-read at the answer). */
export function nextLocalMidnight(ms: number, tz: string): number {
  const { y, m, d } = parts(ms, tz)
  const wallMidnight = Date.UTC(y, m - 1, d + 1)
  let guess = wallMidnight - offsetAt(ms, tz)
  guess = wallMidnight - offsetAt(guess, tz)
  return guess > ms ? guess : ms + 1
}
