// One message in the outbox list: who it is to and what about, where it stands and why, what can be done.
import type { JSX } from 'react'
import type { OutboundMessage } from '../../../../shared/outbound'
import { formatDate, formatWhen, recipientsLine, relativeTime } from '../../lib/format'
import { isScheduled, reasonOf, STATUS, type MailboxSignIn } from '../../lib/outbox'
import { hrefFor, navigate } from '../../lib/router'
import { MessageActions } from './actions'
import { SignInWarning } from './signInWarning'
import { ChannelBadge } from '../texts/TextThread'
// issue 22 item 5: who queued it
import { QueuedByText } from '../../components/Authors'

/** A text's line in the outbox (issue 17): texts have no subject; say what it is and its size. */
export const textLine = (m: OutboundMessage): string =>
  `${m.channel === 'whatsapp' ? 'WhatsApp message' : 'Text message'}${m.segments ? ` · ${m.segments} segment${m.segments === 1 ? '' : 's'}` : ''}`

export function StatusBadge({ message }: { message: OutboundMessage }): JSX.Element {
  const scheduled = isScheduled(message)
  const { label, tone } = scheduled ? { label: 'Scheduled', tone: 'violet' } : STATUS[message.status]
  return <span className={`badge badge-${tone}`}>{label}</span>
}

/** "0 of 5 attempts · next try in 4 minutes", or when it went / will go. */
export function progressLine(m: OutboundMessage, now: number): string {
  const parts: string[] = []
  if (m.status === 'queued' && isScheduled(m)) parts.push(`Sends ${formatWhen(m.scheduledFor)}`)
  if (['retry_wait', 'held', 'failed', 'sending'].includes(m.status) || m.attempts > 1) parts.push(`${m.attempts} of ${m.maxAttempts} attempts`)
  if (m.nextAttemptAt && (m.status === 'retry_wait' || (m.status === 'held' && m.statusReason === 'capacity'))) parts.push(`next try ${relativeTime(m.nextAttemptAt, now)}`)
  if (m.sentAt && !['queued', 'sending', 'retry_wait', 'held'].includes(m.status)) parts.push(`sent ${relativeTime(m.sentAt, now)}`)
  else if (['cancelled', 'skipped', 'failed'].includes(m.status)) parts.push(relativeTime(m.updatedAt, now))
  return parts.join(' · ')
}

export function OutboxRow({ message: m, selected, now, stopped }: { message: OutboundMessage; selected: boolean; now: number; stopped: Map<number, MailboxSignIn> }): JSX.Element {
  const reason = reasonOf(m, now)
  const progress = progressLine(m, now)
  const href = hrefFor({ name: 'outbox', id: m.id })
  return (
    <li className={`item-row outbox-row is-clickable${selected ? ' is-selected' : ''}`} aria-current={selected ? 'true' : undefined} onClick={() => navigate({ name: 'outbox', id: m.id })}>
      <div className="item-main">
        <span className="outbox-line">
          <span className="outbox-to" title={[...m.to, ...m.cc].join(', ')}>
            {recipientsLine([...m.to, ...m.cc])}
          </span>
          {m.channel !== 'email' && <ChannelBadge channel={m.channel} />}
          <a className="outbox-subject" href={href} onClick={(e) => e.stopPropagation()}>
            {m.channel !== 'email' ? textLine(m) : m.subject || '(no subject)'}
          </a>
        </span>
        <span className="item-sub outbox-from">
          From {m.from}
          <QueuedByText queuedBy={m.queuedBy} />
        </span>
        {m.lastError && m.status !== 'sent' && (
          <span className="outbox-error" title={m.lastError}>
            {m.lastError}
          </span>
        )}
      </div>
      <div className="outbox-state">
        <span className="outbox-state-top">
          <StatusBadge message={m} />
          {reason && <span className="outbox-reason">{reason}</span>}
        </span>
        {progress && (
          <span className="outbox-progress" title={m.nextAttemptAt ? `Next attempt ${formatDate(m.nextAttemptAt)}` : undefined}>
            {progress}
          </span>
        )}
      </div>
      <div className="outbox-actions">
        <MessageActions message={m} now={now} />
      </div>
      <SignInWarning message={m} stopped={stopped} />
    </li>
  )
}
