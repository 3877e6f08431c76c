// The variables a template can use; a click inserts one where the cursor was in the message editor.
import type { JSX } from 'react'
import { VARIABLES } from '../../lib/automation'
import type { Focus } from './StepsEditor'

export function VariablesHelp({ onInsert }: { onInsert: (token: string) => void }): JSX.Element {
  return (
    <section className="card" aria-labelledby="vars-head">
      <div className="card-header">
        <div>
          <h3 id="vars-head">Variables</h3>
          <p className="card-help">Click to insert at the cursor. A variable the contact has no value for stops the message instead of sending a blank.</p>
        </div>
      </div>
      <ul className="var-list">
        {VARIABLES.map((v) => (
          <li key={v.name}>
            <button type="button" className="var-button" onClick={() => onInsert(`{{${v.name}}}`)} title={`Insert {{${v.name}}}`}>
              <code>{`{{${v.name}}}`}</code>
              <span>{v.help}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="var-tip">
        Fallback: <code>{'{{default contact.first_name "there"}}'}</code> · Dates: <code>{'{{date contact.fields.renewal}}'}</code>
      </p>
    </section>
  )
}

/** Inserts `token` into the last focused subject or message at its cursor, through the editor's state. */
export function insertAtFocus(focus: Focus | null, token: string, apply: (index: number, field: Focus['field'], value: string) => void, fallback: () => void): void {
  // The message's rich editor inserts a chip at the cursor it remembers.
  if (focus?.editor?.alive()) return focus.editor.insertVariable(token)
  // Nothing focused yet: append to the message being edited.
  if (!focus?.el || !focus.el.isConnected) return fallback()
  const el = focus.el
  const start = el.selectionStart ?? el.value.length
  const end = el.selectionEnd ?? start
  apply(focus.index, focus.field, el.value.slice(0, start) + token + el.value.slice(end))
  requestAnimationFrame(() => {
    el.focus()
    el.setSelectionRange(start + token.length, start + token.length)
  })
}
