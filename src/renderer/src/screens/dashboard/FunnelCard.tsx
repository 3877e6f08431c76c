// Per-sequence funnel: for each step, how many were sent, opened, replied and bounced
// (analytics.funnel), beside how many are enrolled.
import { useState, type JSX } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { EmptyState } from '../../components/EmptyState'
import { NamedOptions } from '../../components/BusinessOptions'
import { Table } from '../../components/Table'
import { rate } from '../../lib/automation'
import { formatCount } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { ChartCard, TOOLTIP } from './ChartCard'
import { METRIC } from './analyticsData'

export function FunnelCard({ objectId }: { objectId?: number }): JSX.Element {
  const sequences = useQuery('sequences.list', { objectId }, { events: ['automation.changed'], delayMs: 1000 })
  const [picked, setPicked] = useState<number | null>(null)
  const list = sequences.data ?? []
  const current = list.find((s) => s.id === picked) ?? list[0]
  const funnel = useQuery('analytics.funnel', current ? { sequenceId: current.id } : null, { events: ['outbox.changed', 'automation.changed'], delayMs: 1500 })
  const f = funnel.data
  const rows = f?.steps.map((s) => ({ step: `Step ${s.position}`, subject: s.subject, sent: s.sent, opened: s.opened, replied: s.replied, bounced: s.bounced })) ?? []
  const sentFirst = f?.steps[0]?.sent ?? 0
  const replied = f?.steps.reduce((n, s) => n + s.replied, 0) ?? 0

  if (sequences.data && list.length === 0)
    return (
      <section className="card chart-card" aria-label="Sequence funnel">
        <div className="card-header">
          <div>
            <h3>Sequence funnel</h3>
            <p className="card-help">Step by step, for one sequence</p>
          </div>
        </div>
        <EmptyState icon="funnel" title="No sequences to chart" actions={<a className="btn" href={hrefFor({ name: 'sequences', id: 'new' })}>New sequence</a>}>
          Once a sequence runs, its funnel shows how many got each step, opened it and replied.
        </EmptyState>
      </section>
    )

  return (
    <ChartCard
      title="Sequence funnel"
      help={f ? `${formatCount(f.enrolled)} enrolled · ${formatCount(sentFirst)} got step 1 · ${rate(replied, f.enrolled)} replied` : 'Step by step, for one sequence'}
      loading={!f}
      actions={
        <select className="input select select-compact" aria-label="Sequence" value={current?.id ?? ''} onChange={(e) => setPicked(Number(e.target.value))}>
          <NamedOptions items={list} />
        </select>
      }
    >
      <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 52 + 56)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }} barGap={2} barCategoryGap="24%">
          <CartesianGrid horizontal={false} stroke="var(--chart-grid)" />
          <XAxis type="number" allowDecimals={false} tickLine={false} axisLine={false} tick={{ fontSize: 11.5, fill: 'var(--chart-axis)' }} />
          <YAxis type="category" dataKey="step" width={64} tickLine={false} axisLine={false} tick={{ fontSize: 12.5, fill: 'var(--chart-label)' }} />
          <Tooltip contentStyle={TOOLTIP} cursor={{ fill: 'var(--chart-cursor)' }} labelFormatter={(label, payload) => `${label}: ${(payload?.[0]?.payload as { subject?: string } | undefined)?.subject ?? ''}`} />
          <Legend itemSorter={null} iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12.5 }} />
          {(['sent', 'opened', 'replied', 'bounced'] as const).map((m) => (
            <Bar key={m} dataKey={m} name={METRIC[m].label} fill={METRIC[m].color} radius={[0, 3, 3, 0]} barSize={12} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      {f && f.steps.length > 0 ? (
        <Table label="Funnel by step" columns={['Step', { label: 'Sent', num: true }, { label: 'Opened', num: true }, { label: 'Replied', num: true }, { label: 'Bounced', num: true }, { label: 'Reply rate', num: true }]} className="funnel-table">
          {f.steps.map((s) => (
            <tr key={s.position}>
              <td>
                <span className="row-text">
                  <strong>{s.position}.</strong> {s.subject}
                </span>
              </td>
              <td className="num strong">{formatCount(s.sent)}</td>
              <td className="num">{formatCount(s.opened)}</td>
              <td className="num">{formatCount(s.replied)}</td>
              <td className={`num${s.bounced ? ' danger-text' : ''}`}>{formatCount(s.bounced)}</td>
              <td className="num">{rate(s.replied, s.sent)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </ChartCard>
  )
}
