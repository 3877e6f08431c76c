// One flow: the canvas with its palette, the panel of the selected step, validation on the nodes while
// editing (flows.validate, debounced), Save, Activate / Pause / Resume, and while it runs the per-step
// counts (flows.stats, fresh on the engine's flow events) with the leads behind each. Unsaved edits are
// never dropped: leaving asks Save / Discard / Stay.
import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { useCallback, useEffect, useMemo, useState, type JSX } from 'react'
import type { Flow, GraphProblem } from '../../../../shared/flows'
import { EmptyState } from '../../components/EmptyState'
import { Icon, type IconName } from '../../components/Icons'
import { BackLink, PageHeader } from '../../components/PageHeader'
import { useUnsavedChanges } from '../../components/UnsavedChanges'
import '../../styles/flows.css'
import { messageOf } from '../../lib/errors'
import { plural } from '../../lib/format'
import { isTyping } from '../../lib/inbox'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastOk, useApp } from '../../store'
import { LoadError } from '../automation/LoadState'
import { FlowCanvas } from './FlowCanvas'
import { FLOW_STATUS, RenameFlowDialog } from './FlowDialogs'
import { FlowEnrollDialog } from './FlowEnrollDialog'
import { CanvasContext, type CanvasInfo } from './FlowNodeView'
import { FlowOverview } from './FlowOverview'
import { LeadsDialog } from './LeadsDialog'
import { NodePanel } from './NodePanel'
import { useFlowEditing } from './useFlowEditing'

export function FlowEditor({ id }: { id: number }): JSX.Element {
  const flow = useQuery('flows.get', { id }, { events: [{ event: 'flows.changed', when: (p) => p.flowIds.includes(id) }], delayMs: 300, keepPrevious: false })
  if (flow.error && !flow.data)
    return (
      <div className="page">
        {flow.errorCode === 'NOT_FOUND' ? (
          <EmptyState icon="flow" title="This flow no longer exists" actions={<a className="btn" href={hrefFor({ name: 'flows' })}>Back to flows</a>}>
            It may have been deleted.
          </EmptyState>
        ) : (
          <LoadError message={flow.error} onRetry={flow.reload} />
        )}
      </div>
    )
  if (!flow.data) return <div className="page page-loading" aria-busy="true" />
  return (
    <ReactFlowProvider>
      <Editor flow={flow.data} reload={flow.reload} />
    </ReactFlowProvider>
  )
}

/** The one step a flow's status offers: a draft is activated, an active flow paused, a paused one resumed. */
const NEXT_STEP = {
  draft: { method: 'flows.activate', icon: 'play', label: 'Activate', primary: true },
  active: { method: 'flows.pause', icon: 'pause', label: 'Pause', primary: false },
  paused: { method: 'flows.resume', icon: 'play', label: 'Resume', primary: true },
} as const satisfies Record<Flow['status'], { method: string; icon: IconName; label: string; primary: boolean }>

const flowEvent = (id: number) => [{ event: 'flows.changed' as const, when: (p: { flowIds: number[] }) => p.flowIds.includes(id) }]

function Editor({ flow, reload }: { flow: Flow; reload: () => void }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const tags = useApp((s) => s.tags)
  const editing = useFlowEditing(flow)
  const rf = useReactFlow()
  const [selected, setSelected] = useState<string | null>(null)
  const [problems, setProblems] = useState<GraphProblem[]>([])
  const [refusal, setRefusal] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [renaming, setRenaming] = useState(false)
  const [enrolling, setEnrolling] = useState(false)
  const [leadsOf, setLeadsOf] = useState<string | null>(null)
  const running = flow.status !== 'draft'
  const stats = useQuery('flows.stats', running ? { id: flow.id } : null, { events: flowEvent(flow.id), delayMs: 300 })

  // Validation as the graph changes (debounced): markers on the nodes, the rest above the canvas.
  const { graph, trigger } = editing
  useEffect(() => {
    let live = true
    const t = setTimeout(() => {
      rpc('flows.validate', { graph }).then(
        (v) => live && setProblems(v.problems),
        (err) => live && setProblems([{ nodeId: null, message: messageOf(err) }]),
      )
    }, 350)
    return () => ((live = false), clearTimeout(t))
  }, [graph])
  const byNode = useMemo(() => {
    const m = new Map<string, string[]>()
    for (const p of problems) if (p.nodeId) m.set(p.nodeId, [...(m.get(p.nodeId) ?? []), p.message])
    return m
  }, [problems])
  const general = problems.filter((p) => !p.nodeId || !editing.nodes.some((n) => n.id === p.nodeId))

  const save = useCallback(async (): Promise<boolean> => {
    setBusy('save')
    try {
      await rpc('flows.update', { id: flow.id, trigger, graph })
      editing.markSaved(graph, trigger)
      setRefusal(null)
      toastOk(flow.status === 'draft' ? 'Flow saved' : 'Flow saved. Leads already in it finish on the version they started.')
      reload()
      return true
    } catch (err) {
      setRefusal(messageOf(err))
      return false
    } finally {
      setBusy(null)
    }
  }, [flow.id, flow.status, graph, trigger, editing, reload])

  const run = async (method: 'flows.activate' | 'flows.pause' | 'flows.resume') => {
    if (editing.dirty && method !== 'flows.pause' && !(await save())) return
    setBusy(method)
    try {
      await rpc(method, { id: flow.id })
      setRefusal(null)
      toastOk(method === 'flows.pause' ? 'Flow paused. Leads stay where they are until you resume it.' : method === 'flows.resume' ? 'Flow resumed' : 'Flow activated. Enrol contacts to start it.')
      reload()
    } catch (err) {
      setRefusal(`${method === 'flows.activate' ? 'The flow can’t be activated yet' : 'That did not work'}: ${messageOf(err)}`)
    }
    setBusy(null)
  }

  const guard = useUnsavedChanges({ dirty: editing.dirty, save, discard: editing.discard, what: 'this flow' })

  // Undo / redo / save from the keyboard, as in every editor (not while typing in a field, except save).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.metaKey || e.ctrlKey
      if (!mod) return
      const k = e.key.toLowerCase()
      if (k === 's') return void (e.preventDefault(), save())
      if (isTyping(e.target)) return
      if (k === 'z' && !e.shiftKey) (e.preventDefault(), editing.undo())
      else if ((k === 'z' && e.shiftKey) || k === 'y') (e.preventDefault(), editing.redo())
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editing, save])

  const info: CanvasInfo = useMemo(
    () => ({
      trigger,
      tags,
      problems: byNode,
      stats: running ? (stats.data?.nodes ?? {}) : null,
      subjectOf: (nid) => {
        const s = editing.nodes.find((n) => n.id === nid)?.data.config.subject
        return typeof s === 'string' && s.trim() ? s : null
      },
      onCounts: setLeadsOf,
    }),
    [trigger, tags, byNode, running, stats.data, editing.nodes],
  )
  const node = selected ? editing.nodes.find((n) => n.id === selected) : undefined
  const status = FLOW_STATUS[flow.status]
  const count = problems.length
  const next = NEXT_STEP[flow.status]

  return (
    <div className="page flow-page">
      <BackLink to={{ name: 'flows' }}>Flows</BackLink>
      <PageHeader
        title={
          <span className="flow-title">
            {flow.name}
            <button type="button" className="icon-button" aria-label="Rename flow" title="Rename" onClick={() => setRenaming(true)}>
              <Icon name="compose" size={14} />
            </button>
          </span>
        }
        subtitle={
          <>
            <span className={`badge badge-${status.tone}`}>{status.label}</span> {objectName(objects, flow.objectId)} · version {flow.version}
            {editing.dirty && <span className="flow-unsaved"> · Unsaved changes</span>}
          </>
        }
        actions={
          <>
            <div className="flow-history" role="group" aria-label="History">
              <button type="button" className="btn btn-icon" onClick={editing.undo} disabled={!editing.canUndo} aria-label="Undo" title="Undo (Ctrl+Z)">
                <Icon name="undo" size={15} />
              </button>
              <button type="button" className="btn btn-icon flow-redo" onClick={editing.redo} disabled={!editing.canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
                <Icon name="undo" size={15} />
              </button>
            </div>
            <span className={`flow-check ${count ? 'is-bad' : 'is-ok'}`} role="status">
              <Icon name={count ? 'alert' : 'check'} size={14} /> {count ? plural(count, 'problem') : 'Ready to run'}
            </span>
            <button type="button" className="btn" onClick={() => void save()} disabled={!editing.dirty || busy !== null}>
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className={next.primary ? 'btn btn-primary' : 'btn'} onClick={() => void run(next.method)} disabled={busy !== null}>
              <Icon name={next.icon} /> {next.label}
            </button>
            {flow.status === 'active' && (
              <button type="button" className="btn btn-primary" onClick={() => setEnrolling(true)}>
                <Icon name="plus" /> Enrol contacts
              </button>
            )}
          </>
        }
      />
      {(refusal || general.length > 0) && (
        <div className="flow-banner" role="alert">
          <Icon name="alert" size={15} />
          <div>
            {refusal && <strong>{refusal}</strong>}
            {general.map((p) => (
              <span key={p.message}>{p.message}</span>
            ))}
          </div>
          {refusal && (
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setRefusal(null)}>
              <Icon name="x" size={14} />
            </button>
          )}
        </div>
      )}
      <CanvasContext.Provider value={info}>
        <div className="flow-body">
          <FlowCanvas editing={editing} readOnly={false} onSelect={setSelected} />
          {node ? (
            <NodePanel
              key={node.id}
              node={node}
              nodes={editing.nodes}
              objectId={flow.objectId}
              trigger={trigger}
              problems={byNode.get(node.id) ?? []}
              onConfig={(config, field) => editing.setConfig(node.id, config, field)}
              onTrigger={editing.changeTrigger}
              onDelete={() => void rf.deleteElements({ nodes: [{ id: node.id }] })}
            />
          ) : (
            <FlowOverview flow={flow} stats={running ? stats.data : null} problems={problems} onEnroll={() => setEnrolling(true)} onLeads={setLeadsOf} />
          )}
        </div>
      </CanvasContext.Provider>
      {leadsOf && <LeadsDialog flowId={flow.id} nodeId={leadsOf} onClose={() => setLeadsOf(null)} />}
      {enrolling && <FlowEnrollDialog flow={flow} onClose={() => setEnrolling(false)} />}
      {renaming && <RenameFlowDialog flow={flow} onClose={() => setRenaming(false)} onDone={reload} />}
      {guard}
    </div>
  )
}
