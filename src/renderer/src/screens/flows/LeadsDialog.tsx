// The leads of one step (flows.leads {flowId, nodeId}): who is there now, or everyone who passed through
// it, with their status, when a wait ends and the path each took. Kept fresh on the engine's flow events.
import { useEffect, useState, type JSX } from 'react'
import type { FlowLead } from '../../../../shared/flows'
import { Dialog } from '../../components/Dialog'
import { Segmented } from '../../components/Segmented'
import { Table } from '../../components/Table'
import { formatCount, formatWhen, plural } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { messageOf } from '../../lib/errors'
import { rpc } from '../../rpc'
import { LoadError, SkeletonRows } from '../automation/LoadState'
import { visits } from './flowGraph'

export const LEAD_STATUS: Record<FlowLead['status'], { label: string; tone: string }> = {
  pending: { label: 'Pending', tone: 'slate' },
  running: { label: 'Running', tone: 'blue' },
  waiting: { label: 'Waiting', tone: 'amber' },
  completed: { label: 'Completed', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  exited: { label: 'Exited', tone: 'slate' },
}

const PAGE = 100

export function LeadsDialog({ flowId, nodeId, onClose }: { flowId: number; nodeId: string; onClose: () => void }): JSX.Element {
  const [scope, setScope] = useState<'here' | 'passed'>('here')
  const events = [{ event: 'flows.changed' as const, when: (p: { flowIds: number[] }) => p.flowIds.includes(flowId) }]
  const here = useQuery('flows.leads', scope === 'here' ? { flowId, nodeId, limit: 200 } : null, { events, delayMs: 300 })
  // "Passed through" asks the engine for the leads whose path visits this step, a page at a time.
  const all = useQuery('flows.leads', scope === 'passed' ? { flowId, nodeId, passed: true, limit: PAGE } : null, { events, delayMs: 300 })
  const [more, setMore] = useState<{ items: FlowLead[]; nextCursor: string | null; error?: string } | null>(null)
  // A fresh first page (the flow moved) starts the list again.
  useEffect(() => setMore(null), [all.data, scope])
  const showMore = () => {
    const cursor = more ? more.nextCursor : all.data?.nextCursor
    if (!cursor) return
    rpc('flows.leads', { flowId, nodeId, passed: true, limit: PAGE, cursor }).then(
      (page) => setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], nextCursor: page.nextCursor })),
      (err) => setMore((m) => ({ items: m?.items ?? [], nextCursor: m?.nextCursor ?? cursor, error: messageOf(err) })),
    )
  }
  const q = scope === 'here' ? here : all
  const items = scope === 'here' ? here.data?.items : all.data && [...all.data.items, ...(more?.items ?? [])]
  const nextCursor = scope === 'here' ? here.data?.nextCursor : more ? more.nextCursor : all.data?.nextCursor
  return (
    <Dialog title={`Leads at ${nodeId}`} description="Each lead’s status, when its wait ends, and the path it took through the flow." size="xl" onClose={onClose}>
      <div className="flow-leads-bar">
        <Segmented
          label="Which leads"
          value={scope}
          onChange={setScope}
          options={[
            { value: 'here', label: 'Here now' },
            { value: 'passed', label: 'Passed through' },
          ]}
        />
        {items && <span className="muted">{plural(items.length, 'lead')}{nextCursor ? ' so far' : ''}</span>}
      </div>
      {q.error && !q.data ? (
        <LoadError message={q.error} onRetry={q.reload} />
      ) : !items ? (
        <SkeletonRows rows={3} />
      ) : items.length === 0 ? (
        <p className="flow-leads-empty">{scope === 'here' ? 'No lead is at this step now.' : 'No lead has passed this step yet.'}</p>
      ) : (
        <div className="flow-leads-scroll">
          <Table label={`Leads at ${nodeId}`} columns={['Contact', 'Status', 'Wait until', 'Path']}>
            {items.map((l) => (
              <tr key={l.id}>
                <td>
                  <a className="row-title" href={hrefFor({ name: 'contact', id: l.contactId })}>
                    {l.name}
                  </a>
                  <span className="row-sub">{l.email ?? 'No email'}</span>
                </td>
                <td>
                  <span className={`badge badge-${LEAD_STATUS[l.status].tone}`}>{LEAD_STATUS[l.status].label}</span>
                  {l.lastError && <span className="row-sub danger-text">{l.lastError}</span>}
                </td>
                <td className="nowrap">{l.waitUntil ? formatWhen(l.waitUntil) : '—'}</td>
                <td>
                  <ol className="flow-path" aria-label={`Path of ${l.name}`}>
                    {visits(l.path).map((p, i) => (
                      <li key={i} className={p.nodeId === nodeId ? 'is-here' : undefined} title={`${formatWhen(p.at)}${p.detail ? ` · ${p.detail}` : ''}`}>
                        {p.nodeId}
                        {p.outcome !== 'entered' && <span className={`flow-path-outcome flow-outcome-${p.outcome}`}>{p.outcome}</span>}
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      {scope === 'here' && nextCursor && items && <p className="field-hint">Showing the first {formatCount(items.length)}.</p>}
      {scope === 'passed' && nextCursor && (
        <div className="flow-leads-more">
          <button type="button" className="btn btn-sm" onClick={showMore}>
            Show {PAGE} more
          </button>
          {more?.error && <span className="field-error">{more.error}</span>}
        </div>
      )}
    </Dialog>
  )
}
