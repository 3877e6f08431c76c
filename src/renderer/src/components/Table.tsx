// The shell of every list table: a labelled <table> with its header row, optionally in a card. Rows stay
// the caller's (each list renders its own cells); numeric columns are right-aligned by `num`.
import type { JSX, ReactNode } from 'react'
import { hrefFor, navigate, type Route } from '../lib/router'

export type Column = string | { label: ReactNode; num?: boolean; className?: string }

interface TableProps {
  /** What the table lists, for screen readers ("Sequences"). */
  label: string
  columns: Column[]
  /** Extra class on the <table> (its own column widths). */
  className?: string
  /** Wrap it in a card of its own (a page's main list). */
  card?: boolean
  children: ReactNode
}

export function Table({ label, columns, className, card, children }: TableProps): JSX.Element {
  const table = (
    <table className={`data-table${className ? ` ${className}` : ''}`} aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) => {
            const col = typeof c === 'string' ? { label: c } : c
            const cls = [col.num ? 'num' : '', col.className ?? ''].filter(Boolean).join(' ')
            return (
              <th key={i} className={cls || undefined}>
                {col.label}
              </th>
            )
          })}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  )
  return card ? <div className="card table-card">{table}</div> : table
}

interface LinkRowProps {
  /** Where the row goes: a click anywhere on it, or its title as a real link (keyboard, new tab). */
  to: Route
  title: ReactNode
  /** The line under the title. */
  sub?: ReactNode
  subClassName?: string
  /** Cells before the title's (a switch that must not open the row). */
  lead?: ReactNode
  /** The row's other cells. */
  children?: ReactNode
}

/** A list row that opens its item: the title cell links to it, and the rest of the row does too. */
export function LinkRow({ to, title, sub, subClassName, lead, children }: LinkRowProps): JSX.Element {
  return (
    <tr className="is-clickable" onClick={() => navigate(to)}>
      {lead}
      <td>
        <a className="row-title" href={hrefFor(to)} onClick={(e) => e.stopPropagation()}>
          {title}
        </a>
        {sub !== undefined && <span className={subClassName ? `row-sub ${subClassName}` : 'row-sub'}>{sub}</span>}
      </td>
      {children}
    </tr>
  )
}
