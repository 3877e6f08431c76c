// Sending windows: days of the week and hours in a time zone (the contact's, else the object's) within
// which a sequence step may leave. Outside it a step waits for the window's next opening. And the
// delays and waits between steps.
import type { Delay, SendWindow } from '../../../shared/automation'
import { wallParts, wallToInstant } from '../../../shared/zoneTime'

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const
/** An autoresponder action's delay or a sequence step's wait, in ms. */
export const delayMs = (d: Delay): number => d.value * UNIT_MS[d.unit]

export function inWindow(ms: number, w: SendWindow, tz: string): boolean {
  const p = wallParts(ms, tz)
  return w.days.includes(p.wd) && p.h >= w.startHour && p.h < w.endHour
}

/** `ms` itself when it is inside the window, else the window's next opening. */
export function nextAllowed(ms: number, w: SendWindow, tz: string): number {
  if (inWindow(ms, w, tz)) return ms
  const p = wallParts(ms, tz)
  for (let add = 0; add <= 7; add++) {
    const day = new Date(Date.UTC(p.y, p.m - 1, p.d + add))
    if (!w.days.includes(day.getUTCDay())) continue
    const start = wallToInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), w.startHour, 0, tz)
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
