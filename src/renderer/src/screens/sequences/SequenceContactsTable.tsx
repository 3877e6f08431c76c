// Where each enrolled contact stands: status, step, when the next step is due, the mailbox it sends
// from, the last send and the last error, with pause and resume per contact or for a selection.
// Built with @tanstack/react-table; pages come from the engine by cursor.
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type RowSelectionState } from '@tanstack/react-table'
import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react'
import type { Sequence, SequenceContact } from '../../../../shared/automation'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { Segmented } from '../../components/Segmented'
import { CONTACT_STATUS, CONTACT_STATUSES } from '../../lib/automation'
import { formatCount, formatWhen, relativeTime, timeAgo } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { useLoad } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError, toastOk } from '../../store'
import { useNow } from '../outbox/useOutbox'
import { LoadError, SkeletonRows, StatusBadge } from '../automation/LoadState'

type Status = SequenceContact['status']
const PAGE = 200
const col = createColumnHelper<SequenceContact>()

export function SequenceContactsTable({ sequence, onEnroll }: { sequence: Sequence; onEnroll: () => void }): JSX.Element {
  const [status, setStatus] = useState<Status | undefined>(undefined)
  const [items, setItems] = useState<SequenceContact[] | null>(null)
  const [total, setTotal] = useState(0)
  const [cursor, setCursor] = useState<string | null>(null)
  const [selection, setSelection] = useState<RowSelectionState>({})
  const [loadingMore, setLoadingMore] = useState(false)
  const now = useNow(30_000)
  const shown = useRef(0)
  shown.current = items?.length ?? 0

  // Reloads what is already shown (at least one page), so a refresh does not collapse a long list; a new
  // sequence or status filter starts again from one page.
  const key = `${sequence.id}:${status ?? ''}`
  const loadedFor = useRef(key)
  const listing = useLoad(
    () => {
      const shownHere = loadedFor.current === key ? shown.current : 0
      loadedFor.current = key
      return rpc('sequences.contacts', { sequenceId: sequence.id, status, limit: Math.min(1000, Math.max(PAGE, shownHere)) })
    },
    key,
    { events: ['automation.changed', 'outbox.changed'], delayMs: 400, keepPrevious: false },
  )
  useEffect(() => {
    setItems(null)
    setSelection({})
  }, [key])
  useEffect(() => {
    const page = listing.data
    if (!page) return
    setItems(page.items)
    setTotal(page.total)
    setCursor(page.nextCursor)
  }, [listing.data])
  const error = listing.error

  const more = async () => {
    if (!cursor) return
    setLoadingMore(true)
    try {
      const page = await rpc('sequences.contacts', { sequenceId: sequence.id, status, cursor, limit: PAGE })
      setItems((cur) => [...(cur ?? []), ...page.items])
      setCursor(page.nextCursor)
    } catch (err) {
      toastError(err)
    }
    setLoadingMore(false)
  }

  const control = useCallback(
    async (action: 'pause' | 'resume', contactIds: number[]) => {
      try {
        await rpc(action === 'pause' ? 'sequences.pause' : 'sequences.resume', { id: sequence.id, contactIds })
        toastOk(`${action === 'pause' ? 'Paused' : 'Resumed'} ${contactIds.length === 1 ? 'one contact' : `${formatCount(contactIds.length)} contacts`}`)
        setSelection({})
        listing.reload()
      } catch (err) {
        toastError(err)
      }
    },
    [sequence.id, listing.reload],
  )

  const columns = useMemo(
    () => [
      col.display({
        id: 'select',
        header: ({ table }) => (
          <input type="checkbox" className="checkbox" aria-label="Select all" checked={table.getIsAllRowsSelected()} ref={(el) => void (el && (el.indeterminate = table.getIsSomeRowsSelected()))} onChange={table.getToggleAllRowsSelectedHandler()} />
        ),
        cell: ({ row }) => <input type="checkbox" className="checkbox" aria-label={`Select ${row.original.name || row.original.email}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />,
      }),
      col.accessor('name', {
        header: 'Contact',
        cell: ({ row }) => (
          <>
            <a className="row-title" href={hrefFor({ name: 'contact', id: row.original.contactId })}>
              {row.original.name || row.original.email}
            </a>
            <span className="row-sub">{row.original.email}</span>
          </>
        ),
      }),
      col.accessor('status', { header: 'Status', cell: ({ getValue }) => <StatusBadge {...CONTACT_STATUS[getValue()]} /> }),
      col.accessor('currentStep', {
        header: 'Step',
        cell: ({ row }) => <StepCell c={row.original} total={sequence.steps.length} />,
      }),
      col.accessor('nextStepAt', {
        header: 'Next step',
        cell: ({ row }) => <NextCell c={row.original} now={now} />,
      }),
      col.accessor('mailboxEmail', { header: 'Mailbox', cell: ({ getValue }) => <span className="cell-ellipsis">{getValue() ?? <span className="muted">Not yet</span>}</span> }),
      col.accessor('lastSentAt', { header: 'Last sent', cell: ({ getValue }) => (getValue() ? <span title={formatWhen(getValue()!)}>{timeAgo(getValue()!, now)}</span> : <span className="muted">—</span>) }),
      col.accessor('lastError', {
        header: 'Last error',
        cell: ({ getValue }) =>
          getValue() ? (
            <span className="reason reason-red" title={getValue()!}>
              <Icon name="alert" size={13} /> <span className="cell-ellipsis">{getValue()}</span>
            </span>
          ) : (
            <span className="muted">—</span>
          ),
      }),
      col.display({
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) => {
          const c = row.original
          if (c.status === 'active')
            return (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => void control('pause', [c.contactId])} aria-label={`Pause ${c.name || c.email}`}>
                <Icon name="pause" size={13} /> Pause
              </button>
            )
          if (c.status === 'paused')
            return (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => void control('resume', [c.contactId])} aria-label={`Resume ${c.name || c.email}`}>
                <Icon name="play" size={13} /> Resume
              </button>
            )
          return null
        },
      }),
    ],
    [sequence.steps, control, now],
  )

  const table = useReactTable({
    data: items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (c) => String(c.contactId),
    state: { rowSelection: selection },
    onRowSelectionChange: (u) => setSelection((s) => (typeof u === 'function' ? u(s) : u)),
  })
  const selected = table.getSelectedRowModel().rows.map((r) => r.original)
  const enrolled = Object.values(sequence.counts).reduce((n, c) => n + c, 0)

  return (
    <section className="card table-card" aria-label="Contacts in this sequence">
      <div className="card-header table-toolbar">
        <Segmented<Status | undefined>
          label="Filter by status"
          value={status}
          options={[
            { value: undefined, label: 'All ', count: enrolled },
            ...CONTACT_STATUSES.filter((s) => (sequence.counts[s] ?? 0) > 0 || s === status).map((s) => ({ value: s, label: `${CONTACT_STATUS[s].label} `, count: sequence.counts[s] ?? 0 })),
          ]}
          onChange={setStatus}
        />
        {selected.length > 0 && (
          <div className="bulk-inline" role="toolbar" aria-label="Selected contacts">
            <span className="bulk-inline-count">{formatCount(selected.length)} selected</span>
            <button type="button" className="btn btn-sm" onClick={() => void control('pause', selected.filter((c) => c.status === 'active').map((c) => c.contactId))} disabled={!selected.some((c) => c.status === 'active')}>
              <Icon name="pause" size={13} /> Pause
            </button>
            <button type="button" className="btn btn-sm" onClick={() => void control('resume', selected.filter((c) => c.status === 'paused').map((c) => c.contactId))} disabled={!selected.some((c) => c.status === 'paused')}>
              <Icon name="play" size={13} /> Resume
            </button>
          </div>
        )}
      </div>
      {error && !items ? (
        <div className="card-body">
          <LoadError message={error} onRetry={listing.reload} />
        </div>
      ) : !items ? (
        <SkeletonRows rows={4} />
      ) : items.length === 0 ? (
        <EmptyState
          icon="user"
          title={status ? `No ${CONTACT_STATUS[status].label.toLowerCase()} contacts` : 'No one is enrolled yet'}
          actions={
            !status && (
              <button type="button" className="btn btn-primary" onClick={onEnroll}>
                <Icon name="plus" /> Enrol contacts
              </button>
            )
          }
        >
          {status ? 'Pick another status to see the rest.' : 'Enrol contacts by name or by tag. Step 1 goes out at the next allowed moment.'}
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table seq-table" aria-label="Sequence contacts">
            <thead>
              {table.getHeaderGroups().map((g) => (
                <tr key={g.id}>
                  {g.headers.map((h) => (
                    <th key={h.id} className={`col-${h.column.id}`}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((r) => (
                <tr key={r.id} className={r.getIsSelected() ? 'is-selected' : undefined}>
                  {r.getVisibleCells().map((c) => (
                    <td key={c.id} className={`col-${c.column.id}`}>
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="table-foot">
            <span className="muted">
              Showing {formatCount(items.length)} of {formatCount(total)}
            </span>
            {cursor && (
              <button type="button" className="btn btn-sm" onClick={() => void more()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  )
}

/** Dots for the steps that really went out, the next one outlined, and the words for the same. */
function StepCell({ c, total }: { c: SequenceContact; total: number }): JSX.Element {
  const sent = c.lastSentStep ?? 0
  const label = c.nextStep !== null ? `Step ${c.nextStep} of ${total}` : c.status === 'completed' ? `All ${total} sent` : `${sent} of ${total} sent`
  return (
    <span className="step-progress" title={`${c.stepsSent} of ${total} sent`}>
      <span className="step-dots" aria-hidden="true">
        {Array.from({ length: total }, (_, i) => (
          <span key={i} className={`step-dot${i < sent ? ' is-done' : c.nextStep === i + 1 ? ' is-next' : ''}`} />
        ))}
      </span>
      {label}
    </span>
  )
}

/** When the next step goes, from the row that will send it; why nothing is next once stopped. */
function NextCell({ c, now }: { c: SequenceContact; now: number }): JSX.Element {
  const at = c.nextStepAt
  const when = at ? (Date.parse(at) <= now ? 'Due now' : relativeTime(at, now)) : null
  switch (c.nextState) {
    case null:
      if (c.stoppedReason) return <span className="muted" title={c.stoppedReason}>{c.stoppedReason}</span>
      return <span className="muted">{c.status === 'completed' ? 'Finished' : '—'}</span>
    case 'paused':
      return <span title={at ? formatWhen(at) : undefined}>Paused</span>
    case 'sending':
      return <span>Sending now</span>
    case 'held':
      return (
        <span className="reason reason-amber" title={c.heldReason ?? undefined}>
          Held · {c.heldReason}
        </span>
      )
    case 'retrying':
      return <span title={at ? formatWhen(at) : undefined}>Retrying {when === 'Due now' ? 'now' : when}</span>
    default:
      return <span title={at ? formatWhen(at) : undefined}>{when ?? '—'}</span>
  }
}
