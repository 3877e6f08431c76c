// Custom fields as an editable key/value list, and extra email addresses as an editable list.
import type { JSX } from 'react'
import { FieldAlert } from '../../components/Field'
import { Icon } from '../../components/Icons'

interface FieldsProps {
  rows: Array<{ key: string; value: string }>
  onChange: (rows: Array<{ key: string; value: string }>) => void
  errors: Record<string, string>
}

export function CustomFieldsEditor({ rows, onChange, errors }: FieldsProps): JSX.Element {
  const update = (i: number, patch: Partial<{ key: string; value: string }>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  return (
    <div className="kv-list">
      {rows.length === 0 && <p className="card-empty">No custom fields. Imports put unknown columns here too.</p>}
      {rows.map((row, i) => {
        const error = errors[`fields.${row.key.trim()}`]
        return (
          <div key={i} className="kv-row-wrap">
            <div className="kv-row">
              <label className="visually-hidden" htmlFor={`cf-key-${i}`}>
                Field name {i + 1}
              </label>
              <input id={`cf-key-${i}`} className="input kv-key" placeholder="Field name" value={row.key} aria-invalid={error ? true : undefined} onChange={(e) => update(i, { key: e.target.value })} />
              <label className="visually-hidden" htmlFor={`cf-val-${i}`}>
                {row.key ? `Value of ${row.key}` : `Field value ${i + 1}`}
              </label>
              <input id={`cf-val-${i}`} className="input" placeholder="Value" value={row.value} onChange={(e) => update(i, { value: e.target.value })} />
              <button type="button" className="icon-button" aria-label={`Remove field ${row.key || i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                <Icon name="x" />
              </button>
            </div>
            <FieldAlert message={error} />
          </div>
        )
      })}
      <button type="button" className="btn btn-ghost btn-sm add-row" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        <Icon name="plus" size={14} /> Add field
      </button>
    </div>
  )
}

interface EmailsProps {
  emails: string[]
  onChange: (emails: string[]) => void
  errors: Record<string, string>
}

export function ExtraEmailsEditor({ emails, onChange, errors }: EmailsProps): JSX.Element {
  return (
    <div className="kv-list">
      {emails.length === 0 && <p className="card-empty">Only the main address. Add others this person writes from.</p>}
      {emails.map((email, i) => (
        <div key={i} className="kv-row-wrap">
          <div className="kv-row kv-row-single">
            <label className="visually-hidden" htmlFor={`xe-${i}`}>
              Other email {i + 1}
            </label>
            <input
              id={`xe-${i}`}
              type="email"
              className="input"
              placeholder="name@example.com"
              value={email}
              aria-invalid={errors[`extraEmails.${i}`] ? true : undefined}
              onChange={(e) => onChange(emails.map((x, j) => (j === i ? e.target.value : x)))}
            />
            <button type="button" className="icon-button" aria-label={`Remove email ${email || i + 1}`} onClick={() => onChange(emails.filter((_, j) => j !== i))}>
              <Icon name="x" />
            </button>
          </div>
          <FieldAlert message={errors[`extraEmails.${i}`]} />
        </div>
      ))}
      <button type="button" className="btn btn-ghost btn-sm add-row" onClick={() => onChange([...emails, ''])}>
        <Icon name="plus" size={14} /> Add email
      </button>
    </div>
  )
}
