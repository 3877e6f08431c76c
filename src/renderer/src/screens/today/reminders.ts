// The reminder at a task's due time: the engine sends 'tasks.due' once per task; this shows an in-app
// toast (with Open and Done) and, when the user allowed it, a desktop notification.
import { useEffect } from 'react'
import type { Task } from '../../../../shared/crm'
import { navigate } from '../../lib/router'
import { onEvent, rpc } from '../../rpc'
import { toastError, useApp } from '../../store'

/** The reminder toast shown per task, so completing the task elsewhere takes its reminder away too. */
const shown = new Map<number, number>()
export function dismissReminder(taskId: number): void {
  const id = shown.get(taskId)
  if (id !== undefined) useApp.getState().dismiss(id)
  shown.delete(taskId)
}

export function remind(task: Task): void {
  const open = () => navigate(task.contactId ? { name: 'contact', id: task.contactId } : { name: 'today' })
  const text = `Task due: ${task.title}${task.contactName ? ` (${task.contactName})` : ''}`
  const toastId = useApp.getState().toast('success', text, { duration: 15_000, action: { label: 'Done', run: () => void rpc('tasks.complete', { id: task.id }).catch(toastError) } })
  shown.set(task.id, toastId)
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    const n = new Notification('Task due', { body: task.contactName ? `${task.title} — ${task.contactName}` : task.title, tag: `switchboard-task-${task.id}` })
    n.onclick = () => (window.focus(), open(), n.close())
  }
}

/** Mounted once in the app shell. */
export function TaskReminders(): null {
  useEffect(() => onEvent('tasks.due', ({ task }) => remind(task)), [])
  return null
}
