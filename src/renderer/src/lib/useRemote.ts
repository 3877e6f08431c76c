// One engine read kept fresh: loads on mount and when its inputs change, reloads (batched) on the
// events that can change it, and reports loading and errors so screens can show designed states.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventName } from '../../../shared/contract'
import { onEvent, RpcError } from '../rpc'
import { messageOf } from './errors'

export interface Remote<T> {
  data: T | null
  error: string | null
  /** The engine's error code (NOT_FOUND, UNAVAILABLE…) when the last load failed. */
  errorCode: string | null
  loading: boolean
  reload: () => void
}

export function useRemote<T>(load: () => Promise<T>, deps: unknown[], events: EventName[] = [], refreshMs = 250): Remote<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [errorCode, setErrorCode] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const seq = useRef(0)
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps)
  const reload = useCallback(() => {
    const mine = ++seq.current
    setLoading(true)
    run().then(
      (value) => {
        if (mine !== seq.current) return
        setData(value)
        setError(null)
        setErrorCode(null)
        setLoading(false)
      },
      (err) => {
        if (mine !== seq.current) return
        setError(messageOf(err))
        setErrorCode(err instanceof RpcError ? err.code : null)
        setLoading(false)
      },
    )
  }, [run])
  useEffect(() => {
    reload()
    let t: ReturnType<typeof setTimeout> | undefined
    const soon = () => {
      clearTimeout(t)
      t = setTimeout(reload, refreshMs)
    }
    const offs = events.map((e) => onEvent(e, soon))
    return () => (offs.forEach((off) => off()), clearTimeout(t))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload, events.join(','), refreshMs])
  return { data, error, errorCode, loading, reload }
}
