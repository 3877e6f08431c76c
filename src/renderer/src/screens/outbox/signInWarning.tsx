// A scheduled message whose mailbox currently can't sign in says so before its time comes, with the way
// to fix it (the business's mailbox settings), instead of a calm "Scheduled".
import { useMemo, type JSX, type MouseEvent } from 'react'
import type { OutboundMessage } from '../../../../shared/outbound'
import { Icon } from '../../components/Icons'
import { formatWhen } from '../../lib/format'
import { signInWarning, type MailboxSignIn } from '../../lib/outbox'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import '../../styles/outboxSignIn.css'

/** Mailboxes that can't sign in, by id; reloaded when a mailbox's state changes (objects.changed). */
export function useStoppedMailboxes(): Map<number, MailboxSignIn> {
  const all = useQuery('mailboxes.list', {}, { events: ['objects.changed', 'transport.open'] }).data
  return useMemo(() => new Map((all ?? []).filter((m) => m.status === 'auth_error').map((m) => [m.id, m])), [all])
}

export function SignInWarning({ message, stopped, size = 'sm' }: { message: OutboundMessage; stopped: Map<number, MailboxSignIn>; size?: 'sm' | 'md' }): JSX.Element | null {
  const box = message.mailboxId ? stopped.get(message.mailboxId) : undefined
  const text = signInWarning(message, box, formatWhen)
  if (!text || !box) return null
  const fix = (e: MouseEvent) => {
    e.stopPropagation()
    navigate({ name: 'businesses', id: box.objectId })
  }
  const settings = box.statusCode && box.statusCode !== 'AUTH'
  return (
    <p className={`outbox-signin is-${size}`} role="note">
      <Icon name="alert" size={14} />
      <span className="outbox-signin-text" title={`${box.email} is refusing its ${settings ? 'settings' : 'sign-in'}`}>
        {text}
      </span>
      <button type="button" className={`btn btn-danger${size === 'sm' ? ' btn-sm' : ''}`} onClick={fix}>
        {settings ? 'Fix settings' : 'Fix sign-in'}
      </button>
    </p>
  )
}
