// A card with a titled header: the heading labels the section, an optional line of help sits under
// it, and the header's buttons (actions) sit on its right. The body is the card's own business.
import type { JSX, ReactNode } from 'react'
import { AddButton } from './AddButton'

interface CardProps {
  /** The heading's id, which labels the section (aria-labelledby). */
  id: string
  title: ReactNode
  help?: ReactNode
  actions?: ReactNode
  /** Extra classes on the section and on the header. */
  className?: string
  headerClassName?: string
  /** The heading's level: 3 for a card among others on a page, 2 where the cards are the page's sections. */
  level?: 2 | 3
  children?: ReactNode
}

export function Card({ id, title, help, actions, className, headerClassName, level = 3, children }: CardProps): JSX.Element {
  const heading = level === 2 ? <h2 id={id}>{title}</h2> : <h3 id={id}>{title}</h3>
  return (
    <section className={className ? `card ${className}` : 'card'} aria-labelledby={id}>
      <div className={headerClassName ? `card-header ${headerClassName}` : 'card-header'}>
        {help ? (
          <div>
            {heading}
            <p className="card-help">{help}</p>
          </div>
        ) : (
          heading
        )}
        {actions}
      </div>
      {children}
    </section>
  )
}

interface ConnectionActionsProps {
  /** The way out (Disconnect, Remove, Stop receiving), shown only once connected. */
  remove: { label: string; onClick: () => void; disabled?: boolean } | null
  /** The button that edits the connection, or makes it. */
  edit: { label: string; onClick: () => void; disabled?: boolean }
}

/** The header buttons of a card that connects a service (Mailgun, Twilio, Mailgun receiving). */
export function ConnectionActions({ remove, edit }: ConnectionActionsProps): JSX.Element {
  return (
    <div className="card-header-actions">
      {remove && (
        <button type="button" className="btn btn-ghost" disabled={remove.disabled} onClick={remove.onClick}>
          {remove.label}
        </button>
      )}
      <button type="button" className="btn" onClick={edit.onClick} disabled={edit.disabled}>
        {edit.label}
      </button>
    </div>
  )
}

interface ItemListCardProps<T> {
  id: string
  title: ReactNode
  help?: ReactNode
  /** The header's button that adds one ("Add mailbox"). */
  addLabel: string
  onAdd: () => void
  /** Null while loading: neither the list nor the empty line shows. */
  items: T[] | null | undefined
  /** What the list is, for screen readers ("Mailboxes"). */
  label: string
  /** The line shown when there are none. */
  empty: ReactNode
  /** Said in place of the list when it could not be loaded. */
  error?: ReactNode
  /** One <li className="item-row"> per item, with its key. */
  row: (item: T) => ReactNode
  /** Dialogs and the like, after the list. */
  children?: ReactNode
}

/** A card listing a business's things (mailboxes, sender profiles, intake rules): an Add button in its
 * header, a line saying there are none yet, or the rows. */
export function ItemListCard<T>({ id, title, help, addLabel, onAdd, items, label, empty, error, row, children }: ItemListCardProps<T>): JSX.Element {
  return (
    <Card id={id} title={title} help={help} actions={<AddButton label={addLabel} onClick={onAdd} />}>
      {error && <p className="card-body card-empty">{error}</p>}
      {items && items.length === 0 && <p className="card-body card-empty">{empty}</p>}
      {items && items.length > 0 && (
        <ul className="item-list" aria-label={label}>
          {items.map(row)}
        </ul>
      )}
      {children}
    </Card>
  )
}
