// The list of suggestions under a combobox (tags, recipients): the active one follows the mouse and the
// arrow keys (the input keeps focus and points at it with aria-activedescendant), a click picks without
// blurring the input.
import type { JSX, ReactNode } from 'react'

export interface SuggestListProps<T> {
  /** The combobox input's id: the list is `${id}-list`, each option `${id}-opt-${i}`. */
  id: string
  className: string
  label: string
  open: boolean
  items: readonly T[]
  keyOf: (item: T) => string | number
  active: number
  onActive: (i: number) => void
  onPick: (item: T) => void
  children: (item: T) => ReactNode
}

/**
 * The arrow keys of a combobox over `count` options (the tag picker, the recipient field, the folder picker):
 * Down and Up move the active option within the list. True when the key was one of them.
 */
export function moveActive(key: string, count: number, setActive: (next: (i: number) => number) => void): boolean {
  if (key === 'ArrowDown') setActive((i) => Math.max(0, Math.min(i + 1, count - 1)))
  else if (key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0))
  else return false
  return true
}

export function SuggestList<T>({ id, className, label, open, items, keyOf, active, onActive, onPick, children }: SuggestListProps<T>): JSX.Element {
  return (
    <ul className={className} hidden={!open} role="listbox" id={`${id}-list`} aria-label={label}>
      {items.map((item, i) => (
        <li
          key={keyOf(item)}
          id={`${id}-opt-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'is-active' : undefined}
          onMouseEnter={() => onActive(i)}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(item)}
        >
          {children(item)}
        </li>
      ))}
    </ul>
  )
}
