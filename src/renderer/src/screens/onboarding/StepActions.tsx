// The foot of a set-up step that can go back: Back on the left, the step's own buttons on the right.
import type { JSX, ReactNode } from 'react'

export function StepActions({ onBack, children }: { onBack: () => void; children: ReactNode }): JSX.Element {
  return (
    <div className="step-actions">
      <button type="button" className="btn btn-ghost" onClick={onBack}>
        Back
      </button>
      <span className="spacer" />
      {children}
    </div>
  )
}
