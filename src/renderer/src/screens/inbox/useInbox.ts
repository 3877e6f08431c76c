// The inbox's data: the filters (kept across visits, so coming back finds the same view), the thread
// pages fetched by cursor, and live refreshes from `inbox.changed` (batched: a sync reports in bursts).
import { useCallback, useEffect, useRef, useState } from 'react'
import { create } from 'zustand'
import type { InboxThread } from '../../../../shared/inbox'
import { coalesce } from '../../lib/coalesce'
import { messageOf } from '../../lib/errors'
import { onEvent, rpc, RpcError } from '../../rpc'

export interface InboxFilters {
  objectId?: number
  mailboxId?: number
  contact?: { id: number; name: string }
  unread?: boolean
  direction?: 'in' | 'out'
  query?: string
  /** Which folder: the inbox (default), a special folder of every mailbox, or one folder of one mailbox. */
  folder?: InboxView
  folderId?: number
  /** Shown as the title while `folderId` is on. */
  folderName?: string
}

export type InboxView = 'inbox' | 'archive' | 'trash' | 'junk' | 'sent' | 'flagged' | 'all'


export const useInboxFilters = create<{ filters: InboxFilters; set: (patch: Partial<InboxFilters>) => void; reset: (f?: InboxFilters) => void }>((set) => ({
  filters: {},
  set: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  reset: (filters = {}) => set({ filters }),
}))

const PAGE = 60
const REFRESH_MS = 250

export interface InboxList {
  threads: InboxThread[] | null
  unreadThreads: number
  /** unreadThreads is a lower bound (the engine stopped counting): shown as "N+". */
  unreadAtLeast: boolean
  hasMore: boolean
  loadingMore: boolean
  /** The engine refused the search (FTS syntax): shown under the search box. */
  queryError: string | null
  /** Any other failure to read the list. */
  error: string | null
  loadMore: () => void
  reload: () => void
  /** Local change (read/unread) before the engine confirms it. */
  patch: (threadId: number, fn: (t: InboxThread) => InboxThread) => void
  /** Conversations triaged out of this view: gone from the list before the engine answers. */
  remove: (threadIds: number[]) => void
}

export function useInboxList(filters: InboxFilters): InboxList {
  const [threads, setThreads] = useState<InboxThread[] | null>(null)
  const [unreadThreads, setUnread] = useState(0)
  const [unreadAtLeast, setUnreadAtLeast] = useState(false)
  const [cursor, setCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [queryError, setQueryError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  // Answers to an older filter set are dropped (typing in search fires several requests).
  const generation = useRef(0)
  const loaded = useRef(PAGE)

  const input = useCallback(
    () => ({
      ...(filters.objectId ? { objectId: filters.objectId } : {}),
      ...(filters.mailboxId ? { mailboxId: filters.mailboxId } : {}),
      ...(filters.contact ? { contactId: filters.contact.id } : {}),
      ...(filters.unread ? { unread: true } : {}),
      ...(filters.direction ? { direction: filters.direction } : {}),
      ...(filters.query?.trim() ? { query: filters.query.trim() } : {}),
      ...(filters.folderId ? { folderId: filters.folderId } : filters.folder && filters.folder !== 'inbox' ? { folder: filters.folder } : {}),
    }),
    [filters],
  )

  /** Re-reads the first pages (as many rows as are loaded, so a refresh never shortens the list). */
  const reload = useCallback(
    (fresh = false) => {
      const gen = ++generation.current
      if (fresh) loaded.current = PAGE
      rpc('inbox.list', { ...input(), limit: Math.min(200, Math.max(PAGE, loaded.current)) }).then(
        (page) => {
          if (gen !== generation.current) return
          setThreads(page.threads)
          setUnread(page.unreadThreads)
          setUnreadAtLeast(page.unreadThreadsAtLeast === true)
          setCursor(page.nextCursor)
          setQueryError(null)
          setError(null)
        },
        (err) => {
          if (gen !== generation.current) return
          if (err instanceof RpcError && err.code === 'VALIDATION' && err.field === 'query') {
            setQueryError(err.message)
            setThreads((t) => t ?? [])
          } else {
            setError(messageOf(err))
            setThreads((t) => t ?? [])
          }
        },
      )
    },
    [input],
  )

  // A new filter or search keeps the old rows until the answer comes (no skeleton flash while typing).
  useEffect(() => reload(true), [reload])

  useEffect(() => {
    const soon = coalesce(() => reload(), REFRESH_MS)
    const offs = [onEvent('inbox.changed', soon.call), onEvent('transport.open', soon.call)]
    return () => (offs.forEach((off) => off()), soon.cancel())
  }, [reload])

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return
    const gen = generation.current
    setLoadingMore(true)
    rpc('inbox.list', { ...input(), cursor, limit: PAGE }).then(
      (page) => {
        setLoadingMore(false)
        if (gen !== generation.current) return
        setThreads((prev) => {
          const seen = new Set((prev ?? []).map((t) => t.id))
          const next = [...(prev ?? []), ...page.threads.filter((t) => !seen.has(t.id))]
          loaded.current = next.length
          return next
        })
        setCursor(page.nextCursor)
      },
      (err) => (setLoadingMore(false), setError(messageOf(err))),
    )
  }, [cursor, loadingMore, input])

  const patch = useCallback((threadId: number, fn: (t: InboxThread) => InboxThread) => setThreads((list) => list?.map((t) => (t.id === threadId ? fn(t) : t)) ?? null), [])

  const remove = useCallback((ids: number[]) => {
    const gone = new Set(ids)
    setThreads((list) => list?.filter((t) => !gone.has(t.id)) ?? null)
  }, [])

  return { threads, unreadThreads, unreadAtLeast, hasMore: cursor !== null, loadingMore, queryError, error, loadMore, reload: () => reload(), patch, remove }
}
