// The outbox list and the selected message's detail, both kept live from `outbox.changed` (batched: a
// busy scheduler reports many small changes).
import { useCallback, useEffect, useState } from 'react'
import type { OutboundDetail, OutboundMessage, OutboxPage } from '../../../../shared/outbound'
import { onEvent, rpc, RpcError } from '../../rpc'
import { toastError } from '../../store'

const REFRESH_MS = 250

export function useOutboxList(): { items: OutboundMessage[] | null; counts: Record<string, number>; done: number; reload: () => void } {
  const [page, setPage] = useState<OutboxPage | null>(null)
  const reload = useCallback(() => void rpc('outbox.list', { limit: 500 }).then(setPage, toastError), [])
  useEffect(() => {
    reload()
    let t: ReturnType<typeof setTimeout> | undefined
    const off = onEvent('outbox.changed', () => {
      clearTimeout(t)
      t = setTimeout(reload, REFRESH_MS)
    })
    return () => (off(), clearTimeout(t))
  }, [reload])
  return { items: page?.items ?? null, counts: page?.counts ?? {}, done: page?.done ?? 0, reload }
}

export function useOutboxDetail(id: number | undefined): { detail: OutboundDetail | null; missing: boolean } {
  const [detail, setDetail] = useState<OutboundDetail | null>(null)
  const [missing, setMissing] = useState(false)
  useEffect(() => {
    setDetail(null)
    setMissing(false)
    if (!id) return
    const load = () =>
      rpc('outbox.get', { id }).then(setDetail, (err) => (err instanceof RpcError && err.code === 'NOT_FOUND' ? setMissing(true) : toastError(err)))
    void load()
    let t: ReturnType<typeof setTimeout> | undefined
    const off = onEvent('outbox.changed', (p) => {
      if (!p.ids.includes(id)) return
      clearTimeout(t)
      t = setTimeout(() => void load(), REFRESH_MS)
    })
    return () => (off(), clearTimeout(t))
  }, [id])
  return { detail, missing }
}

/** Re-renders every `ms`, so "in 3 minutes" stays true while the screen is open. */
export function useNow(ms = 15_000): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}
