// Compose, drafts, the outbox and mailbox health through the UI. Faithful fake Mailgun accounts on loopback
// answer per sending domain, the real Postfix (scripts/mailservers.sh) accepts one mailbox and refuses another's
// password, and a freshly closed loopback port is an address nothing listens on ("no network").
import { createServer as createTcp, type AddressInfo, type Server, type Socket } from 'node:net'
import type { Page } from '@playwright/test'
import { expect, test, type App } from './fixtures'
import { shot } from './shot'
import { startFakeMailgun } from '../test/fakes/mailgunFake'
import { ensureMailServers, MAIL } from '../test/mail/servers'

const API_KEY = 'key-e2e-0123456789'

/** A loopback port that refuses connections. (Not port 9: fetch refuses "bad ports" before connecting,
 * which the engine rightly does not count as being offline.) */
async function unreachableUrl(): Promise<string> {
  const server = createTcp()
  const port = await listen(server)
  await new Promise((r) => server.close(r))
  return `http://127.0.0.1:${port}`
}

async function mailgunBusiness(app: App, name: string, domain: string, apiBaseUrl: string) {
  const object = await app.rpc('objects.create', { name, timezone: 'Europe/London' })
  await app.rpc('mailgun.upsert', { objectId: object.id, sendingDomain: domain, apiKey: API_KEY, region: 'us', apiBaseUrl })
  const profile = await app.rpc('profiles.create', { objectId: object.id, email: `hello@${domain}`, displayName: name, transport: { kind: 'mailgun' } })
  return { object, profile }
}

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

/** A server that accepts the connection and never answers: a request that hangs until its timeout. */
async function silentUrl(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createTcp((s) => (sockets.add(s), s.on('close', () => sockets.delete(s))))
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise((r) => server.close(r))
    },
  }
}

/**
 * One faithful fake Mailgun (test/fakes/mailgunFake.ts) per behaviour, each business pointing its
 * apiBaseUrl at one: ok.* accepts; bad.* gets Mailgun's 400; busy.* gets 503s; auth.* is an account
 * whose key does not match (a real 401); slow.* never answers.
 */
async function mailgunAccounts() {
  const [ok, bad, busy, auth, slow] = await Promise.all([
    startFakeMailgun({ apiKey: API_KEY, domains: ['ok.test', 'ok2.test', 'ok3.test'] }),
    startFakeMailgun({ apiKey: API_KEY, domains: ['bad.test'] }),
    startFakeMailgun({ apiKey: API_KEY, domains: ['busy.test'] }),
    startFakeMailgun({ apiKey: 'key-of-another-account-42', domains: ['auth.test'] }),
    silentUrl(),
  ])
  bad.failNext(400, 10, { only: 'messages', body: JSON.stringify({ message: "'to' parameter is not a valid address. please check documentation" }) })
  busy.failNext(503, 10, { only: 'messages' })
  const byKind: Record<string, string> = { ok: ok.url, bad: bad.url, busy: busy.url, auth: auth.url, slow: slow.url }
  return {
    urlFor: (domain: string) => byKind[domain.replace(/\d*\..*$/, '')]!,
    close: () => Promise.all([ok, bad, busy, auth, slow].map((f) => f.close())),
  }
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

test('a draft saves itself as you type, survives a reload, reopens and can be deleted', async ({ page, app }) => {
  await mailgunBusiness(app, 'Bloom Hair Studio', 'bloom.test', await unreachableUrl())
  await app.rpc('contacts.create', { email: 'ava@example.com', firstName: 'Ava', lastName: 'Nguyen' })
  await page.reload()
  await nav(page).getByRole('link', { name: /Outbox/ }).click()
  await expect(page.getByRole('heading', { name: 'Nothing in the outbox' })).toBeVisible()
  await shot(page, 'outbox-empty')
  await nav(page).getByRole('link', { name: 'Drafts' }).click()
  await expect(page.getByRole('heading', { name: 'No drafts' })).toBeVisible()
  await shot(page, 'drafts-empty')

  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await expect(dialog.getByLabel('From', { exact: true }).locator('option:checked')).toHaveText('Bloom Hair Studio <hello@bloom.test> · Bloom Hair Studio')
  const to = dialog.getByRole('combobox', { name: 'To', exact: true })
  await expect(to).toBeFocused()
  await to.fill('ava')
  await dialog.getByRole('option', { name: /Ava Nguyen/ }).click()
  await to.fill('bob@')
  await to.press('Enter')
  await expect(dialog.getByText('“bob@” is not a valid email address')).toBeVisible()
  await dialog.getByRole('button', { name: 'Cc', exact: true }).click()
  await dialog.getByRole('combobox', { name: 'Cc', exact: true }).fill('owner@bloom.test,')
  await dialog.getByLabel('Subject').fill('Your spring appointment')
  await dialog.getByLabel('Message', { exact: true }).fill('Hi Ava,\n\nSee you on Friday at 10.\nBloom')
  await expect(dialog.getByRole('status')).toContainText('Saved')
  await shot(page, 'compose', false)

  await dialog.getByRole('button', { name: 'Remove bob@' }).click()
  await expect(dialog.getByText('is not a valid email address')).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('Draft saved')).toBeVisible()
  const [draft] = await app.rpc('drafts.list', {})
  expect(draft).toMatchObject({ to: ['ava@example.com'], cc: ['owner@bloom.test'], subject: 'Your spring appointment' })
  expect(draft.html).toBe('<p>Hi Ava,</p><p>See you on Friday at 10.<br />Bloom</p>')

  await page.reload()
  const list = page.getByRole('list', { name: 'Drafts' })
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(list).toContainText('To ava@example.com, owner@bloom.test')
  await shot(page, 'drafts')

  await list.getByRole('button', { name: 'Your spring appointment', exact: true }).click()
  const edit = page.getByRole('dialog', { name: 'Edit draft' })
  await expect(edit.getByLabel('Subject')).toHaveValue('Your spring appointment')
  await expect(edit.getByLabel('Message', { exact: true })).toHaveText('Hi Ava,\n\nSee you on Friday at 10.\nBloom', { useInnerText: true })
  await edit.getByRole('button', { name: 'Close' }).click()
  await expect(edit).toBeHidden()

  await list.getByRole('button', { name: 'Delete draft Your spring appointment' }).click()
  await page.getByRole('dialog', { name: 'Delete this draft?' }).getByRole('button', { name: 'Delete draft' }).click()
  await expect(page.getByRole('heading', { name: 'No drafts' })).toBeVisible()
  expect(await app.rpc('drafts.list', {})).toHaveLength(0)
})

test('compose offers the profiles of the person at the keyboard', async ({ page, app }) => {
  const url = await unreachableUrl()
  const bloom = await mailgunBusiness(app, 'Bloom Hair Studio', 'bloom.test', url)
  const harbor = await mailgunBusiness(app, 'Harbor Dental', 'harbor.test', url)
  const maya = await app.rpc('users.create', { name: 'Maya Chen', email: 'maya@bloom.test' })
  await app.rpc('users.create', { name: 'Sam Ortiz', email: 'sam@harbor.test' })
  await app.rpc('profiles.assign', { userId: maya.id, profileId: harbor.profile.id, isDefault: true })
  await page.reload()
  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  const from = dialog.getByLabel('From', { exact: true })
  await expect(from.locator('option')).toHaveText([/^Bloom Hair Studio </, /^Harbor Dental </])
  await dialog.getByRole('button', { name: 'Choose who you are' }).click()
  await expect(dialog.getByRole('menu', { name: 'Who is sending' })).toBeVisible()
  await shot(page, 'compose-who', false)
  await dialog.getByRole('menuitemradio', { name: /Maya Chen/ }).click()
  await expect(from.locator('option')).toHaveText(['Harbor Dental <hello@harbor.test> · Harbor Dental'])
  await expect(from).toHaveValue(String(harbor.profile.id))
  await expect(dialog.getByRole('button', { name: /Maya Chen/ })).toBeVisible()
  expect((await app.rpc('app.info', {})).currentUserId).toBe(maya.id)
  expect(bloom.profile.id).not.toBe(harbor.profile.id)
})

test('undo send pulls the message back into compose as a draft', async ({ page, app }) => {
  await mailgunBusiness(app, 'Bloom Hair Studio', 'bloom.test', await unreachableUrl())
  await page.reload()
  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await dialog.getByRole('combobox', { name: 'To', exact: true }).fill('cara@example.com')
  await dialog.getByLabel('Subject').fill('Oops, wrong date')
  await dialog.getByLabel('Message', { exact: true }).fill('The sale starts on Monday.')
  await dialog.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(dialog).toBeHidden()
  const toast = page.getByRole('status').filter({ hasText: 'Message queued' })
  await expect(toast).toBeVisible()
  await shot(page, 'undo-toast', false)
  await toast.getByRole('button', { name: 'Undo' }).click()

  const edit = page.getByRole('dialog', { name: 'Edit draft' })
  await expect(edit.getByLabel('Subject')).toHaveValue('Oops, wrong date')
  await expect(edit.getByText('cara@example.com')).toBeVisible()
  const [message] = (await app.rpc('outbox.list', {})).items
  expect(message).toMatchObject({ status: 'cancelled', statusReason: 'Undone: back in drafts', attempts: 0 })
  expect(await app.rpc('drafts.list', {})).toHaveLength(1)

  // Fixed, then scheduled for later instead.
  await edit.getByLabel('Message', { exact: true }).fill('The sale starts on Tuesday.')
  await edit.getByRole('button', { name: 'Schedule' }).click()
  await expect(edit.getByRole('group', { name: 'Schedule send' })).toBeVisible()
  await shot(page, 'compose-schedule', false)
  await page.keyboard.press('Escape')
  await expect(edit.getByRole('group', { name: 'Schedule send' })).toBeHidden()
  await expect(edit).toBeVisible()
  await edit.getByRole('button', { name: 'Schedule' }).click()
  await edit.getByRole('button', { name: /Tomorrow morning/ }).click()
  await expect(edit).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: 'Scheduled for' })).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'Scheduled for' }).getByRole('button', { name: 'Undo' })).toBeVisible()
  const queued = (await app.rpc('outbox.list', { status: 'queued' })).items[0]
  expect(new Date(queued.scheduledFor).getHours()).toBe(9)
  expect(Date.parse(queued.scheduledFor)).toBeGreaterThan(Date.now() + 3_600_000)
  expect(await app.rpc('drafts.list', {})).toHaveLength(0)
  await nav(page).getByRole('link', { name: /Outbox/ }).click()
  await expect(page.getByRole('list', { name: 'Queued' })).toContainText('Scheduled')
  await expect(page.getByRole('list', { name: 'Queued' })).toContainText('Can still be undone')
})

test.describe('with a short undo window', () => {
  test.use({ engineOptions: { outbound: { undoMs: 1000 } } })

  test('a message to an unreachable Mailgun waits for the network, with a banner, and can be cancelled', async ({ page, app }) => {
    const unreachable = await unreachableUrl()
    const { object } = await mailgunBusiness(app, 'Bloom Hair Studio', 'bloom.test', unreachable)
    const ava = await app.rpc('contacts.create', { email: 'ava@example.com', firstName: 'Ava', lastName: 'Nguyen', primaryObjectId: object.id })
    await page.reload()
    await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
    await page.goto(`${app.url}#/contacts/${ava.id}`)
    await page.getByRole('button', { name: 'Email', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'New message' })
    await expect(dialog.getByText('ava@example.com')).toBeVisible()
    await expect(dialog.getByLabel('Message', { exact: true })).toBeFocused()
    await dialog.getByLabel('Subject').fill('Reminder: Friday 10:00')
    await dialog.getByLabel('Message', { exact: true }).fill('See you soon!')
    await dialog.getByRole('button', { name: 'Send', exact: true }).click()
    await expect(dialog).toBeHidden()

    const banner = page.getByRole('status').filter({ hasText: 'Can’t reach' })
    // The network works and nothing listens there: the banner says the server refused, and what fixes it.
    await expect(banner).toContainText(`Can’t reach Mailgun (${unreachable.slice(7)}) (connection refused: check the host and port) — 1 message held`)
    await shot(page, 'offline-banner', false)

    await nav(page).getByRole('link', { name: /Outbox/ }).click()
    await expect(nav(page).getByRole('link', { name: /Outbox/ })).toContainText('1')
    const held = page.getByRole('list', { name: 'Held' })
    await expect(held.getByRole('listitem')).toHaveCount(1)
    await expect(held).toContainText('Reminder: Friday 10:00')
    await expect(held).toContainText('Connection refused')
    await expect(held).toContainText('0 of 4 attempts')
    expect((await app.rpc('outbox.list', {})).items[0]).toMatchObject({ status: 'held', statusReason: 'unreachable', errorCode: 'CONNECTION_REFUSED', attempts: 0, contactId: ava.id })
    await shot(page, 'outbox-offline')

    await held.getByRole('link', { name: 'Reminder: Friday 10:00' }).click()
    const panel = page.getByRole('complementary', { name: 'Message details' })
    await expect(panel.getByRole('list', { name: 'Timeline' })).toContainText('refused the connection')
    await expect(panel).toContainText('See you soon!')
    await shot(page, 'outbox-detail')

    await panel.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Message cancelled' })).toBeVisible()
    await expect(page.getByRole('list', { name: 'Held' })).toHaveCount(0)
    await expect(page.getByRole('list', { name: 'Recent' })).toContainText('Cancelled')
    await expect(banner).not.toContainText('held')
    expect((await app.rpc('outbox.list', {})).items[0].status).toBe('cancelled')

    // Drafts still save while the mail server is out of reach: the engine is on this computer.
    await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
    const next = page.getByRole('dialog', { name: 'New message' })
    await next.getByLabel('Subject').fill('Written on the train')
    await expect(next.getByRole('status')).toContainText('Offline – saved locally')
    await shot(page, 'compose-offline', false)
    await next.getByRole('button', { name: 'Close' }).click()
    expect((await app.rpc('drafts.list', {})).map((d) => d.subject)).toEqual(['Written on the train'])
  })
})

test.describe('sending at once', () => {
  test.use({ engineOptions: { outbound: { undoMs: 0 } } })

  test('the outbox groups messages by status, with reasons and the actions that apply', async ({ page, app }) => {
    const mailgun = await mailgunAccounts()
    const unreachable = await unreachableUrl()
    try {
      const send = async (domain: string, name: string, subject: string, extra: { sendAt?: string } = {}) => {
        const base = domain === 'offline.test' ? unreachable : mailgun.urlFor(domain)
        const { profile } = await mailgunBusiness(app, name, domain, base)
        return app.rpc('mail.send', { profileId: profile.id, to: [`${domain.split('.')[0]}@example.com`], subject, html: `<p>${subject}</p>`, ...extra })
      }
      await send('ok.test', 'Eve Beauty', 'Spring newsletter')
      const bad = await send('bad.test', 'Hana Beauty', 'Your invoice #1042')
      await send('busy.test', 'Moda Beauty', 'Appointment confirmed')
      await send('auth.test', 'Glow Studio', 'Welcome to Glow')
      await send('offline.test', 'Harbor Dental', 'Cleaning reminder')
      await send('slow.test', 'Pine Street Salon', 'Gift card balance')
      const later = new Date(Date.now() + 2 * 86_400_000).toISOString()
      await send('ok2.test', 'Northwind Spa', 'Holiday hours', { sendAt: later })
      const { profile } = await mailgunBusiness(app, 'Bloom & Co', 'ok3.test', mailgun.urlFor('ok3.test'))
      const dropped = await app.rpc('mail.send', { profileId: profile.id, to: ['lia@example.com'], subject: 'Draft price list', html: '<p>Old prices</p>', sendAt: later })
      await app.rpc('outbox.cancel', { id: dropped.id })
          await expect
        .poll(async () => {
          const { counts, done } = await app.rpc('outbox.list', {})
          return { ...counts, done }
        })
        .toEqual({ done: 1, failed: 1, retry_wait: 1, held: 2, sending: 1, queued: 1, cancelled: 1 })

      await page.reload()
      await nav(page).getByRole('link', { name: /Outbox/ }).click()
      await expect(page.locator('.outbox-group h3')).toHaveText(['Sending', 'Queued', 'Retrying', 'Held', 'Failed', 'Recent'])
      await expect(nav(page).getByRole('link', { name: /Outbox/ })).toContainText('5')
      await expect(page.getByRole('list', { name: 'Queued' })).toContainText('Scheduled')
      await expect(page.getByRole('list', { name: 'Retrying' })).toContainText('Temporary error')
      await expect(page.getByRole('list', { name: 'Retrying' })).toContainText('1 of 4 attempts · next try in')
      const held = page.getByRole('list', { name: 'Held' })
      const authRow = held.getByRole('listitem').filter({ hasText: 'Welcome to Glow' })
      await expect(authRow).toContainText('Sign-in failed')
      await expect(authRow.getByRole('button', { name: 'Retry' })).toHaveCount(0)
      await expect(authRow.getByRole('button', { name: 'Cancel' })).toBeVisible()
      await expect(held.getByRole('listitem').filter({ hasText: 'Cleaning reminder' }).getByRole('button', { name: 'Retry' })).toBeVisible()
      await expect(page.getByRole('list', { name: 'Failed' })).toContainText('Mailgun 400')
      await expect(page.getByRole('list', { name: 'Recent' })).toHaveCount(0)
      await page.getByRole('button', { name: /Recent/ }).click()
      await expect(page.getByRole('list', { name: 'Recent' })).toContainText('Sent')
      await expect(page.getByRole('list', { name: 'Recent' })).toContainText('Cancelled')
      await shot(page, 'outbox-statuses')

      await page.getByRole('list', { name: 'Failed' }).getByRole('link', { name: 'Your invoice #1042' }).click()
      const panel = page.getByRole('complementary', { name: 'Message details' })
      await expect(panel).toContainText('Mailgun 400')
      await shot(page, 'outbox-detail-failed')
      await panel.getByRole('button', { name: 'Retry' }).click()
      await expect(page.getByText('Trying again now')).toBeVisible()
      await expect.poll(async () => (await app.rpc('outbox.get', { id: bad.id })).events.map((e) => e.type)).toContain('retry')

      // The business whose Mailgun key was refused says so, with a way to fix it.
      await nav(page).getByRole('link', { name: 'Businesses' }).click()
      await page.getByRole('navigation', { name: 'Businesses' }).getByText('Glow Studio').click()
      const notice = page.getByRole('alert').filter({ hasText: 'Sending through Mailgun is stopped' })
      await expect(notice).toContainText('401')
      await expect(notice.getByRole('button', { name: 'Fix API key' })).toBeVisible()
      await notice.scrollIntoViewIfNeeded()
      await shot(page, 'businesses-mailgun-auth', false)
      // Fix API key opens the form on the key.
      await notice.getByRole('button', { name: 'Fix API key' }).click()
      await expect(page.getByLabel('Replace API key')).toBeFocused()
    } finally {
      await mailgun.close()
    }
  })

  test('a mailbox shows today’s sends against its cap, and a failed sign-in with a way to fix it', async ({ page, app }) => {
    // The real Postfix on loopback: dave signs in, erin's password is wrong.
    await ensureMailServers()
    {
      const object = await app.rpc('objects.create', { name: 'Harbor Dental' })
      const server = (user: 'dave' | 'erin', password: string) => ({ host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: MAIL.users[user].email, password })
      const front = await app.rpc('mailboxes.create', { objectId: object.id, email: 'front@harbor.test', displayName: 'Front desk', dailyCapacity: 10, minGapSeconds: 0, smtp: server('dave', MAIL.users.dave.password), sentCopy: 'server' })
      const desk = await app.rpc('mailboxes.create', { objectId: object.id, email: 'desk@harbor.test', dailyCapacity: 50, minGapSeconds: 0, smtp: server('erin', 'wrong-password') })
      const profile = async (m: typeof front) =>
        app.rpc('profiles.create', { objectId: object.id, email: m.email, displayName: 'Harbor Dental', transport: { kind: 'smtp', mailboxId: m.id } })
      const [pf, pd] = [await profile(front), await profile(desk)]
      for (const n of [1, 2, 3]) await app.rpc('mail.send', { profileId: pf.id, to: [MAIL.users.frank.email], subject: `Check-up ${n}`, html: '<p>Hi</p>' })
      await app.rpc('mail.send', { profileId: pd.id, to: [MAIL.users.frank.email], subject: 'Hello', html: '<p>Hi</p>' })
      await expect
        .poll(async () => (await app.rpc('mailboxes.list', { objectId: object.id })).map((m) => [m.email, m.sentToday, m.status]))
        .toEqual([
          ['desk@harbor.test', 0, 'auth_error'],
          ['front@harbor.test', 3, 'active'],
        ])

      await page.reload()
      await nav(page).getByRole('link', { name: 'Businesses' }).click()
      const list = page.getByRole('list', { name: 'Mailboxes' })
      const frontRow = list.getByRole('listitem').filter({ hasText: 'front@harbor.test' })
      await expect(frontRow).toContainText('Today: 3 / 10 sent')
      await expect(frontRow).toContainText('0s gap')
      await expect(frontRow).toContainText('Server keeps Sent copy')
      await expect(frontRow.getByRole('meter')).toHaveAttribute('aria-valuenow', '3')
      const deskRow = list.getByRole('listitem').filter({ hasText: 'desk@harbor.test' })
      await expect(deskRow.getByRole('alert')).toContainText('The SMTP server refused the login: check the username')
      await deskRow.scrollIntoViewIfNeeded()
      await shot(page, 'businesses-mailboxes')

      await deskRow.getByRole('button', { name: 'Fix sign-in' }).click()
      const dialog = page.getByRole('dialog', { name: 'Edit mailbox' })
      await expect(dialog).toContainText('Sign-in failed.')
      // Fix sign-in opens on the password.
      await expect(dialog.getByLabel('SMTP password')).toBeFocused()
      await expect(dialog.getByLabel('Sent copy')).toHaveValue('append')
      await dialog.getByLabel('Sent copy').selectOption('none')
      await dialog.getByLabel('SMTP password').fill('pw-new-5678')
      await shot(page, 'businesses-fix-sign-in', false)
      await dialog.getByRole('button', { name: 'Save mailbox' }).click()
      // The new password is tried first: Postfix still refuses it, so saving takes an explicit choice.
      await expect(dialog.getByRole('alert').filter({ hasText: 'Outgoing mail (SMTP): Sign-in failed' })).toBeVisible()
      await dialog.getByRole('button', { name: 'Save anyway' }).click()
      await expect(dialog).toBeHidden()
      expect((await app.rpc('mailboxes.list', { objectId: object.id })).find((m) => m.id === desk.id)?.sentCopy).toBe('none')
    }
  })
})
