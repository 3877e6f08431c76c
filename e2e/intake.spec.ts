// Web-form intake and Mailgun receiving in a business's settings (issue 18): a rule is written with a live
// preview against mail already in the inbox (nothing is written until it is saved), and Mailgun receiving
// shows whether it is on, its route and its last check.
import { expect, test } from './fixtures'
import { seedInbox } from './inboxSeed'
import { shot } from './shot'
import { startFakeMailgun } from '../test/fakes/mailgunFake'

const FORM = ['You have a new website enquiry.', '', 'Name: Ann Lee', 'Email: ann.lee@client.test', 'Phone: +1 555 555 0100', 'Company: Lee & Co', 'Message: I would like a quote for the holiday facial.'].join('\n')

test('an intake rule is written with a preview against a received message, then saved', async ({ page, app }) => {
  const object = await app.rpc('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'hello@eve.test', password: 'pw' } })
  await app.rpc('tags.create', { name: 'Holiday Form Submission' })
  seedInbox(app.dataDir, mailbox.id, [
    { subject: 'Lunch on Friday?', from: { name: 'Bo Client', email: 'bo@client.test' }, to: [{ name: '', email: 'hello@eve.test' }], text: 'Are you free?', html: null },
    { subject: 'New form submission: Holiday offer', from: { name: 'Website', email: 'forms@site.test' }, to: [{ name: '', email: 'hello@eve.test' }], text: FORM, html: null },
  ])
  // The first load (before the business existed) showed the welcome screen: load again.
  await page.goto(`${app.url}#/businesses/${object.id}`)
  await page.reload()
  const card = page.getByRole('region', { name: 'Web-form intake' })
  await expect(card.getByText('No intake rules.')).toBeVisible()
  await card.getByRole('button', { name: 'New intake rule' }).click()

  const dialog = page.getByRole('dialog', { name: 'New intake rule' })
  await dialog.getByLabel('Rule name').fill('Website enquiry form')
  await expect(dialog.getByText('Fill in a sender, an address or a subject')).toBeVisible()
  await dialog.getByLabel('From').fill('@site.test')
  await dialog.getByLabel('Subject', { exact: true }).fill('form submission')
  await dialog.getByRole('combobox', { name: 'Add a tag' }).fill('Holiday')
  await dialog.getByRole('option', { name: /Holiday Form Submission/ }).click()
  // The newest message (the form) is tried first.
  // Leave the tag picker so its list closes.
  await dialog.getByLabel('Rule name').click()
  const preview = dialog.getByTestId('intake-preview')
  await expect(preview.getByText('This message is a form submission')).toBeVisible()
  await expect(preview.getByRole('table', { name: 'Fields read' })).toContainText('Lee & Co')
  await expect(preview.getByText('Creates Ann Lee')).toBeVisible()
  await expect(preview.getByText('added')).toBeVisible()
  await shot(page, 'intake-rule-preview')
  // Where a field goes can be changed right in the preview (the rule keeps the mapping).
  await preview.getByLabel('Where “Company” goes').selectOption('ignore')
  await expect(preview.getByLabel('Where “Company” goes')).toHaveValue('ignore')

  // Another message: the rule says why it does not take it.
  await dialog.getByLabel('Message', { exact: true }).selectOption({ index: 1 })
  await expect(preview.getByText('This rule does not take this message')).toBeVisible()
  await expect(preview.getByText('✗ Sender bo@client.test is not @site.test')).toBeVisible()
  await shot(page, 'intake-rule-preview-miss')
  // An unsafe pattern is refused at save, on its field.
  await dialog.getByRole('button', { name: 'Pattern' }).click()
  await dialog.getByLabel('Subject', { exact: true }).fill('(a+)+')
  await expect(dialog.getByText(/Fix the rule to preview it/)).toBeVisible()
  await dialog.getByRole('button', { name: 'Add rule' }).click()
  await expect(dialog.getByText(/A group cannot repeat/).first()).toBeVisible()
  await dialog.getByLabel('Subject', { exact: true }).fill('^New form')
  await dialog.getByRole('button', { name: 'Add rule' }).click()
  await expect(dialog).toBeHidden()

  await expect(card.getByText('Website enquiry form')).toBeVisible()
  await expect(card.getByText('From @site.test · subject matches /^New form/')).toBeVisible()
  const [rule] = await app.rpc('intake.rules.list', { objectId: object.id })
  expect(rule).toMatchObject({ name: 'Website enquiry form', fromMatch: '@site.test', subjectMode: 'regex', subjectMatch: '^New form', enabled: true, fieldMap: { Company: 'ignore' } })
  // A preview wrote nothing.
  expect((await app.rpc('contacts.list', {})).items).toHaveLength(0)
  await shot(page, 'intake-rules-list')
})

test.describe('Mailgun receiving', () => {
  test.use({ engineOptions: { intake: { mailgunMinMs: 200, mailgunMaxMs: 1000 } } })

  test('is switched on for a Mailgun business and shows its route and last check', async ({ page, app }) => {
    const fake = await startFakeMailgun({ apiKey: 'key-e2e-receiving-1234', domains: ['mg.eve.test'] })
    try {
      const object = await app.rpc('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
      await app.rpc('mailgun.upsert', { objectId: object.id, sendingDomain: 'mg.eve.test', apiKey: 'key-e2e-receiving-1234', region: 'us', apiBaseUrl: fake.url })
      await app.rpc('profiles.create', { objectId: object.id, email: 'hello@mg.eve.test', displayName: 'Eve Beauty', transport: { kind: 'mailgun' } })
      // The first load (before the business existed) showed the welcome screen: load again.
  await page.goto(`${app.url}#/businesses/${object.id}`)
  await page.reload()
      const card = page.getByRole('region', { name: 'Receiving through Mailgun' })
      await expect(card.getByTestId('mg-receiving')).toHaveText('Off')
      await card.getByRole('button', { name: 'Receive mail through Mailgun' }).click()
      await card.getByLabel('Receiving addresses').fill('hello@elsewhere.test')
      // Typed addresses are not dropped by leaving: the app asks, and Stay keeps them.
      await page.getByRole('link', { name: 'Inbox' }).click()
      await page.getByRole('dialog').getByRole('button', { name: 'Stay' }).click()
      await expect(card.getByLabel('Receiving addresses')).toHaveValue('hello@elsewhere.test')
      await card.getByRole('button', { name: 'Start receiving' }).click()
      await expect(card.getByText(/Mailgun receives only at addresses on mg\.eve\.test/)).toBeVisible()
      await card.getByLabel('Receiving addresses').fill('hello@mg.eve.test')
      await card.getByRole('button', { name: 'Start receiving' }).click()
      await expect(card.getByTestId('mg-receiving')).toHaveText(/^On \(route [0-9a-f]+\)$/)
      expect(fake.inbound.routes).toHaveLength(1)

      fake.inbound.receive('hello@mg.eve.test', ['From: Ann <ann@client.test>', 'To: hello@mg.eve.test', 'Subject: Booking for Friday', 'Message-ID: <e2e-1@client.test>', '', 'Hello!', ''].join('\r\n'))
      await expect(card.getByText('1 received')).toBeVisible({ timeout: 15_000 })
      await shot(page, 'mailgun-receiving-on')
      await page.getByRole('link', { name: 'Inbox' }).click()
      await expect(page.getByText('Booking for Friday').first()).toBeVisible()
    } finally {
      await fake.close()
    }
  })
})
