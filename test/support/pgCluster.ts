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
export async function pgProxy(target: number): Promise<{ port: number; open(): Promise<void>; close(): Promise<void>; blackhole(): void; holdReplies(): () => void }> {
  const sockets = new Set<Socket>()
  const holes: Array<() => void> = []
  /** Each connection as [client, upstream], newest last. */
  const pairs: Array<[Socket, Socket]> = []
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
        pairs.push([client, upstream])
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
  /**
   * The newest connection's answers wait (its queries still reach PostgreSQL and run) until the returned function
   * lets them through: a statement that ran but whose answer is late.
   */
  const holdReplies = () => {
    const [client, upstream] = pairs[pairs.length - 1]
    upstream.unpipe(client)
    upstream.pause()
    return () => {
      upstream.pipe(client)
      upstream.resume()
    }
  }
  return { get port() { return port }, open, close, blackhole, holdReplies }
}

// ---- a private cluster (test/teamRestart.test.ts): restarting the shared one would cut every other test's
// connections, so a test that restarts PostgreSQL runs its own on a free port under /tmp (same script).

export interface PrivateCluster {
  /** The superuser URL of its `postgres` database. */
  url: string
  port: number
  /** `fast` closes every connection cleanly; `immediate` is a crash (recovery from the WAL on start). */
  stop(mode?: 'fast' | 'immediate'): void
  start(): void
  /** Stops it and deletes its files. */
  remove(): void
}

/** Runs scripts/pg.sh on another port with its own data directory (initdb on first start: a few seconds). */
export async function privateCluster(): Promise<PrivateCluster> {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const port = await new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
  const root = mkdtempSync('/tmp/sb-pg-private-')
  const run = (cmd: string, extra: Record<string, string> = {}) =>
    execFileSync('bash', ['scripts/pg.sh', cmd], { env: { ...process.env, PG_ROOT: root, PG_PORT: String(port), ...extra }, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 })
  run('start')
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: (mode = 'fast') => void run('stop', { PG_STOP_MODE: mode }),
    start: () => void run('start'),
    remove() {
      run('stop', { PG_STOP_MODE: 'immediate' })
      rmSync(root, { recursive: true, force: true })
      rmSync(`${root}.lock`, { force: true })
    },
  }
}
