// The PostgreSQL that scripts/pg.sh runs on 127.0.0.1:5433, for the team tests of both suites (vitest's
// test/teamSetup.ts and Playwright's e2e/pgSeed.ts): its superuser URL (started when it is not running), and a
// TCP proxy a test closes to take one desktop offline. Free of vitest, so Playwright can import it.
import { execFileSync } from 'node:child_process'
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'

let pgUrl: string | null = null
/** The superuser URL of the test cluster (starts it once per test file when needed). */
export function pgServerUrl(): string {
  if (pgUrl) return pgUrl
  execFileSync('bash', ['scripts/pg.sh', 'start'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 })
  const env = execFileSync('bash', ['scripts/pg.sh', 'env'], { encoding: 'utf8' })
  pgUrl = /PG_URL=(\S+)/.exec(env)![1]
  return pgUrl
}

/**
 * A TCP proxy to PostgreSQL: close() drops every connection through it and refuses new ones until open();
 * blackhole() silently stops every open connection (a network that vanished without a word: no reset, no
 * answer, ever) while new connections work.
 */
export async function pgProxy(target: number): Promise<{ port: number; open(): Promise<void>; close(): Promise<void>; blackhole(): void }> {
  const sockets = new Set<Socket>()
  const holes: Array<() => void> = []
  let server: Server | null = null
  let port = 0
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = tcpConnect(target, '127.0.0.1')
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => undefined)
        }
        client.pipe(upstream).pipe(client)
        holes.push(() => {
          client.unpipe(upstream)
          upstream.unpipe(client)
          client.pause()
          upstream.pause()
        })
      })
      server.unref()
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port
        resolve()
      })
    })
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      sockets.clear()
      if (!server) return resolve()
      server.close(() => resolve())
      server = null
    })
  await open()
  const blackhole = () => {
    for (const h of holes.splice(0)) h()
  }
  return { get port() { return port }, open, close, blackhole }
}
