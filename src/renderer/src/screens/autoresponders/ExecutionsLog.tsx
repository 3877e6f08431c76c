// What an autoresponder did, newest first: each firing per contact and message, with its status and,
// for failures and skips, the reason in the engine's words.
import { useState, type JSX } from 'react'
import type { Autoresponder, Execution } from '../../../../shared/automation'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { Segmented } from '../../components/Segmented'
import { Table } from '../../components/Table'
import { EXECUTION_STATUS } from '../../lib/automation'
import { formatWhen, relativeTime } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { LoadError, SkeletonRows, StatusBadge } from '../automation/LoadState'

const FILTERS: Array<Execution['status'] | 'ALL'> = ['ALL', 'SENT', 'PENDING', 'FAILED', 'SKIPPED']

export function ExecutionsLog({ autoresponder }: { autoresponder: Autoresponder }): JSX.Element {
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('ALL')
  const log = useQuery('autoresponders.executions', { autoresponderId: autoresponder.id, limit: 500 }, { events: ['automation.changed', 'outbox.changed'], delayMs: 400 })
  const all = log.data
  const counts = Object.fromEntries(FILTERS.map((f) => [f, f === 'ALL' ? (all?.length ?? 0) : (all?.filter((e) => e.status === f).length ?? 0)]))
  const rows = filter === 'ALL' ? all : all?.filter((e) => e.status === filter)

  return (
    <section className="card table-card" aria-labelledby="exec-head">
      <div className="card-header">
        <div>
          <h3 id="exec-head">Activity</h3>
          <p className="card-help">Every message this autoresponder queued, and why any did not go out</p>
        </div>
        <Segmented label="Filter by status" value={filter} options={FILTERS.map((f) => ({ value: f, label: f === 'ALL' ? 'All' : EXECUTION_STATUS[f].label, count: counts[f] }))} onChange={setFilter} />
      </div>
      {log.error && !all ? (
        <div className="card-body">
          <LoadError message={log.error} onRetry={log.reload} />
        </div>
      ) : !rows ? (
        <SkeletonRows />
      ) : rows.length === 0 ? (
        <EmptyState icon="clock" title={filter === 'ALL' ? 'Nothing has fired yet' : `No ${EXECUTION_STATUS[filter as Execution['status']].label.toLowerCase()} messages`}>
          {filter === 'ALL' ? 'When the trigger happens to a contact, each message it queues shows up here with how it went.' : 'Pick another status to see the rest.'}
        </EmptyState>
      ) : (
        <Table label="Executions" columns={['Contact', 'Message', 'Status', 'When', 'Details']}>
          {rows.map((e) => {
            const index = autoresponder.actions.findIndex((a) => a.id === e.actionId)
            const action = autoresponder.actions[index]
            const number = index >= 0 ? index + 1 : e.actionPosition
            const s = EXECUTION_STATUS[e.status]
            return (
              <tr key={e.id}>
                <td>
                  {e.contactId ? (
                    <a className="row-title" href={hrefFor({ name: 'contact', id: e.contactId })}>
                      {e.contactName || e.contactEmail || 'Unnamed contact'}
                    </a>
                  ) : (
                    <span className="row-title">{e.contactName || 'Deleted contact'}</span>
                  )}
                  {e.contactEmail && <span className="row-sub">{e.contactEmail}</span>}
                </td>
                <td>
                  <span className="row-text">{action?.subject ?? `Action ${number}`}</span>
                  <span className="row-sub">Action {number}</span>
                </td>
                <td>
                  <StatusBadge label={s.label} tone={s.tone} />
                </td>
                <td className="muted-cell" title={formatWhen(e.scheduledFor)}>
                  {e.status === 'PENDING' ? `Due ${relativeTime(e.scheduledFor)}` : relativeTime(e.createdAt)}
                </td>
                <td className="reason-cell">
                  {e.error ? (
                    <span className={`reason reason-${s.tone}`}>
                      <Icon name="alert" size={13} /> {e.error}
                    </span>
                  ) : e.outboundId ? (
                    <a href={hrefFor({ name: 'outbox', id: e.outboundId })}>View in outbox</a>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            )
          })}
        </Table>
      )}
    </section>
  )
}
