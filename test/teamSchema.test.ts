// Issue 22: the local capture side, and the contract's refusals, without two desktops.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { LOCAL_COLUMNS, SHARED_TABLES, captureTriggersSql } from '../src/main/engine/team/tables'
import { ADMIN, STAFF, freshDatabase, joinUrl, pgServerUrl, teamEngine, withFile } from './teamSetup'

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().replace(/;$/, '')

describe('team capture', () => {
  it('has a capture trigger per shared table exactly as tables.ts describes it (adding a column needs a migration)', () => {
    const t = teamEngine()
    const triggers = withFile(t, (db) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'team\\_%' ESCAPE '\\'").all()) as Array<{ name: string; sql: string }>
    const expected = SHARED_TABLES.flatMap(captureTriggersSql)
    expect(triggers.length).toBe(expected.length)
    const byName = new Map(triggers.map((x) => [x.name, norm(x.sql)]))
    for (const sql of expected) {
      const name = /TRIGGER `([^`]+)`/.exec(sql)![1]
      expect(byName.get(name), name).toBe(norm(sql))
    }
    // Every column of a shared table is either replicated or named as device-local in tables.ts.
    const local = LOCAL_COLUMNS
    withFile(t, (db) => {
      for (const s of SHARED_TABLES) {
        const cols = (db.prepare(`PRAGMA table_info(${s.name})`).all() as Array<{ name: string }>).map((c) => c.name)
        expect(cols.filter((c) => !s.pk.includes(c) && !s.cols.includes(c)).sort(), s.name).toEqual((local[s.name] ?? []).sort())
      }
    })
  })

  it('captures nothing on a solo desktop', async () => {
    const t = teamEngine()
    const o = await t.ok('objects.create', { name: 'Solo Shop', timezone: 'UTC' })
    const c = await t.ok('contacts.create', { email: 'x@y.co', firstName: 'X', primaryObjectId: o.id })
    await t.ok('notes.create', { contactId: c.id, bodyHtml: '<p>hi</p>' })
    expect(withFile(t, (db) => db.prepare('SELECT count(*) AS n FROM team_ops').get())).toEqual({ n: 0 })
    expect(await t.ok('team.status', {})).toMatchObject({ state: 'solo', pendingOps: 0, user: null })
  })

  it('captures changed fields only, with a UUIDv7 and the staff member, in the write’s own transaction', async () => {
    const db = await freshDatabase()
    const t = teamEngine()
    const c0 = await t.ok('contacts.create', { email: 'ava@x.co', firstName: 'Ava' })
    await t.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await t.ok('team.sync', {})
    await t.ok('contacts.update', { id: c0.id, company: 'Acme' })
    const ops = withFile(t, (f) => f.prepare('SELECT id, tbl, row_key, kind, fields, user_email FROM team_ops ORDER BY seq').all()) as Array<Record<string, string>>
    expect(ops).toHaveLength(1)
    expect(ops[0]).toMatchObject({ tbl: 'contacts', row_key: String(c0.id), kind: 'update', user_email: ADMIN.email })
    expect(ops[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // company and the derived sort/update fields, never the unchanged ones.
    expect(Object.keys(JSON.parse(ops[0].fields))).toContain('company')
    expect(Object.keys(JSON.parse(ops[0].fields))).not.toContain('email')
    // New rows on the creating desktop take ids from its block; the old ones kept theirs.
    const c1 = await t.ok('contacts.create', { email: 'ben@x.co', firstName: 'Ben' })
    expect(c0.id).toBe(1)
    expect(c1.id).toBeGreaterThanOrEqual(2 ** 32)
  })
})

describe('team contract', () => {
  it('refuses bad input and wrong passwords in words', async () => {
    const t = teamEngine()
    expect(await t.err('team.create', { databaseUrl: 'mysql://x/y', admin: ADMIN })).toMatchObject({ code: 'VALIDATION', field: 'databaseUrl' })
    expect(await t.err('team.create', { databaseUrl: 'postgres://127.0.0.1:5433/x', admin: { ...ADMIN, password: 'short' } })).toMatchObject({ code: 'VALIDATION', field: 'admin.password' })
    expect(await t.err('team.sync', {})).toMatchObject({ code: 'CONFLICT' })
    expect(await t.err('team.users.create', STAFF)).toMatchObject({ code: 'CONFLICT' })
    // Nothing listens on port 1: unreachable, said so.
    expect(await t.err('team.join', { databaseUrl: 'postgres://127.0.0.1:1/sb', email: STAFF.email, password: STAFF.password })).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/reach/) })
    const db = await freshDatabase()
    await t.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    expect(await t.err('team.create', { databaseUrl: db.url, admin: ADMIN })).toMatchObject({ code: 'CONFLICT' })
    const other = teamEngine()
    expect(await other.err('team.create', { databaseUrl: db.url, admin: ADMIN })).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/join it instead/) })
    expect(await other.err('team.join', { databaseUrl: joinUrl(db), email: ADMIN.email, password: 'wrong password!' })).toMatchObject({ code: 'VALIDATION', message: 'PostgreSQL refused the e-mail address or password' })
    // A desktop with data of its own may not join (it would mix two businesses' data): it creates instead.
    await other.ok('contacts.create', { email: 'own@x.co' })
    expect(await other.err('team.join', { databaseUrl: joinUrl(db), email: ADMIN.email, password: ADMIN.password })).toMatchObject({ code: 'CONFLICT' })
    // Staff may not add staff: the service says so, and PostgreSQL would refuse the role anyway.
    await t.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
    expect(await t.err('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })).toMatchObject({ code: 'CONFLICT', field: 'email' })
    const staffDesk = teamEngine()
    await staffDesk.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
    expect(await staffDesk.err('team.users.create', { email: 'x@example.test', displayName: 'X', password: 'x-team-pw-12', role: 'staff', profileIds: [] })).toMatchObject({ code: 'VALIDATION' })
    expect((await t.ok('team.users.list', {})).map((u) => [u.email, u.role])).toEqual([[ADMIN.email, 'admin'], [STAFF.email, 'staff']])
  })

  it('keeps no password in PostgreSQL in plain text, sends none to it (statement log), and none in the desktop’s file', async () => {
    const db = await freshDatabase()
    // Every statement of this database's sessions goes to the server log: a CREATE ROLE with the words would show.
    const su = new pg.Client({ connectionString: pgServerUrl() })
    await su.connect()
    await su.query(`ALTER DATABASE "${db.name}" SET log_statement = 'all'`)
    await su.end()
    // scripts/pg.sh's server log (PG_ROOT, as the script places it).
    const logFile = join(process.env.PG_ROOT ?? join((process.env.TMPDIR ?? '/tmp').replace(/\/$/, ''), 'switchboard-pg'), 'postgres.log')
    expect(existsSync(logFile)).toBe(true)
    const logStart = statSync(logFile).size
    const t = teamEngine()
    await t.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await t.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
    await t.ok('team.sync', {})
    const bin = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | head -1'], { encoding: 'utf8' }).trim()
    // Every workspace any test made on this server has its roles, so the roles dump outgrows execFileSync's 1 MB.
    const big = { encoding: 'utf8' as const, maxBuffer: 1024 * 1024 * 1024 }
    const dump = execFileSync(`${bin}/pg_dump`, [db.url], big)
    const roles = execFileSync(`${bin}/pg_dumpall`, ['--roles-only', '-d', pgServerUrl()], big)
    for (const pw of [ADMIN.password, STAFF.password]) {
      expect(dump).not.toContain(pw)
      expect(roles).not.toContain(pw)
    }
    expect(roles).toMatch(/SCRAM-SHA-256/)
    const log = readFileSync(logFile).subarray(logStart).toString('utf8')
    expect(log).toMatch(/CREATE ROLE/) // the log did record the statements
    for (const pw of [ADMIN.password, STAFF.password]) expect(log).not.toContain(pw)
    const file = withFile(t, (f) => JSON.stringify(f.prepare('SELECT * FROM team_state').all()))
    expect(file).not.toContain(ADMIN.password)
    expect(file).not.toContain('postgres:postgres@') // the creating URL's password is not kept either
  })
})
