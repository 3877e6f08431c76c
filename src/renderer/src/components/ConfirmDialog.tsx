// "Are you sure?" for destructive actions. Keeps itself open and shows the engine's answer when the
// action is refused (e.g. deleting a business that still has contacts).
import { useCallback, useState, type JSX, type ReactNode } from 'react'
import { useAction } from '../lib/useAction'
import { toastOk } from '../store'
import { Dialog, DialogActions } from './Dialog'
import { FormError } from './Field'

/** What a confirmation says and does. */
export interface ConfirmRequest {
  title: string
  message: ReactNode
  confirmLabel: string
  onConfirm: () => Promise<unknown>
  /** Said in a toast once the action has worked (e.g. "Mailbox deleted"). */
  done?: string
}

interface ConfirmProps extends ConfirmRequest {
  onClose: () => void
}

export function ConfirmDialog({ title, message, confirmLabel, onConfirm, done, onClose }: ConfirmProps): JSX.Element {
  const { busy, error, run } = useAction()
  const confirm = () =>
    run(async () => {
      await onConfirm()
      if (done) toastOk(done)
      onClose()
    })
  return (
    <Dialog
      title={title}
      size="sm"
      onClose={onClose}
      onSubmit={confirm}
      footer={<DialogActions onCancel={onClose} label={confirmLabel} busyLabel="Working…" busy={busy} danger />}
    >
      <div className="confirm-message">{message}</div>
      <FormError message={error} />
    </Dialog>
  )
}

export interface Confirm<T> {
  /** Opens the dialog about `subject` (the row to delete; nothing for a screen's one question). */
  ask: (subject: T) => void
  /** Closes it without running anything. */
  close: () => void
  isOpen: boolean
  /** The dialog while it is open, else null: render it where the screen keeps its dialogs. */
  dialog: JSX.Element | null
}

/** One confirmation a screen can ask, with its open/close state. `request` is called at every render with
 * the subject asked about, so the action that runs on confirm is the screen's current one, never a closure
 * left over from when the dialog opened (a reply's draft id that arrived meanwhile, a list since reloaded). */
export function useConfirm<T = void>(request: (subject: T) => ConfirmRequest): Confirm<T> {
  const [open, setOpen] = useState<{ subject: T } | null>(null)
  const close = useCallback(() => setOpen(null), [])
  const ask = useCallback((subject: T) => setOpen({ subject }), [])
  return { ask, close, isOpen: open !== null, dialog: open && <Asked request={() => request(open.subject)} onClose={close} /> }
}

/** Builds the request while the dialog renders (after the screen's body has run, so it may use anything the
 * screen declares after its useConfirm). */
function Asked({ request, onClose }: { request: () => ConfirmRequest; onClose: () => void }): JSX.Element {
  return <ConfirmDialog {...request()} onClose={onClose} />
}

/** An edit dialog's way out (Esc, Cancel, the close button): closes at once when nothing changed, else asks
 * before the changes are dropped. */
export function useGuardedClose(dirty: boolean, onClose: () => void, ask: Omit<ConfirmRequest, 'onConfirm' | 'done'>): { close: () => void; dialog: JSX.Element | null } {
  const discarding = useConfirm(() => ({ ...ask, onConfirm: async () => onClose() }))
  return { close: () => (dirty ? discarding.ask() : onClose()), dialog: discarding.dialog }
}
