// Modal dialogs on the native <dialog> element: focus trapping, Escape and the inert background come
// from the browser. Mount it to open it; unmount it to close it.
import { useEffect, useId, useRef, type JSX, type ReactNode } from 'react'
import { Form } from './Form'
import { Icon } from './Icons'

interface DialogProps {
  title: string
  description?: ReactNode
  onClose: () => void
  /** When given, the body and footer form one <form>, so Enter submits. */
  onSubmit?: () => void
  footer?: ReactNode
  size?: 'sm' | 'md' | 'lg' | 'xl'
  /** Extra class on the <dialog>, for dialogs with their own body layout (compose). */
  className?: string
  children?: ReactNode
}

export function Dialog({ title, description, onClose, onSubmit, footer, size = 'md', className, children }: DialogProps): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])

  const inner = (
    <>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </>
  )
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <div className="dialog-header">
        <div>
          <h2 id={titleId}>{title}</h2>
          {description && <p className="dialog-description">{description}</p>}
        </div>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="x" />
        </button>
      </div>
      {onSubmit ? (
        <Form onSubmit={onSubmit}>{inner}</Form>
      ) : (
        inner
      )}
    </dialog>
  )
}

interface DialogActionsProps {
  onCancel: () => void
  /** The submit button's words, and what it says while the dialog works. */
  label: string
  busyLabel?: string
  busy: boolean
  danger?: boolean
  /** Buttons between Cancel and the submit button ("Save anyway"). */
  children?: ReactNode
}

/** The buttons every form ends with (a dialog footer, a card form): Cancel, any extra buttons, then the one submit button. */
export function DialogActions({ onCancel, label, busyLabel = 'Saving…', busy, danger, children }: DialogActionsProps): JSX.Element {
  return (
    <>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      {children}
      <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </>
  )
}
