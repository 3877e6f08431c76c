// The side panel of one message: everything about it, the text that was (or will be) sent, and its
// timeline of events as the engine recorded them.
import type { JSX } from 'react'
import { formatBytes, type OutboundDetail } from '../../../../shared/outbound'
import { Icon } from '../../components/Icons'
import { formatDate, withLocalTimes } from '../../lib/format'
import { EVENT_LABEL, eventTone, isScheduled, reasonOf, type MailboxSignIn } from '../../lib/outbox'
import { navigate } from '../../lib/router'
import { MessageActions } from './actions'
import { progressLine, StatusBadge, textLine } from './OutboxRow'
import { useOutboxDetail } from './useOutbox'
import { SignInWarning } from './signInWarning'
import { AttachmentInfo } from '../../components/AttachmentInfo'
// issue 22 item 5: who queued it
import { queuedByText } from '../../../../shared/authors'

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export function OutboxDetailPanel({ id, now, stopped }: { id: number; now: number; stopped: Map<number, MailboxSignIn> }): JSX.Element {
  const { detail, missing } = useOutboxDetail(id)
  const close = () => navigate({ name: 'outbox' })
  return (
    <aside className="card outbox-detail" aria-label="Message details">
      <div className="outbox-detail-head">
        <h2>{detail ? (detail.channel !== 'email' ? textLine(detail) : detail.subject || '(no subject)') : missing ? 'Message not found' : 'Loading…'}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={close}>
          <Icon name="x" />
        </button>
      </div>
      {missing && <p className="card-body card-empty">This message no longer exists.</p>}
      {detail && <DetailBody d={detail} now={now} stopped={stopped} />}
    </aside>
  )
}

function DetailBody({ d, now, stopped }: { d: OutboundDetail; now: number; stopped: Map<number, MailboxSignIn> }): JSX.Element {
  const reason = reasonOf(d, now)
  const progress = progressLine(d, now)
  const facts: Array<[string, string | null]> = [
    ['From', d.from],
    ['To', d.to.join(', ')],
    ['Cc', d.cc.length ? d.cc.join(', ') : null],
    ['Bcc', d.bcc.length ? d.bcc.join(', ') : null],
    ['Reply-to', d.replyTo],
    ['Sent through', d.transport === 'mailgun' ? 'Mailgun' : 'SMTP mailbox'],
    ['Created', formatDate(d.createdAt)],
    ['Queued by', d.queuedBy ? capitalise(queuedByText(d.queuedBy)) : null],
    ['Scheduled for', isScheduled(d) ? formatDate(d.scheduledFor) : null],
    ['Next attempt', d.nextAttemptAt && ['queued', 'retry_wait', 'held'].includes(d.status) ? formatDate(d.nextAttemptAt) : null],
    ['Sent', d.sentAt ? formatDate(d.sentAt) : null],
    ['Message-ID', d.messageId],
  ]
  return (
    <>
      <div className="outbox-detail-status">
        <span className="outbox-state-top">
          <StatusBadge message={d} />
          {reason && <span className="outbox-reason">{reason}</span>}
        </span>
        {progress && <span className="outbox-progress">{progress}</span>}
        {d.lastError && (
          <p className="outbox-detail-error" role="note">
            <Icon name="alert" size={14} /> {d.lastError}
          </p>
        )}
        <SignInWarning message={d} stopped={stopped} size="md" />
        <MessageActions message={d} now={now} size="md" />
      </div>
      <dl className="facts facts-stacked outbox-facts">
        {facts
          .filter((f): f is [string, string] => Boolean(f[1]))
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className={k === 'Message-ID' ? 'mono-text' : undefined}>{v}</dd>
            </div>
          ))}
      </dl>
      <section className="outbox-section" aria-labelledby="ob-body">
        <h3 id="ob-body">Message</h3>
        <div className="outbox-text">{d.text || <span className="muted">(empty)</span>}</div>
      </section>
      {d.attachments.length > 0 && (
        <section className="outbox-section" aria-labelledby="ob-files">
          <h3 id="ob-files">Attachments</h3>
          <ul className="compose-attachment-list" aria-label="Attachments">
            {d.attachments.map((a) => (
              <li key={a.id} className="attachment compose-attachment">
                <AttachmentInfo filename={a.filename} contentType={a.contentType} meta={`${formatBytes(a.size)} · ${a.contentType}`} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="outbox-section" aria-labelledby="ob-timeline">
        <h3 id="ob-timeline">Timeline</h3>
        <ol className="timeline" aria-label="Timeline">
          {[...d.events].reverse().map((e) => (
            <li key={e.id} className={`timeline-item tone-${eventTone(e.type)}`}>
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-main">
                <span className="timeline-label">{EVENT_LABEL[e.type] ?? e.type}</span>
                {e.detail && <span className="timeline-detail">{withLocalTimes(e.detail)}</span>}
              </div>
              <time className="timeline-time" dateTime={e.at}>
                {formatDate(e.at)}
              </time>
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}
