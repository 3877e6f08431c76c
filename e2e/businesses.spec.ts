// Businesses and their sending setup: the Mailgun path of the wizard, sample data, and the
// Businesses screen's mailbox/profile forms (write-only secrets, field errors from the engine).
import { expect, test } from './fixtures'
import { seedInbox } from './inboxSeed'
import { shot } from './shot'

test('the wizard can set up Mailgun, and the API key is never shown again', async ({ page, app }) => {
  await page.getByLabel('Business name').fill('Moda Beauty')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByText('Mailgun domain').click()
  await page.getByLabel('Sending domain').fill('not a domain')
  await page.getByLabel('API key').fill('key-1234567890abcdef')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByText('Not a valid domain name')).toBeVisible()
  await shot(page, 'onboarding-2-mailgun-error')
  await page.getByLabel('Sending domain').fill('mg.moda.test')
  await page.getByLabel('Region').selectOption('eu')
  await page.getByRole('button', { name: 'Continue' }).click()
  // Mailgun is asked first; with no way to reach it from here, saving takes an explicit choice.
  await expect(page.getByRole('alert', { name: 'Connection test' })).toBeVisible()
  await page.getByRole('button', { name: 'Save anyway' }).click()

  await page.getByLabel('From email').fill('hello@moda.test')
  await expect(page.getByLabel('Send through')).toHaveValue('mailgun')
  await page.getByRole('button', { name: 'Finish setup' }).click()
  await expect(page.getByText('Mailgun (mg.moda.test)')).toBeVisible()
  await page.getByRole('button', { name: 'Go to contacts' }).click()

  await page.getByRole('link', { name: 'Businesses' }).click()
  await expect(page.getByText('API key saved')).toBeVisible()
  await expect(page.getByText('Europe', { exact: true })).toBeVisible()
  await expect(page.locator('body')).not.toContainText('key-1234567890abcdef')
  const [obj] = await app.rpc('objects.list', {})
  expect(obj.mailgun).toMatchObject({ sendingDomain: 'mg.moda.test', region: 'eu', hasApiKey: true })

  // Editing keeps the key unless a new one is typed.
  await page.getByRole('button', { name: 'Edit Mailgun' }).click()
  await expect(page.getByLabel('Replace API key')).toHaveValue('')
  await page.getByLabel('Region').selectOption('us')
  await page.getByRole('button', { name: 'Save Mailgun settings' }).click()
  await page.getByRole('button', { name: 'Save anyway' }).click()
  await expect(page.getByText('United States', { exact: true })).toBeVisible()
  expect((await app.rpc('objects.list', {}))[0].mailgun).toMatchObject({ region: 'us', hasApiKey: true })
})

test('explore with sample data opens the demo workspace', async ({ page, app }) => {
  expect(await app.rpc('app.info', {})).toMatchObject({ firstRun: true })
  await page.getByRole('button', { name: 'Explore with sample data' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  await expect(page.getByText('50 contacts', { exact: true })).toBeVisible()
  expect(await app.rpc('app.info', {})).toMatchObject({ firstRun: false })
})

test('a new business gets a mailbox with IMAP and a profile that sends through it', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Acme Bakery' })
  await page.reload()
  await page.getByRole('link', { name: 'Businesses' }).click()
  await page.getByRole('button', { name: 'New business' }).click()
  const create = page.getByRole('dialog', { name: 'New business' })
  await create.getByLabel('Business name').fill('acme bakery')
  await create.getByRole('button', { name: 'Create business' }).click()
  await expect(create.getByRole('alert')).toContainText('already exists')
  await create.getByLabel('Business name').fill('Harbor Dental')
  await create.getByLabel('Postal address').fill('9 Harbor Way, Portland, ME')
  await shot(page, 'businesses-new', false)
  await create.getByRole('button', { name: 'Create business' }).click()
  await expect(page.getByRole('heading', { name: 'Harbor Dental' })).toBeVisible()
  await expect(page.getByText('No mailboxes yet.')).toBeVisible()

  await page.getByRole('button', { name: 'Add mailbox' }).click()
  const mb = page.getByRole('dialog', { name: 'Add mailbox' })
  await mb.getByLabel('Email address').fill('front@harbor.test')
  await mb.getByLabel('SMTP host').fill('smtp harbor')
  await mb.getByLabel('SMTP password').fill('pw-smtp-1')
  await mb.getByRole('switch', { name: 'Also read replies over IMAP' }).check()
  await mb.getByLabel('IMAP host').fill('imap.harbor.test')
  await mb.getByLabel('IMAP password').fill('pw-imap-1')
  await mb.getByRole('button', { name: 'Add mailbox' }).click()
  await expect(mb.getByText('Not a valid host name')).toBeVisible()
  await shot(page, 'businesses-mailbox-error', false)
  await mb.getByLabel('SMTP host').fill('smtp.harbor.test')
  await mb.getByRole('button', { name: 'Add mailbox' }).click()
  await expect(mb.getByRole('alert', { name: 'Connection test' })).toContainText('Server name not found')
  await mb.getByRole('button', { name: 'Save anyway' }).click()
  await expect(mb).toBeHidden()
  const mailboxes = page.getByRole('list', { name: 'Mailboxes' })
  // The port offered from the address (587, STARTTLS) stays when only the host is corrected.
  await expect(mailboxes).toContainText('SMTP smtp.harbor.test:587')
  await expect(mailboxes).toContainText('IMAP imap.harbor.test:993')

  await page.getByRole('button', { name: 'Add sender profile' }).click()
  const pd = page.getByRole('dialog', { name: 'Add sender profile' })
  await pd.getByLabel('From email').fill('front@harbor.test')
  await expect(pd.getByLabel('Send through')).toHaveValue(/^smtp:/)
  await pd.getByRole('switch', { name: 'Active' }).uncheck()
  await pd.getByRole('button', { name: 'Add profile' }).click()
  await expect(pd).toBeHidden()
  const profiles = page.getByRole('list', { name: 'Sender profiles' })
  await expect(profiles).toContainText('Sends with Mailbox front@harbor.test')
  await expect(profiles).toContainText('Inactive')
  await shot(page, 'businesses-harbor')

  const harbor = (await app.rpc('objects.list', {})).find((o) => o.name === 'Harbor Dental')!
  const [stored] = await app.rpc('mailboxes.list', { objectId: harbor.id })
  expect(stored.imap).toMatchObject({ host: 'imap.harbor.test', port: 993, hasPassword: true })
})

test('a business can set its own unsubscribe page, and only an https address is taken', async ({ page, app }) => {
  const { id } = await app.rpc('objects.create', { name: 'Harbor Dental', postalAddress: '9 Harbor Way, Portland, ME' })
  await page.reload()
  await page.getByRole('link', { name: 'Businesses' }).click()
  await expect(page.getByRole('heading', { name: 'Harbor Dental' })).toBeVisible()
  const field = page.getByLabel('Unsubscribe page')
  await expect(field).toHaveValue('')
  await field.fill('http://harbor.test/unsubscribe')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Must be an https:// address')).toBeVisible()
  expect((await app.rpc('objects.list', {})).find((o) => o.id === id)?.unsubscribeUrl).toBeNull()
  await shot(page, 'businesses-unsubscribe-error', false)

  await field.fill('https://harbor.test/unsubscribe')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Business details saved')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled()
  expect((await app.rpc('objects.list', {})).find((o) => o.id === id)?.unsubscribeUrl).toBe('https://harbor.test/unsubscribe')
  await shot(page, 'businesses-unsubscribe')
})

test('deleting a mailbox says its mail leaves this computer, and it does', async ({ page, app }) => {
  const biz = await app.rpc('objects.create', { name: 'Quay Florist', timezone: 'Europe/London', postalAddress: '4 Quay Street, Bristol' })
  const smtp = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'orders@quay.test', password: 'pw' }
  const mailbox = await app.rpc('mailboxes.create', { objectId: biz.id, email: 'orders@quay.test', displayName: 'Orders', smtp })
  seedInbox(app.dataDir, mailbox.id, [
    { subject: 'Peonies for Saturday', from: { name: 'Ava Nguyen', email: 'ava@client.test' }, to: [{ name: 'Orders', email: 'orders@quay.test' }], text: 'Could you do peonies?', html: null },
  ])
  expect((await app.rpc('inbox.list', { query: 'peonies' })).threads).toHaveLength(1)
  await page.reload()
  await page.goto(`${app.url}#/businesses/${biz.id}`)
  const mailboxes = page.getByRole('list', { name: 'Mailboxes' })
  await mailboxes.getByRole('button', { name: /Delete/ }).click()
  const ask = page.getByRole('dialog', { name: 'Delete orders@quay.test?' })
  await expect(ask).toContainText('the copies of its mail on this computer. The mail on the server is untouched.')
  await shot(page, 'businesses-mailbox-delete', false)
  await ask.getByRole('button', { name: 'Delete mailbox' }).click()
  await expect(ask).toBeHidden()
  await expect(page.getByText('No mailboxes yet.')).toBeVisible()
  expect((await app.rpc('inbox.list', { query: 'peonies' })).threads).toHaveLength(0)
  expect((await app.rpc('inbox.list', {})).threads).toHaveLength(0)

  // The business's own removal says the same of its mailboxes' mail.
  await page.getByRole('button', { name: 'Delete business' }).click()
  const whole = page.getByRole('dialog', { name: 'Delete Quay Florist?' })
  await expect(whole).toContainText('the copies of their mail on this computer (the mail on the servers is untouched)')
  await shot(page, 'businesses-delete-business', false)
  await whole.getByRole('button', { name: 'Cancel' }).click()
  await expect(whole).toBeHidden()
})


test('a sender profile with mail waiting is kept, in words; once that mail is cancelled it can be deleted', async ({ page, app }) => {
  const biz = await app.rpc('objects.create', { name: 'Lark Bakery', timezone: 'Europe/London', postalAddress: '9 Mill Lane, Bath' })
  const smtp = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'hello@lark.test', password: 'pw' }
  const mailbox = await app.rpc('mailboxes.create', { objectId: biz.id, email: 'hello@lark.test', displayName: 'Lark', smtp })
  const profile = await app.rpc('profiles.create', { objectId: biz.id, email: 'hello@lark.test', displayName: 'Lark Bakery', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const later = await app.rpc('mail.send', { profileId: profile.id, to: ['ivy@client.test'], subject: 'Your cake', html: '<p>Ready Friday</p>', sendAt: new Date(Date.now() + 86_400_000).toISOString() })
  await page.reload()
  await page.goto(`${app.url}#/businesses/${biz.id}`)
  const profiles = page.getByRole('list', { name: 'Sender profiles' })
  await profiles.getByRole('button', { name: 'Delete profile hello@lark.test' }).click()
  const ask = page.getByRole('dialog', { name: 'Delete Lark Bakery <hello@lark.test>?' })
  await expect(ask).toContainText('Mail already sent keeps its From address.')
  await ask.getByRole('button', { name: 'Delete sender' }).click()
  await expect(ask).toContainText('A message is still waiting to go from hello@lark.test. Send or cancel it in the outbox first, or turn the profile off.')
  await shot(page, 'businesses-profile-delete-refused', false)
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toBeHidden()

  await app.rpc('outbox.cancel', { id: later.id })
  await profiles.getByRole('button', { name: 'Delete profile hello@lark.test' }).click()
  await ask.getByRole('button', { name: 'Delete sender' }).click()
  await expect(ask).toBeHidden()
  await expect(page.getByText('No sender profiles yet. Add one to start sending from this business.')).toBeVisible()
  expect(await app.rpc('profiles.list', { objectId: biz.id })).toEqual([])
})
