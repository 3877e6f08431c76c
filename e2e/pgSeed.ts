// PostgreSQL for the team specs (scripts/pg.sh): a fresh database per test, dropped with the roles its
// workspace made, and a TCP proxy the test closes to take a desktop offline and opens again to bring it back.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'
import pg from 'pg'

/** The cluster's superuser URL (started by scripts/pg.sh when it is not running). */
export function pgServerUrl(): string {
  execFileSync('bash', ['scripts/pg.sh', 'start'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 })
  return /PG_URL=(\S+)/.exec(execFileSync('bash', ['scripts/pg.sh', 'env'], { encoding: 'utf8' }))![1]!
}

export interface FreshDatabase {
  name: string
  /** Its superuser URL, through another port (the proxy) when given. */
  url(port?: number): string
  /** Drops it and the workspace's roles, with `moreRoles` (a removed member's, no longer listed). */
  drop(moreRoles?: string[]): Promise<void>
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const server = pgServerUrl()
  const name = `sb_e2e_${randomBytes(6).toString('hex')}`
  const su = new pg.Client({ connectionString: server })
  await su.connect()
  await su.query(`CREATE DATABASE "${name}"`)
  await su.end()
  const url = (port?: number) => {
    const u = new URL(server)
    u.pathname = `/${name}`
    if (port) u.port = String(port)
    return u.toString()
  }
  return {
    name,
    url,
    drop: async (moreRoles = []) => {
      const c = new pg.Client({ connectionString: url() })
      await c.connect()
      const roles = [...(await c.query<{ r: string }>('SELECT role_name AS r FROM team_users')).rows, ...(await c.query<{ r: string }>('SELECT member_role AS r FROM workspace')).rows].map((x) => x.r)
      await c.end()
      const a = new pg.Client({ connectionString: server })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      for (const r of new Set([...moreRoles, ...roles])) await a.query(`DROP ROLE IF EXISTS "${r}"`)
      await a.end()
    },
  }
}

/** A TCP proxy to PostgreSQL on `target`: `close` cuts every connection, `open` listens again on the same port. */
export async function pgProxy(target: number): Promise<{ port: number; open(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  let server: Server | null = null
  let port = 0
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const up = tcpConnect(target, '127.0.0.1')
        for (const s of [client, up]) (sockets.add(s), s.on('close', () => sockets.delete(s)), s.on('error', () => undefined))
        client.pipe(up).pipe(client)
      })
      server.listen(port, '127.0.0.1', () => ((port = (server!.address() as { port: number }).port), resolve()))
    })
  await open()
  return {
    get port() {
      return port
    },
    open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        // Closing twice (a test's own close, then its finally) resolves at once.
        if (!server) return resolve()
        server.close(() => resolve())
        server = null
      }),
  }
}
