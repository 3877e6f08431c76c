// Leaving a team workspace and removing a member on Settings › Team (issue 22 item 1), on the real web host and
// a real PostgreSQL (scripts/pg.sh). An admin removes a staff member and leaves with changes that could not be
// sent (the forced leave, with the count); a removed staff member's desktop says so and leaves. Screenshots at
// 1440x900 and 1024x700, light and dark.
import { otherDesktop } from './otherDesktop'
import { loginRoleName } from '../src/main/engine/team/pg'
import { test, expect } from './fixtures'
import { freshDatabase, pgProxy } from './pgSeed'
import { shot } from './shot'

test.beforeEach(({}, info) => test.skip(info.project.name === 'electron', 'PostgreSQL tests drive the web host'))

const ADMIN = { email: 'gil@example.test', displayName: 'Gil Admin', password: 'gil-team-pw-1' }
const STAFF = { email: 'ivy@example.test', displayName: 'Ivy Staff', password: 'ivy-team-pw-1' }

test('an admin removes a staff member, then leaves with changes that could not be sent (the forced leave)', async ({ demoApp: app, page }) => {
  test.setTimeout(120_000)
  const db = await freshDatabase()
  const p = await pgProxy(Number(new URL(db.url()).port))
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
    await db.drop([loginRoleName(db.name, STAFF.email)])
  }
})

test('a removed staff member’s desktop says so and leaves, keeping its copy', async ({ app, page }) => {
  test.setTimeout(120_000)
  const db = await freshDatabase()
  const a = otherDesktop('leave')
  const call = a.call
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
    await db.drop([loginRoleName(db.name, STAFF.email)])
  }
})
