// The side panel when no step is selected: how the flow stands (leads by status while it runs, each
// opening its list), what keeps it from running, and how to build it.
import type { JSX } from 'react'
import type { Flow, FlowStats, GraphProblem } from '../../../../shared/flows'
import { Icon } from '../../components/Icons'
import { formatCount } from '../../lib/format'
import { LEAD_STATUSES } from './flowGraph'
import { LEAD_STATUS } from './LeadsDialog'

interface Props {
  flow: Flow
  stats: FlowStats | null | undefined
  problems: GraphProblem[]
  onEnroll: () => void
  onLeads: (nodeId: string) => void
}

export function FlowOverview({ flow, stats, problems, onEnroll }: Props): JSX.Element {
  const total = stats ? LEAD_STATUSES.reduce((n, s) => n + (stats.leads[s] ?? 0), 0) : 0
  return (
    <aside className="flow-panel" aria-label="Flow overview">
      <header className="flow-panel-head">
        <span className="flow-node-icon flow-icon-start" aria-hidden="true">
          <Icon name="flow" size={14} />
        </span>
        <div className="flow-panel-title">
          <h2>{flow.status === 'draft' ? 'Build the flow' : 'Leads'}</h2>
          <span>{flow.status === 'draft' ? 'Nothing is sent until you activate it' : `${formatCount(total)} enrolled in all`}</span>
        </div>
      </header>
      <div className="flow-panel-body">
        {stats && (
          <>
            <dl className="flow-lead-stats" aria-label="Leads by status">
              {LEAD_STATUSES.map((s) => (
                <div key={s} className={`flow-lead-stat tone-${LEAD_STATUS[s].tone}`}>
                  <dt>{LEAD_STATUS[s].label}</dt>
                  <dd>{formatCount(stats.leads[s] ?? 0)}</dd>
                </div>
              ))}
            </dl>
            {flow.status === 'active' && (
              <button type="button" className="btn btn-block" onClick={onEnroll}>
                <Icon name="plus" /> Enrol contacts
              </button>
            )}
            <p className="flow-panel-note">Click a count on a step to see the leads there and the path each took.</p>
          </>
        )}
        {problems.length > 0 && (
          <section className="flow-overview-problems" aria-label="What to fix">
            <h3>
              <Icon name="alert" size={13} /> What to fix before it can run
            </h3>
            <ul>
              {problems.slice(0, 8).map((p) => (
                <li key={`${p.nodeId}:${p.message}`}>{p.message}</li>
              ))}
              {problems.length > 8 && <li>…and {formatCount(problems.length - 8)} more</li>}
            </ul>
          </section>
        )}
        {!stats && (
          <ol className="flow-howto">
            <li>Drag steps from the palette onto the canvas.</li>
            <li>Connect a step’s bottom handle to the next step’s top. A condition has a green “yes” and a red “no” handle.</li>
            <li>Select a step to set it up here: the email, how long to wait, what to check.</li>
            <li>Save, then activate and enrol contacts.</li>
          </ol>
        )}
        <p className="flow-panel-keys">
          <kbd>Delete</kbd> removes the selection · <kbd>Ctrl</kbd>+<kbd>Z</kbd> undoes · scroll to zoom, drag the background to pan
        </p>
      </div>
    </aside>
  )
}
