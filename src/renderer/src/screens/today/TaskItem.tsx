// One task as a row (click its title to change title, due time or assignee in place): a round checkbox that completes it (and brings it back), its title, the contact it is
// about, the due time in the business's zone (red when overdue) and who it is assigned to.
import { useEffect, useState, type JSX } from 'react'
import type { ConfirmRequest } from '../../components/ConfirmDialog'
import { NamedOptions } from '../../components/BusinessOptions'
import { FieldAlert } from '../../components/Field'
import type { User } from '../../../../shared/models'
import { useUnsavedChanges } from '../../components/UnsavedChanges'
import type { Task } from '../../../../shared/crm'
import { Icon } from '../../components/Icons'
import { hrefFor } from '../../lib/router'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import { dismissReminder } from './reminders'
import { dueLabel, localValue, zonedIso } from './taskTime'

export function TaskItem({ task, timeZone, showContact = true, onDelete }: { task: Task; timeZone: string; showContact?: boolean; onDelete?: (t: Task) => void }): JSX.Element {
  const [busy, setBusy] = useState(false)
  const [editing, setEditing] = useState(false)
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
      {editing ? (
        <TaskEditor task={task} timeZone={timeZone} onClose={() => setEditing(false)} />
      ) : (
        <div className="task-main">
          <button type="button" className="task-title" title="Edit title, due time and assignee" onClick={() => setEditing(true)}>
            {task.title}
          </button>
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
            {/* issue 22 item 5: who wrote it down, when someone else did (your own tasks stay uncluttered) */}
            {task.createdByName && task.createdById !== task.assigneeId && <span className="task-assignee task-author">by {task.createdByName}</span>}
          </span>
        </div>
      )}
      {onDelete && (
        <button type="button" className="icon-button task-delete" aria-label={`Delete task ${task.title}`} onClick={() => onDelete(task)}>
          <Icon name="trash" size={14} />
        </button>
      )}
    </li>
  )
}

/** In-place edit: title, due time (in the business's zone) and assignee; Escape cancels, leaving asks first. */
function TaskEditor({ task, timeZone, onClose }: { task: Task; timeZone: string; onClose: () => void }): JSX.Element {
  const initial = { title: task.title, due: localValue(Date.parse(task.dueAt), timeZone), assignee: task.assigneeId === null ? '' : String(task.assigneeId) }
  const [v, setV] = useState(initial)
  const [users, setUsers] = useState<User[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => void rpc('users.list', {}).then(setUsers, toastError), [])
  const dirty = JSON.stringify(v) !== JSON.stringify(initial)
  const save = async (): Promise<boolean> => {
    try {
      await rpc('tasks.update', {
        id: task.id,
        title: v.title,
        ...(v.due !== initial.due ? { dueAt: zonedIso(v.due, timeZone) } : {}),
        assigneeId: v.assignee ? Number(v.assignee) : null,
      })
      onClose()
      return true
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
      return false
    }
  }
  const leaving = useUnsavedChanges({ dirty, save, discard: onClose, what: 'your changes to this task' })
  return (
    <form
      className="task-main task-edit"
      aria-label={`Edit task ${task.title}`}
      noValidate
      onSubmit={(e) => (e.preventDefault(), void save())}
      onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}
    >
      <input className="input" aria-label="Title" value={v.title} autoFocus onChange={(e) => (setV({ ...v, title: e.target.value }), setError(null))} aria-invalid={error ? true : undefined} />
      <div className="task-add-row">
        <input className="input task-add-due" type="datetime-local" aria-label="Due" value={v.due} onChange={(e) => setV({ ...v, due: e.target.value })} />
        <select className="input select task-edit-assignee" aria-label="Assignee" value={v.assignee} onChange={(e) => setV({ ...v, assignee: e.target.value })}>
          <NamedOptions items={users} empty="Nobody" />
        </select>
        <button type="button" className="btn btn-sm" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-sm" disabled={!dirty}>
          Save
        </button>
      </div>
      <FieldAlert message={error} />
      {leaving}
    </form>
  )
}

/** Asks before a task goes (useConfirm(deleteTask)): it is gone for everyone. */
export const deleteTask = (task: Task): ConfirmRequest => ({
  title: 'Delete this task?',
  message: `“${task.title}” is removed for everyone. This cannot be undone.`,
  confirmLabel: 'Delete task',
  onConfirm: () => rpc('tasks.delete', { id: task.id }),
  done: 'Task deleted',
})
