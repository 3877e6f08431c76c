// What the user can do to a message on its way: retry it, cancel it, or (inside the undo window) pull it
// back into a draft. Shared by the rows and the detail panel so both behave the same.
import type { JSX, MouseEvent } from 'react'
import type { OutboundMessage } from '../../../../shared/outbound'
import { Icon } from '../../components/Icons'
import { canCancel, canRetry, canUndo } from '../../lib/outbox'
import { rpc } from '../../rpc'
import { toastError, toastOk, useApp } from '../../store'
import { openCompose } from '../compose/composeState'

const refreshCounts = () => void useApp.getState().loadOutboxCounts()

export function retry(m: OutboundMessage): void {
  rpc('outbox.retry', { id: m.id }).then(() => (toastOk('Trying again now'), refreshCounts()), toastError)
}

/** Cancel is one click; the toast can bring the message back (a cancelled message can be retried). */
export function cancel(m: OutboundMessage): void {
  rpc('outbox.cancel', { id: m.id }).then(() => {
    refreshCounts()
    useApp.getState().toast('success', 'Message cancelled', {
      duration: 6000,
      action: { label: 'Undo', run: () => void rpc('outbox.retry', { id: m.id }).then(refreshCounts, toastError) },
    })
  }, toastError)
}

export function undo(m: OutboundMessage): void {
  rpc('outbox.undo', { id: m.id }).then((draft) => (refreshCounts(), openCompose({ draft })), toastError)
}

/** The buttons that apply to a message right now. */
export function MessageActions({ message, now, size = 'sm' }: { message: OutboundMessage; now: number; size?: 'sm' | 'md' }): JSX.Element | null {
  const stop = (fn: (m: OutboundMessage) => void) => (e: MouseEvent) => {
    e.stopPropagation()
    fn(message)
  }
  const cls = `btn${size === 'sm' ? ' btn-sm' : ''}`
  const buttons = [
    canUndo(message, now) && (
      <button key="undo" type="button" className={cls} onClick={stop(undo)}>
        <Icon name="undo" size={14} /> Undo
      </button>
    ),
    canRetry(message) && (
      <button key="retry" type="button" className={cls} onClick={stop(retry)}>
        <Icon name="retry" size={14} /> Retry
      </button>
    ),
    canCancel(message) && (
      <button key="cancel" type="button" className={`${cls} btn-ghost`} onClick={stop(cancel)}>
        Cancel
      </button>
    ),
  ].filter(Boolean)
  return buttons.length ? <div className="message-actions">{buttons}</div> : null
}
