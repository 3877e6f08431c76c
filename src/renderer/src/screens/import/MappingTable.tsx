import type { JSX } from 'react'
import { targetOptions } from './mapping'

interface Props {
  columns: Array<{ header: string; index: number }>
  body: string[][]
  mapping: Record<string, string>
  onChange: (header: string, target: string) => void
  /** Per header: why this column's choice cannot be imported (e.g. a field another column already has). */
  errors?: Record<string, string>
}

/** One line per CSV column: its name (the select's label), what it becomes, and sample values. */
export function MappingTable({ columns, body, mapping, onChange, errors = {} }: Props): JSX.Element {
  return (
    <div className="table-scroll">
      <table className="table mapping-table">
        <thead>
          <tr>
            <th>Column in your file</th>
            <th>Import as</th>
            <th>Sample values</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => {
            const target = mapping[c.header] ?? 'ignore'
            const samples = body
              .slice(0, 3)
              .map((r) => r[c.index] ?? '')
              .filter((v) => v.trim() !== '')
            const id = `map-${c.index}`
            const error = errors[c.header]
            return (
              <tr key={c.index} className={target === 'ignore' ? 'is-ignored' : error ? 'has-error' : undefined}>
                <td>
                  <label htmlFor={id} className="mapping-header">
                    {c.header}
                  </label>
                </td>
                <td>
                  <select
                    id={id}
                    className="input select select-compact"
                    value={target}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-err` : undefined}
                    onChange={(e) => onChange(c.header, e.target.value)}
                  >
                    {targetOptions(c.header, target).map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                  {error && (
                    <p className="field-error" id={`${id}-err`}>
                      {error}
                    </p>
                  )}
                </td>
                <td className="samples">{samples.length ? samples.join(', ') : <span className="muted">empty</span>}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
