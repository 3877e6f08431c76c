// A titled card around one chart, with a skeleton while its data loads.
import type { JSX } from 'react'

export const TOOLTIP = { borderRadius: 'var(--radius)', border: '1px solid var(--border)', background: 'var(--surface)', color: 'var(--text)', boxShadow: 'var(--shadow-md)', fontSize: 'var(--fs-sm)' }

export function ChartCard({ title, help, loading, children, actions }: { title: string; help: string; loading: boolean; children: JSX.Element | Array<JSX.Element | null>; actions?: JSX.Element }): JSX.Element {
  return (
    <section className="card chart-card" aria-label={title}>
      <div className="card-header">
        <div>
          <h3>{title}</h3>
          <p className="card-help">{help}</p>
        </div>
        {actions}
      </div>
      <div className="chart-body">{loading ? <div className="chart-skeleton" aria-busy="true" /> : children}</div>
    </section>
  )
}
