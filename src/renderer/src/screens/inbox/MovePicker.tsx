// The folders of every receiving mailbox (for the rail and the move picker), and the move picker itself:
// a popover with a filter box; arrows and Enter pick, Esc closes.
import { useEffect, useMemo, useRef, useState, type JSX } from 'react'
import type { Folder, MoveTarget } from '../../../../shared/inbox'
import { Icon, type IconName } from '../../components/Icons'
import { useLoad } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { useApp } from '../../store'
import { moveActive } from '../../components/SuggestList'

const NO_FOLDERS = new Map<number, Folder[]>()

/** folders.list of every mailbox that receives, re-read (debounced) when mail changes. */
export function useFolders(): Map<number, Folder[]> {
  const sync = useApp((s) => s.sync) ?? []
  const ids = sync.filter((s) => s.state !== 'disabled').map((s) => s.mailboxId)
  const key = ids.join(',')
  const folders = useLoad(
    () => Promise.all(ids.map((id) => rpc('folders.list', { mailboxId: id }).then((f) => [id, f] as const, () => [id, [] as Folder[]] as const))).then((pairs) => new Map(pairs)),
    key,
    { events: ['inbox.changed', 'sync.status'], delayMs: 600 },
  ).data ?? NO_FOLDERS
  return folders
}

export const ROLE_ICON: Partial<Record<Folder['role'], IconName>> = { archive: 'archive', junk: 'spam', sent: 'sent' }

interface Choice {
  key: string
  label: string
  hint?: string
  to: MoveTarget
  icon: JSX.Element
}

interface Props {
  /** Mailboxes of the conversations being moved: their own folders are offered when there is one. */
  mailboxIds: number[]
  folders: Map<number, Folder[]>
  onPick(to: MoveTarget, label: string): void
  onClose(): void
}

export function MovePicker({ mailboxIds, folders, onPick, onClose }: Props): JSX.Element {
  const [q, setQ] = useState('')
  const [at, setAt] = useState(0)
  const input = useRef<HTMLInputElement>(null)
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => input.current?.focus(), [])
  // Outside click closes.
  useEffect(() => {
    const down = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && onClose()
    document.addEventListener('mousedown', down)
    return () => document.removeEventListener('mousedown', down)
  }, [onClose])

  const choices = useMemo<Choice[]>(() => {
    const special: Choice[] = [
      { key: 'inbox', label: 'Inbox', to: 'inbox', icon: <Icon name="inbox" size={15} /> },
      { key: 'archive', label: 'Archive', to: 'archive', icon: <Icon name="archive" size={15} /> },
      { key: 'junk', label: 'Junk', to: 'junk', icon: <Icon name="spam" size={15} /> },
      { key: 'trash', label: 'Trash', to: 'trash', icon: <Icon name="trash" size={15} /> },
    ]
    const one = new Set(mailboxIds).size === 1 ? mailboxIds[0] : undefined
    const own = one === undefined ? [] : (folders.get(one) ?? []).filter((f) => f.role === 'other')
    return [
      ...special,
      ...own.map((f) => ({ key: `f${f.id}`, label: f.name, hint: f.path !== f.name ? f.path : undefined, to: { folderId: f.id }, icon: <Icon name="folder" size={15} /> })),
    ]
  }, [mailboxIds, folders])
  const shown = choices.filter((c) => `${c.label} ${c.hint ?? ''}`.toLowerCase().includes(q.trim().toLowerCase()))
  const pick = (c: Choice | undefined) => c && onPick(c.to, c.label)

  return (
    <div
      ref={box}
      className="popover move-picker"
      role="dialog"
      aria-label="Move to folder"
      onKeyDown={(e) => {
        if (e.key === 'Escape') return (e.preventDefault(), e.stopPropagation(), onClose())
        if (moveActive(e.key, shown.length, setAt)) return e.preventDefault()
        if (e.key === 'Enter') return (e.preventDefault(), pick(shown[at]))
      }}
    >
      <input
        ref={input}
        className="input move-filter"
        placeholder="Move to…"
        aria-label="Folder name"
        value={q}
        onChange={(e) => (setQ(e.target.value), setAt(0))}
      />
      <ul className="menu move-list" role="listbox" aria-label="Folders">
        {shown.map((c, i) => (
          <li key={c.key} role="option" aria-selected={i === at}>
            <button type="button" className={`menu-item move-item${i === at ? ' is-active' : ''}`} onMouseEnter={() => setAt(i)} onClick={() => pick(c)}>
              <span className="move-icon">{c.icon}</span>
              <span className="move-label">{c.label}</span>
              {c.hint && <span className="move-hint">{c.hint}</span>}
            </button>
          </li>
        ))}
        {shown.length === 0 && <li className="move-empty">No folder called “{q.trim()}”</li>}
      </ul>
      {new Set(mailboxIds).size > 1 && <p className="move-note">These conversations are in different mailboxes: each goes to its own mailbox’s folder.</p>}
    </div>
  )
}
