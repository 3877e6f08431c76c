// The sidebar's count of tasks due today and overdue (red when something is overdue), kept fresh from events.
import type { JSX } from 'react'
import { formatCount } from '../lib/format'
import { useQuery } from '../lib/useQuery'

export function TaskBadge(): JSX.Element | null {
  const count = useQuery('tasks.count', {}, { events: ['tasks.changed', 'tasks.due', 'objects.changed'] }).data
  const n = count ? count.overdue + count.today : 0
  if (!count || n === 0) return null
  return (
    <span className={`nav-badge${count.overdue ? ' is-alert' : ''}`} title={`${formatCount(n)} due today${count.overdue ? `, ${formatCount(count.overdue)} overdue` : ''}`} data-testid="task-badge">
      {formatCount(n)}
      <span className="visually-hidden"> tasks due</span>
    </span>
  )
}
