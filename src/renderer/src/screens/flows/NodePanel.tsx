// The side panel: the settings of the selected node, by type (the start node holds the flow's trigger),
// and what keeps it from running. Every edit goes through `setConfig`, so it is undoable and unsaved
// until Save.
import type { JSX } from 'react'
import type { FlowTrigger, NodeType } from '../../../../shared/flows'
import { Icon } from '../../components/Icons'
import { NamedOptions } from '../../components/BusinessOptions'
import { SwitchRow } from '../../components/Field'
import { DELAY_UNITS, hourLabel, WEEKDAYS } from '../../lib/automation'
import { useQuery } from '../../lib/useQuery'
import { useApp } from '../../store'
import { EmailNodeFields } from './EmailNodeFields'
import { TextNodeFields } from './TextNodeFields'
import { Row } from './PanelRow'
import { shortProblem, TYPE_HELP, TYPE_LABEL, type Config, type FNode } from './flowGraph'
import { TYPE_ICON } from './FlowNodeView'

interface Props {
  node: FNode
  nodes: FNode[]
  objectId: number
  trigger: FlowTrigger
  problems: string[]
  onConfig: (config: Config, field: string) => void
  onTrigger: (t: FlowTrigger) => void
  onDelete: () => void
}

export function NodePanel({ node, nodes, objectId, trigger, problems, onConfig, onTrigger, onDelete }: Props): JSX.Element {
  const t = node.type as NodeType
  const c = node.data.config
  const set = (field: string, value: unknown) => onConfig({ ...c, [field]: value }, field)
  return (
    <aside className="flow-panel" aria-label="Step settings">
      <header className="flow-panel-head">
        <span className={`flow-node-icon flow-icon-${t}`} aria-hidden="true">
          <Icon name={TYPE_ICON[t]} size={14} />
        </span>
        <div className="flow-panel-title">
          <h2>{TYPE_LABEL[t]}</h2>
          <span>
            {node.id} · {TYPE_HELP[t]}
          </span>
        </div>
        <button type="button" className="btn btn-ghost btn-icon" onClick={onDelete} aria-label={`Delete ${node.id}`} title="Delete this step (Delete)">
          <Icon name="trash" size={15} />
        </button>
      </header>
      {problems.length > 0 && (
        <ul className="flow-panel-problems" aria-label="Problems">
          {problems.map((p) => (
            <li key={p}>
              <Icon name="alert" size={13} /> {shortProblem(p, node.id)}
            </li>
          ))}
        </ul>
      )}
      <div className="flow-panel-body">
        {t === 'start' && <TriggerFields trigger={trigger} onChange={onTrigger} />}
        {t === 'sendEmail' && <EmailNodeFields nodeId={node.id} config={c} objectId={objectId} set={set} patch={(p, field) => onConfig({ ...c, ...p }, field)} />}
        {t === 'sendText' && <TextNodeFields nodeId={node.id} config={c} objectId={objectId} set={set} patch={(p, field) => onConfig({ ...c, ...p }, field)} />}
        {t === 'wait' && <WaitFields config={c} onConfig={onConfig} />}
        {t === 'condition' && <ConditionFields config={c} nodes={nodes} onConfig={onConfig} />}
        {t === 'action' && <ActionFields config={c} objectId={objectId} onConfig={onConfig} />}
        {t === 'end' && <p className="flow-panel-note">Leads that reach this step complete the flow. Nothing more is sent to them from it.</p>}
      </div>
    </aside>
  )
}

function TagSelect({ label, value, onChange }: { label: string; value: unknown; onChange: (id: number) => void }): JSX.Element {
  const tags = useApp((s) => s.tags)
  return <NamedSelect label={label} noun="tag" value={value} items={tags} onChange={onChange} />
}

function TriggerFields({ trigger, onChange }: { trigger: FlowTrigger; onChange: (t: FlowTrigger) => void }): JSX.Element {
  const tags = useApp((s) => s.tags)
  return (
    <>
      <Row label="Leads enter" hint="Contacts with neither an email address nor a phone, or who unsubscribed, are never enrolled.">
        <select
          className="input select"
          value={trigger.type}
          onChange={(e) => {
            const type = e.target.value as FlowTrigger['type']
            onChange(type === 'tagAdded' ? ({ type, tagId: tags?.[0]?.id ?? 0 } as FlowTrigger) : ({ type } as FlowTrigger))
          }}
        >
          <option value="manual">When you enrol them</option>
          <option value="tagAdded">When a tag is added</option>
          <option value="contactCreated">When a contact is added</option>
        </select>
      </Row>
      {trigger.type === 'tagAdded' && <TagSelect label="Tag" value={trigger.tagId || undefined} onChange={(tagId) => onChange({ type: 'tagAdded', tagId })} />}
    </>
  )
}

type Dur = { value: number; unit: (typeof DELAY_UNITS)[number] }
function DurationFields({ label, value, onChange }: { label: string; value: Dur; onChange: (d: Dur) => void }): JSX.Element {
  return (
    <div className="flow-inline">
      <Row label={label}>
        <input className="input" type="number" min={0} max={3650} value={value.value} onChange={(e) => onChange({ ...value, value: Math.max(0, Math.round(Number(e.target.value) || 0)) })} />
      </Row>
      <Row label="Unit">
        <select className="input select" value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as Dur['unit'] })}>
          {DELAY_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </Row>
    </div>
  )
}

function WaitFields({ config, onConfig }: { config: Config; onConfig: (c: Config, f: string) => void }): JSX.Element {
  const until = config.until as { weekday: number; hour: number } | undefined
  const duration = (config.duration as Dur | undefined) ?? { value: 2, unit: 'days' }
  return (
    <>
      <Row label="Wait">
        <select className="input select" value={until ? 'until' : 'duration'} onChange={(e) => onConfig(e.target.value === 'until' ? { until: { weekday: 1, hour: 9 } } : { duration: { value: 2, unit: 'days' } }, 'mode')}>
          <option value="duration">For a length of time</option>
          <option value="until">Until a day and hour</option>
        </select>
      </Row>
      {until ? (
        <div className="flow-inline">
          <Row label="Day">
            <select className="input select" value={until.weekday} onChange={(e) => onConfig({ until: { ...until, weekday: Number(e.target.value) } }, 'until')}>
              {WEEKDAYS.map((d, i) => (
                <option key={d} value={i}>
                  {d}
                </option>
              ))}
            </select>
          </Row>
          <Row label="Hour">
            <select className="input select" value={until.hour} onChange={(e) => onConfig({ until: { ...until, hour: Number(e.target.value) } }, 'until')}>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={h}>
                  {hourLabel(h)}
                </option>
              ))}
            </select>
          </Row>
        </div>
      ) : (
        <DurationFields label="How long" value={duration} onChange={(d) => onConfig({ duration: d }, 'duration')} />
      )}
      <p className="flow-panel-note">{until ? 'In the contact’s time zone, or the business’s when the contact has none.' : 'From the moment the lead reaches this step.'}</p>
    </>
  )
}

const EVENT_KINDS = ['replied', 'opened', 'clicked']
const FIELD_OPS = [
  ['equals', 'is'],
  ['notEquals', 'is not'],
  ['contains', 'contains'],
  ['isEmpty', 'is empty'],
  ['isNotEmpty', 'is not empty'],
] as const

function ConditionFields({ config, nodes, onConfig }: { config: Config; nodes: FNode[]; onConfig: (c: Config, f: string) => void }): JSX.Element {
  const kind = String(config.kind ?? '')
  const emails = nodes.filter((n) => n.type === 'sendEmail')
  const within = config.within as Dur | undefined
  const segments = useQuery('segments.list', kind === 'inSegment' ? {} : null)
  const change = (next: string) => {
    if (EVENT_KINDS.includes(next)) onConfig({ kind: next, nodeId: typeof config.nodeId === 'string' ? config.nodeId : (emails[emails.length - 1]?.id ?? ''), within: within ?? { value: 2, unit: 'days' } }, 'kind')
    else if (next === 'field') onConfig({ kind: next, field: '', op: 'equals', value: '' }, 'kind')
    else onConfig({ kind: next }, 'kind')
  }
  return (
    <>
      <Row label="Check whether the contact">
        <select className="input select" value={kind} onChange={(e) => change(e.target.value)}>
          <option value="replied">Replied to an email</option>
          <option value="opened">Opened an email</option>
          <option value="clicked">Clicked a link in an email</option>
          <option value="hasTag">Has a tag</option>
          <option value="field">Has a field value</option>
          <option value="inSegment">Is in a segment</option>
        </select>
      </Row>
      {EVENT_KINDS.includes(kind) && (
        <>
          <Row label="Email">
            <select className="input select" value={String(config.nodeId ?? '')} onChange={(e) => onConfig({ ...config, nodeId: e.target.value }, 'nodeId')}>
              <option value="" disabled>
                Choose an email step…
              </option>
              {emails.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.id}
                  {typeof n.data.config.subject === 'string' && n.data.config.subject ? ` · ${n.data.config.subject}` : ''}
                </option>
              ))}
            </select>
          </Row>
          <SwitchRow
            className="flow-toggle"
            label="Wait for it"
            hint="“Yes” as soon as it happens; “No” when the time is up."
            checked={!!within}
            onChange={(on) => onConfig(on ? { ...config, within: { value: 2, unit: 'days' } } : { kind, nodeId: config.nodeId }, 'within')}
          />
          {within && <DurationFields label="Within" value={within} onChange={(d) => onConfig({ ...config, within: d }, 'within')} />}
        </>
      )}
      {kind === 'hasTag' && <TagSelect label="Tag" value={config.tagId} onChange={(tagId) => onConfig({ kind, tagId }, 'tagId')} />}
      {kind === 'field' && <FieldCompare config={config} onConfig={onConfig} />}
      {kind === 'inSegment' && <NamedSelect label="Segment" noun="segment" value={config.segmentId} items={segments.data} onChange={(segmentId) => onConfig({ kind, segmentId }, 'segmentId')} />}
    </>
  )
}

function FieldCompare({ config, onConfig }: { config: Config; onConfig: (c: Config, f: string) => void }): JSX.Element {
  const op = String(config.op ?? 'equals')
  return (
    <>
      <Row label="Field" hint="A contact field (first_name, city…) or a custom field’s key.">
        <input className="input" value={String(config.field ?? '')} placeholder="city" onChange={(e) => onConfig({ ...config, field: e.target.value }, 'field')} />
      </Row>
      <Row label="Comparison">
        <select className="input select" value={op} onChange={(e) => onConfig({ ...config, op: e.target.value }, 'op')}>
          {FIELD_OPS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </Row>
      {op !== 'isEmpty' && op !== 'isNotEmpty' && (
        <Row label="Value">
          <input className="input" value={String(config.value ?? '')} onChange={(e) => onConfig({ ...config, value: e.target.value }, 'value')} />
        </Row>
      )}
    </>
  )
}

function ActionFields({ config, objectId, onConfig }: { config: Config; objectId: number; onConfig: (c: Config, f: string) => void }): JSX.Element {
  const kind = String(config.kind ?? '')
  const sequences = useQuery('sequences.list', kind === 'enrollSequence' ? { objectId } : null)
  const users = useQuery('users.list', kind === 'notify' ? {} : null)
  return (
    <>
      <Row label="Do">
        <select className="input select" value={kind} onChange={(e) => onConfig(e.target.value === 'setField' ? { kind: e.target.value, field: '', value: '' } : e.target.value === 'notify' ? { kind: e.target.value, title: '' } : { kind: e.target.value }, 'kind')}>
          <option value="addTag">Add a tag</option>
          <option value="removeTag">Remove a tag</option>
          <option value="setField">Set a field</option>
          <option value="enrollSequence">Enrol in a sequence</option>
          <option value="notify">Create a task for staff</option>
        </select>
      </Row>
      {kind === 'notify' && (
        <>
          <Row label="Task">
            <input className="input" value={String(config.title ?? '')} placeholder="Call them back" title="A task on the lead’s contact, due at once, with its reminder" onChange={(e) => onConfig({ ...config, title: e.target.value }, 'title')} />
          </Row>
          <Row label="For">
            <select
              className="input select"
              value={typeof config.assigneeId === 'number' ? config.assigneeId : ''}
              onChange={(e) => onConfig(e.target.value ? { ...config, assigneeId: Number(e.target.value) } : { kind, title: config.title ?? '' }, 'assigneeId')}
            >
              <NamedOptions items={users.data} empty="Whoever is at the keyboard" />
            </select>
          </Row>
        </>
      )}
      {(kind === 'addTag' || kind === 'removeTag') && <TagSelect label="Tag" value={config.tagId} onChange={(tagId) => onConfig({ kind, tagId }, 'tagId')} />}
      {kind === 'setField' && (
        <>
          <Row label="Field">
            <input className="input" value={String(config.field ?? '')} placeholder="stage" onChange={(e) => onConfig({ ...config, field: e.target.value }, 'field')} />
          </Row>
          <Row label="Value">
            <input className="input" value={String(config.value ?? '')} onChange={(e) => onConfig({ ...config, value: e.target.value }, 'value')} />
          </Row>
        </>
      )}
      {kind === 'enrollSequence' && <NamedSelect label="Sequence" noun="sequence" value={config.sequenceId} items={sequences.data} onChange={(sequenceId) => onConfig({ kind, sequenceId }, 'sequenceId')} />}
    </>
  )
}

/** A choice of one named thing (a tag, a segment, a sequence) by id. */
function NamedSelect({ label, noun, value, items, onChange }: { label: string; noun: string; value: unknown; items: { id: number; name: string }[] | null | undefined; onChange: (id: number) => void }): JSX.Element {
  return (
    <Row label={label}>
      <select className="input select" value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(Number(e.target.value))}>
        <NamedOptions items={items} empty={`Choose a ${noun}…`} emptyDisabled />
      </select>
    </Row>
  )
}
