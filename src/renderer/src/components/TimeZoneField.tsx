// Time zone picker: common zones first, then every zone the browser knows, and "Other…" for typing a
// zone by hand (the engine checks it). An empty value means "none" when allowNone is set.
import { useMemo, useState, type JSX } from 'react'
import { allZones, COMMON_ZONES, zoneLabel } from '../lib/timezones'
import { Field } from './Field'

const OTHER = '__other__'

interface Props {
  label?: string
  value: string
  onChange: (zone: string) => void
  error?: string
  allowNone?: boolean
  optional?: boolean
}

export function TimeZoneField({ label = 'Time zone', value, onChange, error, allowNone, optional }: Props): JSX.Element {
  const zones = allZones()
  const known = useMemo(() => new Set([...COMMON_ZONES, ...zones]), [zones])
  const [typing, setTyping] = useState(value !== '' && !known.has(value))
  const rest = useMemo(() => zones.filter((z) => !COMMON_ZONES.includes(z)), [zones])

  if (typing)
    return (
      <Field label={label} error={error} optional={optional} hint="An IANA name, like Europe/Lisbon">
        {(props) => (
          <div className="input-with-action">
            <input className="input" {...props} value={value} placeholder="Region/City" onChange={(e) => onChange(e.target.value)} autoFocus />
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setTyping(false)}>
              Pick from list
            </button>
          </div>
        )}
      </Field>
    )

  return (
    <Field label={label} error={error} optional={optional}>
      {(props) => (
        <select
          className="input select"
          {...props}
          value={value}
          onChange={(e) => {
            if (e.target.value === OTHER) setTyping(true)
            else onChange(e.target.value)
          }}
        >
          {allowNone && <option value="">No time zone</option>}
          {!allowNone && value === '' && <option value="">Choose a time zone…</option>}
          <optgroup label="Common">
            {COMMON_ZONES.map((z) => (
              <option key={z} value={z}>
                {zoneLabel(z)}
              </option>
            ))}
          </optgroup>
          <optgroup label="All time zones">
            {rest.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </optgroup>
          <option value={OTHER}>Other (type it)…</option>
        </select>
      )}
    </Field>
  )
}
