// Team workspace tests (issue 22): the real PostgreSQL that scripts/pg.sh runs on 127.0.0.1:5433 (started
// here when it is not running, so no test is skipped for want of it), one fresh database per test, engines
// whose replicator moves ops only on team.sync (manual) unless a test asks otherwise, and a TCP proxy that a
// test closes to take one desktop offline.
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { afterThisFile } from './support/afterTest'
import { freshEngine, type TestEngine } from './helpers'
import { pgServerUrl } from './support/pgCluster'
import { SHARED_TABLES } from '../src/main/engine/team/tables'
import type { ReplicatorOptions } from '../src/main/engine/team/replicator'
import { applyRemoteOps, type Applied, type RemoteOp } from '../src/main/engine/team/apply'

export { pgProxy, pgServerUrl } from './support/pgCluster'

const made: string[] = []
/** Drops the databases this file made, with their roles. */
async function dropMade(): Promise<void> {
  const dbs = made.splice(0)
  if (!dbs.length) return
  const admin = new pg.Client({ connectionString: pgServerUrl() })
  await admin.connect()
  for (const db of dbs) {
    // The roles a workspace made: its member role and every member's login role.
    const roles: string[] = []
    const c = new pg.Client({ connectionString: urlFor(db) })
    try {
      await c.connect()
      const ws = await c.query<{ member_role: string }>('SELECT member_role FROM workspace').catch(() => ({ rows: [] as Array<{ member_role: string }> }))
      const users = await c.query<{ role_name: string }>('SELECT role_name FROM team_users').catch(() => ({ rows: [] as Array<{ role_name: string }> }))
      roles.push(...users.rows.map((r) => r.role_name), ...ws.rows.map((r) => r.member_role))
    } finally {
      await c.end().catch(() => undefined)
    }
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`)
    for (const r of roles) await admin.query(`DROP ROLE IF EXISTS "${r}"`)
  }
  await admin.end()
}

export const pgPort = (): number => Number(new URL(pgServerUrl()).port)

function urlFor(db: string): string {
  const u = new URL(pgServerUrl())
  u.pathname = `/${db}`
  return u.toString()
}

/** A new empty database for one test; returns its superuser URL (dropped with its roles after the file). */
export async function freshDatabase(): Promise<{ url: string; name: string; port: number }> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: pgServerUrl() })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  if (made.length === 0) afterThisFile(dropMade)
  made.push(name)
  return { url: urlFor(name), name, port: Number(new URL(pgServerUrl()).port) }
}

/** The URL a staff member joins with: no credentials, optionally through another port (the proxy). */
export function joinUrl(db: { name: string; port: number }, port = db.port): string {
  return `postgres://127.0.0.1:${port}/${db.name}`
}

export function teamEngine(team: ReplicatorOptions & { run?: boolean } = { manual: true }): TestEngine {
  return freshEngine({ team, outbound: { run: false }, inbound: { run: false }, backups: { run: false }, intake: { run: false } })
}

/** Every shared row, in key order: two desktops that converged have equal dumps. */
export function canonicalDump(t: TestEngine): Record<string, unknown[]> {
  const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true })
  try {
    return Object.fromEntries(SHARED_TABLES.map((s) => [s.name, db.prepare(`SELECT ${[...s.pk, ...s.cols].join(', ')} FROM ${s.name} ORDER BY ${s.pk.join(', ')}`).all()]))
  } finally {
    db.close()
  }
}

/** Raw SQL on an engine's file (the tests' look at team_ops; the engine is the only writer otherwise). */
export function withFile<T>(t: TestEngine, fn: (db: Database.Database) => T): T {
  const db = new Database(join(t.dataDir, 'switchboard.db'))
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

/** The ops PostgreSQL holds for one row, in position order (what a pull would bring of it). */
export async function opsOfRow(dbUrl: string, tbl: string, rowKey: number | string): Promise<RemoteOp[]> {
  const c = new pg.Client({ connectionString: dbUrl })
  await c.connect()
  try {
    const rows = (await c.query('SELECT position, id, device_id, tbl, row_key, kind, fields FROM ops WHERE tbl = $1 AND row_key = $2 ORDER BY position', [tbl, String(rowKey)])).rows
    return rows.map((r) => ({ position: Number(r.position), id: r.id, deviceId: r.device_id, tbl: r.tbl, rowKey: r.row_key, kind: r.kind, fields: r.fields }))
  } finally {
    await c.end()
  }
}

/**
 * Applies ops to a desktop's file exactly as a pull does (one transaction, the applying flag on, foreign keys on)
 * and, unless `moveCursor` is false, moves its cursor past them: a pull that lands between its own writes and pushes.
 */
export function applyAsPull(t: TestEngine, ops: RemoteOp[], opts: { moveCursor?: boolean } = {}): Applied {
  return withFile(t, (f) => {
    f.pragma('foreign_keys = ON')
    return f.transaction(() => {
      f.prepare('UPDATE team_state SET applying = 1').run()
      const applied = applyRemoteOps(f, ops)
      f.prepare('UPDATE team_state SET applying = 0').run()
      if (opts.moveCursor !== false && ops.length) f.prepare('UPDATE team_state SET cursor = ?').run(ops[ops.length - 1]!.position)
      return applied
    })()
  })
}

/** The claims of automation steps whose kind matches (`'flow:%'`), in key order: who won which piece of work. */
export async function stepClaimsLike(dbUrl: string, tblLike: string): Promise<Array<{ tbl: string; row_id: string; device_id: number; state: string }>> {
  const c = new pg.Client({ connectionString: dbUrl })
  await c.connect()
  try {
    return (await c.query('SELECT tbl, row_id, device_id, state FROM claims WHERE tbl LIKE $1 ORDER BY row_id, tbl', [tblLike])).rows
  } finally {
    await c.end()
  }
}

export const ADMIN = { email: 'gil@example.test', displayName: 'Gil Admin', password: 'gil-team-pw-1' }
export const STAFF = { email: 'ivy@example.test', displayName: 'Ivy Staff', password: 'ivy-team-pw-1' }
