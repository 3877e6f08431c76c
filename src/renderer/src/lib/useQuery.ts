// The renderer's one way to keep an engine read fresh: it loads when mounted and when its input changes,
// reloads (coalesced) when one of the named engine events arrives, drops answers that a newer load has
// overtaken (a slow older answer never overwrites a newer one), and keeps the previous data while
// reloading so screens do not flash a skeleton.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventName, EventPayload, Input, Method, Output } from '../../../shared/contract'
import { onEvent, rpc, RpcError } from '../rpc'
import { coalesce } from './coalesce'
import { messageOf } from './errors'

export interface Remote<T> {
  data: T | null
  error: string | null
  /** The engine's error code (NOT_FOUND, UNAVAILABLE…) when the last load failed. */
  errorCode: string | null
  loading: boolean
  reload: () => void
}

/** An event that reloads only when `when` says its payload concerns this read. */
export type EventFilter = { [E in EventName]: { event: E; when: (payload: EventPayload<E>) => boolean } }[EventName]
/** `transport.open`: the connection came back, so anything missed while it was down is read again. */
export type Trigger = EventName | 'transport.open' | EventFilter

export interface QueryOptions {
  /** Engine events that can change the answer. */
  events?: Trigger[]
  /** Events within this many ms of the first are coalesced into one reload (a steady stream reloads this often). */
  delayMs?: number
  /** false: do not load (data stays null, loading false). */
  enabled?: boolean
  /** false: a new input clears the old input's data at once (a detail view switching to another item). */
  keepPrevious?: boolean
  /** Called with each failed load's error as well (e.g. toastError for screens without an error state). */
  onError?: (err: unknown) => void
}

/** Any read (one method or several): `key` says when the input changed; `load` is called with the newest. */
export function useLoad<T>(load: () => Promise<T>, key: unknown, options: QueryOptions = {}): Remote<T> {
  const { events = [], delayMs = 250, enabled = true, keepPrevious = true } = options
  const [state, setState] = useState<{ data: T | null; error: string | null; errorCode: string | null; loading: boolean }>({
    data: null,
    error: null,
    errorCode: null,
    loading: enabled,
  })
  const seq = useRef(0)
  // The newest loader and error handler, so a reload from an event always reads the current input.
  const latest = useRef({ load, onError: options.onError })
  latest.current = { load, onError: options.onError }
  const keyText = JSON.stringify(key ?? null)

  const reload = useCallback(() => {
    const mine = ++seq.current
    setState((s) => (s.loading ? s : { ...s, loading: true }))
    latest.current.load().then(
      (data) => {
        if (mine === seq.current) setState({ data, error: null, errorCode: null, loading: false })
      },
      (err: unknown) => {
        if (mine !== seq.current) return
        setState((s) => ({ ...s, error: messageOf(err), errorCode: err instanceof RpcError ? err.code : null, loading: false }))
        latest.current.onError?.(err)
      },
    )
  }, [])

  // A new input (or enabling) loads at once; the answer of any older load is dropped.
  useEffect(() => {
    if (!enabled) {
      seq.current++
      setState({ data: null, error: null, errorCode: null, loading: false })
      return
    }
    if (!keepPrevious) setState({ data: null, error: null, errorCode: null, loading: true })
    reload()
  }, [keyText, enabled, keepPrevious, reload])

  const eventKey = events.map((e) => (typeof e === 'string' ? e : e.event)).join(',')
  const filters = useRef(events)
  filters.current = events
  useEffect(() => {
    if (!enabled || !eventKey) return
    const soon = coalesce(reload, delayMs)
    const offs = filters.current.map((e, i) =>
      typeof e === 'string'
        ? onEvent(e as EventName, soon.call)
        : onEvent(e.event as EventName, (payload: unknown) => {
            // The newest filter (it may close over the current input), for the same event.
            const now = filters.current[i] as { when: (p: unknown) => boolean } | string | undefined
            if (typeof now === 'object' && now.when(payload)) soon.call()
          }),
    )
    return () => (offs.forEach((off) => off()), soon.cancel())
  }, [eventKey, enabled, delayMs, reload])

  return { ...state, reload }
}

/** One contract method kept fresh. `input` null means "not yet" (nothing is loaded). */
export function useQuery<M extends Method>(method: M, input: Input<M> | null, options: QueryOptions = {}): Remote<Output<M>> {
  return useLoad(() => rpc(method, input as Input<M>), [method, input], { ...options, enabled: input !== null && options.enabled !== false })
}
