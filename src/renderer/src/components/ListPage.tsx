// A list screen: the page header with its one "New …" action, then the list — a skeleton while it loads,
// the error with Retry, or an empty state that explains the screen and offers the same action.
import type { JSX, ReactNode } from 'react'
import type { Remote } from '../lib/useQuery'
import { ListBody } from '../screens/automation/LoadState'
import { EmptyState } from './EmptyState'
import { Icon, type IconName } from './Icons'
import { PageHeader } from './PageHeader'
import { Table, type Column } from './Table'
import { AddButton } from './AddButton'

export interface ListPageProps<T> {
  title: string
  /** Shown under the title; usually counts once there are items, what the screen is for before. */
  subtitle: ReactNode
  list: Remote<T[]>
  /** The primary action's words ("New sequence") and what it does. */
  newLabel: string
  onNew: () => void
  /** More header buttons, before the "New …" one. */
  actions?: ReactNode
  empty: { icon: IconName; title: string; text: ReactNode }
  /** The table's columns and one row per item (each a <tr> with its key). */
  columns: Column[]
  row: (item: T) => ReactNode
  /** Dialogs and the like, after the list. */
  after?: ReactNode
}

export function ListPage<T>({ title, subtitle, list, newLabel, onNew, actions, empty, columns, row, after }: ListPageProps<T>): JSX.Element {
  const action = <AddButton label={newLabel} onClick={onNew} primary />
  return (
    <div className="page">
      <PageHeader
        title={title}
        subtitle={subtitle}
        actions={
          <>
            {actions}
            {action}
          </>
        }
      />
      <ListBody
        error={list.error}
        items={list.data}
        onRetry={list.reload}
        empty={
          <EmptyState icon={empty.icon} title={empty.title} actions={action}>
            {empty.text}
          </EmptyState>
        }
      >
        {(items) => (
          <Table label={title} columns={columns} card>
            {items.map(row)}
          </Table>
        )}
      </ListBody>
      {after}
    </div>
  )
}
