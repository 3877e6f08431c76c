// Add a task in one line: title, due time (tomorrow 9:00 in the business's zone unless changed) and, for a
// contact, "until they reply" (the task closes itself when the contact writes). What is typed survives a
// reload (localStorage) and leaving the page asks first.
import { useEffect, useState, type JSX } from 'react'
import { FieldAlert } from '../../components/Field'
import { useUnsavedChanges } from '../../components/UnsavedChanges'
import { Icon } from '../../components/Icons'
import { rpc } from '../../rpc'
import { toastError, toastOk } from '../../store'
import { tomorrowMorning, zonedIso, zoneName } from './taskTime'
import { Form } from '../../components/Form'

export function TaskQuickAdd({ contactId, timeZone, label = 'New task' }: { contactId?: number; timeZone: string; label?: string }): JSX.Element {
  const key = `switchboard.taskDraft.${contactId ?? 'any'}`
  const [title, setTitle] = useState(() => localStorage.getItem(key) ?? '')
  const [due, setDue] = useState(() => tomorrowMorning(Date.now(), timeZone))
  const [untilReply, setUntilReply] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (title) localStorage.setItem(key, title)
    else localStorage.removeItem(key)
  }, [key, title])

  const add = async (): Promise<boolean> => {
    if (!title.trim()) {
      setError('Give the task a title')
      return false
    }
    setBusy(true)
    try {
      await rpc('tasks.create', { title, dueAt: zonedIso(due, timeZone), ...(contactId ? { contactId, closeOnReply: untilReply } : {}) })
      toastOk('Task added')
      setTitle('')
      setError(null)
      setUntilReply(false)
      setBusy(false)
      return true
    } catch (err) {
      setBusy(false)
      toastError(err)
      return false
    }
  }
  const leaving = useUnsavedChanges({ dirty: title.trim() !== '', save: add, discard: () => setTitle(''), what: 'this task' })

  return (
    <Form className="task-add" aria-label={label} onSubmit={add}>
      <div className="task-add-row">
        <input
          aria-label="Task"
          className="input task-add-title"
          placeholder={contactId ? 'Add a task, e.g. Call back about the quote' : 'Add a task…'}
          value={title}
          aria-invalid={error ? true : undefined}
          onChange={(e) => (setTitle(e.target.value), setError(null))}
        />
        <input
          aria-label="Due"
          className="input task-add-due"
          type="datetime-local"
          value={due}
          onChange={(e) => setDue(e.target.value)}
          title={`In ${zoneName(timeZone)} (the business's time zone)`}
          required
        />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          <Icon name="plus" size={14} /> Add task
        </button>
      </div>
      {contactId !== undefined && (
        <label className="task-add-option">
          <input type="checkbox" checked={untilReply} onChange={(e) => setUntilReply(e.target.checked)} /> Done when they reply
        </label>
      )}
      <FieldAlert message={error} />
      {leaving}
    </Form>
  )
}
