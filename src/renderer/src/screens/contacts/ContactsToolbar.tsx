import type { JSX } from 'react'
import { Icon } from '../../components/Icons'
import { useApp } from '../../store'
import { useContactsView } from './viewState'
import { SegmentPicker } from '../segments/SegmentPicker'
import { BusinessOptions } from '../../components/BusinessOptions'

/** Search box and the business/tag filters above the grid. */
export function ContactsToolbar({ filtered }: { filtered: boolean }): JSX.Element {
  const view = useContactsView()
  const tags = useApp((s) => s.tags) ?? []
  return (
    <div className="toolbar">
      <div className="search">
        <Icon name="search" className="search-icon" />
        <label htmlFor="contact-search" className="visually-hidden">
          Search contacts
        </label>
        <input
          id="contact-search"
          type="search"
          className="input search-input"
          placeholder="Search by name, email or company"
          value={view.query}
          onChange={(e) => view.set({ query: e.target.value })}
        />
      </div>
      <label htmlFor="filter-business" className="visually-hidden">
        Filter by business
      </label>
      <select id="filter-business" className="input select select-compact" value={view.objectFilter} onChange={(e) => view.set({ objectFilter: e.target.value })}>
        <BusinessOptions empty="All businesses" />
        <option value="none">No business</option>
      </select>
      <label htmlFor="filter-tag" className="visually-hidden">
        Filter by tag
      </label>
      <select id="filter-tag" className="input select select-compact" value={view.tagFilter} onChange={(e) => view.set({ tagFilter: e.target.value })}>
        <option value="">All tags</option>
        {tags.map((t) => (
          <option key={t.id} value={String(t.id)}>
            {t.name}
          </option>
        ))}
      </select>
      <SegmentPicker />
      {filtered && (
        <button type="button" className="btn btn-ghost" onClick={() => view.set({ query: '', objectFilter: '', tagFilter: '', segmentFilter: '' })}>
          Clear
        </button>
      )}
    </div>
  )
}
