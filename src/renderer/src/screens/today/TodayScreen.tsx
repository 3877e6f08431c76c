// Today: what needs doing now — overdue tasks, then the rest of today, then what is coming — in the
// business's time zone, with a quick add at the top and one click to complete.
import { useState, type JSX } from 'react'
import type { Task } from '../../../../shared/crm'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { plural } from '../../lib/format'
import { useLoad } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { deleteTask, TaskItem } from './TaskItem'
import { useConfirm } from '../../components/ConfirmDialog'
import { TaskQuickAdd } from './TaskQuickAdd'
import { zoneName } from './taskTime'
import { askNotificationPermission, notificationPermission } from '../inbox/notify'
import { AlertLine } from '../../components/Field'

/** The first page of each group; the count says when there are more. */
const LIMIT = 200

export function TodayScreen(): JSX.Element {
  const lists = useLoad(
    async () => {
      const [overdue, today, upcoming] = await Promise.all([
        rpc('tasks.list', { due: 'overdue', limit: LIMIT }),
        rpc('tasks.list', { due: 'today', limit: LIMIT }),
        rpc('tasks.list', { due: 'upcoming', limit: 20 }),
      ])
      return { overdue: overdue.items, today: today.items, upcoming: upcoming.items, timeZone: today.timeZone }
    },
    [],
    { events: ['tasks.changed', 'tasks.due', 'contacts.changed', 'objects.changed'] },
  )
  const deleting = useConfirm(deleteTask)
  const d = lists.data
  const due = d ? d.overdue.length + d.today.length : 0
  return (
    <div className="page today-page">
      <header className="page-header">
        <div>
          <h1>Today</h1>
          <p className="page-subtitle">
            {d ? (due ? `${plural(due, 'task')} to do${d.overdue.length ? `, ${d.overdue.length} overdue` : ''}` : 'Nothing due today') : 'Loading…'}
            {d && <span className="today-zone"> · times in {zoneName(d.timeZone)}</span>}
          </p>
        </div>
        <NotifyButton />
      </header>
      {d && <TaskQuickAdd timeZone={d.timeZone} />}
      <AlertLine message={lists.error} />
      {d && due === 0 && d.upcoming.length === 0 ? (
        <EmptyState icon="check" title="You’re all caught up">
          Tasks you add here or on a contact’s page show up on the day they are due, and remind you at their time.
        </EmptyState>
      ) : (
        d && (
          <>
            <Group id="overdue" title="Overdue" tasks={d.overdue} timeZone={d.timeZone} tone="danger" onDelete={deleting.ask} />
            <Group id="today" title="Due today" tasks={d.today} timeZone={d.timeZone} empty="Nothing else due today." onDelete={deleting.ask} />
            <Group id="upcoming" title="Coming up" tasks={d.upcoming} timeZone={d.timeZone} empty="Nothing planned after today." onDelete={deleting.ask} />
          </>
        )
      )}
      {deleting.dialog}
    </div>
  )
}

function Group({ id, title, tasks, timeZone, tone, empty, onDelete }: { id: string; title: string; tasks: Task[]; timeZone: string; tone?: 'danger'; empty?: string; onDelete: (t: Task) => void }): JSX.Element | null {
  if (tasks.length === 0 && !empty) return null
  return (
    <section className={`card task-group${tone ? ` is-${tone}` : ''}`} aria-labelledby={`tg-${id}`}>
      <div className="card-header">
        <h3 id={`tg-${id}`}>
          {title} <span className="task-group-count">{tasks.length}</span>
        </h3>
      </div>
      {tasks.length === 0 ? (
        <p className="card-body card-empty">{empty}</p>
      ) : (
        <ul className="task-list" aria-label={title}>
          {tasks.map((t) => (
            <TaskItem key={t.id} task={t} timeZone={timeZone} onDelete={onDelete} />
          ))}
        </ul>
      )}
    </section>
  )
}

/** Desktop reminders need the user's permission, asked on a click (browsers ignore unprompted asks). */
function NotifyButton(): JSX.Element | null {
  const [permission, setPermission] = useState(notificationPermission())
  if (permission !== 'default') return null
  return (
    <div className="page-actions">
      <button type="button" className="btn" onClick={() => void askNotificationPermission().then(setPermission)}>
        <Icon name="clock" size={14} /> Turn on desktop reminders
      </button>
    </div>
  )
}
