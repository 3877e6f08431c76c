// The conversation list: one fixed-height row per thread, virtualised (an inbox can hold many thousands),
// with the next page fetched by cursor as the end comes into view.
import { useEffect, type JSX } from 'react'
import type { InboxThread } from '../../../../shared/inbox'
import { Icon } from '../../components/Icons'
import { formatCount } from '../../lib/format'
import { listTime, threadPeople } from '../../lib/inbox'
import { objectName, useApp } from '../../store'
import type { InboxList } from './useInbox'
import { useInfiniteRows } from '../../lib/useInfiniteRows'

const ROW_HEIGHT = 84

interface Props {
  list: InboxList
  selectedId?: number
  onOpen: (thread: InboxThread) => void
  /** Business names on rows only when more than one business is shown. */
  showObject: boolean
  /** Changes with the filters: a new view starts at the top. */
  viewKey: string
  now: number
  /** Multi-selection (checkboxes, shift/ctrl-click). */
  checked?: Set<number>
  /** A click with its modifier keys; returns true when it only changed the selection. */
  onSelectClick?: (thread: InboxThread, e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }) => boolean
  onToggle?: (thread: InboxThread) => void
  onStar?: (thread: InboxThread) => void
  onMenu?: (thread: InboxThread, at: { x: number; y: number }) => void
}

export function ThreadList({ list, selectedId, onOpen, showObject, viewKey, now, checked, onSelectClick, onToggle, onStar, onMenu }: Props): JSX.Element {
  const threads = list.threads ?? []
  const objects = useApp((s) => s.objects)
  const { scrollRef, virtualizer, items } = useInfiniteRows(list, { rows: threads.length, busy: list.loadingMore, rowHeight: ROW_HEIGHT, overscan: 10, ahead: 10 })

  useEffect(() => {
    scrollRef.current?.scrollTo(0, 0)
  }, [viewKey])

  // Keyboard navigation moves the selection; keep it in view.
  const selectedIndex = threads.findIndex((t) => t.id === selectedId)
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' })
  }, [selectedIndex, virtualizer])

  return (
    <div className="thread-scroll" ref={scrollRef}>
      <ul className="thread-list" aria-label="Conversations" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((row) => {
          const t = threads[row.index]
          const style = { height: row.size, transform: `translateY(${row.start}px)` }
          if (!t)
            return (
              <li key="more" className="thread-row thread-more" style={style} aria-busy="true">
                <span className="spinner" /> Loading more…
              </li>
            )
          const unread = t.unreadCount > 0
          const selected = t.id === selectedId
          const isChecked = checked?.has(t.id) ?? false
          return (
            <li
              key={t.id}
              className={`thread-row${unread ? ' is-unread' : ''}${selected ? ' is-selected' : ''}${isChecked ? ' is-checked' : ''}`}
              style={style}
              aria-current={selected ? 'true' : undefined}
              aria-selected={checked ? isChecked : undefined}
              data-thread-id={t.id}
              onClick={(e) => (onSelectClick?.(t, e) ? undefined : onOpen(t))}
              onContextMenu={onMenu ? (e) => (e.preventDefault(), onMenu(t, { x: e.clientX, y: e.clientY })) : undefined}
            >
              {onToggle && (
                <label className="thread-check" onClick={(e) => e.stopPropagation()}>
                  <input type="checkbox" checked={isChecked} aria-label={`Select “${t.subject || '(no subject)'}”`} onChange={() => onToggle(t)} />
                </label>
              )}
              <span className="thread-dot" aria-hidden="true" />
              <div className="thread-body">
                <div className="thread-line">
                  <span className="thread-people" title={t.participants.join(', ')}>
                    {t.latest.direction === 'out' && <Icon name="reply" size={12} className="thread-sent-icon" />}
                    {threadPeople(t)}
                  </span>
                  {t.messageCount > 1 && <span className="thread-count">{formatCount(t.messageCount)}</span>}
                  {t.hasAttachments && <Icon name="paperclip" size={13} className="thread-clip" />}
                  {onStar && (
                    <button
                      type="button"
                      className={`thread-star${t.latest.flagged ? ' is-starred' : ''}`}
                      aria-label={t.latest.flagged ? 'Remove star' : 'Star'}
                      aria-pressed={t.latest.flagged}
                      onClick={(e) => (e.stopPropagation(), onStar(t))}
                    >
                      <Icon name="star" size={14} filled={t.latest.flagged} />
                    </button>
                  )}
                  <time className="thread-time" dateTime={t.lastMessageAt} title={new Date(t.lastMessageAt).toLocaleString()}>
                    {listTime(t.lastMessageAt, now)}
                  </time>
                </div>
                <div className="thread-subject">
                  {unread && <span className="visually-hidden">Unread: </span>}
                  {t.subject || '(no subject)'}
                </div>
                <div className="thread-line thread-line-last">
                  <span className="thread-snippet">{t.latest.snippet || (t.latest.parseError ? 'Could not be read — shown as raw text' : ' ')}</span>
                  {t.latest.isBounce && <span className="badge badge-red badge-sm">Bounce</span>}
                  {t.latest.isAutoReply && <span className="badge badge-slate badge-sm">Auto-reply</span>}
                  {showObject && <span className="thread-object">{objectName(objects, t.objectId)}</span>}
                </div>
              </div>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
