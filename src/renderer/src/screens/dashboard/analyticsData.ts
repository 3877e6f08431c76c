// Shapes the dashboard's data: the date range asked of the engine, one row per day (days with nothing
// sent still appear, so the chart's axis is even), and the metric words and colours (tokens from
// base.css, so the charts follow the theme).
import type { AnalyticsSummary } from '../../../../shared/automation'
import { wallParts, wallToInstant } from '../../../../shared/zoneTime'

export const METRICS = ['sent', 'failed', 'skipped', 'replied', 'bounced', 'opened', 'clicked'] as const
export type Metric = (typeof METRICS)[number]

export const METRIC: Record<Metric, { label: string; color: string }> = {
  sent: { label: 'Sent', color: 'var(--chart-sent)' },
  failed: { label: 'Failed', color: 'var(--chart-failed)' },
  skipped: { label: 'Skipped', color: 'var(--chart-skipped)' },
  replied: { label: 'Replied', color: 'var(--chart-replied)' },
  bounced: { label: 'Bounced', color: 'var(--chart-bounced)' },
  opened: { label: 'Opened', color: 'var(--chart-opened)' },
  clicked: { label: 'Clicked', color: 'var(--chart-clicked)' },
}

export const RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
] as const

// The engine buckets days in the business's time zone (UTC for all businesses); the range asked for and
// the day labels follow the same zone, so a bar is never shifted onto the neighbouring day.
type Ymd = { y: number; m: number; d: number }

const partsIn = wallParts
/** The day `shift` days after `day` (month and year roll over). */
const addDays = (day: Ymd, shift: number): Ymd => {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + shift))
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }
}
/** The instant the day starts in `tz`. */
const midnight = (day: Ymd, tz: string): number => wallToInstant(day.y, day.m, day.d, 0, 0, tz)
const keyOf = (day: Ymd) => `${day.y}-${day.m}-${day.d}`
const dayFmt = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })
const labelOf = (day: Ymd) => dayFmt.format(new Date(Date.UTC(day.y, day.m - 1, day.d)))

/** From the start of the day `days - 1` days ago to the end of today, in `tz`. */
export function rangeOf(days: number, tz: string, now = Date.now()): { from: string; to: string } {
  const today = partsIn(now, tz)
  return { from: new Date(midnight(addDays(today, -(days - 1)), tz)).toISOString(), to: new Date(midnight(addDays(today, 1), tz)).toISOString() }
}

export type DayRow = Record<Metric, number> & { day: string }

/** One row per day of the range, oldest first; days with nothing still appear. */
export function dailyRows(summary: AnalyticsSummary, days: number, tz: string, now = Date.now()): DayRow[] {
  const byKey = new Map(summary.buckets.map((b) => [keyOf(partsIn(Date.parse(b.at), tz)), b]))
  const today = partsIn(now, tz)
  const rows: DayRow[] = []
  for (let i = days - 1; i >= 0; i--) {
    const day = addDays(today, -i)
    const b = byKey.get(keyOf(day))
    rows.push({ day: labelOf(day), ...Object.fromEntries(METRICS.map((m) => [m, b?.[m] ?? 0])) } as DayRow)
  }
  return rows
}
