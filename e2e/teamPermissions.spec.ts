// Issue 22 item 5 in the composer: a staff member's desktop offers only the senders an admin assigned to them,
// and offers the other one after the admin assigns it and the desktop syncs. Real web host, real PostgreSQL
// (scripts/pg.sh); the admin's desktop is an engine without a window. Screenshots at 1440x900 and 1024x700.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { otherDesktop } from './otherDesktop'
import { test, expect } from './fixtures'
import { pgServerUrl } from './pgSeed'
import { shot } from './shot'

test.beforeEach(({}, info) => test.skip(info.project.name === 'electron', 'PostgreSQL tests drive the web host'))

test('a staff member’s composer offers only the senders assigned to them, and one more once an admin assigns it', async ({ app, page }) => {
  test.setTimeout(120_000)
  const root = pgServerUrl()
  const name = `sb_e2e_${randomBytes(6).toString('hex')}`
  const su = new pg.Client({ connectionString: root })
  await su.connect()
  await su.query(`CREATE DATABASE "${name}"`)
  const dbUrl = new URL(root)
  dbUrl.pathname = `/${name}`
  const a = otherDesktop('perm')
  const call = a.call
  try {
    const object = await call('objects.create', { name: 'Eve Beauty', timezone: 'UTC' })
    const profile = async (email: string, displayName: string) => {
      const box = await call('mailboxes.create', { objectId: object.id, email, displayName, minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: email, password: 'not-a-real-pw-1' }, imap: null })
      return call('profiles.create', { objectId: object.id, email, displayName, transport: { kind: 'smtp', mailboxId: box.id } })
    }
    const desk = await profile('desk@evebeauty.test', 'Front desk')
    const owner = await profile('owner@evebeauty.test', 'Eve Martin')
    await call('team.create', { databaseUrl: dbUrl.toString(), admin: { email: 'gil@example.test', displayName: 'Gil Admin', password: 'gil-team-pw-1' } })
    await call('team.users.create', { email: 'ivy@example.test', displayName: 'Ivy Staff', password: 'ivy-team-pw-1', role: 'staff', profileIds: [desk.id] })
    await call('team.sync', {})
    await app.rpc('team.join', { databaseUrl: `postgres://127.0.0.1:${dbUrl.port}/${name}`, email: 'ivy@example.test', password: 'ivy-team-pw-1' })

    await page.goto(app.url)
    await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
    const compose = page.getByRole('dialog', { name: 'New message' })
    const from = compose.getByLabel('From', { exact: true })
    await expect(from.locator('option', { hasText: 'desk@evebeauty.test' })).toHaveCount(1)
    await expect(from.locator('option', { hasText: 'owner@evebeauty.test' })).toHaveCount(0)
    await expect(from).toHaveValue(String(desk.id))
    await shot(page, 'team-staff-compose', false)

    // The admin assigns the owner's sender; after a sync this desktop offers it too (compose reloads its senders).
    await call('team.users.setProfiles', { email: 'ivy@example.test', profileIds: [desk.id, owner.id] })
    await app.rpc('team.sync', {})
    await expect(from.locator('option', { hasText: 'owner@evebeauty.test' })).toHaveCount(1, { timeout: 10_000 })
  } finally {
    await a.close()
    const c = new pg.Client({ connectionString: dbUrl.toString() })
    await c.connect()
    const roles = [...(await c.query<{ r: string }>('SELECT role_name AS r FROM team_users')).rows, ...(await c.query<{ r: string }>('SELECT member_role AS r FROM workspace')).rows].map((x) => x.r)
    await c.end()
    await su.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    for (const r of roles) await su.query(`DROP ROLE IF EXISTS "${r}"`)
    await su.end()
  }
})
