// Triage in the inbox: the multi-selection (checkboxes, shift/ctrl-click, x, select all) and the actions on
// it or on the open conversation (archive, delete, junk, move, star, read). Every action shows at once: the
// rows leave the list before the engine answers, and the engine queues the change for the server.
import { useCallback } from 'react'
import { create } from 'zustand'
import type { InboxThread, MoveTarget } from '../../../../shared/inbox'
import { navigate } from '../../lib/router'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import type { InboxFilters, InboxList } from './useInbox'

interface Selection {
  ids: Set<number>
  /** Where a shift-click range starts. */
  anchor: number | null
  set(ids: Iterable<number>, anchor?: number | null): void
  toggle(id: number): void
  clear(): void
}

export const useSelection = create<Selection>((set) => ({
  ids: new Set(),
  anchor: null,
  set: (ids, anchor) => set((s) => ({ ids: new Set(ids), anchor: anchor === undefined ? s.anchor : anchor })),
  toggle: (id) =>
    set((s) => {
      const ids = new Set(s.ids)
      if (ids.has(id)) ids.delete(id)
      else ids.add(id)
      return { ids, anchor: id }
    }),
  clear: () => set({ ids: new Set(), anchor: null }),
}))

/** Click on a row with the modifier keys of a mail client: ctrl/cmd toggles, shift extends from the anchor. */
export function clickSelect(threads: InboxThread[], id: number, e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): boolean {
  const sel = useSelection.getState()
  if (e.shiftKey) {
    const from = threads.findIndex((t) => t.id === (sel.anchor ?? id))
    const to = threads.findIndex((t) => t.id === id)
    if (from < 0 || to < 0) return (sel.toggle(id), true)
    const [a, b] = from < to ? [from, to] : [to, from]
    sel.set([...sel.ids, ...threads.slice(a, b + 1).map((t) => t.id)], sel.anchor ?? id)
    return true
  }
  if (e.ctrlKey || e.metaKey) return (sel.toggle(id), true)
  return false
}

export type MoveName = 'archive' | 'trash' | 'junk' | 'inbox'
const DONE: Record<MoveName, string> = { archive: 'Archived', trash: 'Moved to Trash', junk: 'Marked as junk', inbox: 'Moved to the inbox' }

const plural = (n: number) => `${n} conversation${n === 1 ? '' : 's'}`

export interface Triage {
  /** The selection, or else the open conversation. */
  targets(): number[]
  move(to: MoveTarget, folderName?: string): void
  star(): void
  markRead(read: boolean): void
  markAllRead(): void
}

export function useTriage(list: InboxList, filters: InboxFilters, openId: number | undefined): Triage {
  const targets = useCallback(() => {
    const sel = [...useSelection.getState().ids]
    return sel.length ? sel : openId ? [openId] : []
  }, [openId])

  /** Does a move to `to` take the conversation out of what is shown now? */
  const leavesView = (to: MoveTarget): boolean => {
    if (filters.folderId) return typeof to === 'string' || to.folderId !== filters.folderId
    const view = filters.folder ?? 'inbox'
    if (view === 'all' || view === 'flagged') return false
    return typeof to !== 'string' || to !== view
  }

  const move = (to: MoveTarget, folderName?: string) => {
    const ids = targets()
    if (!ids.length) return
    const threads = list.threads ?? []
    if (leavesView(to)) {
      // The open conversation leaves: open the next one (or the previous at the end), as mail clients do.
      if (openId && ids.includes(openId)) {
        const at = threads.findIndex((t) => t.id === openId)
        const next = threads.slice(at + 1).find((t) => !ids.includes(t.id)) ?? threads.slice(0, Math.max(0, at)).reverse().find((t) => !ids.includes(t.id))
        navigate(next ? { name: 'inbox', id: next.id } : { name: 'inbox' })
      }
      list.remove(ids)
    }
    useSelection.getState().clear()
    const word = typeof to === 'string' ? DONE[to] : `Moved to ${folderName ?? 'the folder'}`
    rpc('messages.move', { threadIds: ids, to }).then(
      (r) => {
        void useApp.getState().loadInboxUnread()
        // From the inbox, Undo puts the same conversations back.
        const undo =
          (filters.folder ?? 'inbox') === 'inbox' && !filters.folderId && to !== 'inbox'
            ? { label: 'Undo', run: () => rpc('messages.move', { threadIds: r.threadIds.length ? r.threadIds : ids, to: 'inbox' }).then(() => list.reload(), toastError) }
            : undefined
        useApp.getState().toast('success', `${word}: ${plural(ids.length)}`, undo ? { action: undo, duration: 8000 } : undefined)
      },
      (err) => (toastError(err), list.reload()),
    )
  }

  const star = () => {
    const ids = targets()
    if (!ids.length) return
    const byId = new Map((list.threads ?? []).map((t) => [t.id, t]))
    const flagged = !ids.every((id) => byId.get(id)?.latest.flagged)
    for (const id of ids) list.patch(id, (t) => ({ ...t, latest: { ...t.latest, flagged } }))
    rpc('messages.flag', { threadIds: ids, flagged }).catch((err) => (toastError(err), list.reload()))
  }

  const markRead = (read: boolean) => {
    const ids = targets()
    if (!ids.length) return
    for (const id of ids) list.patch(id, (t) => ({ ...t, unreadCount: read ? 0 : Math.max(1, t.unreadCount) }))
    rpc('messages.markRead', { threadIds: ids, read }).then(() => void useApp.getState().loadInboxUnread(), (err) => (toastError(err), list.reload()))
  }

  const markAllRead = () => {
    for (const t of list.threads ?? []) if (t.unreadCount) list.patch(t.id, (x) => ({ ...x, unreadCount: 0 }))
    const filter = {
      ...(filters.objectId ? { objectId: filters.objectId } : {}),
      ...(filters.mailboxId ? { mailboxId: filters.mailboxId } : {}),
      ...(filters.contact ? { contactId: filters.contact.id } : {}),
      ...(filters.direction ? { direction: filters.direction } : {}),
      ...(filters.query?.trim() ? { query: filters.query.trim() } : {}),
      ...(filters.folderId ? { folderId: filters.folderId } : filters.folder ? { folder: filters.folder } : {}),
    }
    rpc('messages.markRead', { filter, read: true }).then(
      (r) => (void useApp.getState().loadInboxUnread(), useApp.getState().toast('success', r.changed ? `Marked ${r.changed} message${r.changed === 1 ? '' : 's'} read` : 'Everything here was already read')),
      toastError,
    )
  }

  return { targets, move, star, markRead, markAllRead }
}

/** The triage keys, added to the inbox's shortcut sheet. */
export const TRIAGE_SHORTCUTS: Array<[string, string]> = [
  ['e', 'Archive'],
  ['#', 'Delete (to Trash)'],
  ['v', 'Move to a folder'],
  ['s', 'Star / remove star'],
  ['x', 'Select the open conversation'],
  ['Ctrl+A', 'Select all'],
  ['Shift+click / Ctrl+click', 'Select a range / one more'],
]
