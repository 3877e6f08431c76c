// The inbox's Texts view (issue 17): one conversation per contact and channel, newest first, each with its
// channel badge and unread count; the open one shows both ways with a reply that goes out on the same channel.
import { useState, type JSX } from 'react'
import type { TextChannel } from '../../../../shared/channels'
import { formatPhone } from '../../../../shared/phones'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { formatCount } from '../../lib/format'
import { listTime } from '../../lib/inbox'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { ChannelBadge, CHANNEL_NAME, TextThread } from './TextThread'

export function TextsPane({ objectId }: { objectId?: number }): JSX.Element {
  const list = useQuery('texts.conversations', objectId ? { objectId } : {}, { events: ['texts.changed', 'outbox.changed', 'contacts.changed'] })
  const [open, setOpen] = useState<{ contactId: number; channel: TextChannel } | null>(null)
  const conversations = list.data ?? []
  const unread = conversations.reduce((n, c) => n + c.unread, 0)
  const current = open ? conversations.find((c) => c.contactId === open.contactId && c.channel === open.channel) : undefined
  return (
    <>
      <section className="inbox-list-col" aria-label="Texts">
        <header className="inbox-head">
          <div className="inbox-title">
            <h1>Texts</h1>
            <span className="inbox-sub">{list.data === null ? 'Loading…' : conversations.length === 0 ? 'No texts yet' : unread ? `${formatCount(unread)} unread` : 'All read'}</span>
          </div>
        </header>
        {list.error && (
          <p className="inbox-error" role="alert">
            <Icon name="alert" size={14} /> {list.error}
          </p>
        )}
        <ul className="text-conversations" aria-label="Text conversations">
          {conversations.map((c) => {
            const on = open?.contactId === c.contactId && open.channel === c.channel
            return (
              <li key={`${c.contactId}-${c.channel}`}>
                <button type="button" className={`text-conv${on ? ' is-current' : ''}${c.unread ? ' is-unread' : ''}`} aria-pressed={on} onClick={() => setOpen({ contactId: c.contactId, channel: c.channel })}>
                  <span className="text-conv-top">
                    <span className="text-conv-name">{c.contactName || (c.phone ? formatPhone(c.phone) : 'Unknown')}</span>
                    <ChannelBadge channel={c.channel} />
                    <time className="text-conv-time" dateTime={c.lastAt}>
                      {listTime(c.lastAt)}
                    </time>
                  </span>
                  <span className="text-conv-last">
                    {c.lastDirection === 'out' ? 'You: ' : ''}
                    {c.lastBody || '(template)'}
                    {c.unread > 0 && <span className="rail-count">{formatCount(c.unread)}</span>}
                  </span>
                </button>
              </li>
            )
          })}
        </ul>
      </section>
      <section className="text-reading" aria-label="Conversation">
        {open && current ? (
          <OpenConversation contactId={open.contactId} channel={open.channel} />
        ) : (
          <EmptyState icon="send" title={conversations.length ? 'Choose a conversation' : 'No texts yet'}>
            {conversations.length ? 'Texts from and to your customers, by SMS and WhatsApp.' : 'Text a customer from their contact page; their replies arrive here.'}
          </EmptyState>
        )}
      </section>
    </>
  )
}

function OpenConversation({ contactId, channel }: { contactId: number; channel: TextChannel }): JSX.Element {
  const contact = useQuery('contacts.get', { id: contactId }, { events: [{ event: 'contacts.changed', when: (p) => !p.ids || p.ids.includes(contactId) }], keepPrevious: false })
  const c = contact.data
  if (!c) return <div className="page-loading" aria-busy="true" />
  const name = `${c.firstName} ${c.lastName}`.trim() || c.email || formatPhone(c.phone)
  return (
    <div className="text-reading-inner">
      <header className="text-reading-head">
        <div>
          <h2>
            <a href={hrefFor({ name: 'contact', id: c.id })}>{name}</a>
          </h2>
          <p className="text-reading-sub">
            <ChannelBadge channel={channel} /> {c.phone ? formatPhone(c.phone) : 'No phone number'} · replies go out by {CHANNEL_NAME[channel]}
          </p>
        </div>
      </header>
      <TextThread key={`${contactId}-${channel}`} contact={{ id: c.id, name, objectId: c.primaryObjectId, phones: c.phones }} channel={channel} />
    </div>
  )
}
