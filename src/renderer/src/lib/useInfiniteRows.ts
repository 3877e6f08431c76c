// A virtualised list that fetches its next page as the end of what is loaded scrolls into view (the
// contacts grid, the inbox's conversation list). While there is more, one extra row stands for it.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'

interface PagedList {
  hasMore: boolean
  loadMore: () => void
}

interface Options {
  /** Rows loaded so far. */
  rows: number
  /** A page is being fetched: do not ask for another. */
  busy: boolean
  rowHeight: number
  overscan: number
  /** How many rows before the end the next page is asked for. */
  ahead: number
}

export function useInfiniteRows(list: PagedList, { rows, busy, rowHeight, overscan, ahead }: Options) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows + (list.hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items[items.length - 1]?.index ?? 0
  useEffect(() => {
    if (list.hasMore && !busy && lastIndex >= rows - ahead) list.loadMore()
  }, [lastIndex, rows, list]) // eslint-disable-line react-hooks/exhaustive-deps -- `busy` belongs to `list`
  return { scrollRef, virtualizer, items }
}
