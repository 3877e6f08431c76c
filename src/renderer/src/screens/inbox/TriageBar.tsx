// The toolbar over the conversation list (select all, and the actions on the selection or the open
// conversation, with their shortcuts in the tooltips) and the right-click menu of a row.
import { useEffect, useRef, type JSX } from 'react'
import type { Folder, InboxThread, MoveTarget } from '../../../../shared/inbox'
import { Icon } from '../../components/Icons'
import { formatCount } from '../../lib/format'
import { MovePicker } from './MovePicker'
import type { Triage } from './useTriage'

interface BarProps {
  threads: InboxThread[]
  selected: Set<number>
  /** The conversations the buttons act on (the selection, else the open one). */
  targets: InboxThread[]
  triage: Triage
  folders: Map<number, Folder[]>
  moveOpen: boolean
  setMoveOpen(open: boolean): void
  onSelectAll(all: boolean): void
  /** Shown when nothing is selected and no conversation is open. */
  unreadThreads: number
  inTrash: boolean
}

export function TriageBar({ threads, selected, targets, triage, folders, moveOpen, setMoveOpen, onSelectAll, unreadThreads, inTrash }: BarProps): JSX.Element {
  const all = threads.length > 0 && threads.every((t) => selected.has(t.id))
  const some = selected.size > 0 && !all
  const check = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (check.current) check.current.indeterminate = some
  }, [some])
  const acting = targets.length > 0
  const starred = acting && targets.every((t) => t.latest.flagged)
  const unread = targets.some((t) => t.unreadCount > 0)
  const mailboxIds = targets.map((t) => t.latest.mailboxId).filter((m): m is number => m !== null)
  const pick = (to: MoveTarget, label: string) => (setMoveOpen(false), triage.move(to, label))

  return (
    <div className={`triage-bar${selected.size ? ' has-selection' : ''}`} role="toolbar" aria-label="Conversation actions">
      <label className="triage-check" title={all ? 'Select none' : 'Select all (Ctrl+A)'}>
        <input ref={check} type="checkbox" checked={all} aria-label={all ? 'Select none' : 'Select all conversations'} onChange={() => onSelectAll(!all)} disabled={!threads.length} />
      </label>
      {selected.size > 0 ? <span className="triage-count">{formatCount(selected.size)} selected</span> : null}
      {acting ? (
        <div className="triage-actions">
          <button type="button" className="icon-button" aria-label="Archive" title="Archive (e)" onClick={() => triage.move('archive')}>
            <Icon name="archive" />
          </button>
          <button type="button" className="icon-button" aria-label={inTrash ? 'Delete for good' : 'Delete'} title={inTrash ? 'Delete for good (#)' : 'Move to Trash (#)'} onClick={() => triage.move('trash')}>
            <Icon name="trash" />
          </button>
          <button type="button" className="icon-button" aria-label="Junk" title="Mark as junk" onClick={() => triage.move('junk')}>
            <Icon name="spam" />
          </button>
          <span className="popover-anchor">
            <button type="button" className="icon-button" aria-label="Move to folder" aria-expanded={moveOpen} title="Move to folder (v)" onClick={() => setMoveOpen(!moveOpen)}>
              <Icon name="folder" />
            </button>
            {moveOpen && <MovePicker mailboxIds={mailboxIds} folders={folders} onPick={pick} onClose={() => setMoveOpen(false)} />}
          </span>
          <span className="triage-sep" aria-hidden="true" />
          <button type="button" className={`icon-button${starred ? ' is-starred' : ''}`} aria-label={starred ? 'Remove star' : 'Star'} aria-pressed={starred} title={starred ? 'Remove star (s)' : 'Star (s)'} onClick={triage.star}>
            <Icon name="star" filled={starred} />
          </button>
          <button type="button" className="icon-button" aria-label={unread ? 'Mark read' : 'Mark unread'} title={unread ? 'Mark read' : 'Mark unread'} onClick={() => triage.markRead(unread)}>
            <Icon name="read" />
          </button>
        </div>
      ) : (
        <button type="button" className="link-button triage-all-read" disabled={unreadThreads === 0} onClick={triage.markAllRead}>
          <Icon name="check" size={13} /> Mark all read
        </button>
      )}
    </div>
  )
}

interface MenuProps {
  x: number
  y: number
  targets: InboxThread[]
  triage: Triage
  inTrash: boolean
  onMove(): void
  onClose(): void
}

/** Right-click on a conversation: the same actions, where the pointer is. */
export function ThreadMenu({ x, y, targets, triage, inTrash, onMove, onClose }: MenuProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.querySelector('button')?.focus()
    const down = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && onClose()
    const key = (e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), onClose())
    document.addEventListener('mousedown', down)
    window.addEventListener('keydown', key, true)
    return () => (document.removeEventListener('mousedown', down), window.removeEventListener('keydown', key, true))
  }, [onClose])
  const starred = targets.every((t) => t.latest.flagged)
  const unread = targets.some((t) => t.unreadCount > 0)
  const run = (fn: () => void) => () => (onClose(), fn())
  // Keep the menu inside the window.
  const left = Math.min(x, window.innerWidth - 230)
  const top = Math.min(y, window.innerHeight - 300)
  const n = targets.length
  return (
    <div ref={ref} className="popover thread-menu menu" role="menu" aria-label="Conversation menu" style={{ left, top }}>
      {n > 1 && <div className="menu-caption">{formatCount(n)} conversations</div>}
      <button type="button" role="menuitem" className="menu-item" onClick={run(() => triage.move('archive'))}>
        <Icon name="archive" size={15} /> Archive <kbd>e</kbd>
      </button>
      <button type="button" role="menuitem" className="menu-item" onClick={run(() => triage.move('trash'))}>
        <Icon name="trash" size={15} /> {inTrash ? 'Delete for good' : 'Delete'} <kbd>#</kbd>
      </button>
      <button type="button" role="menuitem" className="menu-item" onClick={run(onMove)}>
        <Icon name="folder" size={15} /> Move to… <kbd>v</kbd>
      </button>
      <button type="button" role="menuitem" className="menu-item" onClick={run(() => triage.move('junk'))}>
        <Icon name="spam" size={15} /> Junk
      </button>
      <div className="menu-sep" role="separator" />
      <button type="button" role="menuitem" className="menu-item" onClick={run(triage.star)}>
        <Icon name="star" size={15} filled={starred} /> {starred ? 'Remove star' : 'Star'} <kbd>s</kbd>
      </button>
      <button type="button" role="menuitem" className="menu-item" onClick={run(() => triage.markRead(unread))}>
        <Icon name="read" size={15} /> {unread ? 'Mark read' : 'Mark unread'}
      </button>
    </div>
  )
}
