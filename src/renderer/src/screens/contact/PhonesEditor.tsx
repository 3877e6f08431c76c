// A contact's phone numbers (issue 17): label, number (shown formatted), which one is primary, add and remove.
// Each number is read by the business's country as soon as the field is left, so a mistake is named at once;
// the engine checks the same way on save.
import { useState, type JSX } from 'react'
import { countryName, formatPhone, PHONE_LABELS, toE164, type PhoneLabel } from '../../../../shared/phones'
import { Icon } from '../../components/Icons'
import '../../styles/phones.css'

export interface PhoneRow {
  number: string
  label: PhoneLabel
  primary: boolean
}

const LABEL_WORDS: Record<PhoneLabel, string> = { mobile: 'Mobile', work: 'Work', home: 'Home', other: 'Other' }

interface Props {
  rows: PhoneRow[]
  onChange: (rows: PhoneRow[]) => void
  /** Engine errors by field path (`phones.0.number` counts only the rows with a number, as they are sent). */
  errors: Record<string, string>
  /** The business's country ('US'), or null: then only numbers with a country code can be read. */
  country: string | null
}

export function PhonesEditor({ rows, onChange, errors, country }: Props): JSX.Element {
  const [local, setLocal] = useState<Record<number, string>>({})
  const update = (i: number, patch: Partial<PhoneRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const choosePrimary = (i: number) => onChange(rows.map((r, j) => ({ ...r, primary: j === i })))
  const remove = (i: number) => {
    const next = rows.filter((_, j) => j !== i)
    if (rows[i]?.primary && next.length && !next.some((r) => r.primary)) next[0] = { ...next[0]!, primary: true }
    setLocal({})
    onChange(next)
  }
  /** Leaving a number: read it by the country; shown formatted when it reads, its problem named when not. */
  const check = (i: number) => {
    const raw = rows[i]?.number.trim() ?? ''
    if (!raw) return setLocal((l) => ({ ...l, [i]: '' }))
    const r = toE164(raw, country)
    setLocal((l) => ({ ...l, [i]: r.ok ? '' : r.message }))
    if (r.ok && formatPhone(r.e164) !== rows[i]!.number) update(i, { number: formatPhone(r.e164) })
  }
  let sent = -1
  return (
    <fieldset className="phones-editor">
      <legend className="phones-legend">Phone numbers</legend>
      {rows.length === 0 && <p className="card-empty">No phone number yet.</p>}
      {rows.map((row, i) => {
        if (row.number.trim()) sent++
        const error = local[i] || (row.number.trim() ? errors[`phones.${sent}.number`] : undefined) || (i === 0 ? errors.phone : undefined)
        const id = `phone-${i}`
        return (
          <div key={i} className="phone-row-wrap">
            <div className="phone-row">
              <label className="visually-hidden" htmlFor={`${id}-label`}>
                Kind of number {i + 1}
              </label>
              <select id={`${id}-label`} className="input select phone-label" value={row.label} onChange={(e) => update(i, { label: e.target.value as PhoneLabel })}>
                {PHONE_LABELS.map((l) => (
                  <option key={l} value={l}>
                    {LABEL_WORDS[l]}
                  </option>
                ))}
              </select>
              <label className="visually-hidden" htmlFor={id}>
                {i === 0 ? 'Phone' : `Phone ${i + 1}`}
              </label>
              <input
                id={id}
                type="tel"
                className="input phone-number"
                placeholder={country === 'US' || country === 'CA' ? '(555) 555-0123' : '+44 20 7946 0958'}
                value={row.number}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-err` : undefined}
                onChange={(e) => {
                  setLocal((l) => ({ ...l, [i]: '' }))
                  update(i, { number: e.target.value })
                }}
                onBlur={() => check(i)}
              />
              <label className={`phone-primary${row.primary ? ' is-primary' : ''}`} title={row.primary ? 'Texts and calls go to this number' : 'Make this the main number'}>
                <input type="radio" name="phone-primary" checked={row.primary} onChange={() => choosePrimary(i)} aria-label={`Main number ${i + 1}`} />
                <span>{row.primary ? 'Main' : 'Make main'}</span>
              </label>
              <button type="button" className="icon-button" aria-label={`Remove number ${row.number || i + 1}`} onClick={() => remove(i)}>
                <Icon name="x" />
              </button>
            </div>
            {error && (
              <p className="field-error" id={`${id}-err`} role="alert">
                {error}
              </p>
            )}
          </div>
        )
      })}
      <div className="phones-foot">
        <button
          type="button"
          className="btn btn-ghost btn-sm add-row"
          disabled={rows.length >= 10}
          onClick={() => onChange([...rows, { number: '', label: rows.length ? 'work' : 'mobile', primary: rows.length === 0 }])}
        >
          <Icon name="plus" size={14} /> Add number
        </button>
        <span className="field-hint">{country ? `Numbers without a country code are read as ${countryName(country)}.` : 'Start numbers with their country code, like +1.'}</span>
      </div>
    </fieldset>
  )
}
