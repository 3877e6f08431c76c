// One condition of a segment: field, operator and a value editor that fits the field (a tag, a status, a
// business, a company, text, or a date as "N days ago" / a calendar date / a range).
import type { JSX } from 'react'
import { CONTACT_STATUSES } from '../../../../shared/models'
import type { Company } from '../../../../shared/segments'
import { OP_LABELS, kindOf } from '../../../../shared/segments'
import { Icon } from '../../components/Icons'
import { useApp } from '../../store'
import { FIELD_CHOICES, defaultValue, needsValue, opsFor, type RuleRow } from './ruleModel'

type DateValue = { days: number } | string

function DateInput({ value, onChange, label }: { value: unknown; onChange: (v: DateValue) => void; label: string }): JSX.Element {
  const relative = typeof value === 'object' && value !== null && 'days' in value
  return (
    <span className="rule-date">
      {relative ? (
        <>
          <input
            className="input rule-days"
            type="number"
            min={0}
            aria-label={`${label}: days`}
            value={String((value as { days: number }).days)}
            onChange={(e) => onChange({ days: e.target.value === '' ? 0 : Math.max(0, Math.round(Number(e.target.value))) })}
          />
          <span className="rule-unit">days ago</span>
        </>
      ) : (
        <input className="input" type="date" aria-label={`${label}: date`} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
      )}
      <button
        type="button"
        className="btn btn-ghost btn-sm rule-switch"
        onClick={() => onChange(relative ? new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10) : { days: 30 })}
      >
        {relative ? 'Use a date' : 'Use days ago'}
      </button>
    </span>
  )
}

export function RuleEditor({
  row,
  index,
  companies,
  error,
  onChange,
  onRemove,
}: {
  row: RuleRow
  index: number
  companies: Company[]
  error?: string
  onChange: (row: RuleRow) => void
  onRemove: () => void
}): JSX.Element {
  const tags = useApp((s) => s.tags) ?? []
  const objects = useApp((s) => s.objects) ?? []
  const custom = row.field.startsWith('fields.')
  const kind = kindOf(custom ? 'fields.x' : row.field)
  const ids = { tag: tags[0]?.id, object: objects[0]?.id, company: companies[0]?.id }
  const label = `Condition ${index + 1}`
  const setField = (field: string) => {
    const op = opsFor(field)[0]!
    onChange({ ...row, field, op, value: defaultValue(field, op, ids) })
  }
  const setOp = (op: string) => {
    const keep = needsValue(op) && needsValue(row.op) && (op === 'between') === (row.op === 'between')
    onChange({ ...row, op, value: keep ? row.value : defaultValue(row.field, op, ids) })
  }
  const select = (options: Array<{ value: string | number; label: string }>, empty: string) => (
    <select className="input select rule-value" aria-label={`${label}: value`} value={row.value === undefined ? '' : String(row.value)} onChange={(e) => onChange({ ...row, value: kind === 'status' ? e.target.value : Number(e.target.value) })}>
      {options.length === 0 && <option value="">{empty}</option>}
      {options.map((o) => (
        <option key={o.value} value={String(o.value)}>
          {o.label}
        </option>
      ))}
    </select>
  )

  let valueEditor: JSX.Element | null = null
  if (needsValue(row.op)) {
    if (kind === 'tag') valueEditor = select(tags.map((t) => ({ value: t.id, label: t.name })), 'No tags yet')
    else if (kind === 'object') valueEditor = select(objects.map((o) => ({ value: o.id, label: o.name })), 'No businesses')
    else if (kind === 'companyId') valueEditor = select(companies.map((c) => ({ value: c.id, label: c.name })), 'No companies yet')
    else if (kind === 'status') valueEditor = select(CONTACT_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) })), '')
    else if (kind === 'text')
      valueEditor = <input className="input rule-value" aria-label={`${label}: value`} value={String(row.value ?? '')} onChange={(e) => onChange({ ...row, value: e.target.value })} placeholder="Text" />
    else if (row.op === 'between') {
      const v = (row.value ?? {}) as { from?: DateValue; to?: DateValue }
      valueEditor = (
        <span className="rule-between">
          <DateInput label={`${label} from`} value={v.from} onChange={(from) => onChange({ ...row, value: { ...v, from } })} />
          <span className="rule-unit">and</span>
          <DateInput label={`${label} to`} value={v.to} onChange={(to) => onChange({ ...row, value: { ...v, to } })} />
        </span>
      )
    } else valueEditor = <DateInput label={label} value={row.value} onChange={(value) => onChange({ ...row, value })} />
  }

  return (
    <li className={`rule-row${error ? ' has-error' : ''}`}>
      <div className="rule-controls">
        <select className="input select rule-field" aria-label={`${label}: field`} value={custom ? 'fields.' : row.field} onChange={(e) => setField(e.target.value)}>
          {['Contact', 'Fields', 'Activity'].map((g) => (
            <optgroup key={g} label={g}>
              {FIELD_CHOICES.filter((f) => f.group === g).map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {custom && (
          <input
            className="input rule-custom"
            aria-label={`${label}: custom field name`}
            placeholder="Field name"
            value={row.field.slice(7)}
            onChange={(e) => onChange({ ...row, field: `fields.${e.target.value}` })}
          />
        )}
        <select className="input select rule-op" aria-label={`${label}: operator`} value={row.op} onChange={(e) => setOp(e.target.value)}>
          {opsFor(row.field).map((op) => (
            <option key={op} value={op}>
              {OP_LABELS[op]}
            </option>
          ))}
        </select>
        {valueEditor}
        <button type="button" className="icon-button rule-remove" aria-label={`Remove condition ${index + 1}`} onClick={onRemove}>
          <Icon name="x" size={14} />
        </button>
      </div>
      {error && (
        <p className="field-error rule-error" role="alert">
          {error}
        </p>
      )}
    </li>
  )
}
