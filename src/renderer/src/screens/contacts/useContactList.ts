// The grid's data: pages of contacts from the engine, appended as the user scrolls, reset when the
// search, filters or sort change, and kept fresh from `contacts.changed` events.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Contact, ListContactsInput } from '../../../../shared/models'
import { onEvent, rpc, RpcError } from '../../rpc'
import { toastError } from '../../store'

export interface ListParams {
  query: string
  objectId: number | null | undefined
  tagId: number | undefined
  segmentId?: number
  sort: { field: 'name' | 'email' | 'company' | 'createdAt' | 'updatedAt'; dir: 'asc' | 'desc' }
}

const PAGE = 100

export interface ContactList {
  items: Contact[]
  total: number | null
  hasMore: boolean
  loading: boolean
  loadMore(): void
}

export function useContactList(params: ListParams): ContactList {
  const [items, setItems] = useState<Contact[]>([])
  const [total, setTotal] = useState<number | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  // Every fetch carries the generation it was started in; answers from older generations are dropped.
  const generation = useRef(0)
  const itemsRef = useRef(items)
  itemsRef.current = items
  const key = JSON.stringify(params)

  const base = useCallback((): ListContactsInput => {
    const p = JSON.parse(key) as ListParams
    return {
      ...(p.query.trim() ? { query: p.query.trim() } : {}),
      ...(p.objectId !== undefined ? { objectId: p.objectId } : {}),
      ...(p.tagId !== undefined ? { tagId: p.tagId } : {}),
      ...(p.segmentId !== undefined ? { segmentId: p.segmentId } : {}),
      sort: p.sort,
    }
  }, [key])

  /** Loads the first page; `keep` rows are reloaded (up to 500) so a refresh does not lose the scroll. */
  const reload = useCallback(
    (keep = 0) => {
      const gen = ++generation.current
      setLoading(true)
      rpc('contacts.list', { ...base(), limit: Math.min(500, Math.max(PAGE, keep)) })
        .then((page) => {
          if (gen !== generation.current) return
          setItems(page.items)
          setTotal(page.total)
          setCursor(page.nextCursor)
        })
        .catch((err) => gen === generation.current && toastError(err))
        .finally(() => gen === generation.current && setLoading(false))
    },
    [base],
  )

  useEffect(() => {
    setItems([])
    setTotal(null)
    setCursor(null)
    reload()
  }, [reload])

  const loadMore = useCallback(() => {
    if (!cursor || loading) return
    const gen = generation.current
    setLoading(true)
    rpc('contacts.list', { ...base(), cursor, limit: PAGE })
      .then((page) => {
        if (gen !== generation.current) return
        setItems((prev) => [...prev, ...page.items])
        setTotal(page.total)
        setCursor(page.nextCursor)
      })
      .catch((err) => gen === generation.current && toastError(err))
      .finally(() => gen === generation.current && setLoading(false))
  }, [base, cursor, loading])

  // Engine events: a few known rows are re-read in place; anything else reloads what is on screen.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let ids = new Set<number>()
    let full = false
    const flush = async () => {
      const changed = [...ids]
      const loaded = new Set(itemsRef.current.map((c) => c.id))
      const reloadAll = full || changed.length > 50 || changed.some((id) => !loaded.has(id))
      ids = new Set()
      full = false
      if (reloadAll) return reload(itemsRef.current.length)
      const gen = generation.current
      const fresh = await Promise.all(
        changed.map((id) => rpc('contacts.get', { id }).catch((err) => (err instanceof RpcError && err.code === 'NOT_FOUND' ? id : null))),
      )
      if (gen !== generation.current) return
      const gone = new Set(fresh.filter((f): f is number => typeof f === 'number'))
      const byId = new Map(fresh.filter((f): f is Contact => typeof f === 'object' && f !== null).map((c) => [c.id, c]))
      setItems((prev) => prev.filter((c) => !gone.has(c.id)).map((c) => byId.get(c.id) ?? c))
      if (gone.size) setTotal((t) => (t === null ? t : t - gone.size))
    }
    const offSegments = onEvent('segments.changed', () => {
      full = true
      clearTimeout(timer)
      timer = setTimeout(() => void flush(), 120)
    })
    const offContacts = onEvent('contacts.changed', (payload) => {
      if (payload.ids) payload.ids.forEach((id) => ids.add(id))
      else full = true
      clearTimeout(timer)
      timer = setTimeout(() => void flush(), 120)
    })
    // A refresh still pending from before the filters changed would reload the old filters over the new ones.
    return () => (clearTimeout(timer), offSegments(), offContacts())
  }, [reload])

  return { items, total, hasMore: cursor !== null, loading, loadMore }
}
