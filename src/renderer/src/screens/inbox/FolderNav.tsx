// The folders in the inbox rail: the inbox and the special folders of every mailbox together (Starred,
// Sent, Archive, Junk, Trash), then each mailbox's own folders, with unread counts from the local store.
import type { JSX } from 'react'
import type { Folder } from '../../../../shared/inbox'
import { Icon } from '../../components/Icons'
import { formatCount } from '../../lib/format'
import type { InboxFilters, InboxView } from './useInbox'

const VIEWS: Array<{ view: InboxView; label: string; icon: JSX.Element; role?: Folder['role'] }> = [
  { view: 'inbox', label: 'Inbox', icon: <Icon name="inbox" size={15} />, role: 'inbox' },
  { view: 'flagged', label: 'Starred', icon: <Icon name="star" size={15} /> },
  { view: 'sent', label: 'Sent', icon: <Icon name="sent" size={15} />, role: 'sent' },
  { view: 'archive', label: 'Archive', icon: <Icon name="archive" size={15} />, role: 'archive' },
  { view: 'junk', label: 'Junk', icon: <Icon name="spam" size={15} />, role: 'junk' },
  { view: 'trash', label: 'Trash', icon: <Icon name="trash" size={15} />, role: 'trash' },
]

interface Props {
  filters: InboxFilters
  onChange(patch: Partial<InboxFilters>): void
  folders: Map<number, Folder[]>
  /** Mailbox addresses, to tell folders of several mailboxes apart. */
  emails: Map<number, string>
}

export function FolderNav({ filters, onChange, folders, emails }: Props): JSX.Element {
  const all = [...folders.values()].flat().filter((f) => filters.mailboxId === undefined || f.mailboxId === filters.mailboxId)
  const unreadOf = (role: Folder['role']) => all.filter((f) => f.role === role).reduce((n, f) => n + f.unread, 0)
  const current = filters.folderId ? `f${filters.folderId}` : (filters.folder ?? 'inbox')
  const own = all.filter((f) => f.role === 'other')
  const several = new Set(own.map((f) => f.mailboxId)).size > 1
  return (
    <div className="rail-group folder-nav">
      <h3 className="rail-heading">Folders</h3>
      {VIEWS.map((v) => {
        const n = v.role && v.role !== 'trash' && v.role !== 'sent' ? unreadOf(v.role) : 0
        return (
          <button
            key={v.view}
            type="button"
            className={`rail-item${current === v.view ? ' is-current' : ''}`}
            aria-pressed={current === v.view}
            data-folder={v.view}
            onClick={() => onChange({ folder: v.view === 'inbox' ? undefined : v.view, folderId: undefined, folderName: undefined })}
          >
            {v.icon}
            <span className="rail-label">{v.label}</span>
            {n ? <span className="rail-count">{formatCount(n)}</span> : null}
          </button>
        )
      })}
      {own.length > 0 && (
        <div className="folder-own">
          {own.map((f) => (
            <button
              key={f.id}
              type="button"
              className={`rail-item folder-item${current === `f${f.id}` ? ' is-current' : ''}`}
              aria-pressed={current === `f${f.id}`}
              title={several ? `${f.path} · ${emails.get(f.mailboxId) ?? ''}` : f.path}
              onClick={() => onChange({ folder: undefined, folderId: f.id, folderName: f.name })}
            >
              <Icon name="folder" size={15} />
              <span className="rail-label">
                {f.name}
                {several && <span className="folder-mailbox"> · {emails.get(f.mailboxId)}</span>}
              </span>
              {f.unread ? <span className="rail-count">{formatCount(f.unread)}</span> : null}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
