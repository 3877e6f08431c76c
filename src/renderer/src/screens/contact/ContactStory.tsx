// One story of the contact, newest first: mail both ways (with where outbound mail stands), notes, tasks
// and automation (enrolled, step sent, stopped on a reply…), filtered by kind and paged. A mail row opens
// its conversation (or the outbox entry before it has one).
import { useCallback, useEffect, useState, type JSX } from 'react'
import type { ContactEvent, TimelineKind } from '../../../../shared/crm'
import type { OutboxStatus } from '../../../../shared/outbound'
import { Icon, type IconName } from '../../components/Icons'
import { AlertLine } from '../../components/Field'
import { coalesce } from '../../lib/coalesce'
import { messageOf } from '../../lib/errors'
import { fullTime, listTime } from '../../lib/inbox'
import { STATUS } from '../../lib/outbox'
import { navigate } from '../../lib/router'
import { onEvent, rpc } from '../../rpc'
import { useInboxFilters } from '../inbox/useInbox'
import { dueLabel } from '../today/taskTime'
import { OlderOnServer } from './OlderOnServer'

const PAGE = 50
const FILTERS: Array<{ label: string; kinds: TimelineKind[] | null }> = [
  { label: 'All', kinds: null },
  { label: 'Emails', kinds: ['mail'] },
  { label: 'Notes', kinds: ['note'] },
  { label: 'Tasks', kinds: ['task'] },
  { label: 'Automation', kinds: ['automation'] },
]
const STOPPED: Record<string, string> = { completed: 'Finished', replied: 'Stopped: they replied', bounced: 'Stopped: bounced', unsubscribed: 'Stopped: unsubscribed', failed: 'Stopped: failed' }

export function ContactStory({ contactId, name, timeZone }: { contactId: number; name: string; timeZone: string }): JSX.Element {
  const [filter, setFilter] = useState(0)
  const [items, setItems] = useState<ContactEvent[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const kinds = FILTERS[filter]!.kinds ?? undefined

  const reload = useCallback(() => {
    let stale = false
    rpc('timeline.list', { contactId, limit: PAGE, ...(kinds ? { kinds } : {}) }).then(
      (page) => !stale && (setItems(page.items), setCursor(page.nextCursor), setError(null)),
      (err) => !stale && (setError(messageOf(err)), setItems((i) => i ?? [])),
    )
    return () => void (stale = true)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [contactId, filter])
  useEffect(() => {
    let cancel = reload()
    const soon = coalesce(() => (cancel(), (cancel = reload())), 300)
    const offs = (['inbox.changed', 'outbox.changed', 'notes.changed', 'tasks.changed', 'automation.changed'] as const).map((e) => onEvent(e, soon.call))
    return () => (offs.forEach((off) => off()), soon.cancel(), cancel())
  }, [reload])

  const more = () => {
    if (!cursor) return
    setBusy(true)
    rpc('timeline.list', { contactId, cursor, limit: PAGE, ...(kinds ? { kinds } : {}) }).then(
      (page) => (setItems((prev) => [...(prev ?? []), ...page.items]), setCursor(page.nextCursor), setBusy(false)),
      (err) => (setError(messageOf(err)), setBusy(false)),
    )
  }

  const now = Date.now()
  return (
    <section className="card timeline-card" aria-labelledby="c-story">
      <div className="card-header story-header">
        <div>
          <h3 id="c-story">Activity</h3>
          <p className="card-help">Mail, notes, tasks and automation with this contact, newest first.</p>
        </div>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => (useInboxFilters.getState().reset({ contact: { id: contactId, name } }), navigate({ name: 'inbox' }))}
        >
          <Icon name="inbox" size={14} /> Open in inbox
        </button>
      </div>
      <div className="story-filters">
        <div className="segmented" role="group" aria-label="Show">
          {FILTERS.map((f, i) => (
            <button key={f.label} type="button" className={`segment${i === filter ? ' is-on' : ''}`} aria-pressed={i === filter} onClick={() => (setFilter(i), setItems(null))}>
              {f.label}
            </button>
          ))}
        </div>
      </div>
      <AlertLine message={error} className="card-body" />
      {items === null ? (
        <div className="card-body card-empty" aria-busy="true">
          <span className="spinner" /> Loading activity…
        </div>
      ) : items.length === 0 ? (
        <div className="card-body card-empty">{filter === 0 ? 'Nothing yet. Mail, notes and tasks with this contact show up here.' : `No ${FILTERS[filter]!.label.toLowerCase()} yet.`}</div>
      ) : (
        <ol className="mail-timeline story" aria-label="Activity">
          {items.map((item) => (
            <Row key={`${item.kind}-${item.type}-${item.id}`} item={item} now={now} timeZone={timeZone} />
          ))}
        </ol>
      )}
      {cursor && (
        <div className="timeline-more">
          <button type="button" className="btn btn-sm" disabled={busy} onClick={more}>
            {busy ? 'Loading…' : 'Show older'}
          </button>
        </div>
      )}
      {!cursor && (filter === 0 || filter === 1) && <OlderOnServer contactId={contactId} />}
    </section>
  )
}

function words(
  item: ContactEvent,
  timeZone: string,
): { icon: IconName; tone: string; label: string; title: string; detail: string; badge: { text: string; tone: string } | null; status?: { text: string; tone: string } | null } {
  switch (item.type) {
    case 'inbound':
      return { icon: 'inbox', tone: 'in', label: 'Received', title: item.title || '(no subject)', detail: item.detail, badge: item.status === 'bounce' ? { text: 'Bounce', tone: 'red' } : item.status === 'auto-reply' ? { text: 'Auto-reply', tone: 'slate' } : null }
    case 'outbound': {
      const s = item.status ? (STATUS[item.status as OutboxStatus] ?? { label: item.status, tone: 'slate' }) : null
      // A text (issue 17) or a mail without a subject: its words are the title rather than "(no subject)".
      return { icon: 'send', tone: 'out', label: 'Sent', title: item.title || item.detail || '(no subject)', detail: item.title ? item.detail : '', badge: s && { text: s.label, tone: s.tone } }
    }
    // issue 17: a text sent; the title is its channel (SMS / WhatsApp), a badge beside its outbox status
    case 'text_out': {
      const s = item.status ? (STATUS[item.status as OutboxStatus] ?? { label: item.status, tone: 'slate' }) : null
      return { icon: 'send', tone: 'out', label: `${item.title} sent`, title: item.detail || '(empty text)', detail: '', badge: { text: item.title, tone: item.title === 'WhatsApp' ? 'green' : 'blue' }, status: s && { text: s.label, tone: s.tone } }
    }
    // issue 17: a text received; the title is its channel (SMS / WhatsApp), shown as a badge
    case 'text_in':
      return { icon: 'inbox', tone: 'in', label: `${item.title} received`, title: item.detail || '(empty text)', detail: '', badge: { text: item.title, tone: item.status === 'whatsapp' ? 'green' : 'blue' } }
    case 'note':
      return { icon: 'file', tone: 'note', label: 'Note', title: item.title ? `Note by ${item.title}` : 'Note', detail: item.detail, badge: item.status === 'pinned' ? { text: 'Pinned', tone: 'amber' } : null }
    case 'task':
      return {
        icon: 'check',
        tone: 'task',
        label: 'Task',
        title: item.title,
        detail: `${item.dueAt ? `Due ${dueLabel(item.dueAt, timeZone)}` : ''}${item.detail ? ` · ${item.detail}` : ''}`,
        badge: item.status === 'done' ? { text: 'Done', tone: 'green' } : { text: 'Open', tone: 'slate' },
      }
    case 'enrolled':
      return { icon: 'steps', tone: 'auto', label: 'Automation', title: `Enrolled in ${item.title}`, detail: '', badge: null }
    case 'step':
      return { icon: 'steps', tone: 'auto', label: 'Automation', title: `${item.title}: ${item.detail.toLowerCase()} sent`, detail: '', badge: null }
    case 'stopped':
      return { icon: 'steps', tone: 'auto', label: 'Automation', title: `${item.title}: ${STOPPED[item.status ?? ''] ?? 'Stopped'}`, detail: item.detail, badge: null }
    default:
      return { icon: 'zap', tone: 'auto', label: 'Autoresponder', title: `${item.title}: ${item.status === 'SENT' ? 'sent' : item.status === 'SKIPPED' ? 'skipped' : 'failed'}`, detail: item.detail, badge: null }
  }
}

function Row({ item, now, timeZone }: { item: ContactEvent; now: number; timeZone: string }): JSX.Element {
  const w = words(item, timeZone)
  const mail = item.kind === 'mail'
  const target = mail ? (item.threadId ? () => navigate({ name: 'inbox', id: item.threadId! }) : item.outboundId ? () => navigate({ name: 'outbox', id: item.outboundId! }) : null) : null
  return (
    <li
      className={`mail-item story-${w.tone}${target ? ' is-clickable' : ''}`}
      onClick={target ?? undefined}
      onKeyDown={(e) => target && (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), target())}
      tabIndex={target ? 0 : undefined}
      role={target ? 'link' : undefined}
      aria-label={`${w.label}: ${w.title}`}
    >
      <span className={`mail-dir story-icon story-icon-${w.tone}`} title={w.label}>
        <Icon name={w.icon} size={14} />
      </span>
      <div className="mail-main">
        <div className="mail-top">
          <span className="mail-subject">{w.title}</span>
          {w.badge && <span className={`badge badge-${w.badge.tone} badge-sm`}>{w.badge.text}</span>}
          {w.status && <span className={`badge badge-${w.status.tone} badge-sm`}>{w.status.text}</span>}
          <time className="mail-time" dateTime={item.at} title={fullTime(item.at)}>
            {listTime(item.at, now)}
          </time>
        </div>
        {(w.detail || mail) && (
          <span className="mail-snippet">
            <span className="mail-kind">{w.detail ? `${w.label} · ` : w.label}</span>
            {w.detail}
          </span>
        )}
      </div>
    </li>
  )
}
