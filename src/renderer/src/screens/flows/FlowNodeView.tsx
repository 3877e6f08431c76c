// One node on the canvas: its type, what it does in words, the problems that keep the flow from running
// (from flows.validate) and, while the flow runs, how many leads passed, wait or went each way. A
// condition has two ways out, "yes" and "no", each its own handle.
import { Handle, Position, type NodeProps } from '@xyflow/react'
import { createContext, memo, useContext, type JSX } from 'react'
import type { FlowStats, FlowTrigger, NodeType } from '../../../../shared/flows'
import type { Tag } from '../../../../shared/models'
import { Icon, type IconName } from '../../components/Icons'
import { formatCount } from '../../lib/format'
import { shortProblem, summary, TYPE_LABEL, type FNode } from './flowGraph'
import '../../styles/flowText.css'

export const TYPE_ICON: Record<NodeType, IconName> = { start: 'play', sendEmail: 'mail', sendText: 'send', wait: 'clock', condition: 'split', action: 'zap', end: 'flag' }

export interface CanvasInfo {
  trigger: FlowTrigger
  tags: Tag[] | null
  problems: Map<string, string[]>
  stats: FlowStats['nodes'] | null
  subjectOf: (id: string) => string | null
  onCounts: (nodeId: string) => void
}
export const CanvasContext = createContext<CanvasInfo | null>(null)

type Count = { key: string; label: string; n: number; tone?: string }
function countsOf(type: NodeType, s: FlowStats['nodes'][string] | undefined): Count[] {
  const c = s ?? { entered: 0, waiting: 0, yes: 0, no: 0, sent: 0, failed: 0, here: 0, skipped: 0 }
  const here: Count = { key: 'here', label: type === 'wait' || type === 'condition' ? 'waiting' : 'here', n: c.here, tone: 'blue' }
  switch (type) {
    case 'start':
      return [{ key: 'entered', label: 'entered', n: c.entered }]
    case 'sendEmail':
      return [{ key: 'sent', label: 'sent', n: c.sent, tone: 'green' }, ...(c.failed ? [{ key: 'failed', label: 'failed', n: c.failed, tone: 'red' }] : []), ...(c.here ? [here] : [])]
    case 'sendText':
      return [
        { key: 'sent', label: 'sent', n: c.sent, tone: 'green' },
        ...(c.skipped ? [{ key: 'skipped', label: 'skipped', n: c.skipped }] : []),
        ...(c.failed ? [{ key: 'failed', label: 'failed', n: c.failed, tone: 'red' }] : []),
      ]
    case 'wait':
      return [{ key: 'entered', label: 'entered', n: c.entered }, here]
    case 'condition':
      return [{ key: 'yes', label: 'yes', n: c.yes, tone: 'green' }, { key: 'no', label: 'no', n: c.no, tone: 'red' }, ...(c.here ? [here] : [])]
    case 'action':
      return [{ key: 'entered', label: 'done', n: c.entered }, ...(c.failed ? [{ key: 'failed', label: 'failed', n: c.failed, tone: 'red' }] : [])]
    case 'end':
      return [{ key: 'entered', label: 'completed', n: c.entered, tone: 'green' }]
  }
}

function FlowNodeViewImpl({ id, type, data, selected }: NodeProps<FNode>): JSX.Element {
  const info = useContext(CanvasContext)!
  const t = type as NodeType
  const problems = info.problems.get(id) ?? []
  const text = summary(t, data.config, info)
  return (
    <div className={`flow-node flow-node-${t}${selected ? ' is-selected' : ''}${problems.length ? ' has-problem' : ''}`} data-node-id={id} role="group" aria-label={`${TYPE_LABEL[t]} ${id}`}>
      {t !== 'start' && <Handle type="target" position={Position.Top} className="flow-handle" aria-label={`Into ${id}`} />}
      <div className="flow-node-head">
        <span className={`flow-node-icon flow-icon-${t}`} aria-hidden="true">
          <Icon name={TYPE_ICON[t]} size={13} />
        </span>
        <span className="flow-node-type">{TYPE_LABEL[t]}</span>
        <span className="flow-node-id">{id}</span>
        {problems.length > 0 && (
          <span className="flow-node-flag" title={problems.join('\n')} aria-hidden="true">
            <Icon name="alert" size={13} />
          </span>
        )}
      </div>
      <div className="flow-node-summary">{text}</div>
      {problems.length > 0 && (
        <ul className="flow-node-problems" aria-label={`Problems with ${id}`}>
          <li>{shortProblem(problems[0]!, id)}</li>
          {problems.length > 1 && <li className="flow-node-more">+{problems.length - 1} more: select the step to see all</li>}
        </ul>
      )}
      {info.stats && (
        <div className="flow-node-counts nodrag nopan">
          {countsOf(t, info.stats[id]).map((c) => (
            <button key={c.key} type="button" className={`flow-count${c.tone ? ` flow-count-${c.tone}` : ''}`} onClick={() => info.onCounts(id)} aria-label={`${formatCount(c.n)} ${c.label} at ${id}`}>
              <strong>{formatCount(c.n)}</strong> {c.label}
            </button>
          ))}
        </div>
      )}
      {t === 'condition' ? (
        <>
          <Handle type="source" id="yes" position={Position.Bottom} className="flow-handle flow-handle-yes" aria-label={`Yes out of ${id}`} />
          <Handle type="source" id="no" position={Position.Bottom} className="flow-handle flow-handle-no" aria-label={`No out of ${id}`} />
          <div className="flow-branch-labels" aria-hidden="true">
            <span className="flow-branch flow-branch-yes">Yes</span>
            <span className="flow-branch flow-branch-no">No</span>
          </div>
        </>
      ) : (
        t !== 'end' && <Handle type="source" position={Position.Bottom} className="flow-handle" aria-label={`Out of ${id}`} />
      )}
    </div>
  )
}

export const FlowNodeView = memo(FlowNodeViewImpl)
export const NODE_TYPES_VIEW = { start: FlowNodeView, sendEmail: FlowNodeView, sendText: FlowNodeView, wait: FlowNodeView, condition: FlowNodeView, action: FlowNodeView, end: FlowNodeView }
