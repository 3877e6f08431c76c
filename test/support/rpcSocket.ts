// The one WebSocket client of the engine's contract for tests, Playwright fixtures and benchmarks: it
// talks to the web host exactly as the renderer does (JSON frames `{id, method, input}` answered by
// `{id, ok, value|error}`, events without an id).
import WebSocket from 'ws'
import type { Result } from '../../src/shared/result'

export interface RpcSocket {
  /** One round trip: the engine's Result, and the reply's size on the wire. */
  call<T = unknown>(method: string, input?: unknown): Promise<Result<T> & { bytes: number }>
  /** The value, or throws with the method, code and message of the error. */
  ok<T = unknown>(method: string, input?: unknown): Promise<T>
  /** Engine events pushed on this socket (`{event, payload}` frames), newest last. */
  events: Array<{ event: string; payload: unknown }>
  ws: WebSocket
  close(): void
}

export interface RpcSocketOptions {
  /** Extra query after `/rpc` (e.g. `?token=…`); defaults to `?token=${token}`. */
  query?: string
  token?: string
  headers?: Record<string, string>
  maxPayload?: number
}

/** Opens a socket on `ws://127.0.0.1:${port}/rpc…`; rejects with the HTTP status when the upgrade is refused. */
export function openRpcSocket(port: number, opts: RpcSocketOptions = {}): Promise<RpcSocket> {
  const query = opts.query ?? `?token=${opts.token ?? ''}`
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc${query}`, { headers: opts.headers, maxPayload: opts.maxPayload })
  let next = 1
  const waiting = new Map<number, (raw: string) => void>()
  const events: RpcSocket['events'] = []
  ws.on('message', (data) => {
    const raw = String(data)
    const msg = JSON.parse(raw) as { id?: number; event?: string; payload?: unknown }
    if (typeof msg.id === 'number') waiting.get(msg.id)?.(raw), waiting.delete(msg.id)
    else if (msg.event) events.push({ event: msg.event, payload: msg.payload })
  })
  const call: RpcSocket['call'] = async (method, input) => {
    const id = next++
    const raw = await new Promise<string>((r) => (waiting.set(id, r), ws.send(JSON.stringify({ id, method, input }))))
    return { ...(JSON.parse(raw) as Result<never>), bytes: raw.length }
  }
  const socket: RpcSocket = {
    call,
    ok: async <T>(method: string, input?: unknown): Promise<T> => {
      const res = await call<T>(method, input)
      if (!res.ok) throw new Error(`${method}: ${res.error.code} ${res.error.message}`)
      return res.value
    },
    events,
    ws,
    close: () => ws.close(),
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket))
    ws.once('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))))
    ws.once('error', reject)
  })
}
