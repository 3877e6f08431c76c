// The renderer's only way to the engine. At boot it picks a transport: the Electron preload bridge when
// present, otherwise a WebSocket to the web host (token from the page URL). Either way, calls are typed
// by the contract and answer with a Result; the renderer never sees a channel name or a socket.
import type { EventName, EventPayload, Input, Method, Output } from '../../shared/contract'
import type { AppErrorShape, Result } from '../../shared/result'

export interface Bridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>
  on(listener: (event: string, payload: unknown) => void): () => void
}

declare global {
  interface Window {
    switchboard?: Bridge
  }
}

type Listener = (event: string, payload: unknown) => void

function webSocketBridge(): Bridge & { status: () => 'connecting' | 'open' | 'closed' } {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const url = `ws://${location.host}/rpc?token=${encodeURIComponent(token)}`
  const pending = new Map<number, (r: Result<unknown>) => void>()
  const listeners = new Set<Listener>()
  const queue: string[] = []
  let nextId = 1
  let socket: WebSocket
  let state: 'connecting' | 'open' | 'closed' = 'connecting'
  let retry = 250

  const connect = () => {
    state = 'connecting'
    socket = new WebSocket(url)
    socket.onopen = () => {
      state = 'open'
      retry = 250
      for (const msg of queue.splice(0)) socket.send(msg)
      for (const l of listeners) l('transport.open', {})
    }
    socket.onmessage = (m) => {
      const data = JSON.parse(String(m.data)) as { id?: number; ok?: boolean; value?: unknown; error?: AppErrorShape; event?: string; payload?: unknown }
      if (data.event) for (const l of listeners) l(data.event, data.payload)
      else if (data.id !== undefined) {
        pending.get(data.id)?.(data.ok ? { ok: true, value: data.value } : { ok: false, error: data.error as AppErrorShape })
        pending.delete(data.id)
      }
    }
    socket.onclose = () => {
      state = 'closed'
      // Calls in flight cannot be answered any more; say so rather than hang, and drop the unsent ones so a
      // call reported as failed is never sent later behind the user's back.
      queue.length = 0
      for (const [id, resolve] of pending) resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Lost the connection to Switchboard' } }), pending.delete(id)
      for (const l of listeners) l('transport.closed', {})
      setTimeout(connect, retry)
      retry = Math.min(retry * 2, 5000)
    }
  }
  connect()

  return {
    status: () => state,
    invoke(method, input) {
      const id = nextId++
      const msg = JSON.stringify({ id, method, input })
      return new Promise((resolve) => {
        pending.set(id, resolve)
        if (state === 'open') socket.send(msg)
        else queue.push(msg)
      })
    },
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

const bridge: Bridge = window.switchboard ?? webSocketBridge()
export const transportKind: 'electron' | 'web' = window.switchboard ? 'electron' : 'web'

/** Calls a contract method. Resolves to a Result; it never throws for domain errors. */
export function call<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>> {
  return bridge.invoke(method, input) as Promise<Result<Output<M>>>
}

/** Calls a method and throws an RpcError on failure (for code that shows errors in one place). */
export async function rpc<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const result = await call(method, input)
  if (!result.ok) throw new RpcError(result.error)
  return result.value
}

export class RpcError extends Error {
  constructor(readonly error: AppErrorShape) {
    super(error.message)
  }
  get code() {
    return this.error.code
  }
  get field() {
    return this.error.field
  }
}

/** Subscribes to one engine event. `transport.open`/`transport.closed` report the connection itself. */
export function onEvent<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void): () => void
export function onEvent(event: 'transport.open' | 'transport.closed', fn: (payload: unknown) => void): () => void
export function onEvent(event: string, fn: (payload: never) => void): () => void {
  return bridge.on((name, payload) => {
    if (name === event) fn(payload as never)
  })
}
