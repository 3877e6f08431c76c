// The contact grid's segment filter: pick a saved segment (with its live count), edit it, build a new one,
// or save the grid's current business and tag filters as a segment.
import { useState, type JSX } from 'react'
import type { Rule, Segment } from '../../../../shared/segments'
import { Icon } from '../../components/Icons'
import { formatCount } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { useContactsView } from '../contacts/viewState'
import { SegmentDialog, type SegmentStart } from './SegmentDialog'

export function SegmentPicker(): JSX.Element {
  const view = useContactsView()
  const segments = useQuery('segments.list', {}, { events: ['segments.changed', 'contacts.changed', 'tags.changed'], delayMs: 400 })
  const [editing, setEditing] = useState<{ segment?: Segment; start?: SegmentStart } | null>(null)
  const list = segments.data ?? []
  const current = list.find((s) => String(s.id) === view.segmentFilter)
  const fromFilters = (): SegmentStart => {
    const all: Rule[] = []
    if (view.tagFilter) all.push({ field: 'tag', op: 'has', value: Number(view.tagFilter) })
    if (view.objectFilter === 'none') all.push({ field: 'object', op: 'isEmpty' })
    const objectId = view.objectFilter && view.objectFilter !== 'none' ? Number(view.objectFilter) : null
    return { objectId, rules: { all } }
  }
  const canSaveFilters = !view.segmentFilter && (view.tagFilter !== '' || view.objectFilter !== '')
  return (
    <div className="segment-picker">
      <label htmlFor="filter-segment" className="visually-hidden">
        Filter by segment
      </label>
      <select id="filter-segment" className="input select select-compact" value={view.segmentFilter} onChange={(e) => view.set({ segmentFilter: e.target.value })}>
        <option value="">All contacts</option>
        {list.length > 0 && (
          <optgroup label="Segments">
            {list.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name} ({formatCount(s.count)})
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {current ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ segment: current })}>
          <Icon name="funnel" size={14} /> Edit segment
        </button>
      ) : canSaveFilters ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ start: fromFilters() })}>
          <Icon name="plus" size={14} /> Save as segment
        </button>
      ) : (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({})}>
          <Icon name="plus" size={14} /> New segment
        </button>
      )}
      {editing && (
        <SegmentDialog
          segment={editing.segment}
          start={editing.start}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            setEditing(null)
            segments.reload()
            // The grid shows the segment just saved, on its own (its filters are in its rules now).
            view.set({ segmentFilter: String(s.id), tagFilter: '', objectFilter: '' })
          }}
          onDeleted={() => {
            setEditing(null)
            segments.reload()
            view.set({ segmentFilter: '' })
          }}
        />
      )}
    </div>
  )
}
