// Sending windows: days of the week and hours in a time zone (the contact's, else the object's) within
// which a sequence step may leave. Outside it a step waits for the window's next opening. And the
// delays and waits between steps.
import type { Delay, SendWindow } from '../../../shared/automation'

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const
/** An autoresponder action's delay or a sequence step's wait, in ms. */
export const delayMs = (d: Delay): number => d.value * UNIT_MS[d.unit]

const fmts = new Map<string, Intl.DateTimeFormat>()
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

function parts(ms: number, tz: string) {
  let f = fmts.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
    fmts.set(tz, f)
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]))
  return { y: +p.year!, m: +p.month!, d: +p.day!, h: +p.hour!, min: +p.minute!, s: +p.second!, wd: WEEKDAYS[p.weekday!]! }
}

/** The instant of a wall-clock time in the zone (DST-safe to the hour: re-read the offset at the guess). */
export function wallToUtc(y: number, m: number, d: number, h: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, h)
  const offset = (ms: number) => {
    const p = parts(ms, tz)
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(ms / 1000) * 1000
  }
  let guess = wall - offset(wall)
  guess = wall - offset(guess)
  return guess
}

export function inWindow(ms: number, w: SendWindow, tz: string): boolean {
  const p = parts(ms, tz)
  return w.days.includes(p.wd) && p.h >= w.startHour && p.h < w.endHour
}

/** `ms` itself when it is inside the window, else the window's next opening. */
export function nextAllowed(ms: number, w: SendWindow, tz: string): number {
  if (inWindow(ms, w, tz)) return ms
  const p = parts(ms, tz)
  for (let add = 0; add <= 7; add++) {
    const day = new Date(Date.UTC(p.y, p.m - 1, p.d + add))
    if (!w.days.includes(day.getUTCDay())) continue
    const start = wallToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), w.startHour, tz)
    if (start > ms) return start
  }
  return ms + 7 * 86_400_000 // unreachable with at least one day picked
}

export function parseWindow(json: string | null): SendWindow | null {
  if (!json) return null
  try {
    return JSON.parse(json) as SendWindow
  } catch {
    return null
  }
}
