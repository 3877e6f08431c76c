// Issue 20: forms name every invalid field at once, in words, and focus the first (capability 5); a
// contact's unsaved edits are never dropped without asking; the import refuses two columns on one field
// and reports repeated emails (defect 4).
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { shot } from './shot'

const RAW = /Too big|Too small|Invalid input|expected number|<=|>=/

async function sizes(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await shot(page, `${name}-${w}`, false)
  }
  await page.setViewportSize({ width: 1360, height: 860 })
}

test('a new contact with several invalid fields shows each in words and focuses the first', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery' })
  await page.reload()
  await page.getByRole('button', { name: 'New contact' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New contact' })
  await dialog.getByLabel('Email').fill('dana@')
  await dialog.getByLabel('First name').fill('Dana')
  await dialog.getByLabel('Phone').fill('call me maybe')
  await dialog.getByRole('button', { name: 'Add contact' }).click()
  await expect(dialog.getByText('Not a valid email address')).toBeVisible()
  await expect(dialog.getByText('Not a valid phone number')).toBeVisible()
  await expect(dialog.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByLabel('Phone')).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByLabel('Email')).toBeFocused()
  await expect(dialog).not.toContainText(RAW)
  await sizes(page, 'form-errors-new-contact')

  // Fixing one leaves the other's complaint until the next try; fixing both saves.
  await dialog.getByLabel('Email').fill('dana@example.com')
  await dialog.getByRole('button', { name: 'Add contact' }).click()
  await expect(dialog.getByText('Not a valid email address')).toHaveCount(0)
  await expect(dialog.getByLabel('Phone')).toBeFocused()
  await dialog.getByLabel('Phone').fill('+1 555 555 0100')
  await dialog.getByRole('button', { name: 'Add contact' }).click()
  await expect(dialog).toHaveCount(0)
  expect((await app.rpc('contacts.list', {})).total).toBe(1)
})

test('a mailbox with a bad address, a port out of range and a zero daily limit: all three in words', async ({ page, app }) => {
  const obj = await app.rpc('objects.create', { name: 'Acme Bakery' })
  await page.reload()
  await page.goto(page.url().replace(/#.*$/, '') + `#/businesses/${obj.id}`)
  await page.getByRole('button', { name: 'Add mailbox' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Add mailbox' })
  await dialog.getByLabel('Email address').fill('front desk')
  await dialog.getByLabel('Daily sending limit').fill('0')
  await dialog.getByLabel('SMTP host').fill('smtp.acme.test')
  await dialog.getByLabel('SMTP port').fill('70000')
  await dialog.getByLabel('SMTP password').fill('secret')
  await dialog.getByRole('button', { name: 'Add mailbox' }).click()
  await expect(dialog.getByText('Not a valid email address')).toBeVisible()
  await expect(dialog.getByText('SMTP port must be 65535 or less')).toBeVisible()
  await expect(dialog.getByText('At least 1 per day')).toBeVisible()
  await expect(dialog.getByLabel('Email address')).toBeFocused()
  await expect(dialog).not.toContainText(RAW)
  await sizes(page, 'form-errors-mailbox')
})

test('a new sequence with several problems marks them all and focuses the first', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery' })
  await page.reload()
  await page.goto(page.url().replace(/#.*$/, '') + '#/sequences/new')
  await expect(page.getByRole('heading', { level: 1, name: 'New sequence' })).toBeVisible()
  await page.getByRole('button', { name: 'Create sequence' }).click()
  const invalid = page.locator('[aria-invalid="true"]')
  expect(await invalid.count()).toBeGreaterThanOrEqual(2)
  await expect(invalid.first()).toBeFocused()
  await expect(page.locator('main')).not.toContainText(RAW)
  await sizes(page, 'form-errors-new-sequence')
})

test('a contact profile with two invalid fields lists both above the form; each entry focuses its field', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery' })
  const c = await app.rpc('contacts.create', { email: 'ann@client.test', firstName: 'Ann' })
  await page.reload()
  await page.goto(page.url().replace(/#.*$/, '') + `#/contacts/${c.id}`)
  await page.getByLabel('Email', { exact: true }).fill('ann@')
  await page.getByLabel('Phone').fill('call me')
  await page.getByRole('button', { name: 'Save changes' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toContainText('2 fields need a change')
  await expect(page.getByLabel('Email', { exact: true })).toBeFocused()
  await summary.getByRole('button', { name: 'Not a valid phone number' }).click()
  await expect(page.getByLabel('Phone')).toBeFocused()
  await expect(page.locator('main')).not.toContainText(RAW)
  await sizes(page, 'form-errors-contact-profile')
  await page.getByLabel('Email', { exact: true }).fill('ann@client.test')
  await page.getByLabel('Phone').fill('+1 555 555 0100')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(summary).toHaveCount(0)
})

test('leaving a contact with unsaved edits asks: Stay, Discard or Save', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery' })
  const c = await app.rpc('contacts.create', { email: 'ann@client.test', firstName: 'Ann', phone: '+1 555 555 0100' })
  await page.reload()
  await page.goto(page.url().replace(/#.*$/, '') + `#/contacts/${c.id}`)
  await expect(page.getByRole('heading', { level: 1, name: 'Ann' })).toBeVisible()
  const nav = page.getByRole('navigation', { name: 'Main' })

  await page.getByLabel('Phone').fill('+1 555 555 0199')
  await nav.getByRole('link', { name: 'Contacts' }).click()
  const ask = page.getByRole('dialog', { name: 'Save your changes?' })
  await expect(ask).toBeVisible()
  await sizes(page, 'contact-unsaved-ask')
  await ask.getByRole('button', { name: 'Stay' }).click()
  await expect(ask).toHaveCount(0)
  expect(new URL(page.url()).hash).toBe(`#/contacts/${c.id}`)
  await expect(page.getByLabel('Phone')).toHaveValue('+1 555 555 0199')

  // Discard: the edit is dropped on purpose and the app goes where it was asked to.
  await nav.getByRole('link', { name: 'Contacts' }).click()
  await ask.getByRole('button', { name: 'Discard' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  expect((await app.rpc('contacts.get', { id: c.id })).phone).toBe('+15555550100')

  // Save: stored, then navigated.
  await page.goBack()
  await expect(page.getByRole('heading', { level: 1, name: 'Ann' })).toBeVisible()
  await page.getByLabel('Company').fill('Lee & Co')
  await nav.getByRole('link', { name: 'Import' }).click()
  await ask.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Import contacts' })).toBeVisible()
  expect((await app.rpc('contacts.get', { id: c.id })).company).toBe('Lee & Co')

  // A save that fails keeps the user on the form with the reason.
  await page.goBack()
  await page.getByLabel('Phone').fill('call me')
  await nav.getByRole('link', { name: 'Contacts' }).click()
  await ask.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Not a valid phone number')).toBeVisible()
  expect(new URL(page.url()).hash).toBe(`#/contacts/${c.id}`)

  // Closing or reloading the window with edits asks the browser's own question.
  let asked = false
  page.on('dialog', (d) => {
    if (d.type() === 'beforeunload') asked = true
    void d.accept()
  })
  await page.close({ runBeforeUnload: true })
  await expect.poll(() => asked).toBe(true)
})

test('the import refuses two columns on one field and reports repeated emails', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery' })
  await page.reload()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click()
  const csv = ['Email,Backup address,First Name', 'dana@example.com,d@home.test,Dana', 'eli@example.com,,Eli', 'DANA@example.com,,Danielle', 'fay@example.com,,Fay'].join('\n')
  await page.getByLabel('Choose CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await expect(page.getByRole('heading', { name: 'Match your columns' })).toBeVisible()

  await page.getByLabel('Backup address').selectOption('email')
  await expect(page.getByText('“Email” is already imported as Email')).toBeVisible()
  await expect(page.getByLabel('Backup address')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByRole('button', { name: /^Import/ })).toBeDisabled()
  await expect(page.getByText('row 4 (same as row 2)')).toBeVisible()
  await sizes(page, 'import-duplicates')

  await page.getByLabel('Backup address').selectOption('ignore')
  await expect(page.getByLabel('Backup address')).not.toHaveAttribute('aria-invalid', 'true')
  await page.getByRole('button', { name: /^Import/ }).click()
  await expect(page.getByRole('status').filter({ hasText: 'imported' })).toHaveText('3 imported, 0 updated, 1 row skipped')
  const bad = page.getByRole('table', { name: 'Import errors' }).getByRole('row').nth(1)
  await expect(bad.getByRole('cell').nth(0)).toHaveText('4')
  await expect(bad.getByRole('cell').nth(2)).toContainText('same email as row 2')
  expect((await app.rpc('contacts.list', { query: 'dana' })).items.map((x) => x.firstName)).toEqual(['Dana'])
})
