// A mail search also finds the staff's notes on contacts (issue 19: notes are searchable like mail): the
// few best matches sit above the conversations, each opening its contact.
import type { JSX } from 'react'
import { Icon } from '../../components/Icons'
import { formatWhen } from '../../lib/format'
import { hrefFor, navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'

const SHOWN = 3

export function NoteHits({ query }: { query: string }): JSX.Element | null {
  const notes = useQuery('notes.list', { query, limit: SHOWN + 1 }, { events: ['notes.changed'], delayMs: 300 })
  const items = notes.data ?? []
  if (!items.length) return null
  return (
    <section className="note-hits" aria-label="Notes that match">
      <h2 className="note-hits-title">
        <Icon name="file" size={13} /> Notes that match
      </h2>
      <ul>
        {items.slice(0, SHOWN).map((n) => (
          <li key={n.id}>
            <a
              className="note-hit"
              href={hrefFor({ name: 'contact', id: n.contactId })}
              onClick={(e) => (e.preventDefault(), navigate({ name: 'contact', id: n.contactId }))}
            >
              <span className="note-hit-who">{n.contactName}</span>
              <span className="note-hit-text">{n.bodyText}</span>
              <span className="note-hit-meta">
                {n.authorName ? `${n.authorName} · ` : ''}
                {formatWhen(n.updatedAt)}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {items.length > SHOWN && <p className="note-hits-more">More notes match; narrow the search to see them.</p>}
    </section>
  )
}
