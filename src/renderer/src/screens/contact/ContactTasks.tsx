// A contact's tasks beside their story: quick add (with "done when they reply"), the open ones by due
// time, and the finished ones on request.
import { useState, type JSX } from 'react'
import { useQuery } from '../../lib/useQuery'
import { deleteTask, TaskItem } from '../today/TaskItem'
import { useConfirm } from '../../components/ConfirmDialog'
import { TaskQuickAdd } from '../today/TaskQuickAdd'
import { Card } from '../../components/Card'

export function ContactTasks({ contactId, timeZone }: { contactId: number; timeZone: string }): JSX.Element {
  const [showDone, setShowDone] = useState(false)
  const tasks = useQuery('tasks.list', { contactId, status: showDone ? 'all' : 'open', limit: 100 }, { events: ['tasks.changed', 'tasks.due'] })
  const deleting = useConfirm(deleteTask)
  const items = tasks.data?.items ?? []
  return (
    <Card
      id="c-tasks"
      title="Tasks"
      actions={
        <button type="button" className="btn btn-ghost btn-sm" aria-pressed={showDone} onClick={() => setShowDone(!showDone)}>
          {showDone ? 'Hide done' : 'Show done'}
        </button>
      }
    >
      <div className="card-body">
        <TaskQuickAdd contactId={contactId} timeZone={timeZone} label="New task for this contact" />
        {tasks.data && items.length === 0 && <p className="card-empty task-empty">{showDone ? 'No tasks yet.' : 'Nothing to do for this contact.'}</p>}
        {items.length > 0 && (
          <ul className="task-list task-list-compact" aria-label="Tasks of this contact">
            {items.map((t) => (
              <TaskItem key={t.id} task={t} timeZone={timeZone} showContact={false} onDelete={deleting.ask} />
            ))}
          </ul>
        )}
      </div>
      {deleting.dialog}
    </Card>
  )
}
