// The web host's transport: static files of the built renderer plus the contract over one WebSocket.
// Loopback only, a per-run token on every RPC connection, and a same-origin check against browsers.
import { timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Engine } from '../main/engine'
import { STATIC_TYPES as TYPES } from '../shared/staticTypes'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

/** Every response carries these, errors included (a 400 page is still a page of this origin). */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  // The token rides in the page URL; never leak it in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
}

/** A complete plain-text response for the raw socket (Node's own 400/431 answers carry no headers). */
export function rawResponse(status: string, body: string): string {
  const headers = Object.entries({ ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' })
  return `HTTP/1.1 ${status}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`
}

export interface WebHostOptions {
  engine: Engine
  token: string
  staticDir: string
  port: number
}

export interface WebHost {
  server: Server
  port: number
  url: string
  /** While the engine is swapped (a restore), calls are answered UNAVAILABLE with this message. */
  pause(message: string): void
  /** Carries the contract to another engine from now on (after a restore reopened the workspace). */
  setEngine(engine: Engine): void
  close(): Promise<void>
}

export async function startWebHost({ engine: first, token, staticDir, port }: WebHostOptions): Promise<WebHost> {
  let engine = first
  let paused: string | null = null
  const server = createServer((req, res) => {
    let path: string
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      res.writeHead(400, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request')
      return
    }
    const file = normalize(join(staticDir, path))
    const inside = file === staticDir || file.startsWith(staticDir + sep)
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(staticDir, 'index.html')
    if (!existsSync(target)) {
      res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('The renderer is not built yet: run npx electron-vite build')
      return
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream' })
    createReadStream(target).pipe(res)
  })

  // Requests Node rejects before our handler (oversized headers: 431, malformed HTTP: 400) get the same
  // headers as every other response, instead of Node's bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) return void socket.destroy()
    const big = err.code === 'HPE_HEADER_OVERFLOW'
    socket.end(rawResponse(big ? '431 Request Header Fields Too Large' : '400 Bad Request', big ? 'Request headers too large' : 'Bad request'))
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 })
  const sockets = new Set<WebSocket>()
  const broadcast = (e: unknown) => {
    const msg = JSON.stringify(e)
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(msg)
  }
  let unsubscribe = engine.subscribe(broadcast)

  server.on('upgrade', (req, socket, head) => {
    const refusal = refuse(req, token, actualPort)
    if (refusal) {
      socket.end(rawResponse(refusal, refusal.replace(/^\d+ /, '')))
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data) => void answer(ws, String(data)))
    })
  })

  async function answer(ws: WebSocket, raw: string): Promise<void> {
    let msg: { id?: unknown; method?: unknown; input?: unknown }
    try {
      msg = JSON.parse(raw) as typeof msg
    } catch {
      ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'VALIDATION', message: 'Messages must be JSON {id, method, input}' } }))
      return
    }
    const result = paused ? { ok: false, error: { code: 'UNAVAILABLE', message: paused } } : await engine.dispatch(msg.method, msg.input)
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id ?? null, ...result }))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const actualPort = (server.address() as { port: number }).port
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/?token=${encodeURIComponent(token)}`,
    pause: (message) => void (paused = message),
    setEngine: (next) => {
      unsubscribe()
      engine = next
      unsubscribe = engine.subscribe(broadcast)
      paused = null
    },
    close: async () => {
      unsubscribe()
      for (const s of sockets) s.terminate()
      wss.close()
      const closed = new Promise<void>((r) => server.close(() => r()))
      // Keep-alive connections from a browser tab would otherwise hold close() open.
      server.closeAllConnections()
      await closed
    },
  }
}

/** Returns an HTTP status line when the upgrade must be refused, or null to accept it. */
function refuse(req: IncomingMessage, token: string, port: number): string | null {
  const url = new URL(req.url ?? '/', 'http://x')
  if (url.pathname !== '/rpc') return '404 Not Found'
  const given = Buffer.from(url.searchParams.get('token') ?? '')
  const want = Buffer.from(token)
  if (given.length !== want.length || !timingSafeEqual(given, want)) return '401 Unauthorized'
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`]
  // Host guards against DNS rebinding; Origin against other sites in the user's browser.
  // Non-browser clients (tests, benchmarks) send no Origin and still need the token.
  if (!allowed.includes(req.headers.host ?? '')) return '403 Forbidden'
  const origin = req.headers.origin
  if (origin !== undefined && !allowed.map((h) => `http://${h}`).includes(origin)) return '403 Forbidden'
  return null
}
