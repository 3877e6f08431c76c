// "Are you sure?" for destructive actions. Keeps itself open and shows the engine's answer when the
// action is refused (e.g. deleting a business that still has contacts).
import type { JSX, ReactNode } from 'react'
import { useAction } from '../lib/useAction'
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
