// Issue 17 on screen: connect Twilio (against the project's fake Twilio), text a contact from their profile
// with the live segment counter, the fake delivers their reply, and it shows in the inbox's Texts with its
// channel, where the reply goes back on the same channel; WhatsApp outside 24 hours offers a template, and a
// STOP reply disables sending and says why.
import { startFakeTwilio, type FakeTwilio } from '../test/fakes/twilioFake'
import { expect, test } from './fixtures'
import { shot } from './shot'

test.use({ engineOptions: { outbound: { undoMs: 0, eventsPollMs: 0 } } })

const TOKEN = 'fake-auth-token-0123456789'
let fake: FakeTwilio | undefined
test.afterEach(async () => {
  await fake?.close()
  fake = undefined
})

test('configure Twilio, text a contact, see the reply in the inbox and answer it', async ({ page, app }) => {
  fake = await startFakeTwilio({ authToken: TOKEN })
  const biz = await app.rpc('objects.create', { name: 'Harbor Dental', timezone: 'America/New_York' })
  const ann = await app.rpc('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', phone: '(555) 555-0101', primaryObjectId: biz.id })
  await page.reload()

  // Settings: connect, test (in words), save.
  await page.getByRole('link', { name: 'Businesses' }).click()
  await expect(page.getByRole('heading', { name: 'Harbor Dental' })).toBeVisible()
  await page.getByRole('button', { name: 'Connect Twilio' }).click()
  await page.getByLabel('Account SID').fill(fake.accountSid)
  await page.getByLabel('Auth token').fill('wrong-token-0123456789')
  await page.getByText('Advanced').click()
  await page.getByLabel('API address').fill(fake.url)
  await page.getByRole('button', { name: 'Test', exact: true }).click()
  await expect(page.locator('.twilio-test.is-bad')).toBeVisible()
  await expect(page.locator('.twilio-test')).not.toContainText('{')
  await page.getByLabel('Auth token').fill(TOKEN)
  await page.getByRole('button', { name: 'Test', exact: true }).click()
  await expect(page.locator('.twilio-test.is-ok')).toContainText('Connected')
  await page.getByLabel('SMS number').fill('555-555-0199')
  await page.getByLabel('WhatsApp number').fill('+1 555 555 0198')
  await shot(page, 'channels-twilio-form')
  await page.getByRole('button', { name: 'Save Twilio settings' }).click()
  await expect(page.getByText('Twilio settings saved')).toBeVisible()
  expect(await app.rpc('twilio.get', { objectId: biz.id })).toMatchObject({ smsFrom: '+15555550199', whatsappFrom: '+15555550198', hasAuthToken: true })
  await expect(page.locator('#twilio-title').locator('xpath=ancestor::section')).toContainText('+1 555 555 0199')
  await shot(page, 'channels-twilio-saved')

  // The contact's Text: counter while typing, then send by SMS.
  await page.goto(page.url().replace(/#.*$/, '') + `#/contacts/${ann.id}`)
  await page.getByRole('button', { name: 'Text', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Text Ann Lee' })
  await expect(dialog).toBeVisible()
  const body = dialog.getByLabel('Message', { exact: true })
  await body.fill('Hi Ann, your cleaning is Tuesday at 3pm. Reply YES to confirm.')
  await expect(dialog.getByTestId('segment-counter')).toHaveText('62 of 160 · GSM-7')
  await body.fill('Hi Ann, your cleaning is Tuesday at 3pm 🦷 Reply YES to confirm.')
  await expect(dialog.getByTestId('segment-counter')).toContainText('64 of 70 · Unicode')
  await expect(dialog.getByTestId('segment-counter')).toContainText('“🦷” makes it Unicode')
  await body.fill('x'.repeat(170))
  await expect(dialog.getByTestId('segment-counter')).toHaveText('2 segments · GSM-7')
  await body.fill('Hi Ann, your cleaning is Tuesday at 3pm. Reply YES to confirm.')
  await shot(page, 'channels-composer')
  await dialog.getByRole('button', { name: 'Send SMS' }).click()
  await expect(dialog.locator('.text-bubble.is-out')).toContainText('Reply YES to confirm.')
  await expect.poll(() => fake!.sent.length, { timeout: 15_000 }).toBe(1)
  expect(fake.sent[0]!.fields).toEqual({ To: '+15555550101', From: '+15555550199', Body: 'Hi Ann, your cleaning is Tuesday at 3pm. Reply YES to confirm.' })

  // WhatsApp: she has never written there, so only a template can go.
  await dialog.getByRole('button', { name: 'WhatsApp' }).click()
  await expect(dialog.getByText('Outside WhatsApp’s 24-hour window')).toBeVisible()
  await expect(dialog.getByLabel('Approved template (ContentSid)')).toBeVisible()
  await expect(dialog.getByLabel('Message', { exact: true })).toHaveCount(0)
  await shot(page, 'channels-whatsapp-window')
  await dialog.getByRole('button', { name: 'Close' }).click()

  // The fake delivers her reply; the inbox's Texts show it with its channel.
  fake.inbound({ from: '+15555550101', to: '+15555550199', body: 'YES, see you Tuesday!' })
  await app.rpc('texts.poll', {})
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click()
  await page.getByRole('button', { name: /^Texts/ }).click()
  const conv = page.getByRole('list', { name: 'Text conversations' }).getByRole('button', { name: /Ann Lee/ })
  await expect(conv).toContainText('YES, see you Tuesday!')
  await expect(conv.locator('.channel-badge')).toHaveText('SMS')
  await conv.click()
  const thread = page.getByRole('list', { name: 'SMS with Ann Lee' })
  await expect(thread.locator('.text-bubble.is-in')).toContainText('YES, see you Tuesday!')
  await expect(thread.locator('.text-bubble.is-out')).toContainText('Reply YES to confirm.')
  await page.getByLabel('Message', { exact: true }).fill('Great, see you then!')
  await shot(page, 'channels-inbox-texts')
  await page.getByRole('button', { name: 'Send SMS' }).click()
  await expect.poll(() => fake!.sent.length, { timeout: 15_000 }).toBe(2)
  expect(fake.sent[1]!.fields).toMatchObject({ To: '+15555550101', From: '+15555550199', Body: 'Great, see you then!' })
  await expect(thread.locator('.text-bubble.is-out')).toHaveCount(2)

  // The contact's timeline shows the received text with its channel.
  await page.getByRole('link', { name: 'Ann Lee' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Ann Lee' })).toBeVisible()
  await expect(page.getByRole('listitem', { name: /SMS received: YES, see you Tuesday!/ })).toBeVisible()

  // STOP: opted out of SMS, the composer says so and since when, and will not send.
  fake.inbound({ from: '+15555550101', to: '+15555550199', body: 'STOP' })
  await app.rpc('texts.poll', {})
  await page.getByRole('button', { name: 'Text', exact: true }).click()
  await expect(dialog.getByText(/Ann Lee opted out of SMS on .* \(they replied STOP\)/)).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Send SMS' })).toBeDisabled()
  await shot(page, 'channels-opted-out')
})
