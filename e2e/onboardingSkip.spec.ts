// The first-run wizard keeps only what the user finished: a Mailgun setup saved in step 2, then backed out
// of (Back from the sender profile) and skipped, is not left on the business. No mail is sent.
import { expect, test } from './fixtures'
import { shot } from './shot'

test('Mailgun set up, backed out of and skipped in the wizard is not kept', async ({ page, app }) => {
  await page.getByLabel('Business name').fill('Moda Beauty')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByText('Mailgun domain').click()
  await page.getByLabel('Sending domain').fill('mg.moda.test')
  await page.getByLabel('API key').fill('key-1234567890abcdef')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('button', { name: 'Save anyway' }).click()
  await expect(page.getByRole('heading', { name: 'Who are emails from?' })).toBeVisible()
  expect((await app.rpc('objects.list', {}))[0]!.mailgun).toMatchObject({ sendingDomain: 'mg.moda.test' })

  // Back to step 2, then "Skip for now": the Mailgun settings made in this wizard go with it.
  await page.getByRole('button', { name: 'Back' }).click()
  await expect(page.getByRole('heading', { name: 'How does this business send email?' })).toBeVisible()
  await page.getByRole('button', { name: 'Skip for now' }).click()
  await expect(page.getByRole('heading', { name: 'You’re all set' })).toBeVisible()
  const summary = page.locator('.summary-list')
  await expect(summary).toContainText('Sends withNot set up yet')
  await expect(summary).not.toContainText('Mailgun')
  await shot(page, 'onboarding-skip-done')
  const [obj] = await app.rpc('objects.list', {})
  expect(obj!.mailgun).toBeNull()
  expect(await app.rpc('profiles.list', {})).toHaveLength(0)

  await page.getByRole('button', { name: 'Go to contacts' }).click()
  await page.getByRole('link', { name: 'Businesses' }).click()
  await expect(page.getByRole('button', { name: 'Connect Mailgun' })).toBeVisible()
})

test('a mailbox saved in the wizard stays when the profile step is backed out of and skipped', async ({ page, app }) => {
  await page.getByLabel('Business name').fill('Bloom Hair')
  await page.getByRole('button', { name: 'Continue' }).click()
  // Mailgun first, saved, then backed out of for a mailbox: switching to SMTP removes Mailgun (as before).
  await page.getByText('Mailgun domain').click()
  await page.getByLabel('Sending domain').fill('mg.bloom.test')
  await page.getByLabel('API key').fill('key-1234567890abcdef')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('button', { name: 'Save anyway' }).click()
  await page.getByRole('button', { name: 'Back' }).click()
  await page.getByText('SMTP mailbox').click()
  await page.getByLabel('Email address').fill('hello@bloom.test')
  await page.getByLabel('SMTP host').fill('127.0.0.1')
  await page.getByLabel('SMTP security').selectOption('none')
  await page.getByLabel('SMTP port').fill('9')
  await page.getByLabel('SMTP password').fill('x')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('button', { name: 'Save anyway' }).click()
  await expect(page.getByRole('heading', { name: 'Who are emails from?' })).toBeVisible()
  await page.getByRole('button', { name: 'Back' }).click()
  await page.getByRole('button', { name: 'Skip for now' }).click()
  await expect(page.locator('.summary-list')).toContainText('Mailbox hello@bloom.test')
  const [obj] = await app.rpc('objects.list', {})
  expect(obj!.mailgun).toBeNull()
  expect((await app.rpc('mailboxes.list', {})).map((m) => m.email)).toEqual(['hello@bloom.test'])
})
