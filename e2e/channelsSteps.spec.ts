// Issue 17 on screen: a sequence whose first step is an SMS (channel choice, words with a variable, the segment
// counter, the text preview), refused naming the step until the business has an SMS number, then saved and
// sent against the project's fake Twilio; the sent text shows in the contact's story with its channel badge,
// and her preferred channel is set on her page.
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

test('a sequence with an SMS step: choose the channel, type with a variable, see the counter, save, and the text in the contact’s story', async ({ page, app }) => {
  fake = await startFakeTwilio({ authToken: TOKEN })
  const biz = await app.rpc('objects.create', { name: 'Harbor Dental', postalAddress: '1 Quay St', timezone: 'America/New_York' })
  // A mailbox no mail goes through here (the SMS is the step sent); its profile makes it a sender.
  const box = await app.rpc('mailboxes.create', { objectId: biz.id, email: 'desk@harbor.test', displayName: 'Harbor desk', dailyCapacity: 50, minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk', password: 'pw' } })
  await app.rpc('profiles.create', { objectId: biz.id, email: 'desk@harbor.test', displayName: 'Harbor Dental', transport: { kind: 'smtp', mailboxId: box.id } })
  const ann = await app.rpc('contacts.create', { firstName: 'Ann', lastName: 'Lee', phone: '(555) 555-0101', primaryObjectId: biz.id })
  await page.reload()

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sequences' }).click()
  await page.getByRole('button', { name: 'New sequence' }).first().click()
  await page.getByLabel('Name', { exact: true }).fill('Check-up reminders')
  await page.getByLabel('Business', { exact: true }).selectOption({ label: 'Harbor Dental' })
  const step1 = page.getByRole('group', { name: 'Step 1' })
  await step1.getByRole('button', { name: 'SMS' }).click()
  // No Twilio yet: the step says so before saving, and the engine refuses it naming the step.
  await expect(step1.getByText('This business has no SMS number yet')).toBeVisible()
  await step1.getByLabel('SMS message').fill('Hi {{contact.first_name}}, time for your check-up. Reply to book.')
  await page.getByRole('checkbox', { name: /desk@harbor\.test|Harbor desk/ }).check()
  for (const day of ['Sat', 'Sun']) await page.getByRole('button', { name: day, exact: true }).click()
  await page.getByLabel('From', { exact: true }).selectOption({ label: '12 AM' })
  await page.getByLabel('Until', { exact: true }).selectOption({ label: 'Midnight' })
  const step2 = page.getByRole('group', { name: 'Step 2' })
  await step2.getByLabel('Subject').fill('Your check-up')
  await step2.getByLabel('Message', { exact: true }).fill('Hi {{contact.first_name}}, book online any time.')
  await page.getByRole('button', { name: 'Create sequence' }).click()
  await expect(step1.getByRole('alert').filter({ hasText: 'Step 1 is an SMS, but the business has no SMS number' })).toBeVisible()

  // Connect Twilio behind the form's back; the step now says where it is sent from.
  await app.rpc('twilio.upsert', { objectId: biz.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: '+15555550199', apiBaseUrl: fake.url })
  await step1.getByRole('button', { name: 'Email' }).click()
  await step1.getByRole('button', { name: 'SMS' }).click()
  await expect(step1.getByText('Sent from +15555550199')).toBeVisible()
  await expect(step1.getByLabel('SMS message')).toHaveValue('Hi {{contact.first_name}}, time for your check-up. Reply to book.')
  await expect(step1.getByTestId('segment-counter-0')).toHaveText('43 of 160 · GSM-7 + variables')
  await step1.getByLabel('SMS message').click()
  await expect(page.getByRole('region', { name: 'Preview' }).locator('.text-bubble-body')).toContainText('time for your check-up')
  await expect(step1.locator('.channel-badge')).toHaveText('SMS')
  await shot(page, 'sequence-editor-sms-step')

  await page.getByRole('button', { name: 'Create sequence' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Check-up reminders' })).toBeVisible()
  const [seq] = await app.rpc('sequences.list', {})
  expect(seq!.steps.map((s) => [s.channel, s.body, s.subject])).toEqual([
    ['sms', 'Hi {{contact.first_name}}, time for your check-up. Reply to book.', ''],
    ['email', null, 'Your check-up'],
  ])

  await app.rpc('sequences.enroll', { sequenceId: seq!.id, contactIds: [ann.id] })
  await expect.poll(() => fake!.sent.length, { timeout: 15_000 }).toBe(1)
  expect(fake.sent[0]!.fields).toEqual({ To: '+15555550101', From: '+15555550199', Body: 'Hi Ann, time for your check-up. Reply to book.' })

  // The contact's story: the sent text with its channel, then her reply by text.
  // Twilio dates texts to the second: her reply comes a little after ours.
  fake.inbound({ from: '+15555550101', to: '+15555550199', body: 'Thursday morning please', at: Date.now() + 2000 })
  await app.rpc('texts.poll', {})
  await page.goto(page.url().replace(/#.*$/, '') + `#/contacts/${ann.id}`)
  const story = page.getByRole('list', { name: 'Activity' })
  const sent = story.getByRole('link', { name: /^SMS sent: Hi Ann, time for your check-up/ })
  await expect(sent).toBeVisible()
  await expect(sent.locator('.badge').first()).toHaveText('SMS')
  await expect(story.getByText('Thursday morning please')).toBeVisible()
  await expect(story.getByText('Check-up reminders: Stopped: they replied')).toBeVisible()
  // Her preferred channel: what a message sent with fallback tries first.
  await page.getByLabel('Preferred channel').selectOption({ label: 'SMS' })
  await expect(page.getByText('Messages sent with fallback try SMS → Email → WhatsApp')).toBeVisible()
  expect(await app.rpc('communications.preference', { contactId: ann.id })).toEqual({ contactId: ann.id, channel: 'sms' })
  await shot(page, 'contact-story-sent-text')

  // WhatsApp outside the 24-hour window: the composer offers the account's templates (Content API) by name.
  await app.rpc('twilio.upsert', { objectId: biz.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: '+15555550199', whatsappFrom: '+15555550198', apiBaseUrl: fake.url })
  const reminder = fake.addContent({ friendlyName: 'checkup_reminder', body: 'Hi {{1}}, it is time for your check-up at {{2}}.', variables: { '1': 'Ann', '2': 'Harbor Dental' } })
  fake.addContent({ friendlyName: 'opening_hours', body: 'We are open 8–6 on weekdays.' })
  fake.addContent({ friendlyName: 'spring_sale', body: '20% off this week!', approval: 'rejected', rejectionReason: 'Promotional content in a utility template' })
  await page.getByRole('button', { name: 'Text', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Text Ann Lee' })
  await dialog.getByRole('button', { name: 'WhatsApp' }).click()
  // Only what WhatsApp approved can be picked; the rest are listed with why not.
  const picker = dialog.getByLabel('Template', { exact: true })
  await expect(picker.locator('option:not([disabled])')).toHaveText(['Choose one of 2 approved templates', 'checkup_reminder (en)', 'opening_hours (en)'])
  await expect(picker.locator('option[disabled]')).toHaveText(['spring_sale — rejected: Promotional content in a utility template'])
  await picker.selectOption({ label: 'checkup_reminder (en)' })
  await expect(dialog.locator('.template-pick-body')).toHaveText('Hi {{1}}, it is time for your check-up at {{2}}.')
  await expect(dialog.getByLabel('Approved template (ContentSid)')).toHaveValue(reminder)
  await shot(page, 'channels-whatsapp-template-pick')
  await dialog.getByRole('button', { name: 'Send template' }).click()
  await expect.poll(() => fake!.sent.length, { timeout: 15_000 }).toBe(2)
  expect(fake.sent[1]!.fields).toMatchObject({ To: 'whatsapp:+15555550101', ContentSid: reminder, ContentVariables: JSON.stringify({ 1: 'Ann', 2: 'Harbor Dental' }) })
})
