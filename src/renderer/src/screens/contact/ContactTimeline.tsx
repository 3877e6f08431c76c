// Every email with this contact, received and sent, newest first: outbound mail shows where it stands
// (queued, sent, bounced…), and a click opens the conversation (or the outbox entry before it has one).
import { useCallback, useEffect, useState, type JSX } from 'react'
import type { TimelineItem } from '../../../../shared/inbox'
import type { OutboxStatus } from '../../../../shared/outbound'
import { Icon } from '../../components/Icons'
import { messageOf } from '../../lib/errors'
import { fullTime, listTime } from '../../lib/inbox'
import { STATUS } from '../../lib/outbox'
import { navigate } from '../../lib/router'
import { onEvent, rpc } from '../../rpc'
import { useInboxFilters } from '../inbox/useInbox'

const PAGE = 50

export function ContactTimeline({ contactId, name }: { contactId: number; name: string }): JSX.Element {
  const [items, setItems] = useState<TimelineItem[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const reload = useCallback(
    () =>
      rpc('contacts.timeline', { contactId, limit: PAGE }).then(
        (page) => (setItems(page.items), setCursor(page.nextCursor), setError(null)),
        (err) => (setError(messageOf(err)), setItems((i) => i ?? [])),
      ),
    [contactId],
  )
  useEffect(() => {
    void reload()
    let t: ReturnType<typeof setTimeout> | undefined
    const soon = () => (clearTimeout(t), (t = setTimeout(() => void reload(), 400)))
    const offs = [onEvent('inbox.changed', soon), onEvent('outbox.changed', soon)]
    return () => (offs.forEach((off) => off()), clearTimeout(t))
  }, [reload])

  const more = () => {
    if (!cursor) return
    setBusy(true)
    rpc('contacts.timeline', { contactId, cursor, limit: PAGE }).then(
      (page) => (setItems((prev) => [...(prev ?? []), ...page.items]), setCursor(page.nextCursor), setBusy(false)),
      (err) => (setError(messageOf(err)), setBusy(false)),
    )
  }

  const now = Date.now()
  return (
    <section className="card timeline-card" aria-labelledby="c-timeline">
      <div className="card-header">
        <div>
          <h3 id="c-timeline">Email history</h3>
          <p className="card-help">Everything you sent and received with this contact, newest first.</p>
        </div>
        {items && items.length > 0 && (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => (useInboxFilters.getState().reset({ contact: { id: contactId, name } }), navigate({ name: 'inbox' }))}
          >
            <Icon name="inbox" size={14} /> Open in inbox
          </button>
        )}
      </div>
      {error && (
        <p className="card-body message-error" role="alert">
          <Icon name="alert" size={14} /> {error}
        </p>
      )}
      {items === null ? (
        <div className="card-body card-empty" aria-busy="true">
          <span className="spinner" /> Loading history…
        </div>
      ) : items.length === 0 ? (
        <div className="card-body card-empty">No emails with this contact yet. Mail you send or receive shows up here.</div>
      ) : (
        <ol className="mail-timeline" aria-label="Email history">
          {items.map((item) => (
            <Row key={`${item.kind}-${item.id}`} item={item} now={now} />
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
    </section>
  )
}

function Row({ item, now }: { item: TimelineItem; now: number }): JSX.Element {
  const inbound = item.kind === 'inbound'
  const target = item.threadId ? () => navigate({ name: 'inbox', id: item.threadId! }) : item.outboundId ? () => navigate({ name: 'outbox', id: item.outboundId! }) : null
  const status = item.status ? (STATUS[item.status as OutboxStatus] ?? { label: item.status, tone: 'slate' }) : null
  return (
    <li
      className={`mail-item${target ? ' is-clickable' : ''}`}
      onClick={target ?? undefined}
      onKeyDown={(e) => target && (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), target())}
      tabIndex={target ? 0 : undefined}
      role={target ? 'link' : undefined}
      aria-label={`${inbound ? 'Received' : 'Sent'}: ${item.subject || '(no subject)'}`}
    >
      <span className={`mail-dir ${inbound ? 'is-in' : 'is-out'}`} title={inbound ? 'Received' : 'Sent'}>
        <Icon name={inbound ? 'inbox' : 'send'} size={14} />
      </span>
      <div className="mail-main">
        <div className="mail-top">
          <span className="mail-subject">{item.subject || '(no subject)'}</span>
          {status && <span className={`badge badge-${status.tone} badge-sm`}>{status.label}</span>}
          {item.isBounce && <span className="badge badge-red badge-sm">Bounce</span>}
          {item.isAutoReply && <span className="badge badge-slate badge-sm">Auto-reply</span>}
          <time className="mail-time" dateTime={item.at} title={fullTime(item.at)}>
            {listTime(item.at, now)}
          </time>
        </div>
        <span className="mail-snippet">
          <span className="mail-kind">{inbound ? 'Received' : 'Sent'} · </span>
          {item.snippet || ' '}
        </span>
      </div>
    </li>
  )
}
