// The product through the UI: first-run wizard, contacts and tags, CSV import, the demo workspace.
// Every screen visited is captured to e2e/screenshots/ for a visual review.
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { shot } from './shot'

/** Body rows of the contacts grid (the header row has column headers, body rows do not). */
const bodyRows = (page: Page): Locator =>
  page.getByRole('grid', { name: 'Contacts' }).getByRole('row').filter({ hasNot: page.getByRole('columnheader') })

test('onboarding creates a business with an SMTP mailbox and a sender profile', async ({ page, app }) => {
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible()
  await shot(page, 'onboarding-1-business')

  await page.getByLabel('Business name').fill('Bloom Hair Studio')
  await page.getByLabel('Postal address').fill('1 Main Street, Springfield, IL 62701')
  await page.getByLabel('Time zone').selectOption('Europe/London')
  await page.getByRole('button', { name: 'Continue' }).click()

  await expect(page.getByRole('heading', { name: 'How does this business send email?' })).toBeVisible()
  await page.getByText('SMTP mailbox').click()
  await page.getByLabel('Email address').fill('hello@bloom.test')
  await page.getByLabel('Display name').fill('Bloom Hair')
  await page.getByLabel('Daily sending limit').fill('150')
  await page.getByLabel('Minimum gap (seconds)').fill('45')
  await page.getByLabel('SMTP host').fill('smtp.bloom.test')
  await page.getByLabel('SMTP security').selectOption('starttls')
  await expect(page.getByLabel('SMTP port')).toHaveValue('587')
  await page.getByLabel('SMTP password').fill('correct horse battery')
  await shot(page, 'onboarding-2-sending')
  await page.getByRole('button', { name: 'Continue' }).click()
  // The settings are tried first: smtp.bloom.test does not exist, so saving them takes an explicit choice.
  await expect(page.getByRole('alert', { name: 'Connection test' })).toContainText('Server name not found')
  await page.getByRole('button', { name: 'Save anyway' }).click()

  await expect(page.getByRole('heading', { name: 'Who are emails from?' })).toBeVisible()
  await expect(page.getByLabel('From email')).toHaveValue('hello@bloom.test')
  await page.getByLabel('From name').fill('Bloom Hair Studio')
  await page.getByLabel('Reply-to address').fill('owner@bloom.test')
  await shot(page, 'onboarding-3-profile')
  await page.getByRole('button', { name: 'Finish setup' }).click()

  await expect(page.getByRole('heading', { name: 'You’re all set' })).toBeVisible()
  await shot(page, 'onboarding-4-done')
  await page.getByRole('button', { name: 'Go to contacts' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  await expect(page.getByText('No contacts yet')).toBeVisible()
  await shot(page, 'contacts-empty')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Businesses' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Businesses' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Bloom Hair Studio' })).toBeVisible()
  const profiles = page.getByRole('list', { name: 'Sender profiles' })
  await expect(profiles).toContainText('Bloom Hair Studio <hello@bloom.test>')
  await expect(profiles).toContainText('Sends with Mailbox hello@bloom.test')
  const mailboxes = page.getByRole('list', { name: 'Mailboxes' })
  await expect(mailboxes).toContainText('SMTP smtp.bloom.test:587')
  await expect(mailboxes).toContainText('No IMAP')
  await expect(mailboxes).toContainText('150/day')
  await shot(page, 'businesses-detail')

  // What the engine stored: the password went in and never comes back out.
  const [mailbox] = await app.rpc('mailboxes.list', {})
  expect(mailbox.smtp).toMatchObject({ host: 'smtp.bloom.test', port: 587, secure: 'starttls', user: 'hello@bloom.test', hasPassword: true })
  expect(JSON.stringify(mailbox)).not.toContain('correct horse')

  // Edit the mailbox: the password field is write-only and a blank one keeps the saved password.
  await page.getByRole('button', { name: 'Edit mailbox hello@bloom.test' }).click()
  await expect(page.getByLabel('SMTP password')).toHaveValue('')
  await expect(page.getByRole('dialog')).toContainText('Saved. Leave blank to keep it.')
  await page.getByLabel('Daily sending limit').fill('300')
  await shot(page, 'businesses-mailbox-edit', false)
  await page.getByRole('button', { name: 'Save mailbox' }).click()
  await expect(mailboxes).toContainText('300/day')
})

test('contacts can be added, bulk-tagged with a new tag and filtered by it', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery', timezone: 'Europe/London' })
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  await expect(page.getByText('No contacts yet')).toBeVisible()

  const people = [
    ['ava@example.com', 'Ava', 'Nguyen', 'Glow Studio'],
    ['ben@example.com', 'Ben', 'Okafor', 'Harbor Dental'],
    ['cara@example.com', 'Cara', 'Silva', ''],
  ]
  for (const [i, [email, first, last, company]] of people.entries()) {
    await page.getByRole('button', { name: 'New contact' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'New contact' })
    await dialog.getByLabel('Email', { exact: true }).fill(email)
    await dialog.getByLabel('First name').fill(first)
    await dialog.getByLabel('Last name').fill(last)
    await dialog.getByLabel('Company').fill(company)
    await expect(dialog.getByLabel('Business')).toHaveValue(/\d+/)
    if (i === 0) await shot(page, 'contacts-new-contact', false)
    await dialog.getByRole('button', { name: 'Add contact' }).click()
    await expect(dialog).toBeHidden()
  }
  await expect(page.getByText('3 contacts', { exact: true })).toBeVisible()
  await expect(bodyRows(page)).toHaveCount(3)

  // A field error from the engine is shown next to the field.
  await page.getByRole('button', { name: 'New contact' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New contact' })
  await dialog.getByLabel('Email', { exact: true }).fill('ava@example.com')
  await dialog.getByRole('button', { name: 'Add contact' }).click()
  await expect(dialog.getByRole('alert')).toContainText('already exists')
  await shot(page, 'contacts-new-contact-error', false)
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  await page.getByRole('checkbox', { name: 'Select Ava Nguyen' }).check()
  await page.getByRole('checkbox', { name: 'Select Ben Okafor' }).check()
  const bulk = page.getByRole('toolbar', { name: 'Bulk actions' })
  await expect(bulk).toContainText('2 selected')
  await bulk.getByRole('button', { name: 'Add tag' }).click()
  await page.getByLabel('Tag name').fill('Spring promo')
  await shot(page, 'contacts-bulk-add-tag', false)
  await page.getByLabel('Tag name').press('Enter')
  await expect(page.getByText('Tagged 2 contacts with “Spring promo”')).toBeVisible()
  await expect(bodyRows(page).filter({ hasText: 'Spring promo' })).toHaveCount(2)

  await page.getByLabel('Filter by tag').selectOption({ label: 'Spring promo' })
  await expect(page.getByText('2 contacts', { exact: true })).toBeVisible()
  await expect(bodyRows(page)).toHaveCount(2)
  await expect(bodyRows(page).filter({ hasText: 'Ava Nguyen' })).toHaveCount(1)
  await expect(bodyRows(page).filter({ hasText: 'Ben Okafor' })).toHaveCount(1)
  await expect(bodyRows(page).filter({ hasText: 'Cara Silva' })).toHaveCount(0)
  await shot(page, 'contacts-filtered-by-tag')
})

test('a CSV import reports good rows and the bad row with its field', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery' })
  await page.reload()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Import contacts' })).toBeVisible()
  await shot(page, 'import-source')

  const csv = [
    'Email,First Name,Last Name,Company,Favourite colour',
    'dana@example.com,Dana,Kim,Glow Studio,Teal',
    'not-an-email,Eli,Rossi,,Red',
    'fay@example.com,Fay,Cohen,Bloom & Co,',
    'gus@example.com,Gus,Patel,,Green',
  ].join('\n')
  await page.getByLabel('Choose CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })

  await expect(page.getByRole('heading', { name: 'Match your columns' })).toBeVisible()
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue('email')
  await expect(page.getByLabel('First Name')).toHaveValue('firstName')
  await expect(page.getByLabel('Favourite colour')).toHaveValue('fields.Favourite colour')
  await expect(page.getByLabel('Import into business')).not.toHaveValue('')
  await shot(page, 'import-preview')

  await page.getByRole('button', { name: 'Import 4 rows' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'imported' })).toHaveText('3 imported, 0 updated, 1 row skipped')
  const errors = page.getByRole('table', { name: 'Import errors' })
  await expect(errors.getByRole('row')).toHaveCount(2)
  const bad = errors.getByRole('row').nth(1)
  await expect(bad.getByRole('cell').nth(0)).toHaveText('3')
  await expect(bad.getByRole('cell').nth(1)).toHaveText('Email')
  await expect(bad.getByRole('cell').nth(1)).toHaveAttribute('title', 'email')
  await expect(bad.getByRole('cell').nth(2)).toContainText('not a valid email')
  await shot(page, 'import-result')

  const page1 = await app.rpc('contacts.list', {})
  expect(page1.total).toBe(3)
  expect(page1.items.find((c) => c.email === 'dana@example.com')?.fields).toEqual({ 'Favourite colour': 'Teal' })
})

test('the demo workspace: count, search, sort, profile and tag removal', async ({ page, demoApp }) => {
  await expect(page.getByText('50 contacts', { exact: true })).toBeVisible()
  await expect(bodyRows(page).first()).toBeVisible()
  await shot(page, 'contacts-grid')

  const byName = await bodyRows(page).first().getByRole('gridcell').nth(2).textContent()

  // Search narrows the grid to what the engine finds.
  const { total } = await demoApp.rpc('contacts.list', { query: 'nguyen' })
  expect(total).toBeGreaterThan(0)
  expect(total).toBeLessThan(50)
  await page.getByLabel('Search contacts').fill('nguyen')
  await expect(page.getByText(total === 1 ? '1 contact' : `${total} contacts`, { exact: true })).toBeVisible()
  await expect(bodyRows(page)).toHaveCount(total)
  await shot(page, 'contacts-search')
  await page.getByLabel('Search contacts').fill('zzzz-nobody')
  await expect(page.getByText('No contacts match')).toBeVisible()
  await shot(page, 'contacts-no-results')
  await page.getByLabel('Search contacts').fill('')
  await expect(page.getByText('50 contacts', { exact: true })).toBeVisible()

  // Sorting by email (ascending, then descending) reorders the rows.
  const asc = await demoApp.rpc('contacts.list', { sort: { field: 'email', dir: 'asc' }, limit: 1 })
  const desc = await demoApp.rpc('contacts.list', { sort: { field: 'email', dir: 'desc' }, limit: 1 })
  await page.getByRole('columnheader', { name: 'Email' }).getByRole('button').click()
  await expect(bodyRows(page).first()).toContainText(asc.items[0].email!)
  await page.getByRole('columnheader', { name: 'Email' }).getByRole('button').click()
  await expect(bodyRows(page).first()).toContainText(desc.items[0].email!)
  await expect(page.getByRole('columnheader', { name: 'Email' })).toHaveAttribute('aria-sort', 'descending')
  expect(desc.items[0].email).not.toBe(byName)
  await shot(page, 'contacts-sorted-by-email')

  // Open a tagged contact and remove one of its tags.
  const tags = await demoApp.rpc('tags.list', {})
  const vip = tags.find((t) => t.name === 'VIP')!
  const tagged = (await demoApp.rpc('contacts.list', { tagId: vip.id, limit: 1 })).items[0]
  await page.getByLabel('Search contacts').fill(tagged.email!)
  await expect(bodyRows(page)).toHaveCount(1)
  await bodyRows(page).first().getByRole('link').click()
  const name = `${tagged.firstName} ${tagged.lastName}`
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(tagged.email!)
  await shot(page, 'contact-profile')

  await page.getByRole('button', { name: 'Remove tag VIP' }).click()
  await expect(page.getByRole('button', { name: 'Remove tag VIP' })).toHaveCount(0)
  await expect.poll(async () => (await demoApp.rpc('contacts.get', { id: tagged.id })).tags.map((t) => t.name)).not.toContain('VIP')

  // A bad phone number comes back from the engine as an error beside the Phone field.
  await page.getByLabel('Phone').fill('call me maybe')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Not a valid phone number')).toBeVisible()
  await shot(page, 'contact-profile-error')
  await page.getByLabel('Phone').fill('+1 555 555 0199')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Contact saved')).toBeVisible()
  expect((await demoApp.rpc('contacts.get', { id: tagged.id })).phone).toBe('+15555550199')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Businesses' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Businesses' })).toBeVisible()
  await expect(page.getByText('API key saved')).toBeVisible()
  await shot(page, 'businesses-demo')

  // The engine refuses to delete a business that still has contacts; the dialog says why.
  await page.getByRole('button', { name: 'Delete business' }).click()
  const confirm = page.getByRole('dialog')
  await confirm.getByRole('button', { name: 'Delete business' }).click()
  await expect(confirm.getByRole('alert')).toContainText('still has 20 contacts')
  await shot(page, 'businesses-delete-refused', false)
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  expect(await demoApp.rpc('objects.list', {})).toHaveLength(3)
})
