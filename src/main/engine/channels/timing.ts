// When a communication may first leave, by urgency (seed 003): critical now; high now unless the business's
// quiet hours hold it; normal within business hours (9–18, Monday to Friday) in the contact's time zone (the business's when
// unknown, never the machine's); low in the once-a-day batch (09:00 there). Quiet hours apply to all but critical.
import type { Urgency } from '../../../shared/channels'
import { nextAllowed } from '../automation/sendWindow'

const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6]
/** Business hours are a working day's (Monday to Friday, 0 = Sunday): a normal message waits over a weekend. */
const BUSINESS_DAYS = [1, 2, 3, 4, 5]
export const BUSINESS_HOURS = { startHour: 9, endHour: 18 }
export const DAILY_BATCH_HOUR = 9

export interface QuietHours {
  /** Quiet from this hour … */
  startHour: number
  /** … until this hour (may be the next day: 21 → 8). */
  endHour: number
}

/** The first instant at or after `ms` outside the quiet hours. */
function afterQuiet(ms: number, q: QuietHours | null, tz: string): number {
  if (!q || q.startHour === q.endHour) return ms
  // Allowed hours are the complement: [end, start) when quiet wraps midnight, else two windows.
  if (q.endHour < q.startHour) return nextAllowed(ms, { days: ALL_DAYS, startHour: q.endHour, endHour: q.startHour }, tz)
  const a = nextAllowed(ms, { days: ALL_DAYS, startHour: 0, endHour: q.startHour }, tz)
  const b = q.endHour < 24 ? nextAllowed(ms, { days: ALL_DAYS, startHour: q.endHour, endHour: 24 }, tz) : Infinity
  return Math.min(a, b)
}

export function sendTime(urgency: Urgency, now: number, tz: string, quiet: QuietHours | null): number {
  switch (urgency) {
    case 'critical':
      return now
    case 'high':
      return afterQuiet(now, quiet, tz)
    case 'normal': {
      // Business hours and out of quiet hours: step until both agree (a few steps at most).
      let t = now
      for (let i = 0; i < 4; i++) {
        const next = afterQuiet(nextAllowed(t, { days: BUSINESS_DAYS, ...BUSINESS_HOURS }, tz), quiet, tz)
        if (next === t) break
        t = next
      }
      return t
    }
    case 'low':
      // The daily batch: the next 09:00 hour's start in the zone.
      return afterQuiet(nextBatchStart(now, tz), quiet, tz)
  }
}

/** The start of the next 09:00 hour strictly after `now` (nextAllowed returns `now` itself inside the hour). */
function nextBatchStart(now: number, tz: string): number {
  const w = { days: ALL_DAYS, startHour: DAILY_BATCH_HOUR, endHour: DAILY_BATCH_HOUR + 1 }
  let t = nextAllowed(now, w, tz)
  if (t <= now) t = nextAllowed(now + 3_600_000, w, tz)
  return t
}
