// The outbox list and the selected message's detail, both kept live from `outbox.changed` (batched: a
// busy scheduler reports many small changes).
import { useEffect, useState } from 'react'
import type { OutboundDetail, OutboundMessage } from '../../../../shared/outbound'
import { useQuery } from '../../lib/useQuery'
import { RpcError } from '../../rpc'
import { toastError } from '../../store'

const REFRESH_MS = 250

export function useOutboxList(): { items: OutboundMessage[] | null; counts: Record<string, number>; done: number; reload: () => void } {
  const page = useQuery('outbox.list', { limit: 500 }, { events: ['outbox.changed'], delayMs: REFRESH_MS, onError: toastError })
  return { items: page.data?.items ?? null, counts: page.data?.counts ?? {}, done: page.data?.done ?? 0, reload: page.reload }
}

export function useOutboxDetail(id: number | undefined): { detail: OutboundDetail | null; missing: boolean } {
  const detail = useQuery('outbox.get', id ? { id } : null, {
    events: [{ event: 'outbox.changed', when: (p) => id !== undefined && p.ids.includes(id) }],
    delayMs: REFRESH_MS,
    keepPrevious: false,
    onError: (err) => err instanceof RpcError && err.code === 'NOT_FOUND' ? undefined : toastError(err),
  })
  return { detail: detail.data, missing: detail.errorCode === 'NOT_FOUND' }
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
