// The web host's transport: static files of the built renderer plus the contract over one WebSocket.
// Loopback only, a per-run token on every RPC connection, and a same-origin check against browsers.
import { timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Engine } from '../main/engine'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

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
  close(): Promise<void>
}

export async function startWebHost({ engine, token, staticDir, port }: WebHostOptions): Promise<WebHost> {
  const server = createServer((req, res) => {
    let path: string
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request')
      return
    }
    const file = normalize(join(staticDir, path))
    const inside = file === staticDir || file.startsWith(staticDir + sep)
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(staticDir, 'index.html')
    if (!existsSync(target)) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('The renderer is not built yet: run npx electron-vite build')
      return
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      // The token rides in the page URL; never leak it in a Referer.
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
    createReadStream(target).pipe(res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 })
  const sockets = new Set<WebSocket>()
  const unsubscribe = engine.subscribe((e) => {
    const msg = JSON.stringify(e)
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(msg)
  })

  server.on('upgrade', (req, socket, head) => {
    const refusal = refuse(req, token, actualPort)
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`)
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
    const result = await engine.dispatch(msg.method, msg.input)
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
