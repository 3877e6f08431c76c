// Flows: visual campaigns per business, each with its status, trigger, version and where its leads stand.
// A row opens the editor; new, rename and delete (asked first) live here.
import { useState, type JSX } from 'react'
import type { Flow, FlowStats } from '../../../../shared/flows'
import { BusinessOptions } from '../../components/BusinessOptions'
import { useConfirm } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { LinkRow, Table } from '../../components/Table'
import { formatCount, plural, timeAgo } from '../../lib/format'
import { useLoad } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastOk, useApp } from '../../store'
import { ListBody } from '../automation/LoadState'
import { FLOW_STATUS, NewFlowDialog, RenameFlowDialog } from './FlowDialogs'
import '../../styles/flows.css'

type Row = Flow & { stats: FlowStats | null }

export function FlowsScreen(): JSX.Element {
  const [objectId, setObjectId] = useState('')
  // The list and each flow's lead counts, in one read kept fresh on the engine's flow events.
  const list = useLoad<Row[]>(
    async () => {
      const flows = await rpc('flows.list', objectId ? { objectId: Number(objectId) } : {})
      const stats = await Promise.all(flows.map((f) => rpc('flows.stats', { id: f.id }).catch(() => null)))
      return flows.map((f, i) => ({ ...f, stats: stats[i] ?? null }))
    },
    objectId,
    { events: ['flows.changed'], delayMs: 500 },
  )
  const [creating, setCreating] = useState(false)
  const [renaming, setRenaming] = useState<Flow | null>(null)
  const deleting = useConfirm((flow: Row) => ({
    title: 'Delete this flow?',
    message: (
      <>
        <strong>{flow.name}</strong> and its history go. {flow.activeLeads ? `${plural(flow.activeLeads, 'lead')} still in it stop where they are; mail they have queued and not yet sent is withdrawn.` : 'No lead is in it now.'}
      </>
    ),
    confirmLabel: 'Delete flow',
    onConfirm: async () => {
      await rpc('flows.delete', { id: flow.id })
      toastOk('Flow deleted')
      list.reload()
    },
  }))
  const items = list.data
  const active = items?.filter((f) => f.status === 'active').length ?? 0
  const newButton = (
    <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
      <Icon name="plus" /> New flow
    </button>
  )
  return (
    <div className="page">
      <PageHeader
        title="Flows"
        subtitle={items?.length ? `${plural(items.length, 'flow')} · ${formatCount(active)} active` : 'Campaigns drawn as steps: send, wait, check, act'}
        actions={
          <>
            <select className="input select select-compact" aria-label="Business" value={objectId} onChange={(e) => setObjectId(e.target.value)}>
              <BusinessOptions empty="All businesses" />
            </select>
            {newButton}
          </>
        }
      />
      <ListBody
        error={list.error}
        items={items}
        onRetry={list.reload}
        empty={
          <EmptyState icon="flow" title={objectId ? 'No flows for this business yet' : 'No flows yet'} actions={newButton}>
            A flow sends an offer, waits, checks whether the contact replied, opened or clicked, and takes each lead down its own path, like a campaign builder.
          </EmptyState>
        }
      >
        {(rows) => (
          <Table label="Flows" columns={['Flow', 'Status', { label: 'Version', num: true }, 'Leads', { label: '', className: 'col-actions' }]} card>
            {rows.map((f) => (
              <FlowRow key={f.id} flow={f} onRename={() => setRenaming(f)} onDelete={() => deleting.ask(f)} />
            ))}
          </Table>
        )}
      </ListBody>
      {creating && <NewFlowDialog objectId={objectId ? Number(objectId) : null} onClose={() => setCreating(false)} />}
      {renaming && <RenameFlowDialog flow={renaming} onClose={() => setRenaming(null)} onDone={list.reload} />}
      {deleting.dialog}
    </div>
  )
}

function triggerWords(f: Flow, tagName: (id: number) => string | undefined): string {
  if (f.trigger.type === 'manual') return 'Enrolled by hand'
  if (f.trigger.type === 'contactCreated') return 'When a contact is added'
  return `When tagged “${tagName(f.trigger.tagId) ?? 'a tag'}”`
}

function FlowRow({ flow: f, onRename, onDelete }: { flow: Row; onRename: () => void; onDelete: () => void }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const tags = useApp((s) => s.tags)
  const status = FLOW_STATUS[f.status]
  const l = f.stats?.leads
  const inFlow = l ? l.pending + l.running + l.waiting : f.activeLeads
  return (
    <LinkRow
      to={{ name: 'flows', id: f.id }}
      title={f.name}
      sub={`${objectName(objects, f.objectId)} · ${triggerWords(f, (id) => tags?.find((t) => t.id === id)?.name)} · ${plural(f.graph.nodes.length, 'step')} · edited ${timeAgo(f.updatedAt)}`}
    >
      <td>
        <span className={`badge badge-${status.tone}`}>
          <Icon name={f.status === 'active' ? 'play' : f.status === 'paused' ? 'pause' : 'compose'} size={11} /> {status.label}
        </span>
      </td>
      <td className="num">v{f.version}</td>
      <td>
        <span className="flow-row-leads">
          <span title="In the flow now">
            <strong>{formatCount(inFlow)}</strong> in flow
          </span>
          {l && (
            <>
              <span title="Completed">
                <strong>{formatCount(l.completed)}</strong> done
              </span>
              {l.exited > 0 && (
                <span title="Left on unsubscribe, bounce or complaint">
                  <strong>{formatCount(l.exited)}</strong> exited
                </span>
              )}
              {l.failed > 0 && (
                <span className="danger-text" title="Failed">
                  <strong>{formatCount(l.failed)}</strong> failed
                </span>
              )}
            </>
          )}
        </span>
      </td>
      <td className="col-actions" onClick={(e) => e.stopPropagation()}>
        <button type="button" className="icon-button" aria-label={`Rename ${f.name}`} title="Rename" onClick={onRename}>
          <Icon name="compose" size={15} />
        </button>
        <button type="button" className="icon-button" aria-label={`Delete ${f.name}`} title="Delete" onClick={onDelete}>
          <Icon name="trash" size={15} />
        </button>
      </td>
    </LinkRow>
  )
}
