// The top of the contact page: when we last wrote, when they last wrote, and what is next to do.
import type { JSX } from 'react'
import { Icon } from '../../components/Icons'
import { fullTime } from '../../lib/inbox'
import { relativeTime } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { dueLabel } from '../today/taskTime'

export function ContactSummary({ contactId, timeZone }: { contactId: number; timeZone: string }): JSX.Element {
  const s = useQuery('timeline.summary', { contactId }, { events: ['tasks.changed', 'tasks.due', 'notes.changed', 'inbox.changed', 'outbox.changed'] }).data
  const when = (iso: string | null | undefined) => (iso ? <time dateTime={iso} title={fullTime(iso)}>{relativeTime(iso)}</time> : <span className="summary-none">Never</span>)
  return (
    <dl className="contact-summary" aria-label="At a glance">
      <div>
        <dt>Last contacted</dt>
        <dd>{s ? when(s.lastContactedAt) : '…'}</dd>
      </div>
      <div>
        <dt>Last reply</dt>
        <dd>{s ? when(s.lastInboundAt) : '…'}</dd>
      </div>
      <div className="summary-next">
        <dt>Next task</dt>
        <dd>
          {!s ? (
            '…'
          ) : s.nextTask ? (
            <span className={s.nextTask.due === 'overdue' ? 'is-overdue' : undefined}>
              <Icon name="clock" size={12} /> {s.nextTask.title} · {dueLabel(s.nextTask.dueAt, timeZone)}
            </span>
          ) : (
            <span className="summary-none">None planned</span>
          )}
        </dd>
      </div>
    </dl>
  )
}
