// Settings › Team and the status-bar indicator (issue 22), on the real web host and a real PostgreSQL
// (scripts/pg.sh): create a workspace from the demo desktop, add staff, go offline with changes waiting and
// back, and join from an empty desktop through the set-up wizard. Screenshots at 1440x900 and 1024x700.
import { otherDesktop } from './otherDesktop'
import { test, expect } from './fixtures'
import { freshDatabase, pgProxy } from './pgSeed'
import { shot } from './shot'

test.beforeEach(({}, info) => test.skip(info.project.name === 'electron', 'PostgreSQL tests drive the web host'))

test('create a team workspace, add staff, and see the offline indicator with changes waiting', async ({ demoApp: app, page }) => {
  const db = await freshDatabase()
  const p = await pgProxy(Number(new URL(db.url()).port))
  try {
    await page.goto(app.url)
    await page.getByRole('link', { name: 'Team workspace' }).click()
    await expect(page.getByRole('heading', { name: 'Create a team workspace' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Join a team workspace' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Team workspace' })).toBeVisible() // solo: only the way in
    await shot(page, 'team-solo')

    // A short password is refused next to its field, in words.
    const create = page.locator('form', { has: page.getByRole('heading', { name: 'Create a team workspace' }) })
    await create.getByLabel('Database address').fill(db.url(p.port))
    await create.getByLabel('Your name').fill('Gil Admin')
    await create.getByLabel('Your email').fill('gil@example.test')
    await create.getByLabel('Your team password').fill('short')
    await create.getByRole('button', { name: 'Create workspace' }).click()
    await expect(create.getByText('At least 10 characters', { exact: true })).toBeVisible()
    await create.getByLabel('Your team password').fill('gil-team-pw-1')
    await create.getByRole('button', { name: 'Create workspace' }).click()

    await expect(page.getByRole('heading', { name: 'Team synced' })).toBeVisible({ timeout: 30_000 })
    await expect(page.getByTestId('team-indicator')).toContainText('Synced')
    await expect(page.getByText('gil@example.test · Admin')).toBeVisible()

    const staff = page.getByRole('form', { name: 'Add a staff member' })
    await staff.getByLabel('Name').fill('Ivy Staff')
    await staff.getByLabel('Email').fill('ivy@example.test')
    await staff.getByLabel('First password').fill('ivy-team-pw-1')
    await staff.getByRole('button', { name: 'Add staff member' }).click()
    await expect(page.getByRole('list', { name: 'Staff' })).toContainText('Ivy Staff')
    await shot(page, 'team-synced')

    // PostgreSQL out of reach: edits still save, and the status bar says how many wait.
    await p.close()
    const first = (await app.rpc('contacts.list', { limit: 1 })).items[0]!
    await app.rpc('contacts.update', { id: first.id, company: 'Written offline' })
    await page.getByRole('button', { name: 'Sync now' }).click()
    await expect(page.getByTestId('team-indicator')).toContainText(/Offline · \d+/, { timeout: 30_000 })
    await expect(page.getByRole('status').filter({ hasText: /Team offline · \d+ changes? waiting/ })).toHaveCount(1)
    await expect(page.getByRole('heading', { name: /Team offline/ })).toBeVisible()
    await shot(page, 'team-offline')

    await p.open()
    await page.getByRole('button', { name: 'Sync now' }).click()
    await expect(page.getByTestId('team-indicator')).toContainText('Synced', { timeout: 30_000 })

    // In a workspace, the erase dialog says the other desktops follow (nothing is erased here: it is cancelled).
    await page.goto(`${app.url}#/contacts/${first.id}`)
    await page.getByRole('region', { name: 'Privacy & data' }).getByRole('button', { name: 'Erase…' }).click()
    const dialog = page.getByRole('dialog', { name: /^Erase / })
    await expect(dialog).toContainText('Every desktop of your team workspace does the same when it next syncs')
    await shot(page, 'team-erase-dialog', false)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toHaveCount(0)
  } finally {
    await p.close()
    await db.drop()
  }
})

test('an empty desktop joins from the set-up wizard and opens on the team’s contacts', async ({ app, page }) => {
  const db = await freshDatabase()
  // The admin's desktop, made here without a window.
  const a = otherDesktop('team')
  try {
    const call = a.call
    await call('objects.create', { name: 'Eve Beauty', timezone: 'UTC' })
    await call('contacts.create', { email: 'ava@x.co', firstName: 'Ava', lastName: 'Nguyen' })
    await call('team.create', { databaseUrl: db.url(), admin: { email: 'gil@example.test', displayName: 'Gil Admin', password: 'gil-team-pw-1' } })
    await call('team.users.create', { email: 'ivy@example.test', displayName: 'Ivy Staff', password: 'ivy-team-pw-1', role: 'staff', profileIds: [] })
    await call('team.sync', {})

    await page.goto(app.url)
    await page.getByRole('link', { name: 'Join a team workspace' }).click()
    const join = page.locator('form', { has: page.getByRole('heading', { name: 'Join a team workspace' }) })
    await join.getByLabel('Database address').fill(`postgres://127.0.0.1:${new URL(db.url()).port}/${db.name}`)
    await join.getByLabel('Email').fill('ivy@example.test')
    await join.getByLabel('Password').fill('wrong password')
    await join.getByRole('button', { name: 'Join workspace' }).click()
    await expect(join.getByText('PostgreSQL refused the e-mail address or password')).toBeVisible()
    await shot(page, 'team-join-error')
    await join.getByLabel('Password').fill('ivy-team-pw-1')
    await join.getByRole('button', { name: 'Join workspace' }).click()
    await expect(page.getByRole('link', { name: /Ava Nguyen/ }).first()).toBeVisible({ timeout: 30_000 })
    await expect(page.getByTestId('team-indicator')).toContainText('Synced')
    await page.goto(`${app.url}#/team`)
    await expect(page.getByText('ivy@example.test · Staff')).toBeVisible()
    await shot(page, 'team-staff-desktop')
  } finally {
    await a.close()
    await db.drop()
  }
})
