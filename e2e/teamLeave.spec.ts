// Leaving a team workspace and removing a member on Settings › Team (issue 22 item 1), on the real web host and
// a real PostgreSQL (scripts/pg.sh). An admin removes a staff member and leaves with changes that could not be
// sent (the forced leave, with the count); a removed staff member's desktop says so and leaves. Screenshots at
// 1440x900 and 1024x700, light and dark.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createEngine } from '../src/main/engine'
import { loginRoleName } from '../src/main/engine/team/pg'
import { test, expect } from './fixtures'
import { shot } from './shot'

test.beforeEach(({}, info) => test.skip(info.project.name === 'electron', 'PostgreSQL tests drive the web host'))

const ADMIN = { email: 'gil@example.test', displayName: 'Gil Admin', password: 'gil-team-pw-1' }
const STAFF = { email: 'ivy@example.test', displayName: 'Ivy Staff', password: 'ivy-team-pw-1' }

function serverUrl(): string {
  execFileSync('bash', ['scripts/pg.sh', 'start'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 })
  return /PG_URL=(\S+)/.exec(execFileSync('bash', ['scripts/pg.sh', 'env'], { encoding: 'utf8' }))![1]!
}

async function freshDatabase(): Promise<{ name: string; url: (port?: number) => string; drop(): Promise<void> }> {
  const server = serverUrl()
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
    drop: async () => {
      const c = new pg.Client({ connectionString: url() })
      await c.connect()
      const roles = [...(await c.query<{ r: string }>('SELECT role_name AS r FROM team_users')).rows, ...(await c.query<{ r: string }>('SELECT member_role AS r FROM workspace')).rows].map((x) => x.r)
      await c.end()
      // A removed member's role is no longer listed in team_users.
      roles.unshift(loginRoleName(name, STAFF.email))
      const a = new pg.Client({ connectionString: server })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      for (const r of new Set(roles)) await a.query(`DROP ROLE IF EXISTS "${r}"`)
      await a.end()
    },
  }
}

/** A TCP proxy to PostgreSQL that the test closes to take the desktop offline. */
async function proxy(target: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const up = tcpConnect(target, '127.0.0.1')
    for (const s of [client, up]) (sockets.add(s), s.on('close', () => sockets.delete(s)), s.on('error', () => undefined))
    client.pipe(up).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

test('an admin removes a staff member, then leaves with changes that could not be sent (the forced leave)', async ({ demoApp: app, page }) => {
  test.setTimeout(120_000)
  const db = await freshDatabase()
  const p = await proxy(Number(new URL(db.url()).port))
  try {
    await app.rpc('team.create', { databaseUrl: db.url(p.port), admin: ADMIN })
    await app.rpc('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
    await page.goto(`${app.url}#/team`)
    await expect(page.getByRole('heading', { name: 'Team synced' })).toBeVisible({ timeout: 30_000 })
    const staff = page.getByRole('list', { name: 'Staff' })
    await expect(staff).toContainText('Ivy Staff')
    // No way to remove oneself.
    await expect(staff.getByRole('button', { name: 'Remove Gil Admin' })).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Leave workspace' })).toBeVisible()
    await shot(page, 'team-leave-admin')

    await staff.getByRole('button', { name: 'Remove Ivy Staff' }).click()
    const remove = page.getByRole('dialog', { name: 'Remove Ivy Staff?' })
    await expect(remove).toContainText('can no longer sign in')
    await shot(page, 'team-remove-confirm', false)
    await remove.getByRole('button', { name: 'Remove' }).click()
    await expect(remove).toBeHidden()
    await expect(staff).not.toContainText('Ivy Staff')

    // PostgreSQL out of reach with a change waiting: the leave is refused with the count, then forced.
    await p.close()
    const first = (await app.rpc('contacts.list', { limit: 1 })).items[0]!
    await app.rpc('contacts.update', { id: first.id, company: 'Written offline' })
    await page.getByRole('button', { name: 'Leave workspace' }).click()
    const leave = page.getByRole('dialog', { name: 'Leave the team workspace?' })
    await expect(leave).toContainText('keeps its own copy')
    await shot(page, 'team-leave-confirm', false)
    await leave.getByRole('button', { name: 'Leave workspace' }).click()
    const force = page.getByRole('dialog', { name: 'Leave without sending your changes?' })
    await expect(force.getByRole('alert')).toContainText(/\d+ changes? made on this computer (has|have) not reached the workspace yet/, { timeout: 30_000 })
    await shot(page, 'team-leave-force', false)
    await force.getByRole('button', { name: 'Leave anyway' }).click()
    await expect(page.getByRole('heading', { name: 'Create a team workspace' })).toBeVisible({ timeout: 30_000 })
    await expect(page.getByText(/You left the workspace\. \d+ changes? stayed on this computer only\./)).toBeVisible()
    await expect(page.getByRole('link', { name: 'Team workspace' })).toBeVisible() // the status bar: solo again
    expect((await app.rpc('contacts.get', { id: first.id })).company).toBe('Written offline')
  } finally {
    await p.close()
    await db.drop()
  }
})

test('a removed staff member’s desktop says so and leaves, keeping its copy', async ({ app, page }) => {
  test.setTimeout(120_000)
  const db = await freshDatabase()
  const dir = mkdtempSync(join(tmpdir(), 'sb-e2e-leave-'))
  const a = createEngine({ host: 'web', dataDir: dir, log: () => undefined, outbound: { run: false }, inbound: { run: false }, backups: { run: false }, intake: { run: false } })
  const call = async (m: string, i: unknown) => {
    const r = await a.dispatch(m, i)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.value
  }
  try {
    await call('objects.create', { name: 'Eve Beauty', timezone: 'UTC' })
    await call('contacts.create', { email: 'ava@x.co', firstName: 'Ava', lastName: 'Nguyen' })
    await call('team.create', { databaseUrl: db.url(), admin: ADMIN })
    await call('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
    await call('team.sync', {})
    await app.rpc('team.join', { databaseUrl: `postgres://127.0.0.1:${new URL(db.url()).port}/${db.name}`, email: STAFF.email, password: STAFF.password })
    await call('team.users.remove', { email: STAFF.email })

    await page.goto(`${app.url}#/team`)
    await page.getByRole('button', { name: 'Sync now' }).click()
    await expect(page.getByRole('heading', { name: 'Removed from the workspace' })).toBeVisible({ timeout: 30_000 })
    await expect(page.getByTestId('team-indicator')).toContainText('Removed')
    await expect(page.getByText('An admin removed you from this workspace.').first()).toBeVisible()
    await shot(page, 'team-removed')

    await page.getByRole('button', { name: 'Leave workspace' }).click()
    const leave = page.getByRole('dialog', { name: 'Leave the team workspace?' })
    await expect(leave).toContainText('An admin removed you')
    await leave.getByRole('button', { name: 'Leave workspace' }).click()
    await expect(page.getByRole('heading', { name: 'Create a team workspace' })).toBeVisible({ timeout: 30_000 })
    expect((await app.rpc('contacts.list', { query: 'nguyen' })).items.map((c) => c.email)).toEqual(['ava@x.co'])
  } finally {
    await a.close()
    rmSync(dir, { recursive: true, force: true })
    await db.drop()
  }
})
