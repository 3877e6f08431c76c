// "Are you sure?" for destructive actions. Keeps itself open and shows the engine's answer when the
// action is refused (e.g. deleting a business that still has contacts).
import { useState, type JSX, type ReactNode } from 'react'
import { messageOf } from '../lib/errors'
import { toastOk } from '../store'
import { Dialog, DialogActions } from './Dialog'
import { FormError } from './Field'

interface ConfirmProps {
  title: string
  message: ReactNode
  confirmLabel: string
  onConfirm: () => Promise<unknown>
  /** Said in a toast once the action has worked (e.g. "Mailbox deleted"). */
  done?: string
  onClose: () => void
}

export function ConfirmDialog({ title, message, confirmLabel, onConfirm, done, onClose }: ConfirmProps): JSX.Element {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const confirm = async () => {
    setBusy(true)
    setError(null)
    try {
      await onConfirm()
      if (done) toastOk(done)
      onClose()
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }
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
