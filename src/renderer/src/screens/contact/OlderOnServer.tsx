// The contact's timeline says when older mail exists on the server (issue 23): a mailbox that keeps only
// the last N months holds more there. "Search the server" asks each such mailbox for the contact's
// address (inbox.searchServer) and opening a result fetches that one message (inbox.openServer).
import { useEffect, useState, type JSX } from 'react'
import type { ServerSearchPage } from '../../../../shared/inbox'
import type { Mailbox } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { AlertLine } from '../../components/Field'
import { messageOf } from '../../lib/errors'
import { formatCount } from '../../lib/format'
import { fullTime, listTime } from '../../lib/inbox'
import { navigate } from '../../lib/router'
import { rpc } from '../../rpc'
import { syncWindowLabel } from '../businesses/mailboxDraft'

type Hit = ServerSearchPage['items'][number] & { mailboxId: number }

export function OlderOnServer({ contactId }: { contactId: number }): JSX.Element | null {
  const [boxes, setBoxes] = useState<Mailbox[]>([])
  const [email, setEmail] = useState<string | null>(null)
  const [hits, setHits] = useState<Hit[] | null>(null)
  const [total, setTotal] = useState(0)
  const [busy, setBusy] = useState<'search' | number | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let stale = false
    Promise.all([rpc('mailboxes.list', {}), rpc('contacts.get', { id: contactId })]).then(
      ([list, c]) => !stale && (setBoxes(list.filter((m) => m.olderOnServer)), setEmail(c.email ?? null)),
      () => {},
    )
    return () => void (stale = true)
  }, [contactId])

  if (!boxes.length || !email) return null
  const search = async () => {
    setBusy('search')
    setError(null)
    try {
      const pages = await Promise.all(boxes.map((m) => rpc('inbox.searchServer', { mailboxId: m.id, query: email }).then((p) => ({ p, m }))))
      setHits(pages.flatMap(({ p, m }) => p.items.map((i) => ({ ...i, mailboxId: m.id }))).sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '')))
      setTotal(pages.reduce((n, { p }) => n + p.total, 0))
    } catch (err) {
      setError(messageOf(err))
    }
    setBusy(null)
  }
  const open = async (h: Hit) => {
    setBusy(h.uid)
    setError(null)
    try {
      const got = await rpc('inbox.openServer', { mailboxId: h.mailboxId, folder: h.folder, uid: h.uid })
      navigate({ name: 'inbox', id: got.threadId })
    } catch (err) {
      setError(messageOf(err))
      setBusy(null)
    }
  }
  const now = Date.now()
  return (
    <div className="older-on-server" role="note">
      <p className="older-on-server-text">
        <Icon name="mail" size={14} />
        <span>
          Older mail may be on the server only: {boxes.map((m) => `${m.email} keeps ${syncWindowLabel(m.syncWindowMonths).toLowerCase()}`).join(', ')} on this computer.
        </span>
        <button type="button" className="btn btn-sm" disabled={busy !== null} onClick={() => void search()}>
          {busy === 'search' ? 'Searching…' : 'Search the server'}
        </button>
      </p>
      <AlertLine message={error} />
      {hits && hits.length === 0 && <p className="older-on-server-empty">No older mail with {email} on the server.</p>}
      {hits && hits.length > 0 && (
        <ul className="older-on-server-list" aria-label="Mail on the server">
          {hits.map((h) => (
            <li key={`${h.mailboxId}-${h.folder}-${h.uid}`}>
              <span className="older-on-server-date" title={h.date ? fullTime(h.date) : undefined}>
                {h.date ? listTime(h.date, now) : ''}
              </span>
              <span className="older-on-server-subject">{h.subject || '(no subject)'}</span>
              <span className="older-on-server-from">{h.from?.name || h.from?.email || ''}</span>
              <button type="button" className="btn btn-ghost btn-sm" disabled={busy !== null} onClick={() => void open(h)}>
                {busy === h.uid ? 'Opening…' : 'Open'}
              </button>
            </li>
          ))}
          {total > hits.length && <li className="older-on-server-more">{formatCount(total - hits.length)} more on the server</li>}
        </ul>
      )}
    </div>
  )
}
