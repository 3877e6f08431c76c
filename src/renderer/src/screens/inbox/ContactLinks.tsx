// The people a conversation is filed under: each contact links to its profile, can filter the inbox to
// all mail with them, or be unlinked; "Link contact" files it under someone the addresses did not match.
// Manual links and unlinks beat the automatic matching (messages.linkContact, per message).
import { useEffect, useState, type JSX } from 'react'
import type { MessageSummary } from '../../../../shared/inbox'
import type { Contact } from '../../../../shared/models'
import { Avatar } from '../../components/Avatar'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { displayName } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { rpc } from '../../rpc'
import { toastError, toastOk } from '../../store'

interface Props {
  contacts: Array<{ id: number; name: string; email: string }>
  messages: MessageSummary[]
  onFilter: (c: { id: number; name: string }) => void
  onChanged: () => void
}

export function ContactLinks({ contacts, messages, onFilter, onChanged }: Props): JSX.Element {
  const link = async (contactId: number, linked: boolean, name: string) => {
    // Linking files every message of the conversation; unlinking only those that carry the contact.
    const ids = linked ? messages.map((m) => m.id) : messages.filter((m) => m.contactIds.includes(contactId)).map((m) => m.id)
    try {
      for (const messageId of ids) await rpc('messages.linkContact', { messageId, contactId, linked })
      toastOk(linked ? `Filed under ${name}` : `No longer filed under ${name}`)
      onChanged()
    } catch (err) {
      toastError(err)
    }
  }
  return (
    <>
      {contacts.map((c) => {
        const name = c.name || c.email
        return (
          <span key={c.id} className="pane-contact">
            <a href={hrefFor({ name: 'contact', id: c.id })} title={`Open ${name}’s profile`}>
              <Icon name="user" size={13} /> {name}
            </a>
            <button type="button" className="pane-contact-filter" title={`Show all mail with ${name}`} onClick={() => onFilter({ id: c.id, name })}>
              All mail
            </button>
            <button type="button" className="pane-contact-filter pane-contact-unlink" aria-label={`Unlink ${name}`} title={`Not about ${name}: unlink`} onClick={() => void link(c.id, false, name)}>
              <Icon name="x" size={11} />
            </button>
          </span>
        )
      })}
      <Popover className="btn btn-ghost btn-sm pane-link-btn" label={<><Icon name="plus" size={13} /> Link contact</>}>
        {(close) => <ContactSearch exclude={contacts.map((c) => c.id)} onPick={(c) => (close(), void link(c.id, true, displayName(c)))} />}
      </Popover>
    </>
  )
}

function ContactSearch({ exclude, onPick }: { exclude: number[]; onPick: (c: Contact) => void }): JSX.Element {
  const [query, setQuery] = useState('')
  const [items, setItems] = useState<Contact[] | null>(null)
  useEffect(() => {
    let live = true
    const t = setTimeout(
      () =>
        rpc('contacts.list', { ...(query.trim() ? { query: query.trim() } : {}), limit: 8 }).then(
          (page) => live && setItems(page.items.filter((c) => !exclude.includes(c.id))),
          () => live && setItems([]),
        ),
      150,
    )
    return () => ((live = false), clearTimeout(t))
  }, [query])
  return (
    <div className="link-search">
      <input className="input" autoFocus placeholder="Find a contact…" aria-label="Find a contact" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="link-results" role="listbox" aria-label="Contacts">
        {items?.length === 0 && <li className="link-empty">No contacts found</li>}
        {items?.map((c) => (
          <li key={c.id} role="option" aria-selected="false">
            <button type="button" onClick={() => onPick(c)}>
              <Avatar name={displayName(c)} size={24} />
              <span className="link-text">
                <span className="link-name">{displayName(c)}</span>
                {c.email && <span className="link-email">{c.email}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
