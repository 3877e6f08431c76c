// One contact's texts on one channel (issue 17): the conversation both ways and the composer under it, with the
// live segment counter, the contact's consent on this channel and WhatsApp's 24-hour window (outside it only
// an approved template can go). Used by the contact page's Text dialog and the inbox's Texts view. What is
// typed is kept per contact and channel until it is sent, so closing the dialog never loses it.
import { useEffect, useState, type JSX } from 'react'
import type { TextChannel, TextMessage } from '../../../../shared/channels'
import { WINDOW_FIELD } from '../../../../shared/channels'
import { formatPhone } from '../../../../shared/phones'
import { SegmentCounter } from './SegmentCounter'
import { TemplatePicker } from './TemplatePicker'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { useFormErrors } from '../../lib/errors'
import { formatWhen, sentence } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import '../../styles/channels.css'

export const CHANNEL_NAME: Record<TextChannel, string> = { sms: 'SMS', whatsapp: 'WhatsApp' }

export function ChannelBadge({ channel }: { channel: TextChannel }): JSX.Element {
  return <span className={`channel-badge is-${channel}`}>{CHANNEL_NAME[channel]}</span>
}

/** Typed texts by contact and channel, kept while the app runs (a closed dialog keeps its words). */
const drafts = new Map<string, { body: string; contentSid: string; variables: string }>()
const EMPTY = { body: '', contentSid: '', variables: '' }

export interface TextContact {
  id: number
  name: string
  objectId: number | null
  phones: Array<{ number: string; label: string; primary: boolean }>
}

const STATUS_WORDS: Record<string, string> = {
  queued: 'Sending…',
  sending: 'Sending…',
  retry_wait: 'Will retry',
  held: 'Held',
  scheduled: 'Scheduled',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not delivered',
  undelivered: 'Not delivered',
  skipped: 'Not sent',
  cancelled: 'Withdrawn',
  received: '',
}

export function TextThread({ contact, channel, autoFocus }: { contact: TextContact; channel: TextChannel; autoFocus?: boolean }): JSX.Element {
  const key = `${contact.id}:${channel}`
  const [draft, setDraftState] = useState(() => drafts.get(key) ?? EMPTY)
  const [to, setTo] = useState(() => contact.phones.find((p) => p.primary)?.number ?? contact.phones[0]?.number ?? '')
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()
  useEffect(() => {
    setDraftState(drafts.get(key) ?? EMPTY)
    errors.clear()
  }, [key])
  const setDraft = (patch: Partial<typeof EMPTY>) =>
    setDraftState((d) => {
      const next = { ...d, ...patch }
      drafts.set(key, next)
      return next
    })

  const mine = { event: 'texts.changed' as const, when: (p: { contactIds: number[] }) => p.contactIds.includes(contact.id) }
  const conv = useQuery('texts.conversation', { contactId: contact.id, channel }, { events: [mine, 'outbox.changed'], keepPrevious: false })
  const consent = useQuery('contacts.consent', { id: contact.id }, { events: [mine, 'contacts.changed'] })
  const twilio = useQuery('twilio.get', contact.objectId === null ? null : { objectId: contact.objectId }, { events: ['objects.changed'] })

  // Opening a conversation reads it.
  const unread = conv.data?.messages.some((m) => m.direction === 'in' && !m.read) ?? false
  useEffect(() => {
    if (unread) void rpc('texts.markRead', { contactId: contact.id, channel }).catch(() => undefined)
  }, [unread, contact.id, channel])

  const optedOut = consent.data?.current.find((c) => c.channel === channel && c.status === 'revoked') ?? null
  const window = channel === 'whatsapp' ? (conv.data?.window ?? null) : null
  const templateOnly = channel === 'whatsapp' && window !== null && !window.open
  const settings = twilio.data
  const noTwilio = contact.objectId === null ? 'This contact has no business, and texts go out through a business’s Twilio account.' : twilio.data === null && !twilio.loading ? 'no-twilio' : null
  const noSender = settings && (channel === 'whatsapp' ? !settings.whatsappFrom : !settings.smsFrom && !settings.messagingServiceSid)
  const blocked = Boolean(noTwilio || noSender || optedOut || contact.phones.length === 0)

  const send = async () => {
    errors.clear()
    let variables: Record<string, string> = {}
    if (templateOnly) {
      if (!draft.contentSid.trim()) return void errors.set('template', 'Enter the approved template’s ContentSid (HX…)')
      variables = Object.fromEntries(
        draft.variables
          .split('\n')
          .map((v) => v.trim())
          .filter(Boolean)
          .map((v, i) => [String(i + 1), v]),
      )
    } else if (!draft.body.trim()) return void errors.set('body', 'Type a message')
    setBusy(true)
    try {
      const row = await rpc('texts.send', {
        contactId: contact.id,
        channel,
        ...(to ? { to } : {}),
        ...(templateOnly ? { template: { contentSid: draft.contentSid.trim(), variables } } : { body: draft.body }),
      })
      drafts.delete(key)
      setDraftState(EMPTY)
      if (row.status === 'skipped') errors.set('body', sentence(row.statusReason ?? 'The text was not sent'))
      else toastOk(`${CHANNEL_NAME[channel]} to ${contact.name} is on its way`)
      conv.reload()
    } catch (err) {
      errors.take(err, (f) => ['body', 'template', 'to', 'template.contentSid'].includes(f))
      conv.reload() // a window that closed meanwhile shows at once
    }
    setBusy(false)
  }

  const messages = conv.data?.messages ?? []
  return (
    <div className="text-thread">
      <ol className="text-messages" aria-label={`${CHANNEL_NAME[channel]} with ${contact.name}`}>
        {conv.loading && messages.length === 0 ? (
          <li className="text-empty">Loading…</li>
        ) : messages.length === 0 ? (
          <li className="text-empty">No {CHANNEL_NAME[channel]} messages with {contact.name} yet.</li>
        ) : (
          messages.map((m) => <Bubble key={m.key} m={m} />)
        )}
      </ol>

      {noTwilio && (
        <p className="text-notice" role="status">
          <Icon name="alert" size={14} />
          {noTwilio === 'no-twilio' ? (
            <span>
              This business has no Twilio account yet. <a href={hrefFor({ name: 'businesses', id: contact.objectId! })}>Connect Twilio</a> to text from Switchboard.
            </span>
          ) : (
            <span>{noTwilio}</span>
          )}
        </p>
      )}
      {noSender && <p className="text-notice" role="status"><Icon name="alert" size={14} /><span>The business’s Twilio settings have no {CHANNEL_NAME[channel]} sender yet.</span></p>}
      {contact.phones.length === 0 && <p className="text-notice" role="status"><Icon name="alert" size={14} /><span>{contact.name} has no phone number. Add one on their contact page to text them.</span></p>}
      {optedOut && (
        <p className="text-notice is-stop" role="status">
          <Icon name="pause" size={14} />
          <span>
            {contact.name} opted out of {CHANNEL_NAME[channel]} on {formatWhen(optedOut.at)} ({optedOut.source.startsWith('inbound:') ? `they replied ${optedOut.source.slice(8)}` : optedOut.source === 'twilio:21610' ? 'Twilio reports they unsubscribed' : optedOut.source}). Nothing is sent on {CHANNEL_NAME[channel]} until they text START.
          </span>
        </p>
      )}
      {channel === 'whatsapp' && window && !optedOut && (
        <p className={`text-notice${window.open ? ' is-open' : ''}`} role="status">
          <Icon name="clock" size={14} />
          <span>
            {window.open
              ? `Free text is allowed until ${formatWhen(window.closesAt!)}, 24 hours after ${contact.name}’s last WhatsApp message.`
              : `Outside WhatsApp’s 24-hour window${window.lastInboundAt ? `: ${contact.name} last wrote ${formatWhen(window.lastInboundAt)}` : `: ${contact.name} has not written on WhatsApp yet`}. Only an approved template can be sent.`}
          </span>
        </p>
      )}

      <form
        className="text-composer"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void send()
        }}
      >
        {contact.phones.length === 1 && (
          <p className="text-to">
            To {formatPhone(contact.phones[0]!.number)} · {contact.phones[0]!.label}
          </p>
        )}
        {contact.phones.length > 1 && (
          <label className="text-to">
            <span>To</span>
            <select className="input select" value={to} onChange={(e) => setTo(e.target.value)} aria-label="Send to number">
              {contact.phones.map((p) => (
                <option key={p.number} value={p.number}>
                  {formatPhone(p.number)} · {p.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {templateOnly ? (
          <div className="text-template">
            {contact.objectId !== null && (
              <TemplatePicker objectId={contact.objectId} value={draft.contentSid} disabled={blocked} onPick={(t) => setDraft({ contentSid: t.contentSid, variables: t.variables.map((v) => v.sample).join('\n') })} />
            )}
            <label className="label-text" htmlFor={`tpl-${key}`}>
              Approved template (ContentSid)
            </label>
            <input id={`tpl-${key}`} className="input mono-text" placeholder="HX…" value={draft.contentSid} disabled={blocked} aria-invalid={errors.fields.template ? true : undefined} onChange={(e) => setDraft({ contentSid: e.target.value })} />
            <label className="label-text" htmlFor={`tplv-${key}`}>
              Its values, one per line ({'{{1}}'}, {'{{2}}'} …)
            </label>
            <textarea id={`tplv-${key}`} className="input textarea" rows={2} value={draft.variables} disabled={blocked} onChange={(e) => setDraft({ variables: e.target.value })} />
            {errors.fields.template && <p className="field-error" role="alert">{errors.fields.template}</p>}
          </div>
        ) : (
          <>
            <label className="visually-hidden" htmlFor={`body-${key}`}>
              Message
            </label>
            <textarea
              id={`body-${key}`}
              className="input textarea text-body"
              rows={3}
              placeholder={blocked ? '' : `Write a ${CHANNEL_NAME[channel]} message to ${contact.name}`}
              value={draft.body}
              disabled={blocked}
              autoFocus={autoFocus}
              aria-invalid={errors.fields.body ? true : undefined}
              onChange={(e) => setDraft({ body: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) (e.preventDefault(), void send())
              }}
            />
            {errors.fields.body && <p className="field-error" role="alert">{errors.fields.body}</p>}
          </>
        )}
        <FormError message={errors.fields[WINDOW_FIELD] ?? errors.fields.to ?? errors.form} />
        <div className="text-composer-foot">
          {!templateOnly && !blocked && (
            <SegmentCounter body={draft.body} />
          )}
          <button type="submit" className="btn btn-primary" disabled={busy || blocked}>
            <Icon name="send" size={14} /> {busy ? 'Sending…' : templateOnly ? 'Send template' : `Send ${CHANNEL_NAME[channel]}`}
          </button>
        </div>
      </form>
    </div>
  )
}

function Bubble({ m }: { m: TextMessage }): JSX.Element {
  const status = STATUS_WORDS[m.status] ?? m.status
  const bad = ['failed', 'undelivered', 'skipped'].includes(m.status)
  return (
    <li className={`text-bubble is-${m.direction}${bad ? ' is-bad' : ''}`}>
      <p className="text-bubble-body">{m.body || '(template)'}</p>
      <span className="text-bubble-meta">
        <time dateTime={m.at}>{formatWhen(m.at)}</time>
        {status && ` · ${status}`}
        {m.segments && m.segments > 1 ? ` · ${m.segments} segments` : ''}
        {bad && m.statusReason ? ` · ${sentence(m.statusReason)}` : ''}
      </span>
    </li>
  )
}
