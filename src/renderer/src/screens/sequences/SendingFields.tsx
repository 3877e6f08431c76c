// Where a sequence sends from (mailboxes it rotates across) and when (an optional window of days and
// hours in the contact's time zone, falling back to the business's).
import type { JSX } from 'react'
import { FieldAlert, SwitchRow } from '../../components/Field'
import type { SendWindow } from '../../../../shared/automation'
import type { Mailbox } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { hourLabel, WEEKDAYS } from '../../lib/automation'
import { formatCount, plural } from '../../lib/format'
import { hrefFor } from '../../lib/router'

export function MailboxPicker({ mailboxes, objectId, value, onChange, error }: { mailboxes: Mailbox[] | null; objectId: string; value: number[]; onChange: (ids: number[]) => void; error?: string }): JSX.Element {
  if (!objectId) return <p className="card-empty">Pick a business first; its mailboxes appear here.</p>
  if (!mailboxes) return <div className="preview-skeleton short" aria-busy="true" />
  if (mailboxes.length === 0)
    return (
      <div className="inline-note">
        <Icon name="server" size={16} />
        <span>
          This business has no mailboxes yet. <a href={hrefFor({ name: 'businesses', id: Number(objectId) })}>Add one in Businesses</a> to send sequences from it.
        </span>
      </div>
    )
  const toggle = (id: number, on: boolean) => onChange(on ? [...value, id] : value.filter((x) => x !== id))
  const daily = mailboxes.filter((m) => value.includes(m.id)).reduce((n, m) => n + m.dailyCapacity, 0)
  return (
    <div className="mailbox-pick">
      <ul className="check-list" aria-label="Mailboxes">
        {mailboxes.map((m) => (
          <li key={m.id}>
            <label className={`check-row${value.includes(m.id) ? ' is-checked' : ''}`}>
              <input type="checkbox" className="checkbox" checked={value.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
              <span className="check-main">
                <span className="check-title">{m.displayName ? `${m.displayName} <${m.email}>` : m.email}</span>
                <span className="check-sub">
                  {formatCount(m.dailyCapacity)} a day · {formatCount(m.sentToday)} sent today
                  {m.status !== 'active' && <span className="badge badge-sm badge-amber">{m.status === 'paused' ? 'Paused' : 'Sign-in failing'}</span>}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="field-hint">
          {value.length > 1 ? `Contacts are spread across ${formatCount(value.length)} mailboxes; each keeps its first one. ` : ''}
          {value.length ? `Up to ${plural(daily, 'message')} a day in all.` : 'Pick one or more; new contacts rotate across them.'}
        </p>
      )}
    </div>
  )
}

const HOURS = Array.from({ length: 25 }, (_, h) => h)

export function WindowPicker({ on, window, onChange, onToggle, errors }: { on: boolean; window: SendWindow; onChange: (w: SendWindow) => void; onToggle: (on: boolean) => void; errors: Record<string, string> }): JSX.Element {
  const toggleDay = (d: number) => onChange({ ...window, days: window.days.includes(d) ? window.days.filter((x) => x !== d) : [...window.days, d].sort((a, b) => a - b) })
  return (
    <div className="window-pick">
      <SwitchRow
        label="Only send during business hours"
        hint="In each contact’s time zone, or the business’s when the contact has none. Steps due outside wait for the next opening."
        checked={on}
        onChange={onToggle}
      />
      {on && (
        <div className="window-fields">
          <div className="day-row" role="group" aria-label="Sending days">
            {[1, 2, 3, 4, 5, 6, 0].map((d) => (
              <button key={d} type="button" className={`day-chip${window.days.includes(d) ? ' is-on' : ''}`} aria-pressed={window.days.includes(d)} onClick={() => toggleDay(d)}>
                {WEEKDAYS[d]}
              </button>
            ))}
          </div>
          <div className="hour-row">
            <label>
              <span className="visually-hidden">From</span>
              <select className="input select select-compact" aria-label="From" value={window.startHour} onChange={(e) => onChange({ ...window, startHour: Number(e.target.value) })}>
                {HOURS.slice(0, 24).map((h) => (
                  <option key={h} value={h}>
                    {hourLabel(h)}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted">to</span>
            <label>
              <span className="visually-hidden">Until</span>
              <select className="input select select-compact" aria-label="Until" value={window.endHour} onChange={(e) => onChange({ ...window, endHour: Number(e.target.value) })}>
                {HOURS.slice(1).map((h) => (
                  <option key={h} value={h}>
                    {hourLabel(h)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <FieldAlert message={errors['window.days'] ?? errors['window.endHour'] ?? errors.window} />
        </div>
      )}
    </div>
  )
}
