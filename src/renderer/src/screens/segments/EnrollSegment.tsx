// Sequence enrolment by segment: the segments of the sequence's business (and the workspace-wide ones),
// each with its live count; the engine enrols who matches at that moment.
import type { JSX } from 'react'
import { plural } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'

export function EnrollSegment({ objectId, value, onChange }: { objectId: number; value: number | null; onChange: (id: number) => void }): JSX.Element {
  const segments = useQuery('segments.list', { objectId }, { events: ['segments.changed'] })
  const list = segments.data ?? []
  return (
    <div className="enroll-segment">
      {segments.data && list.length === 0 ? (
        <p className="field-hint">No segments yet. Build one from the Contacts screen (“New segment”), then enrol it here.</p>
      ) : (
        <ul className="check-list" aria-label="Segments">
          {list.map((s) => (
            <li key={s.id}>
              <label className={`check-row${value === s.id ? ' is-checked' : ''}`}>
                <input type="radio" name="enroll-segment" className="checkbox" checked={value === s.id} onChange={() => onChange(s.id)} />
                <span className="check-main">
                  <span className="check-title">{s.name}</span>
                  <span className="check-sub">{plural(s.count, 'contact')} match now</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <p className="field-hint">Who matches when you enrol is enrolled once; contacts of other businesses, without an email or who unsubscribed are skipped.</p>
    </div>
  )
}
