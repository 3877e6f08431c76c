// A titled card around one chart, with a skeleton while its data loads.
import type { JSX } from 'react'

export const TOOLTIP = { borderRadius: 8, border: '1px solid #e7e7eb', boxShadow: '0 4px 12px rgba(16,16,24,0.08)', fontSize: 12.5 }

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
