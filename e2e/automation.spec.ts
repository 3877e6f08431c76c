// Automation through the UI against the real engine, delivered by the real Postfix into the real
// Dovecot (scripts/mailservers.sh on loopback). Mail users: quinn sends (the business's mailbox and
// profile), paul receives; quinn is also a contact in the sequence. No other user is touched.
import type { Page } from '@playwright/test'
import { expect, test, type App } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, waitFor } from '../test/mail/servers'

test.use({ engineOptions: { outbound: { undoMs: 0, eventsPollMs: 0 } } })

test.beforeAll(async () => {
  test.setTimeout(600_000)
  await ensureMailServers()
})
test.beforeEach(async () => {
  await Promise.all([resetMailbox('paul'), resetMailbox('quinn')])
})

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })
const server = (port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users.quinn.email, password: MAIL.users.quinn.password })

/** A business that sends from quinn's real mailbox, and paul as its contact. */
async function bloom(app: App) {
  const object = await app.rpc('objects.create', { name: 'Bloom Hair Studio', timezone: 'Europe/London', postalAddress: '12 Market Street, Bristol BS1 4DJ' })
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: MAIL.users.quinn.email, displayName: 'Quinn at Bloom', dailyCapacity: 100, minGapSeconds: 0, smtp: server(MAIL.ports.smtp), imap: server(MAIL.ports.imap) })
  await app.rpc('profiles.create', { objectId: object.id, email: MAIL.users.quinn.email, displayName: 'Quinn at Bloom', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const paul = await app.rpc('contacts.create', { email: MAIL.users.paul.email, firstName: 'Paul', lastName: 'Okafor', company: 'Okafor & Sons', primaryObjectId: object.id })
  return { object, mailbox, paul }
}

test('an autoresponder made in the UI greets a contact tagged in the UI, from the business’s profile', async ({ page, app }) => {
  const { paul } = await bloom(app)
  await page.reload()
  await nav(page).getByRole('link', { name: 'Autoresponders' }).click()
  await expect(page.getByRole('heading', { name: 'No autoresponders yet' })).toBeVisible()
  await shot(page, 'autoresponders-empty')

  await page.getByRole('button', { name: 'New autoresponder' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'New autoresponder' })).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill('Holiday greeting')
  await page.getByRole('combobox', { name: 'Tag' }).fill('Holiday form')
  await page.getByRole('option', { name: 'Create tag “Holiday form”' }).click()
  await expect(page.getByRole('button', { name: 'Remove tag Holiday form' })).toBeVisible()
  const action = page.getByRole('group', { name: 'Action 1' })
  await action.getByLabel('Subject').fill('Happy holidays, {{contact.first_name}}!')
  await action.getByLabel('Message', { exact: true }).fill('Hi {{contact.first_name}},\n\nThanks for filling in the holiday form. See you soon!\n')
  await action.getByLabel('Message', { exact: true }).press('End')
  await page.getByRole('button', { name: /\{\{business\.name\}\}/ }).click()
  // The rich editor shows the variable as a chip, inserted at the cursor.
  await expect(action.getByLabel('Message', { exact: true })).toHaveText(/See you soon!\s*Business name$/)

  // The live preview renders the template for a real contact.
  const preview = page.getByRole('region', { name: 'Preview' })
  await expect(preview.getByLabel('Preview as')).toContainText('Paul Okafor')
  await expect(preview.locator('.preview-subject')).toHaveText('Happy holidays, Paul!')
  await expect(preview.frameLocator('iframe').locator('body')).toContainText('Hi Paul,')
  await expect(preview.frameLocator('iframe').locator('body')).toContainText('Bloom Hair Studio')
  await shot(page, 'autoresponder-editor')

  await page.getByRole('button', { name: 'Create autoresponder' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Holiday greeting' })).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true')
  await shot(page, 'autoresponder-saved')
  const [saved] = await app.rpc('autoresponders.list', {})
  const tag = (await app.rpc('tags.list', {})).find((t) => t.name === 'Holiday form')!
  expect(saved).toMatchObject({ name: 'Holiday greeting', isActive: true, objectId: null, trigger: { type: 'TAG_ADDED', tagId: tag.id } })
  expect(saved.actions).toHaveLength(1)
  expect(saved.actions[0]).toMatchObject({ subject: 'Happy holidays, {{contact.first_name}}!', delay: { value: 0, unit: 'minutes' } })

  await nav(page).getByRole('link', { name: 'Autoresponders' }).click()
  const list = page.getByRole('table', { name: 'Autoresponders' })
  await expect(list).toContainText('Holiday greeting')
  await expect(list).toContainText('When “Holiday form” is added')
  await expect(list.getByRole('switch', { name: 'Holiday greeting is on' })).toBeChecked()
  await shot(page, 'autoresponders-list')

  // Tag Paul on his profile, as a person would.
  await page.goto(`${app.url}#/contacts/${paul.id}`)
  await page.getByRole('combobox', { name: 'Add tag' }).fill('Holiday')
  await page.getByRole('option', { name: /Holiday form/ }).click()
  await expect(page.getByRole('button', { name: 'Remove tag Holiday form' })).toBeVisible()

  const [got] = await waitFor(
    async () => {
      const mine = (await fetchMessages('paul')).filter((m) => m.subject === 'Happy holidays, Paul!')
      return mine.length ? mine : undefined
    },
    { timeoutMs: 30_000, message: 'the autoresponder reaches paul' },
  ).catch(async (err) => {
    console.log(JSON.stringify({ executions: await app.rpc('autoresponders.executions', { autoresponderId: saved.id }), outbox: (await app.rpc('outbox.list', {})).items }, null, 1))
    throw err
  })
  expect(got!.from).toEqual([MAIL.users.quinn.email])
  expect(got!.source).toMatch(/^From: Quinn at Bloom <quinn@example\.test>\r?$/m)
  expect(got!.source).toContain('Thanks for filling in the holiday form.')
  expect(got!.source).toMatch(/^List-Unsubscribe:\s+<mailto:quinn@example\.test/m)
  // Exactly once.
  expect((await fetchMessages('paul')).filter((m) => m.subject === 'Happy holidays, Paul!')).toHaveLength(1)
  // A walk-in with no business cannot be sent to; the log says why, in the seed's words.
  const walkIn = await app.rpc('contacts.create', { email: 'walk-in@example.com', firstName: 'Walk-in', lastName: 'Client' })
  await app.rpc('contacts.addTag', { contactIds: [walkIn.id], tagId: tag.id })

  await nav(page).getByRole('link', { name: 'Autoresponders' }).click()
  await expect(list.getByRole('row', { name: /Holiday greeting/ }).getByRole('cell').nth(4)).toHaveText('1')
  await expect(list.getByRole('row', { name: /Holiday greeting/ }).getByRole('cell').nth(5)).toHaveText('1')
  await list.getByRole('link', { name: 'Holiday greeting' }).click()
  await page.getByRole('tab', { name: /Activity/ }).click()
  const log = page.getByRole('table', { name: 'Executions' })
  await expect(log.getByRole('row', { name: /Paul Okafor/ })).toContainText('Sent')
  await expect(log.getByRole('row', { name: /Walk-in Client/ })).toContainText('Failed')
  await expect(log.getByRole('row', { name: /Walk-in Client/ })).toContainText('Contact not assigned to any business')
  await expect(page.locator('.page-subtitle')).toContainText('1 sent · 1 failed')
  await shot(page, 'autoresponder-activity')
})

test('a template naming a missing variable shows the engine’s message in the editor and is not saved', async ({ page, app }) => {
  const { paul } = await bloom(app)
  await page.reload()
  await page.goto(`${app.url}#/autoresponders/new`)
  await page.getByLabel('Name', { exact: true }).fill('Welcome')
  await page.getByText('A contact is created').click()
  await expect(page.getByRole('radio', { name: /A contact is created/ })).toBeChecked()
  const action = page.getByRole('group', { name: 'Action 1' })
  await action.getByLabel('Subject').fill('Welcome aboard')
  await action.getByLabel('Message', { exact: true }).fill('Hi {{contact.nickname}}, welcome!')

  // What the engine says about this template, for this contact.
  const engineSays = await app.rpc('templates.preview', { subject: 'Welcome aboard', html: '<p>Hi {{contact.nickname}}, welcome!</p>', contactId: paul.id }).then(
    () => null,
    (err: Error) => err.message,
  )
  expect(engineSays).toMatch(/^templates\.preview: VALIDATION /)
  const message = engineSays!.replace(/^templates\.preview: VALIDATION /, '')
  await expect(action.locator('.field-error')).toHaveText(message)
  await expect(action.getByLabel('Message', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText('This template can’t be sent yet')
  await shot(page, 'autoresponder-missing-variable')

  await page.getByRole('button', { name: 'Create autoresponder' }).click()
  await expect(action.locator('.field-error')).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: 'New autoresponder' })).toBeVisible()
  expect(await app.rpc('autoresponders.list', {})).toHaveLength(0)

  // Fixed with a known variable, it saves.
  await action.getByLabel('Message', { exact: true }).fill('Hi {{contact.first_name}}, welcome!')
  await expect(action.locator('.field-error')).toHaveCount(0)
  await page.getByRole('button', { name: 'Create autoresponder' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible()
  expect(await app.rpc('autoresponders.list', {})).toHaveLength(1)
})

test('a sequence created in the UI enrols contacts by search and by tag; the table shows each one; pause and resume', async ({ page, app }) => {
  const { object, mailbox, paul } = await bloom(app)
  const quinn = await app.rpc('contacts.create', { email: MAIL.users.quinn.email, firstName: 'Quinn', lastName: 'Adler', primaryObjectId: object.id })
  const vip = await app.rpc('tags.create', { name: 'VIP' })
  await app.rpc('contacts.addTag', { contactIds: [quinn.id], tagId: vip.id })
  await page.reload()

  await nav(page).getByRole('link', { name: 'Sequences' }).click()
  await expect(page.getByRole('heading', { name: 'No sequences yet' })).toBeVisible()
  await shot(page, 'sequences-empty')
  await page.getByRole('button', { name: 'New sequence' }).first().click()
  await page.getByLabel('Name', { exact: true }).fill('Spring re-booking')
  await page.getByLabel('Business', { exact: true }).selectOption({ label: 'Bloom Hair Studio' })
  const step1 = page.getByRole('group', { name: 'Step 1' })
  await step1.getByLabel('Subject').fill('Time for a spring refresh, {{contact.first_name}}?')
  await step1.getByLabel('Message', { exact: true }).fill('Hi {{contact.first_name}},\n\nOur spring slots are open. Reply and we will book you in.')
  const step2 = page.getByRole('group', { name: 'Step 2' })
  await step2.getByLabel('Subject').fill('Still thinking about it?')
  await step2.getByLabel('Message', { exact: true }).fill('Hi {{contact.first_name}}, just checking in.')
  await expect(step2.getByLabel('Wait before sending', { exact: true })).toHaveValue('3')
  await page.getByRole('checkbox', { name: /Quinn at Bloom/ }).check()
  // Every day, all day, so step 1 leaves now whatever the time the test runs.
  for (const day of ['Sat', 'Sun']) await page.getByRole('button', { name: day, exact: true }).click()
  await page.getByLabel('From', { exact: true }).selectOption({ label: '12 AM' })
  await page.getByLabel('Until', { exact: true }).selectOption({ label: 'Midnight' })
  await expect(page.getByRole('checkbox', { name: /Quinn at Bloom/ })).toBeChecked()
  // The preview follows the step being edited.
  await step1.getByLabel('Subject').click()
  await expect(page.getByRole('region', { name: 'Preview' }).locator('.preview-subject')).toHaveText('Time for a spring refresh, Paul?')
  await page.getByRole('region', { name: 'Preview' }).getByLabel('Preview as').selectOption({ label: 'Quinn Adler · quinn@example.test' })
  await expect(page.getByRole('region', { name: 'Preview' }).locator('.preview-subject')).toHaveText('Time for a spring refresh, Quinn?')
  await shot(page, 'sequence-editor')
  await page.getByRole('button', { name: 'Create sequence' }).click()

  await expect(page.getByRole('heading', { level: 1, name: 'Spring re-booking' })).toBeVisible()
  const [seq] = await app.rpc('sequences.list', {})
  expect(seq).toMatchObject({ name: 'Spring re-booking', objectId: object.id, status: 'active', mailboxIds: [mailbox.id], window: { days: [0, 1, 2, 3, 4, 5, 6], startHour: 0, endHour: 24 } })
  expect(seq.steps.map((s) => s.wait)).toEqual([
    { value: 0, unit: 'days' },
    { value: 3, unit: 'days' },
  ])
  await expect(page.getByRole('heading', { name: 'No one is enrolled yet' })).toBeVisible()

  // Paul by search, Quinn by tag.
  await page.getByRole('button', { name: 'Enrol contacts' }).first().click()
  let dialog = page.getByRole('dialog', { name: 'Enrol contacts' })
  await dialog.getByLabel('Search contacts').fill('paul')
  await dialog.getByRole('checkbox', { name: /Paul Okafor/ }).check()
  await shot(page, 'sequence-enrol', false)
  await dialog.getByRole('button', { name: 'Enrol 1 contact' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: 'Enrolled 1 contact' })).toBeVisible()
  await page.getByRole('button', { name: 'Enrol contacts' }).first().click()
  dialog = page.getByRole('dialog', { name: 'Enrol contacts' })
  await dialog.getByRole('tab', { name: 'By tag' }).click()
  await dialog.getByRole('combobox', { name: 'Tag' }).fill('VI')
  await dialog.getByRole('option', { name: /VIP/ }).click()
  await dialog.getByRole('button', { name: 'Enrol everyone tagged “VIP”' }).click()
  await expect(dialog).toBeHidden()

  const table = page.getByRole('table', { name: 'Sequence contacts' })
  const paulRow = table.getByRole('row', { name: /Paul Okafor/ })
  const quinnRow = table.getByRole('row', { name: /Quinn Adler/ })
  await expect(paulRow).toContainText('Active')
  await expect(quinnRow).toContainText('Active')
  // Step 1 is sent through the real servers; the row then names the mailbox it went from.
  await waitFor(async () => (await fetchMessages('paul')).some((m) => m.subject === 'Time for a spring refresh, Paul?'), { timeoutMs: 30_000, message: 'step 1 reaches paul' })
  await expect(paulRow).toContainText(MAIL.users.quinn.email)
  await expect(paulRow).toContainText(/\d of 2/)
  const contacts = await app.rpc('sequences.contacts', { sequenceId: seq.id })
  expect(contacts.total).toBe(2)
  expect(contacts.items.map((c) => c.contactId).sort()).toEqual([paul.id, quinn.id].sort())
  // An address the server refuses: the row shows where it stopped and the server's words.
  const rita = await app.rpc('contacts.create', { email: 'rita@nowhere.invalid', firstName: 'Rita', lastName: 'Vance', primaryObjectId: object.id })
  await app.rpc('sequences.enroll', { sequenceId: seq.id, contactIds: [rita.id] })
  const ritaState = await waitFor(
    async () => {
      const r = (await app.rpc('sequences.contacts', { sequenceId: seq.id })).items.find((c) => c.contactId === rita.id)
      return r && r.lastError && r.status !== 'active' ? r : undefined
    },
    { timeoutMs: 30_000, message: 'the refused address stops' },
  )
  const ritaRow = table.getByRole('row', { name: /Rita Vance/ })
  await expect(ritaRow).toContainText({ bounced: 'Bounced', failed: 'Failed' }[ritaState.status as 'bounced' | 'failed'] ?? ritaState.status)
  await expect(ritaRow.locator('.reason')).toHaveAttribute('title', ritaState.lastError!)
  await expect(ritaRow.getByRole('button', { name: /Pause|Resume/ })).toHaveCount(0)
  await shot(page, 'sequence-contacts')

  // Pause one contact, then the whole sequence, then resume both.
  await paulRow.getByRole('button', { name: 'Pause Paul Okafor' }).click()
  await expect(paulRow).toContainText('Paused')
  await expect(quinnRow).toContainText('Active')
  expect((await app.rpc('sequences.contacts', { sequenceId: seq.id, status: 'paused' })).items.map((c) => c.contactId)).toEqual([paul.id])
  await page.getByRole('group', { name: 'Filter by status' }).getByRole('button', { name: /Paused/ }).click()
  await expect(table.getByRole('row')).toHaveCount(2)
  await expect(paulRow).toBeVisible()
  await page.getByRole('group', { name: 'Filter by status' }).getByRole('button', { name: /All/ }).click()
  await expect(table.getByRole('row')).toHaveCount(4)
  await page.getByRole('button', { name: 'Pause sequence' }).click()
  await expect(page.getByRole('button', { name: 'Resume sequence' })).toBeVisible()
  expect((await app.rpc('sequences.get', { id: seq.id })).status).toBe('paused')
  await page.getByRole('button', { name: 'Resume sequence' }).click()
  await expect(page.getByRole('button', { name: 'Pause sequence' })).toBeVisible()
  await paulRow.getByRole('button', { name: 'Resume Paul Okafor' }).click()
  await expect(paulRow).toContainText('Active')

  // The settings tab edits the same sequence: a third step is saved in place.
  await page.getByRole('tab', { name: 'Steps & sending' }).click()
  await expect(page.getByRole('group', { name: 'Step 2' }).getByLabel('Subject')).toHaveValue('Still thinking about it?')
  await page.getByRole('button', { name: 'Add step' }).click()
  const step3 = page.getByRole('group', { name: 'Step 3' })
  await step3.getByLabel('Subject').fill('Last call for spring, {{contact.first_name}}')
  await step3.getByLabel('Message', { exact: true }).fill('Hi {{contact.first_name}}, this is the last note from us about spring slots.')
  await shot(page, 'sequence-settings')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Sequence saved' })).toBeVisible()
  expect((await app.rpc('sequences.get', { id: seq.id })).steps.map((x) => x.subject)).toEqual(['Time for a spring refresh, {{contact.first_name}}?', 'Still thinking about it?', 'Last call for spring, {{contact.first_name}}'])
  await expect(page.locator('.page-subtitle')).toContainText('3 steps')

  await nav(page).getByRole('link', { name: 'Sequences' }).click()
  const seqList = page.getByRole('table', { name: 'Sequences' })
  await expect(seqList.getByRole('row', { name: /Spring re-booking/ })).toContainText('Running')
  await shot(page, 'sequences-list')

  // The dashboard charts what was sent, and the sequence's funnel.
  await nav(page).getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  const totals = page.getByLabel('Totals')
  await expect(totals.locator('.kpi-card').filter({ has: page.locator('.kpi-label', { hasText: /^Sent$/ }) }).locator('.kpi-value')).toHaveText('2')
  await expect(page.getByRole('region', { name: 'Sending' }).locator('svg.recharts-surface[role="application"]')).toBeVisible()
  await expect(page.getByRole('region', { name: 'Responses' }).locator('svg.recharts-surface[role="application"]')).toBeVisible()
  const funnel = page.getByRole('region', { name: 'Sequence funnel' })
  await expect(funnel.getByLabel('Sequence')).toHaveValue(String(seq.id))
  await expect(funnel.locator('svg.recharts-surface[role="application"]')).toBeVisible()
  await expect(funnel).toContainText('3 enrolled · 2 got step 1')
  await expect(page.getByRole('region', { name: 'Sending' }).locator('.recharts-bar-rectangle path').first()).toBeVisible()
  await page.getByLabel('Business', { exact: true }).selectOption({ label: 'Bloom Hair Studio' })
  await expect(totals.locator('.kpi-card').filter({ has: page.locator('.kpi-label', { hasText: /^Sent$/ }) }).locator('.kpi-value')).toHaveText('2')
  await shot(page, 'dashboard')
})

test('the editor orders actions with their delays, a date trigger saves off, and the list switches it on; an empty dashboard says so', async ({ page, app }) => {
  await bloom(app)
  await page.reload()
  await nav(page).getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByText('Nothing was sent in this range yet')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'No sequences to chart' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Sending' }).locator('svg.recharts-surface[role="application"]')).toBeVisible()
  await page.getByRole('button', { name: 'Last 7 days' }).click()
  await expect(page.getByRole('button', { name: 'Last 7 days' })).toHaveAttribute('aria-pressed', 'true')
  await shot(page, 'dashboard-empty')

  // Links to things that are gone say so instead of spinning.
  await page.goto(`${app.url}#/sequences/999`)
  await expect(page.getByRole('heading', { name: 'This sequence no longer exists' })).toBeVisible()
  await page.goto(`${app.url}#/autoresponders/999`)
  await expect(page.getByRole('heading', { name: 'This autoresponder no longer exists' })).toBeVisible()

  await page.goto(`${app.url}#/autoresponders/new`)
  await page.getByLabel('Name', { exact: true }).fill('Birthday wishes')
  await page.getByLabel('Business', { exact: true }).selectOption({ label: 'Bloom Hair Studio' })
  await page.getByText('A date comes round').click()
  await page.getByLabel('Date', { exact: true }).selectOption({ label: 'A custom date field' })
  await page.getByLabel('Custom field', { exact: true }).fill('Birthday')
  await page.getByLabel('Days', { exact: true }).fill('3')
  await page.getByLabel('Before or after').selectOption({ label: 'days before the date' })

  const first = page.getByRole('group', { name: 'Action 1' })
  await first.getByLabel('Subject').fill('Your birthday treat is waiting')
  await first.getByLabel('Message', { exact: true }).fill('Hi {{contact.first_name}}, book a blow-dry on us this week.')
  await page.getByRole('button', { name: 'Add action' }).click()
  const second = page.getByRole('group', { name: 'Action 2' })
  await expect(second).toContainText('1 day after the trigger')
  await second.getByLabel('Subject').fill('Happy birthday!')
  await second.getByLabel('Message', { exact: true }).fill('Happy birthday, {{contact.first_name}}!')
  await second.getByLabel('Send', { exact: true }).fill('3')
  await second.getByLabel('Send unit').selectOption('days')
  await expect(second).toContainText('3 days after the trigger')
  await page.getByRole('button', { name: 'Add action' }).click()
  await page.getByRole('group', { name: 'Action 3' }).getByLabel('Subject').fill('Throwaway')
  await page.getByRole('button', { name: 'Remove Action 3' }).click()
  await expect(page.getByRole('group', { name: 'Action 3' })).toHaveCount(0)
  // The greeting goes first.
  await page.getByRole('button', { name: 'Move Action 2 up' }).click()
  await expect(page.getByRole('group', { name: 'Action 1' }).getByLabel('Subject')).toHaveValue('Happy birthday!')
  await page.getByLabel('Active').uncheck()
  await shot(page, 'autoresponder-date-trigger')
  await page.getByRole('button', { name: 'Create autoresponder' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Birthday wishes' })).toBeVisible()

  const [saved] = await app.rpc('autoresponders.list', {})
  expect(saved).toMatchObject({ isActive: false, trigger: { type: 'DATE_BASED', field: 'Birthday', offsetDays: -3 } })
  expect(saved.actions.map((a) => [a.subject, a.delay])).toEqual([
    ['Happy birthday!', { value: 3, unit: 'days' }],
    ['Your birthday treat is waiting', { value: 0, unit: 'minutes' }],
  ])

  await nav(page).getByRole('link', { name: 'Autoresponders' }).click()
  const row = page.getByRole('table', { name: 'Autoresponders' }).getByRole('row', { name: /Birthday wishes/ })
  await expect(row).toContainText('3 days before the “Birthday” date')
  await expect(row).toContainText('Bloom Hair Studio')
  await row.getByRole('switch', { name: 'Birthday wishes is on' }).check()
  await expect(page.getByRole('status').filter({ hasText: 'Birthday wishes is on' })).toBeVisible()
  expect((await app.rpc('autoresponders.list', {}))[0].isActive).toBe(true)
})
