// Due times for people: shown in the business's time zone, typed as a wall-clock time there and sent to
// the engine as an instant with its offset ("2026-12-04T10:00:00-05:00"), so nothing depends on the
// zone of the computer the app runs on.
import { wallParts, zoneOffsetMs } from '../../../../shared/zoneTime'

const wall = wallParts

/** The zone's offset from UTC at that instant, in minutes. */
const offsetMinutes = (ms: number, tz: string): number => Math.round(zoneOffsetMs(ms, tz) / 60_000)

const pad = (n: number) => String(n).padStart(2, '0')

/** "YYYY-MM-DDTHH:mm" (a datetime-local value) read as a time in `tz` → ISO with that zone's offset. */
export function zonedIso(local: string, tz: string): string {
  const [date, time = '00:00'] = local.split('T')
  const [y, m, d] = date!.split('-').map(Number) as [number, number, number]
  const [h, min] = time.split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(y, m - 1, d, h, min)
  let off = offsetMinutes(asUtc, tz)
  off = offsetMinutes(asUtc - off * 60_000, tz)
  const sign = off < 0 ? '-' : '+'
  const a = Math.abs(off)
  return `${y}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(min)}:00${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
}

/** The datetime-local value of an instant in `tz`. */
export function localValue(ms: number, tz: string): string {
  const w = wall(ms, tz)
  return `${w.y}-${pad(w.m)}-${pad(w.d)}T${pad(w.h)}:${pad(w.min)}`
}

/** Tomorrow at 9:00 in `tz`: the default due time of a new task, as HubSpot and Todoist suggest. */
export function tomorrowMorning(now: number, tz: string): string {
  const w = wall(now + 86_400_000, tz)
  return `${w.y}-${pad(w.m)}-${pad(w.d)}T09:00`
}

/** `days` from now, same wall time, in `tz` ("remind me if no reply in 3 days"). */
export function inDays(now: number, days: number, tz: string): string {
  return localValue(now + days * 86_400_000, tz)
}

const dayKey = (ms: number, tz: string) => {
  const w = wall(ms, tz)
  return `${w.y}-${w.m}-${w.d}`
}

/** "Today 10:00", "Tomorrow 9:00", "Yesterday 17:30", "Thu 4 Dec 10:00" — in the business's zone. */
export function dueLabel(iso: string, tz: string, now = Date.now()): string {
  const ms = Date.parse(iso)
  const time = new Intl.DateTimeFormat(undefined, { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(ms)
  const k = dayKey(ms, tz)
  if (k === dayKey(now, tz)) return `Today ${time}`
  if (k === dayKey(now + 86_400_000, tz)) return `Tomorrow ${time}`
  if (k === dayKey(now - 86_400_000, tz)) return `Yesterday ${time}`
  const sameYear = wall(ms, tz).y === wall(now, tz).y
  return new Intl.DateTimeFormat(undefined, { timeZone: tz, weekday: 'short', day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), hour: 'numeric', minute: '2-digit' }).format(ms)
}

/** The short name of the zone ("EST", "GMT+1") to show beside times. */
export function zoneName(tz: string, at = Date.now()): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: tz, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? tz
}
