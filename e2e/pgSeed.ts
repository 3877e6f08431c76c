// PostgreSQL for the team specs (scripts/pg.sh): a fresh database per test, dropped with the roles its
// workspace made (the cluster and the proxy are test/support/pgCluster.ts, shared with the vitest team tests).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { pgServerUrl } from '../test/support/pgCluster'

export { pgProxy, pgServerUrl } from '../test/support/pgCluster'

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
