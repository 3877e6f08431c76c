// A row of toggle buttons of which one is on (a filter by status, a date range, all/unread): one markup, so
// every segmented control looks, reads aloud (aria-pressed in a labelled group) and counts alike.
import type { JSX, ReactNode } from 'react'
import { formatCount } from '../lib/format'
import '../styles/components.css'

export interface Segment<V> {
  value: V
  label: ReactNode
  /** Shown after the label, quieter (how many rows this choice shows). */
  count?: number
}

interface SegmentedProps<V> {
  /** What the group chooses, for screen readers ("Filter by status"). */
  label: string
  value: V
  options: Segment<V>[]
  onChange: (value: V) => void
}

export function Segmented<V>({ label, value, options, onChange }: SegmentedProps<V>): JSX.Element {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o, i) => (
        <button key={i} type="button" className={`segment${o.value === value ? ' is-on' : ''}`} aria-pressed={o.value === value} onClick={() => onChange(o.value)}>
          {o.label}
          {o.count !== undefined && <span className="segment-count">{formatCount(o.count)}</span>}
        </button>
      ))}
    </div>
  )
}
