// App-wide state: connection, toasts, the two small lists every screen needs (businesses and tags), and
// what the shell shows about sending (engine facts, network status, outbox counts).
// Contacts are not here: the grid pages them from the engine on demand.
import { create } from 'zustand'
import type { Output } from '../../shared/contract'
import type { BizObject, Tag } from '../../shared/models'
import type { SyncStatus } from '../../shared/inbox'
import type { NetStatus } from '../../shared/outbound'
import { messageOf } from './lib/errors'
import { rpc, transportKind } from './rpc'

export interface Toast {
  id: number
  kind: 'error' | 'success'
  text: string
  /** A button in the toast (e.g. Undo); clicking it dismisses the toast. */
  action?: { label: string; run: () => void }
  /** How long it stays, in ms; shown as a shrinking bar when there is an action. */
  duration: number
}
export type ToastOptions = Partial<Pick<Toast, 'action' | 'duration'>>
export type AppInfo = Output<'app.info'>

interface AppState {
  connection: 'connecting' | 'open' | 'closed'
  objects: BizObject[] | null
  tags: Tag[] | null
  toasts: Toast[]
  info: AppInfo | null
  net: NetStatus | null
  /** Outbox rows per status (whole outbox). */
  outboxCounts: Record<string, number> | null
  /** Unread threads across the unified inbox (the sidebar badge); null until known. */
  inboxUnread: number | null
  /** inboxUnread is a lower bound (the engine stopped counting): the badge says "N+" (issue 23). */
  inboxUnreadAtLeast: boolean
  /** Sync state per mailbox, kept live from `sync.status` events. */
  sync: SyncStatus[] | null
  loadObjects(): Promise<void>
  loadTags(): Promise<void>
  loadInfo(): Promise<AppInfo>
  loadNet(): Promise<void>
  loadOutboxCounts(): Promise<void>
  loadInboxUnread(): Promise<void>
  loadSync(): Promise<void>
  /** Merges one mailbox's pushed status into the list. */
  applySync(status: SyncStatus): void
  toast(kind: Toast['kind'], text: string, options?: ToastOptions): number
  dismiss(id: number): void
}

let nextToast = 1

export const useApp = create<AppState>((set, get) => ({
  connection: transportKind === 'electron' ? 'open' : 'connecting',
  objects: null,
  tags: null,
  toasts: [],
  info: null,
  net: null,
  outboxCounts: null,
  inboxUnread: null,
  inboxUnreadAtLeast: false,
  sync: null,
  async loadObjects() {
    try {
      set({ objects: await rpc('objects.list', {}) })
    } catch (err) {
      get().toast('error', messageOf(err))
    }
  },
  async loadTags() {
    try {
      set({ tags: await rpc('tags.list', {}) })
    } catch (err) {
      get().toast('error', messageOf(err))
    }
  },
  async loadInfo() {
    const info = await rpc('app.info', {})
    set({ info })
    return info
  },
  // Background refreshes: a failure here is not worth a toast (the banner already says when we are cut off).
  async loadNet() {
    try {
      set({ net: await rpc('net.status', {}) })
    } catch {
      /* keep the last known status */
    }
  },
  async loadOutboxCounts() {
    try {
      set({ outboxCounts: (await rpc('outbox.list', { limit: 1 })).counts })
    } catch {
      /* keep the last known counts */
    }
  },
  async loadInboxUnread() {
    try {
      const page = await rpc('inbox.list', { limit: 1 })
      set({ inboxUnread: page.unreadThreads, inboxUnreadAtLeast: page.unreadThreadsAtLeast === true })
    } catch {
      /* keep the last known count (the engine may not have the inbox yet) */
    }
  },
  async loadSync() {
    try {
      set({ sync: await rpc('sync.status', {}) })
    } catch {
      /* keep the last known states */
    }
  },
  applySync(status) {
    set((s) => {
      const list = s.sync ?? []
      const at = list.findIndex((x) => x.mailboxId === status.mailboxId)
      return { sync: at < 0 ? [...list, status] : list.map((x, i) => (i === at ? status : x)) }
    })
  },
  toast(kind, text, options = {}) {
    const id = nextToast++
    const duration = options.duration ?? (kind === 'error' ? 7000 : 3500)
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text, action: options.action, duration }] }))
    setTimeout(() => get().dismiss(id), duration)
    return id
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
  },
}))

/** For event handlers outside React: report any error as a toast. */
export const toastError = (err: unknown): void => void useApp.getState().toast('error', messageOf(err))
export const toastOk = (text: string): void => void useApp.getState().toast('success', text)

/** Business name by id, for grid cells and labels. */
export function objectName(objects: BizObject[] | null, id: number | null): string {
  if (id === null) return ''
  return objects?.find((o) => o.id === id)?.name ?? ''
}
