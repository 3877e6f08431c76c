// One labelled control of the step panel (a real <label>, so tests and screen readers find it); the hint
// sits outside the label so the control's name stays just the label.
import type { JSX, ReactNode } from 'react'

export function Row({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }): JSX.Element {
  return (
    <div className="flow-field">
      <label className="flow-field-label">
        <span className="label-text">{label}</span>
        {children}
      </label>
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  )
}
