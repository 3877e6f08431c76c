// Shapes the dashboard's data: the date range asked of the engine, one row per day (days with nothing
// sent still appear, so the chart's axis is even), and the metric words and colours.
import type { AnalyticsSummary } from '../../../../shared/automation'

export const METRICS = ['sent', 'failed', 'skipped', 'replied', 'bounced', 'opened', 'clicked'] as const
export type Metric = (typeof METRICS)[number]

export const METRIC: Record<Metric, { label: string; color: string }> = {
  sent: { label: 'Sent', color: '#5b5bd6' },
  failed: { label: 'Failed', color: '#e5484d' },
  skipped: { label: 'Skipped', color: '#b9b9c6' },
  replied: { label: 'Replied', color: '#8e5cf0' },
  bounced: { label: 'Bounced', color: '#e39a1c' },
  opened: { label: 'Opened', color: '#3b7be8' },
  clicked: { label: 'Clicked', color: '#1ba39c' },
}

export const RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
] as const

/** From the start of the day `days - 1` days ago to the end of today, in local time. */
export function rangeOf(days: number, now = new Date()): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1))
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)
  return { from: start.toISOString(), to: end.toISOString() }
}

const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`
const dayFmt = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' })

export type DayRow = Record<Metric, number> & { day: string }

export function dailyRows(summary: AnalyticsSummary, days: number, now = new Date()): DayRow[] {
  const byKey = new Map(summary.buckets.map((b) => [dayKey(new Date(b.at)), b]))
  const rows: DayRow[] = []
  let matched = 0
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)
    const b = byKey.get(dayKey(d))
    if (b) matched++
    rows.push({ day: dayFmt.format(d), ...Object.fromEntries(METRICS.map((m) => [m, b?.[m] ?? 0])) } as DayRow)
  }
  // Buckets on another day boundary (the engine's zone differs from this window's): show them as given.
  if (matched < summary.buckets.length) return summary.buckets.map((b) => ({ day: dayFmt.format(new Date(b.at)), ...Object.fromEntries(METRICS.map((m) => [m, b[m]])) }) as DayRow)
  return rows
}
