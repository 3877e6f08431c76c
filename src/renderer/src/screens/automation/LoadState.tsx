// Designed loading and error states for the automation screens.
import type { JSX, ReactNode } from 'react'
import { Icon } from '../../components/Icons'

export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }): JSX.Element {
  return (
    <div className="load-error" role="alert">
      <Icon name="alert" size={18} />
      <div className="load-error-text">
        <strong>Couldn’t load this</strong>
        <span>{message}</span>
      </div>
      <button type="button" className="btn btn-sm" onClick={onRetry}>
        <Icon name="retry" size={14} /> Try again
      </button>
    </div>
  )
}

interface SkeletonProps {
  rows?: number
  /** Each bar's width class in a row (w-40 …). */
  widths?: string[]
  /** The bar's look: `skeleton-block`, or the inbox's slimmer `skeleton-bar`. */
  bar?: string
  label?: string
}

/** Grey placeholder rows while the first page loads (the lists, and the inbox's thread list). */
export function SkeletonRows({ rows = 3, widths = ['w-40', 'w-20', 'w-10'], bar = 'skeleton-block', label = 'Loading' }: SkeletonProps): JSX.Element {
  return (
    <div className="skeleton-list" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row">
          {widths.map((w) => (
            <span key={w} className={`${bar} ${w}`} />
          ))}
        </div>
      ))}
    </div>
  )
}

export function StatusBadge({ label, tone }: { label: string; tone: string }): JSX.Element {
  return <span className={`badge badge-${tone}`}>{label}</span>
}

/** A list page's body: the load error, skeleton rows, the empty state, or the list itself. */
export function ListBody<T>({ error, items, onRetry, empty, children }: { error: string | null; items: T[] | null; onRetry: () => void; empty: ReactNode; children: (items: T[]) => ReactNode }): JSX.Element {
  if (error && !items) return <LoadError message={error} onRetry={onRetry} />
  if (!items)
    return (
      <div className="card">
        <SkeletonRows />
      </div>
    )
  if (items.length === 0) return <div className="card">{empty}</div>
  return <>{children(items)}</>
}
