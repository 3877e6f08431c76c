// "Schedule send": two quick picks and a date-time field. Times are this computer's local time and go
// to the engine as an ISO instant.
import { useId, useState, type JSX } from 'react'
import { FieldAlert } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { formatWhen } from '../../lib/format'

const pad = (n: number) => String(n).padStart(2, '0')
/** The value a datetime-local input shows for a Date. */
const toLocalInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`

function at(daysAhead: number, hour: number, from = new Date()): Date {
  const d = new Date(from)
  d.setDate(d.getDate() + daysAhead)
  d.setHours(hour, 0, 0, 0)
  return d
}
function nextMonday(hour: number): Date {
  const now = new Date()
  return at(((8 - now.getDay()) % 7) || 7, hour, now)
}

interface Props {
  disabled?: boolean
  error?: string
  onSchedule: (sendAt: string) => void
}

export function ScheduleMenu({ disabled, error, onSchedule }: Props): JSX.Element {
  const id = useId()
  const [value, setValue] = useState(() => toLocalInput(at(1, 9)))
  const [local, setLocal] = useState<string | null>(null)
  const picks = [
    { label: 'Tomorrow morning', date: at(1, 9) },
    { label: 'Monday morning', date: nextMonday(9) },
  ]
  const submit = (date: Date, close: () => void) => {
    if (Number.isNaN(date.getTime())) return setLocal('Pick a date and time')
    if (date.getTime() <= Date.now()) return setLocal('Pick a time in the future')
    setLocal(null)
    close()
    onSchedule(date.toISOString())
  }
  const message = local ?? error
  return (
    <Popover
      className={`btn${error ? ' btn-danger-outline' : ''}`}
      direction="up"
      align="right"
      label={
        <>
          <Icon name="clock" /> Schedule
        </>
      }
    >
      {(close) => (
        <div className="schedule-menu" role="group" aria-label="Schedule send">
          <p className="menu-caption">Send later</p>
          {picks.map((p) => (
            <button key={p.label} type="button" className="menu-item" disabled={disabled} onClick={() => submit(p.date, close)}>
              <span className="menu-item-text">
                <span>{p.label}</span>
                <span className="muted">{formatWhen(p.date.toISOString())}</span>
              </span>
            </button>
          ))}
          <div className="schedule-custom">
            <label htmlFor={id} className="label-text">
              Date and time
            </label>
            <input
              id={id}
              type="datetime-local"
              className="input"
              value={value}
              min={toLocalInput(new Date())}
              aria-invalid={message ? true : undefined}
              onChange={(e) => setValue(e.target.value)}
            />
            <FieldAlert message={message} />
            <button type="button" className="btn btn-primary" disabled={disabled} onClick={() => submit(new Date(value), close)}>
              Schedule send
            </button>
          </div>
        </div>
      )}
    </Popover>
  )
}
