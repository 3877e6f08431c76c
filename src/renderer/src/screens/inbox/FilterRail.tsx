// The inbox's left column: which mail to show (all or unread, received or sent), each business with its
// unread count and its mailboxes with their sync state, and the contact filter when one is on.
import { useState, type JSX } from 'react'
import type { SyncStatus } from '../../../../shared/inbox'
import { Icon } from '../../components/Icons'
import { Segmented } from '../../components/Segmented'
import { formatCount } from '../../lib/format'
import { syncWords, unreadLabel } from '../../lib/inbox'
import { hrefFor } from '../../lib/router'
import { useLoad, useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import { FolderNav } from './FolderNav'
import type { Folder } from '../../../../shared/inbox'
import { askNotificationPermission, notificationPermission } from './notify'
import type { InboxFilters } from './useInbox'

/** Per business: unread conversations, and whether that is a lower bound (shown as "N+"). */
type Count = readonly [number, boolean]
const NO_COUNTS: Record<number, Count> = {}

/** Unread threads per business, re-read when mail changes. */
function useObjectUnread(ids: number[]): Record<number, Count> {
  const counts = useLoad(
    () => Promise.all(ids.map((id) => rpc('inbox.list', { objectId: id, limit: 1 }).then((p) => [id, [p.unreadThreads, p.unreadThreadsAtLeast === true] as Count] as const, () => [id, [0, false] as Count] as const))).then((pairs) => Object.fromEntries(pairs)),
    ids.join(','),
    { events: ['inbox.changed'], delayMs: 500 },
  ).data ?? NO_COUNTS
  return counts
}

interface Props {
  filters: InboxFilters
  onChange: (patch: Partial<InboxFilters>) => void
  totalUnread: number | null
  /** totalUnread is a lower bound. */
  totalAtLeast?: boolean
  now: number
  /** folders.list of every receiving mailbox (InboxScreen loads them once for the rail and the move picker). */
  folders: Map<number, Folder[]>
  /** issue 17: the Texts view is showing; onTexts shows it. */
  textsOn?: boolean
  onTexts?: () => void
}

export function FilterRail({ filters, onChange, totalUnread, totalAtLeast, now, folders, textsOn, onTexts }: Props): JSX.Element {
  const objects = useApp((s) => s.objects) ?? []
  const sync = useApp((s) => s.sync) ?? []
  const unread = useObjectUnread(objects.map((o) => o.id))
  const [permission, setPermission] = useState(notificationPermission())
  const scope = textsOn ? 'texts' : filters.mailboxId ? `m${filters.mailboxId}` : filters.objectId ? `o${filters.objectId}` : 'all'
  const textsUnread = useQuery('texts.conversations', {}, { events: ['texts.changed'], delayMs: 500 }).data?.reduce((n, c) => n + c.unread, 0) ?? 0

  return (
    <nav className="inbox-rail" aria-label="Mail filters">
      <div className="rail-group">
        <button type="button" className={`rail-item${scope === 'all' ? ' is-current' : ''}`} aria-pressed={scope === 'all'} onClick={() => onChange({ objectId: undefined, mailboxId: undefined })}>
          <Icon name="inbox" size={15} />
          <span className="rail-label">All inboxes</span>
          {totalUnread ? <span className="rail-count">{unreadLabel(totalUnread, totalAtLeast)}</span> : null}
        </button>
        {onTexts && (
          <button type="button" className={`rail-item${textsOn ? ' is-current' : ''}`} aria-pressed={Boolean(textsOn)} onClick={onTexts}>
            <Icon name="send" size={15} />
            <span className="rail-label">Texts</span>
            {textsUnread ? <span className="rail-count">{formatCount(textsUnread)}</span> : null}
          </button>
        )}
      </div>

      <FolderNav filters={filters} onChange={onChange} folders={folders} emails={new Map(sync.map((s) => [s.mailboxId, s.email]))} />

      <div className="rail-group">
        <h3 className="rail-heading">Show</h3>
        <Segmented
          label="Read state"
          value={Boolean(filters.unread)}
          options={[
            { value: false, label: 'All' },
            { value: true, label: 'Unread' },
          ]}
          onChange={(unread) => onChange({ unread: unread || undefined })}
        />
        <Segmented
          label="Direction"
          value={filters.direction}
          options={[
            { value: undefined, label: 'Both' },
            { value: 'in' as const, label: 'Received' },
            { value: 'out' as const, label: 'Sent' },
          ]}
          onChange={(direction) => onChange({ direction })}
        />
        {filters.contact && (
          <div className="rail-contact">
            <Icon name="user" size={14} />
            <span className="rail-label" title={`Only mail with ${filters.contact.name}`}>
              {filters.contact.name}
            </span>
            <button type="button" className="icon-button" aria-label="Clear contact filter" onClick={() => onChange({ contact: undefined })}>
              <Icon name="x" size={13} />
            </button>
          </div>
        )}
      </div>

      <div className="rail-group rail-scroll">
        <h3 className="rail-heading">Businesses</h3>
        {objects.length === 0 && <p className="rail-empty">No businesses yet.</p>}
        {objects.map((o) => {
          const boxes = sync.filter((s) => s.objectId === o.id)
          return (
            <div key={o.id} className="rail-object">
              <button type="button" className={`rail-item${scope === `o${o.id}` ? ' is-current' : ''}`} aria-pressed={scope === `o${o.id}`} onClick={() => onChange({ objectId: o.id, mailboxId: undefined })}>
                <Icon name="building" size={15} />
                <span className="rail-label">{o.name}</span>
                {unread[o.id]?.[0] ? <span className="rail-count">{unreadLabel(...unread[o.id])}</span> : null}
              </button>
              {boxes.map((s) => (
                <MailboxItem key={s.mailboxId} status={s} current={scope === `m${s.mailboxId}`} now={now} onPick={() => onChange({ objectId: undefined, mailboxId: s.mailboxId })} />
              ))}
            </div>
          )
        })}
      </div>
      {permission === 'default' && (
        <button type="button" className="link-button rail-notify" onClick={() => void askNotificationPermission().then(setPermission)}>
          <Icon name="mail" size={13} /> Notify me of new mail
        </button>
      )}
    </nav>
  )
}

function MailboxItem({ status: s, current, now, onPick }: { status: SyncStatus; current: boolean; now: number; onPick: () => void }): JSX.Element {
  const words = syncWords(s, now)
  const broken = s.state === 'auth_error' || s.state === 'error'
  const [busy, setBusy] = useState(false)
  const syncNow = () => {
    setBusy(true)
    rpc('mailboxes.sync', { mailboxId: s.mailboxId }).then((st) => (useApp.getState().applySync(st), setBusy(false)), (err) => (setBusy(false), toastError(err)))
  }
  return (
    <div className={`rail-mailbox${current ? ' is-current' : ''}`} data-sync-state={s.state}>
      <button type="button" className="rail-mailbox-main" aria-pressed={current} onClick={onPick} title={s.email}>
        <span className={`sync-dot tone-${words.tone}${s.state === 'syncing' || s.state === 'connecting' ? ' is-busy' : ''}`} aria-hidden="true" />
        <span className="rail-mailbox-text">
          <span className="rail-label">{s.email}</span>
          <span className={`rail-sync tone-${words.tone}`} role="status" aria-label={`${s.email}: ${words.label}`}>
            {words.label}
            {words.detail && !broken ? ` · ${words.detail}` : ''}
          </span>
        </span>
        {s.unread > 0 && <span className="rail-count">{formatCount(s.unread)}</span>}
      </button>
      {s.state === 'syncing' && s.progress && s.progress.total > 0 && (
        <span className="sync-progress" role="progressbar" aria-valuemin={0} aria-valuemax={s.progress.total} aria-valuenow={s.progress.done} aria-label={`Syncing ${s.email}`}>
          <span style={{ width: `${Math.min(100, (100 * s.progress.done) / s.progress.total)}%` }} />
        </span>
      )}
      {broken && (
        <div className="rail-sync-error">
          <span>{words.detail ?? 'The server refused the connection.'}</span>
          <span className="rail-sync-links">
            <a href={hrefFor({ name: 'businesses', id: s.objectId })}>Fix settings</a>
            <button type="button" className="link-button" disabled={busy} onClick={syncNow}>
              Try again
            </button>
          </span>
        </div>
      )}
      {!broken && s.state !== 'disabled' && current && (
        <button type="button" className="link-button rail-sync-now" disabled={busy || s.state === 'syncing'} onClick={syncNow}>
          <Icon name="retry" size={12} /> Check for mail now
        </button>
      )}
    </div>
  )
}
