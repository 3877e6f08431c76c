// The contacts grid: @tanstack/react-table for columns/selection/sort state, @tanstack/react-virtual so
// only the visible rows exist in the DOM (smooth at 100k contacts). Sorting is done by the engine.
import { flexRender, getCoreRowModel, useReactTable, type RowSelectionState, type SortingState } from '@tanstack/react-table'
import { useEffect, useMemo, type JSX } from 'react'
import type { Contact } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { navigate } from '../../lib/router'
import { objectName, useApp } from '../../store'
import { GRID_TEMPLATE, makeColumns } from './columns'
import type { ContactList, ListParams } from './useContactList'
import { useInfiniteRows } from '../../lib/useInfiniteRows'

const ROW_HEIGHT = 48

interface Props {
  list: ContactList
  sort: ListParams['sort']
  onSort: (sort: ListParams['sort']) => void
  selection: RowSelectionState
  onSelection: (s: RowSelectionState) => void
}

export function ContactsGrid({ list, sort, onSort, selection, onSelection }: Props): JSX.Element {
  const objects = useApp((s) => s.objects)
  const columns = useMemo(() => makeColumns((id) => objectName(objects, id)), [objects])
  const sorting: SortingState = [{ id: sort.field, desc: sort.dir === 'desc' }]

  const table = useReactTable<Contact>({
    data: list.items,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (c) => String(c.id),
    manualSorting: true,
    enableSortingRemoval: false,
    state: { rowSelection: selection, sorting },
    onRowSelectionChange: (u) => onSelection(typeof u === 'function' ? u(selection) : u),
    onSortingChange: (u) => {
      const next = (typeof u === 'function' ? u(sorting) : u)[0]
      if (next) onSort({ field: next.id as ListParams['sort']['field'], dir: next.desc ? 'desc' : 'asc' })
    },
  })
  const rows = table.getRowModel().rows

  // Infinite scroll: fetch the next page once the last rendered row is near the end of what is loaded.
  const { scrollRef, virtualizer, items: virtualRows } = useInfiniteRows(list, { rows: rows.length, busy: list.loading, rowHeight: ROW_HEIGHT, overscan: 12, ahead: 20 })

  // A new search or sort starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
  }, [sort.field, sort.dir])

  return (
    <div className="grid-scroll" ref={scrollRef}>
      <div role="grid" aria-label="Contacts" aria-rowcount={(list.total ?? rows.length) + 1} className="grid" style={{ ['--grid-cols' as string]: GRID_TEMPLATE }}>
        <div role="rowgroup" className="grid-head">
          {table.getHeaderGroups().map((group) => (
            <div role="row" key={group.id} className="grid-row grid-head-row" aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                const canSort = header.column.getCanSort()
                return (
                  <div
                    role="columnheader"
                    key={header.id}
                    className={`grid-cell grid-head-cell${header.id === 'select' ? ' cell-select' : ''}`}
                    aria-sort={sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {canSort ? (
                      <button type="button" className={`sort-button${sorted ? ' is-sorted' : ''}`} onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <Icon name={sorted === 'desc' ? 'arrowDown' : 'arrowUp'} size={12} className="sort-icon" />
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </div>
                )
              })}
            </div>
          ))}
        </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualRows.map((v) => {
            const row = rows[v.index]
            if (!row)
              return (
                <div key="loader" className="grid-row grid-loader" style={{ transform: `translateY(${v.start}px)` }}>
                  <span className="spinner" aria-hidden="true" /> Loading more…
                </div>
              )
            return (
              <div
                role="row"
                key={row.id}
                aria-rowindex={v.index + 2}
                aria-selected={row.getIsSelected()}
                className={`grid-row grid-body-row${row.getIsSelected() ? ' is-selected' : ''}`}
                style={{ transform: `translateY(${v.start}px)` }}
                onClick={() => navigate({ name: 'contact', id: row.original.id })}
              >
                {row.getVisibleCells().map((cell) => (
                  <div
                    role="gridcell"
                    key={cell.id}
                    className={`grid-cell${cell.column.id === 'select' ? ' cell-select' : ''}`}
                    // A click around the checkbox toggles it rather than opening the contact.
                    onClick={
                      cell.column.id === 'select'
                        ? (e) => {
                            e.stopPropagation()
                            if (e.target === e.currentTarget) row.toggleSelected()
                          }
                        : undefined
                    }
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
