// One labelled control of the step panel: a real <label for>, so tests and screen readers find the control
// by its label alone (a wrapping label would fold a select's chosen option into the name).
import { cloneElement, useId, type JSX, type ReactElement, type ReactNode } from 'react'

export function Row({ label, children, hint }: { label: string; children: ReactElement<{ id?: string }>; hint?: ReactNode }): JSX.Element {
  const id = useId()
  return (
    <div className="flow-field">
      <label className="label-text" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id })}
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  )
}
