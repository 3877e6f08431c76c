// Contacts: search, filters, the virtualised grid, bulk actions on selected rows, and "New contact".
import { useEffect, useState, type JSX } from 'react'
import type { RowSelectionState } from '@tanstack/react-table'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { plural } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { BulkBar } from './BulkBar'
import { ContactsGrid } from './ContactsGrid'
import { ContactsToolbar } from './ContactsToolbar'
import { NewContactDialog } from './NewContactDialog'
import { useContactList, type ListParams } from './useContactList'
import { useContactsView } from './viewState'
import { AddButton } from '../../components/AddButton'

/** The value after it has stopped changing for `ms` (search as you type without a query per key). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return settled
}

export function ContactsScreen(): JSX.Element {
  const view = useContactsView()
  const query = useDebounced(view.query, 250)
  const params: ListParams = {
    query,
    objectId: view.objectFilter === '' ? undefined : view.objectFilter === 'none' ? null : Number(view.objectFilter),
    tagId: view.tagFilter === '' ? undefined : Number(view.tagFilter),
    segmentId: view.segmentFilter === '' ? undefined : Number(view.segmentFilter),
    sort: view.sort,
  }
  const list = useContactList(params)
  const [selection, setSelection] = useState<RowSelectionState>({})
  const [creating, setCreating] = useState(false)
  const filtered = query.trim() !== '' || view.objectFilter !== '' || view.tagFilter !== '' || view.segmentFilter !== ''
  const selectedIds = Object.keys(selection)
    .filter((k) => selection[k])
    .map(Number)

  // A different result set starts with nothing selected.
  const paramsKey = JSON.stringify(params)
  useEffect(() => setSelection({}), [paramsKey])

  const empty = list.total === 0 && !list.loading
  return (
    <div className="page page-fill">
      <header className="page-header">
        <div>
          <h1>Contacts</h1>
          <p className="page-subtitle" aria-live="polite">
            {list.total === null ? 'Loading…' : plural(list.total, 'contact')}
          </p>
        </div>
        <div className="page-actions">
          <a className="btn" href={hrefFor({ name: 'import' })}>
            <Icon name="import" /> Import
          </a>
          <AddButton label="New contact" onClick={() => setCreating(true)} primary />
        </div>
      </header>
      {!(empty && !filtered) && <ContactsToolbar filtered={filtered} />}
      <div className={`grid-frame${empty ? '' : ' is-fit'}`}>
        {empty && !filtered ? (
          <EmptyState
            icon="contacts"
            title="No contacts yet"
            actions={
              <>
                <a className="btn" href={hrefFor({ name: 'import' })}>
                  <Icon name="import" /> Import a CSV
                </a>
                <AddButton label="New contact" onClick={() => setCreating(true)} primary />
              </>
            }
          >
            Contacts are the people your businesses talk to. Add one by hand, or import a spreadsheet exported from your old tool.
          </EmptyState>
        ) : empty ? (
          <EmptyState
            icon="search"
            title="No contacts match"
            actions={
              <button type="button" className="btn" onClick={() => useContactsView.getState().set({ query: '', objectFilter: '', tagFilter: '', segmentFilter: '' })}>
                Clear search and filters
              </button>
            }
          >
            {query.trim() ? `Nothing matches “${query.trim()}”` : 'Nothing matches these filters'}. Try another spelling or fewer filters.
          </EmptyState>
        ) : (
          <ContactsGrid list={list} sort={view.sort} onSort={(sort) => view.set({ sort })} selection={selection} onSelection={setSelection} />
        )}
      </div>
      {selectedIds.length > 0 && <BulkBar ids={selectedIds} items={list.items} onDone={() => setSelection({})} />}
      {creating && <NewContactDialog defaultObjectId={params.objectId ?? null} onClose={() => setCreating(false)} />}
    </div>
  )
}
