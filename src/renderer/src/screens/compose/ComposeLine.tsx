// One labelled row of the compose form (From, To, Cc, Bcc, Subject): its label, the control, the control's
// error under it (announced, and tied to the control by `${id}-err`), and what sits at the row's end.
import type { JSX, ReactNode } from 'react'

export function ComposeLine({ id, label, error, children, below, trailing }: { id: string; label: ReactNode; error?: string | null; children: ReactNode; below?: ReactNode; trailing?: ReactNode }): JSX.Element {
  return (
    <div className={`compose-line${error ? ' has-error' : ''}`}>
      <label htmlFor={id} className="compose-label">
        {label}
      </label>
      <div className="compose-control">
        {children}
        {error && (
          <p className="field-error" id={`${id}-err`} role="alert">
            {error}
          </p>
        )}
        {below}
      </div>
      {trailing}
    </div>
  )
}
