// The dashboard: what automation sent and how people responded, per day for a chosen range and
// business (analytics.summary), as KPI cards and two charts, then a per-sequence funnel.
import { useMemo, useState, type JSX } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { BusinessOptions } from '../../components/BusinessOptions'
import { Segmented } from '../../components/Segmented'
import { rate } from '../../lib/automation'
import { formatCount } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { useApp } from '../../store'
import { LoadError } from '../automation/LoadState'
import { dailyRows, METRIC, RANGES, rangeOf, type Metric } from './analyticsData'
import { ChartCard, TOOLTIP } from './ChartCard'
import { FunnelCard } from './FunnelCard'

const KPIS: Array<{ metric: Metric; of?: Metric; rateLabel?: string }> = [
  { metric: 'sent' },
  { metric: 'opened', of: 'sent', rateLabel: 'open rate' },
  { metric: 'clicked', of: 'sent', rateLabel: 'click rate' },
  { metric: 'replied', of: 'sent', rateLabel: 'reply rate' },
  { metric: 'bounced', of: 'sent', rateLabel: 'bounce rate' },
  { metric: 'failed' },
  { metric: 'skipped' },
]

export function DashboardScreen(): JSX.Element {
  const objects = useApp((s) => s.objects)
  const [days, setDays] = useState(30)
  const [objectId, setObjectId] = useState('')
  const tz = objects?.find((o) => String(o.id) === objectId)?.timezone ?? 'UTC'
  const summary = useQuery(
    'analytics.summary',
    { ...rangeOf(days, tz), objectId: objectId ? Number(objectId) : undefined, groupBy: 'day' },
    { events: ['outbox.changed', 'automation.changed'], delayMs: 1500 },
  )
  const data = summary.data
  const rows = useMemo(() => (data ? dailyRows(data, days, tz) : []), [data, days, tz])
  const totals = data?.totals
  const nothing = totals && Object.values(totals).every((n) => n === 0)

  return (
    <div className="page dashboard-page">
      <PageHeader
        title="Dashboard"
        subtitle="What your autoresponders and sequences sent, and how people responded"
        actions={
          <>
            <label>
              <span className="visually-hidden">Business</span>
              <select className="input select select-compact" aria-label="Business" value={objectId} onChange={(e) => setObjectId(e.target.value)}>
                <BusinessOptions empty="All businesses" />
              </select>
            </label>
            <Segmented label="Date range" value={days} options={RANGES.map((r) => ({ value: r.days, label: r.label }))} onChange={setDays} />
          </>
        }
        actionsClassName="filters"
      />
      {summary.error && !data ? (
        <LoadError message={summary.error} onRetry={summary.reload} />
      ) : (
        <>
          <div className="kpi-grid" aria-label="Totals" aria-busy={!data}>
            {KPIS.map((k) => (
              <div key={k.metric} className="kpi-card" style={{ ['--kpi' as string]: METRIC[k.metric].color }}>
                <span className="kpi-label">
                  <span className="kpi-dot" aria-hidden="true" />
                  {METRIC[k.metric].label}
                </span>
                <span className="kpi-value">{totals ? formatCount(totals[k.metric]) : '–'}</span>
                <span className="kpi-sub">{k.of && totals ? `${rate(totals[k.metric], totals[k.of])} ${k.rateLabel}` : k.metric === 'sent' ? 'messages' : k.metric === 'failed' ? 'not delivered' : 'held back by rules'}</span>
              </div>
            ))}
          </div>
          {nothing && (
            <div className="inline-note dashboard-note">
              <Icon name="chart" size={16} />
              <span>Nothing was sent in this range yet. Charts fill in as autoresponders fire and sequences run.</span>
            </div>
          )}
          <div className="chart-grid">
            <ChartCard title="Sending" help="Messages per day, and those that failed or were skipped" loading={!data}>
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barCategoryGap="22%">
                  <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
                  <XAxis dataKey="day" tickLine={false} axisLine={false} tick={{ fontSize: 11.5, fill: 'var(--chart-axis)' }} minTickGap={16} />
                  <YAxis allowDecimals={false} tickLine={false} axisLine={false} tick={{ fontSize: 11.5, fill: 'var(--chart-axis)' }} />
                  <Tooltip cursor={{ fill: 'var(--chart-cursor)' }} contentStyle={TOOLTIP} />
                  <Legend itemSorter={null} iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12.5 }} />
                  {(['sent', 'failed', 'skipped'] as const).map((m, i, all) => (
                    <Bar key={m} dataKey={m} name={METRIC[m].label} stackId="s" fill={METRIC[m].color} radius={i === all.length - 1 ? [3, 3, 0, 0] : 0} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </ChartCard>
            <ChartCard title="Responses" help="Opens, clicks, replies and bounces per day" loading={!data}>
              <ResponsiveContainer width="100%" height={260}>
                <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
                  <XAxis dataKey="day" tickLine={false} axisLine={false} tick={{ fontSize: 11.5, fill: 'var(--chart-axis)' }} minTickGap={16} />
                  <YAxis allowDecimals={false} tickLine={false} axisLine={false} tick={{ fontSize: 11.5, fill: 'var(--chart-axis)' }} />
                  <Tooltip contentStyle={TOOLTIP} />
                  <Legend itemSorter={null} iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12.5 }} />
                  {(['opened', 'clicked', 'replied', 'bounced'] as const).map((m) => (
                    <Line key={m} type="monotone" dataKey={m} name={METRIC[m].label} stroke={METRIC[m].color} strokeWidth={2} dot={false} isAnimationActive={false} />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </ChartCard>
          </div>
          <FunnelCard objectId={objectId ? Number(objectId) : undefined} />
        </>
      )}
    </div>
  )
}
