// The template library and a bulk send through the UI against the real engine (issue 18): a template made in
// the editor, a second version, then a bulk send to a tag whose preview says who is skipped and why, and the
// job with its progress in the outbox. The mailbox points at a closed port, so nothing leaves this machine.
import type { Page } from '@playwright/test'
import { expect, test, type App } from './fixtures'
import { shot } from './shot'

test.use({ engineOptions: { outbound: { undoMs: 0, eventsPollMs: 0 } } })

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

async function studio(app: App) {
  const object = await app.rpc('objects.create', { name: 'Bloom Hair Studio', timezone: 'Europe/London', postalAddress: '12 Market Street, Bristol BS1 4DJ' })
  const mailbox = await app.rpc('mailboxes.create', {
    objectId: object.id,
    email: 'hello@bloom.test',
    displayName: 'Bloom',
    dailyCapacity: 100,
    minGapSeconds: 0,
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'hello@bloom.test', password: 'pw' },
  })
  await app.rpc('profiles.create', { objectId: object.id, email: 'hello@bloom.test', displayName: 'Bloom Hair Studio', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const tag = await app.rpc('tags.create', { name: 'Spring list' })
  const names = ['Ava', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ian', 'Jo', 'Kai', 'Lou']
  const ids: number[] = []
  for (const n of names) ids.push((await app.rpc('contacts.create', { email: `${n.toLowerCase()}@client.test`, firstName: n, lastName: 'Stone', primaryObjectId: object.id })).id)
  await app.rpc('contacts.addTag', { contactIds: ids, tagId: tag.id })
  // Two of them said no: a bulk send must skip them and say so.
  await app.rpc('contacts.update', { id: ids[3]!, status: 'unsubscribed' })
  await app.rpc('contacts.update', { id: ids[7]!, status: 'unsubscribed' })
  return { object, tag, ids }
}

test('a template made in the library, edited into version 2, then sent to a tag: preview counts the skipped, the outbox shows the job', async ({ page, app }) => {
  test.setTimeout(180_000)
  const { object } = await studio(app)
  await page.reload()
  await nav(page).getByRole('link', { name: 'Templates' }).click()
  await expect(page.getByRole('heading', { name: 'No templates yet' })).toBeVisible()
  await shot(page, 'templates-empty')

  await page.getByRole('button', { name: 'New template' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'New template' })).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill('Spring offer')
  await page.getByLabel('Business').selectOption(String(object.id))
  await page.getByLabel('Subject').fill('Spring at Bloom, {{contact.first_name}}')
  await page.getByLabel('Your variables').fill('code')
  await page.getByRole('textbox', { name: 'Message' }).fill('Hi {{contact.first_name}},\n\nBook before May with code {{code}} and get 20% off a cut and colour.\n\nSee you soon!')
  // An unknown variable is refused in words before anything is saved.
  await page.getByLabel('Subject').fill('Spring at Bloom, {{contact.frist_name}}')
  await page.getByRole('button', { name: 'Create template' }).click()
  await expect(page.getByText(/Unknown variable \{\{contact\.frist_name\}\}/).first()).toBeVisible()
  await page.getByLabel('Subject').fill('Spring at Bloom, {{contact.first_name}}')
  await page.getByRole('button', { name: 'Create template' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Spring offer' })).toBeVisible()
  // The preview renders it for a real contact with a sample value.
  await page.getByLabel('Sample code').fill('BLOOM20')
  const frame = page.frameLocator('iframe[title="Message preview"]')
  await expect(frame.getByText('Book before May with code BLOOM20')).toBeVisible()
  await expect(page.locator('.preview-subject')).toHaveText('Spring at Bloom, Ava')
  await shot(page, 'template-editor')

  // Editing makes version 2; version 1 stays in the list.
  await page.getByLabel('Subject').fill('Spring offer for you, {{contact.first_name}}')
  await page.getByRole('button', { name: 'Save new version' }).click()
  await expect(page.getByRole('button', { name: 'Preview version 2' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Preview version 1' })).toBeVisible()
  await page.getByRole('button', { name: 'Preview version 1' }).click()
  await expect(page.locator('.preview-subject')).toHaveText('Spring at Bloom, Ava')
  await shot(page, 'template-versions')

  await nav(page).getByRole('link', { name: 'Templates' }).click()
  await expect(page.getByRole('link', { name: 'Spring offer' })).toBeVisible()
  await shot(page, 'templates-list')

  await page.getByRole('button', { name: 'Bulk send Spring offer' }).click()
  const dialog = page.getByRole('dialog', { name: 'Bulk send' })
  await dialog.getByLabel('Which tag').selectOption({ label: 'Spring list (12)' })
  await dialog.getByLabel('Value of code').fill('BLOOM20')
  const summary = dialog.getByRole('region', { name: 'Who gets it' })
  await expect(summary.getByText('will get it')).toBeVisible()
  await expect(summary.locator('.bsend-count.is-go strong')).toHaveText('10')
  await expect(summary.getByRole('list', { name: 'Skipped, by reason' })).toContainText('Unsubscribed2')
  await summary.getByText('Who is skipped').click()
  await expect(summary.getByRole('listitem').filter({ hasText: 'dev@client.test' })).toHaveText('dev@client.test — Unsubscribed')
  await shot(page, 'bulk-send-dialog', false)

  await dialog.getByRole('button', { name: 'Send to 10 contacts' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible()
  const job = page.getByRole('listitem', { name: 'Bulk send of Spring offer' })
  await expect(job).toContainText('of 12 sent')
  await expect(job).toContainText('2 skipped (2 unsubscribed)')
  await shot(page, 'outbox-bulk-job')

  // Compose: Insert template renders it for the person in To, without the list footer, below what was typed.
  const thankYou = await app.rpc('templates.create', { objectId: object.id, name: 'Thank you note', subject: 'Thank you, {{contact.first_name}}', html: '<p>Thanks for visiting {{object.name}}, {{contact.first_name}}!</p>' })
  await page.getByRole('button', { name: 'Compose' }).click()
  const compose = page.getByRole('dialog', { name: 'New message' })
  await compose.getByRole('combobox', { name: 'To', exact: true }).fill('ava@client.test,')
  await compose.getByRole('textbox', { name: 'Message' }).fill('Hello again,')
  await compose.getByRole('button', { name: 'Insert template' }).click()
  await compose.getByRole('group', { name: 'Insert template' }).getByRole('button', { name: /Thank you note/ }).click()
  await expect(compose.getByRole('textbox', { name: 'Message' })).toContainText('Hello again,Thanks for visiting Bloom Hair Studio, Ava!')
  await expect(compose.getByRole('textbox', { name: 'Message' })).not.toContainText('Unsubscribe')
  await expect(compose.getByLabel('Subject')).toHaveValue('Thank you, Ava')
  await shot(page, 'compose-insert-template', false)
  // The draft remembers the template, so the message counts under it in analytics once sent.
  await expect.poll(async () => (await app.rpc('drafts.list', {})).map((d) => d.templateId)).toEqual([thankYou.id])
  await compose.getByRole('button', { name: 'Discard draft' }).click()

  const jobs = await app.rpc('bulk.list', {})
  expect(jobs).toHaveLength(1)
  expect(jobs[0]).toMatchObject({ requested: 12, queued: 10, skipped: { unsubscribed: 2 }, version: 2, templateName: 'Spring offer' })
  const rows = await app.rpc('outbox.list', { limit: 100 })
  expect(rows.items.filter((r) => r.source === 'bulk')).toHaveLength(12)
  const one = await app.rpc('outbox.get', { id: rows.items.find((r) => r.to[0] === 'ava@client.test')!.id })
  expect(one.subject).toBe('Spring offer for you, Ava')
  expect(one.html).toContain('BLOOM20')
})
