// Daily caps count per local day of the mailbox's business, so "today" depends on a time zone.
import { wallParts, wallToInstant, ymd } from '../../../shared/zoneTime'

/** The last answer per zone and the span it holds for: every claim asks, and the day rarely changes. */
const lastDay = new Map<string, { since: number; until: number; day: string }>()

/** "YYYY-MM-DD" of the instant in the zone. */
export function localDay(ms: number, tz: string): string {
  const hit = lastDay.get(tz)
  if (hit && ms >= hit.since && ms < hit.until) return hit.day
  const day = ymd(wallParts(ms, tz))
  lastDay.set(tz, { since: ms, until: nextLocalMidnight(ms, tz), day })
  return day
}

/** The first instant of the next local day (DST-safe: the offset is re-read at the answer). */
export function nextLocalMidnight(ms: number, tz: string): number {
  const { y, m, d } = wallParts(ms, tz)
  const next = wallToInstant(y, m, d + 1, 0, 0, tz)
  return next > ms ? next : ms + 1
}
