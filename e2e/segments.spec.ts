// Segments and companies through the UI (issue 19): a segment built in the contact grid with a live count,
// the grid filtered by it, its count following a change to a contact, a sequence enrolled from it; a
// company made in the UI taking in its domain's people, and its page. Screens captured for review.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { shot } from './shot'

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })
const smtp = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'hello@bloom.test', password: 'pw' }

async function bloom(app: { rpc: import('./fixtures').App['rpc'] }) {
  const object = await app.rpc('objects.create', { name: 'Bloom Hair Studio', timezone: 'Europe/London', postalAddress: '12 Market Street, Bristol' })
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: 'hello@bloom.test', displayName: 'Bloom', dailyCapacity: 100, minGapSeconds: 0, smtp, imap: null })
  await app.rpc('profiles.create', { objectId: object.id, email: 'hello@bloom.test', displayName: 'Bloom Hair', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const vip = await app.rpc('tags.create', { name: 'VIP' })
  const people = [
    ['Ava', 'Nguyen', 'ava@client.test', true],
    ['Ben', 'Smith', 'ben@client.test', true],
    ['Chloe', 'Garcia', 'chloe@client.test', false],
    ['Dan', 'Kim', 'dan@elsewhere.test', true],
    ['Emma', 'Patel', 'emma@elsewhere.test', false],
  ] as const
  const contacts = []
  for (const [firstName, lastName, email, isVip] of people)
    contacts.push(await app.rpc('contacts.create', { firstName, lastName, email, primaryObjectId: object.id, tagIds: isVip ? [vip.id] : [] }))
  return { object, mailbox, vip, contacts }
}

test('a segment built in the grid counts live, filters the grid and enrols a sequence', async ({ page, app }) => {
  const { object, mailbox, contacts } = await bloom(app)
  const seq = await app.rpc('sequences.create', {
    name: 'Client check-in',
    objectId: object.id,
    mailboxIds: [mailbox.id],
    steps: [{ subject: 'How are things, {{contact.first_name}}?', bodyHtml: '<p>Just checking in.</p>', wait: { value: 2, unit: 'days' } }],
  })
  await page.reload()
  await nav(page).getByRole('link', { name: 'Contacts' }).click()
  await expect(page.getByText('5 contacts')).toBeVisible()

  await page.getByRole('button', { name: 'New segment' }).click()
  const dialog = page.getByRole('dialog', { name: 'New segment' })
  await dialog.getByLabel('Name').fill('VIP clients')
  // Condition 1 starts as "Tag has VIP": 3 people.
  await expect(dialog.getByLabel('Condition 1: field')).toHaveValue('tag')
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('3 contacts match')
  await dialog.getByRole('button', { name: 'Add condition' }).click()
  await dialog.getByLabel('Condition 2: field').selectOption('email')
  await dialog.getByLabel('Condition 2: operator').selectOption('endsWith')
  await dialog.getByLabel('Condition 2: value').fill('@client.test')
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('2 contacts match')
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('Ava Nguyen')
  // A third: added in the last 30 days (everyone here).
  await dialog.getByRole('button', { name: 'Add condition' }).click()
  await dialog.getByLabel('Condition 3: field').selectOption('createdAt')
  await dialog.getByLabel('Condition 3: operator').selectOption('after')
  await expect(dialog.getByLabel('Condition 3: days')).toHaveValue('30')
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('2 contacts match')
  await shot(page, 'segment-builder', false)
  // A mistake is said under its condition, and the count waits for it.
  await dialog.getByLabel('Condition 2: value').fill('')
  await expect(dialog.getByRole('alert').filter({ hasText: 'Condition 2: Email ends with: type some text' })).toBeVisible()
  await shot(page, 'segment-builder-error', false)
  await dialog.getByLabel('Condition 2: value').fill('@client.test')
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('2 contacts match')
  await dialog.getByRole('button', { name: 'Save segment' }).click()
  await expect(dialog).toBeHidden()

  // The grid now shows the segment, with its live count in the picker.
  const picker = page.getByLabel('Filter by segment')
  await expect(picker.locator('option:checked')).toHaveText('VIP clients (2)')
  await expect(page.getByText('2 contacts', { exact: true })).toBeVisible()
  const grid = page.getByRole('grid', { name: 'Contacts' })
  await expect(grid).toContainText('Ava Nguyen')
  await expect(grid).toContainText('Ben Smith')
  await expect(grid).not.toContainText('Dan Kim')
  await shot(page, 'segment-grid')

  // Chloe becomes a VIP elsewhere: the count and the grid follow.
  const vip = (await app.rpc('tags.list', {})).find((t) => t.name === 'VIP')!
  await app.rpc('contacts.addTag', { contactIds: [contacts[2]!.id], tagId: vip.id })
  await expect(picker.locator('option:checked')).toHaveText('VIP clients (3)')
  await expect(grid).toContainText('Chloe Garcia')

  // Enrol the segment in the sequence.
  await page.goto(`${app.url}#/sequences/${seq.id}`)
  await page.getByRole('button', { name: 'Enrol contacts' }).first().click()
  const enrol = page.getByRole('dialog', { name: 'Enrol contacts' })
  await enrol.getByRole('tab', { name: 'By segment' }).click()
  await enrol.getByRole('radio', { name: /VIP clients/ }).check()
  await expect(enrol.getByRole('list', { name: 'Segments' })).toContainText('3 contacts match now')
  await shot(page, 'segment-enrol', false)
  await enrol.getByRole('button', { name: 'Enrol the segment' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Enrolled 3 contacts' })).toBeVisible()
  const enrolled = (await app.rpc('sequences.contacts', { sequenceId: seq.id })).items.map((c) => c.contactId).sort((a, b) => a - b)
  expect(enrolled).toEqual([contacts[0]!.id, contacts[1]!.id, contacts[2]!.id])

  // Editing the segment from the grid keeps what was typed until saved; deleting it clears the filter.
  await nav(page).getByRole('link', { name: 'Contacts' }).click()
  await page.getByRole('button', { name: 'Edit segment' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit “VIP clients”' })
  await expect(edit.getByLabel('Condition 2: value')).toHaveValue('@client.test')
  await edit.getByRole('button', { name: 'Delete segment' }).click()
  await page.getByRole('dialog', { name: 'Delete “VIP clients”?' }).getByRole('button', { name: 'Delete segment' }).click()
  await expect(picker.locator('option:checked')).toHaveText('All contacts')
  expect(await app.rpc('segments.list', {})).toEqual([])
})

test('a company made in the UI takes in its domain’s people and lists them on its page', async ({ page, app }) => {
  const { object } = await bloom(app)
  await page.reload()
  await nav(page).getByRole('link', { name: 'Companies' }).click()
  await expect(page.getByRole('heading', { name: 'No companies yet' })).toBeVisible()
  await shot(page, 'companies-empty')
  await page.getByRole('button', { name: 'New company' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New company' })
  await dialog.getByLabel('Name').fill('Client Co')
  await dialog.getByLabel('Domain').fill('www.client.test')
  await dialog.getByLabel('Business').selectOption({ label: 'Bloom Hair Studio' })
  await dialog.getByRole('button', { name: 'Add company' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Client Co' })).toBeVisible()
  const people = page.getByRole('region', { name: 'People' })
  for (const name of ['Ava Nguyen', 'Ben Smith', 'Chloe Garcia']) await expect(people).toContainText(name)
  await expect(people).not.toContainText('Dan Kim')
  // Someone added later at the domain joins by themselves.
  await app.rpc('contacts.create', { firstName: 'Finn', lastName: 'Rossi', email: 'finn@client.test', primaryObjectId: object.id })
  await expect(people).toContainText('Finn Rossi')
  await expect(page.getByText(/client\.test · Bloom Hair Studio · 4 people/)).toBeVisible()
  await shot(page, 'company-page')
  await page.getByRole('main').getByRole('link', { name: 'Companies' }).click()
  await expect(page.getByRole('table', { name: 'Companies' })).toContainText('Client Co')
  await shot(page, 'companies-list')
})
