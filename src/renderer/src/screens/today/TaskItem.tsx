// One task as a row: a round checkbox that completes it (and brings it back), its title, the contact it is
// about, the due time in the business's zone (red when overdue) and who it is assigned to.
import { useState, type JSX } from 'react'
import type { Task } from '../../../../shared/crm'
import { Icon } from '../../components/Icons'
import { hrefFor } from '../../lib/router'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import { dismissReminder } from './reminders'
import { dueLabel } from './taskTime'

export function TaskItem({ task, timeZone, showContact = true, onDelete }: { task: Task; timeZone: string; showContact?: boolean; onDelete?: (t: Task) => void }): JSX.Element {
  const [busy, setBusy] = useState(false)
  const toggle = async () => {
    setBusy(true)
    try {
      const done = !task.done
      await rpc('tasks.complete', { id: task.id, done })
      if (done) dismissReminder(task.id)
      if (done)
        useApp.getState().toast('success', `Done: ${task.title}`, {
          duration: 6000,
          action: { label: 'Undo', run: () => void rpc('tasks.complete', { id: task.id, done: false }).catch(toastError) },
        })
    } catch (err) {
      toastError(err)
    }
    setBusy(false)
  }
  return (
    <li className={`task-item${task.done ? ' is-done' : ''}${task.due === 'overdue' ? ' is-overdue' : ''}`}>
      <button
        type="button"
        className="task-check"
        role="checkbox"
        aria-checked={task.done}
        aria-label={`${task.done ? 'Mark not done' : 'Mark done'}: ${task.title}`}
        disabled={busy}
        onClick={() => void toggle()}
      >
        {task.done && <Icon name="check" size={12} />}
      </button>
      <div className="task-main">
        <span className="task-title">{task.title}</span>
        <span className="task-meta">
          <span className="task-due">
            <Icon name="clock" size={12} /> {dueLabel(task.dueAt, timeZone)}
          </span>
          {showContact && task.contactId !== null && (
            <a className="task-contact" href={hrefFor({ name: 'contact', id: task.contactId })}>
              <Icon name="user" size={12} /> {task.contactName ?? 'Contact'}
            </a>
          )}
          {task.closeOnReply && !task.done && <span className="badge badge-slate badge-sm">Until they reply</span>}
          {task.closedByMessageId !== null && <span className="badge badge-green badge-sm">They replied</span>}
          {task.assigneeName && <span className="task-assignee">{task.assigneeName}</span>}
        </span>
      </div>
      {onDelete && (
        <button type="button" className="icon-button task-delete" aria-label={`Delete task ${task.title}`} onClick={() => onDelete(task)}>
          <Icon name="trash" size={14} />
        </button>
      )}
    </li>
  )
}
