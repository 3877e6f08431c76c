// Labelled form controls. Every input has a real <label for>, so `getByLabel('Email')` finds it and
// screen readers announce it; errors are tied to the input with aria-describedby.
import { useId, type JSX, type ReactNode } from 'react'
import '../styles/errorSummary.css'
import { Icon } from './Icons'

interface ControlProps {
  id: string
  'aria-invalid': boolean | undefined
  'aria-describedby': string | undefined
}

interface FieldProps {
  label: string
  error?: string
  hint?: ReactNode
  /** Shown beside the label, outside it, so the accessible name stays just the label. */
  optional?: boolean
  className?: string
  children: (props: ControlProps) => ReactNode
}

export function Field({ label, error, hint, optional, className, children }: FieldProps): JSX.Element {
  const id = useId()
  const described = error ? `${id}-err` : hint ? `${id}-hint` : undefined
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <div className="field-label-row">
        <label htmlFor={id}>{label}</label>
        {optional && <span className="field-optional">Optional</span>}
      </div>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {error ? (
        <p className="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  )
}

interface TextFieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  error?: string
  hint?: ReactNode
  optional?: boolean
  type?: 'text' | 'email' | 'password' | 'number' | 'tel' | 'url'
  placeholder?: string
  autoFocus?: boolean
  autoComplete?: string
  className?: string
  min?: number
  max?: number
}

export function TextField({ label, value, onChange, error, hint, optional, className, ...input }: TextFieldProps): JSX.Element {
  return (
    <Field label={label} error={error} hint={hint} optional={optional} className={className}>
      {(props) => <input className="input" {...props} {...input} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  )
}

interface SelectFieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  options: Array<{ value: string; label: string }>
  error?: string
  hint?: ReactNode
  optional?: boolean
  className?: string
}

export function SelectField({ label, value, onChange, options, error, hint, optional, className }: SelectFieldProps): JSX.Element {
  return (
    <Field label={label} error={error} hint={hint} optional={optional} className={className}>
      {(props) => (
        <select className="input select" {...props} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

export function TextAreaField(props: Omit<TextFieldProps, 'type'> & { rows?: number }): JSX.Element {
  const { label, value, onChange, error, hint, optional, className, rows = 3, placeholder } = props
  return (
    <Field label={label} error={error} hint={hint} optional={optional} className={className}>
      {(p) => <textarea className="input textarea" {...p} rows={rows} placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  )
}

/** A switch-looking checkbox; still a real checkbox with a label. */
export function Toggle({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string }): JSX.Element {
  const id = useId()
  return (
    <div className="toggle-row">
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="toggle"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div className="toggle-text">
        <label htmlFor={id}>{label}</label>
        {hint && (
          <span className="toggle-hint" id={`${id}-hint`}>
            {hint}
          </span>
        )}
      </div>
    </div>
  )
}

/** A switch inside its label, with a line under it saying what "on" means (the editors' settings). */
export function SwitchRow({ label, hint, checked, onChange, className }: { label: string; hint: ReactNode; checked: boolean; onChange: (on: boolean) => void; className?: string }): JSX.Element {
  return (
    <label className={className ? `toggle-row ${className}` : 'toggle-row'}>
      <input type="checkbox" role="switch" className="toggle" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="toggle-text">
        <span className="label-text">{label}</span>
        <span className="toggle-hint">{hint}</span>
      </span>
    </label>
  )
}

/** The banner for an error that belongs to no single field. */
/** One field's complaint, under a control that has no <Field> of its own. */
export function FieldAlert({ message }: { message: string | null | undefined }): JSX.Element | null {
  if (!message) return null
  return (
    <p className="field-error" role="alert">
      {message}
    </p>
  )
}

/** What could not be loaded or done, as a line with the alert icon (the reading pane, notes, Today). */
export function AlertLine({ message, className }: { message: string | null | undefined; className?: string }): JSX.Element | null {
  if (!message) return null
  return (
    <p className={className ? `${className} message-error` : 'message-error'} role="alert">
      <Icon name="alert" size={14} /> {message}
    </p>
  )
}

export function FormError({ message }: { message: string | null }): JSX.Element | null {
  if (!message) return null
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  )
}

/**
 * With more than one invalid field: how many, and each message as a button that moves focus to its
 * input (found through the message's aria-describedby link), for fields scrolled out of view.
 */
export function ErrorSummary({ fields }: { fields: Record<string, string> }): JSX.Element | null {
  const messages = Object.values(fields)
  if (messages.length < 2) return null
  const focus = (message: string) => {
    const err = [...document.querySelectorAll<HTMLElement>('.field-error')].find((p) => p.textContent === message)
    const input = err?.id ? document.querySelector<HTMLElement>(`[aria-describedby~="${CSS.escape(err.id)}"]`) : null
    input?.focus()
    input?.scrollIntoView({ block: 'center' })
  }
  return (
    <div className="form-error error-summary" role="alert">
      <strong>{messages.length} fields need a change</strong>
      <ul>
        {messages.map((m) => (
          <li key={m}>
            <button type="button" className="link-button" onClick={() => focus(m)}>
              {m}
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
