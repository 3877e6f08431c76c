// Column definitions of the contacts grid. Sortable columns are named after the engine's sort fields.
import { createColumnHelper } from '@tanstack/react-table'
import type { Contact } from '../../../../shared/models'
import { TagChip } from '../../components/TagChip'
import { formatDate, fullName } from '../../lib/format'
import { hrefFor } from '../../lib/router'

const col = createColumnHelper<Contact>()

// Keyed by every contact status, so a new status in the models is a compile error here.
export const STATUS_LABEL: Record<Contact['status'], string> = { active: 'Active', unsubscribed: 'Unsubscribed', bounced: 'Bounced', complained: 'Complained' }

/** CSS grid tracks, one per column, shared by the header and every row so they line up. */
export const GRID_TEMPLATE = '48px minmax(180px, 1.3fr) minmax(200px, 1.5fr) minmax(120px, 1fr) minmax(130px, 1fr) minmax(180px, 1.5fr) 110px'

export function makeColumns(objectName: (id: number | null) => string) {
  return [
    col.display({
      id: 'select',
      header: ({ table }) => (
        <input
          type="checkbox"
          className="checkbox"
          aria-label="Select all loaded contacts"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomeRowsSelected()
          }}
          onChange={table.getToggleAllRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          className="checkbox"
          aria-label={`Select ${fullName(row.original) || row.original.email || 'contact'}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
          onClick={(e) => e.stopPropagation()}
        />
      ),
    }),
    col.accessor((c) => fullName(c), {
      id: 'name',
      header: 'Name',
      enableSorting: true,
      cell: ({ row, getValue }) => (
        <span className="cell-name">
          <a href={hrefFor({ name: 'contact', id: row.original.id })} className={getValue() ? 'contact-link' : 'contact-link muted'} onClick={(e) => e.stopPropagation()}>
            {getValue() || '—'}
          </a>
          {row.original.status !== 'active' && <span className="badge badge-amber badge-sm">{STATUS_LABEL[row.original.status]}</span>}
        </span>
      ),
    }),
    col.accessor('email', { header: 'Email', enableSorting: true, cell: ({ getValue }) => getValue() ?? <span className="muted">—</span> }),
    col.accessor('company', { header: 'Company', enableSorting: true, cell: ({ getValue }) => getValue() || <span className="muted">—</span> }),
    col.accessor('primaryObjectId', {
      id: 'business',
      header: 'Business',
      enableSorting: false,
      cell: ({ getValue }) => objectName(getValue()) || <span className="muted">—</span>,
    }),
    col.accessor('tags', {
      header: 'Tags',
      enableSorting: false,
      // Two chips fit the column; the rest are counted (the profile shows them all).
      cell: ({ getValue }) => {
        const tags = getValue()
        return (
          <span className="cell-tags" title={tags.map((t) => t.name).join(', ')}>
            {tags.slice(0, 2).map((t) => (
              <TagChip key={t.id} name={t.name} color={t.color} />
            ))}
            {tags.length > 2 && <span className="chip-more">+{tags.length - 2}</span>}
          </span>
        )
      },
    }),
    col.accessor('createdAt', {
      header: 'Added',
      enableSorting: true,
      cell: ({ getValue }) => <span className="muted">{formatDate(getValue()).replace(/,? \d+:\d+.*$/, '')}</span>,
    }),
  ]
}
