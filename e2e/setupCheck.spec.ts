// Issue 20 through the UI, against the real Postfix and Dovecot (this spec's users: xena sends, yara
// receives, zoe): a scheduled message stays scheduled through an auth hold and its fix (test clock);
// the mailbox dialog and the onboarding try the settings before saving and say what is wrong in words.
import type { Locator, Page } from '@playwright/test'
import { manualClock } from '../src/main/engine/clock'
import { expect, test } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox } from '../test/mail/servers'

const xena = MAIL.users.xena
const smtp = (password: string) => ({ host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: xena.email, password })
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

/** The screen at both sizes the issue asks for (1440×900 and 1024×700). */
async function shots(page: Page, name: string, fullPage = false, inView?: Locator): Promise<void> {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    if (inView) await inView.scrollIntoViewIfNeeded()
    await shot(page, `${name}-${w}`, fullPage)
  }
  await page.setViewportSize({ width: 1360, height: 860 })
}

test.beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('xena'), resetMailbox('yara')])
})

test.describe('on the test clock', () => {
  const start = Date.UTC(2026, 0, 5, 15, 0, 0)
  test.use({ engineOptions: { testClock: manualClock(start), outbound: { undoMs: 0, probeMs: 3_600_000 } } })

  test('a scheduled message stays scheduled through an auth hold and its fix, and goes out only at its time', async ({ page, app }) => {
    const object = await app.rpc('objects.create', { name: 'Xena Florist', timezone: 'UTC' })
    const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: xena.email, displayName: 'Xena', dailyCapacity: 100, minGapSeconds: 0, smtp: smtp(xena.password), sentCopy: 'none' })
    const profile = await app.rpc('profiles.create', { objectId: object.id, email: xena.email, displayName: 'Xena Florist', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const tomorrow9 = new Date(Date.UTC(2026, 0, 6, 9, 0, 0)).toISOString()
    // A message Postfix rejects (no such user), while the password still works: it fails.
    const other = await app.rpc('mail.send', { profileId: profile.id, to: [`nobody@${MAIL.domain}`], subject: 'Opening hours', html: '<p>Hours</p>' })
    await expect.poll(async () => (await app.rpc('outbox.get', { id: other.id })).status, { timeout: 20_000 }).toBe('failed')
    const scheduled = await app.rpc('mail.send', { profileId: profile.id, to: [MAIL.users.yara.email], subject: 'Your bouquet, tomorrow at nine', html: '<p>See you</p>', sendAt: tomorrow9 })
    // The password breaks, and the user presses Retry on the failed message: it meets the broken password.
    await app.rpc('mailboxes.update', { id: mailbox.id, smtp: smtp('not-the-password') })
    await page.reload()
    await nav(page).getByRole('link', { name: /Outbox/ }).click()
    await page.getByRole('list', { name: 'Failed' }).getByRole('listitem').filter({ hasText: 'Opening hours' }).getByRole('button', { name: 'Retry' }).click()
    await expect.poll(async () => (await app.rpc('outbox.get', { id: other.id })).statusReason, { timeout: 20_000 }).toBe('auth')
    const held = page.getByRole('list', { name: 'Held' })
    await expect(held.getByRole('listitem').filter({ hasText: 'Opening hours' })).toContainText('Sign-in failed')
    // The scheduled one is not held: it still says when it goes.
    const queued = page.getByRole('list', { name: 'Queued' })
    await expect(queued.getByRole('listitem').filter({ hasText: 'Your bouquet, tomorrow at nine' })).toContainText('Scheduled')
    expect(await app.rpc('outbox.get', { id: scheduled.id })).toMatchObject({ status: 'queued', scheduledFor: tomorrow9, nextAttemptAt: tomorrow9 })
    // The sidebar does not say "Connected" while sending is stopped.
    const status = page.locator('.sidebar-footer').getByRole('status')
    await expect(status).toHaveText('Sending stopped')
    await shots(page, 'outbox-scheduled-through-auth-hold')

    // Fix sign-in: the dialog opens on the password, tries the new one against Postfix, and saves.
    await nav(page).getByRole('link', { name: 'Businesses' }).click()
    const row = page.getByRole('list', { name: 'Mailboxes' }).getByRole('listitem').filter({ hasText: xena.email })
    await expect(row.getByText('Sign-in failed', { exact: true })).toBeVisible()
    await shots(page, 'businesses-mailbox-sign-in-failed', true)
    await row.getByRole('button', { name: 'Fix sign-in' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit mailbox' })
    await expect(dialog.getByLabel('SMTP password')).toBeFocused()
    await dialog.getByLabel('SMTP password').fill(xena.password)
    await dialog.getByRole('button', { name: 'Save mailbox' }).click()
    await expect(dialog).toBeHidden({ timeout: 20_000 })
    await expect(row.getByText('Active', { exact: true })).toBeVisible()
    await expect(status).toHaveText('Connected')

    // The held one is tried again at once (Postfix rejects its recipient again); the scheduled one waits.
    await expect.poll(async () => (await app.rpc('outbox.get', { id: other.id })).status, { timeout: 20_000 }).toBe('failed')
    expect(await app.rpc('outbox.get', { id: scheduled.id })).toMatchObject({ status: 'queued', nextAttemptAt: tomorrow9 })

    // The clock moves in two jumps, to one second before nine and then to nine: sent at exactly nine means
    // it waited through both the hold's fix and the first jump.
    await app.rpc('clock.advance', { ms: Date.parse(tomorrow9) - start - 1000 })
    expect((await app.rpc('outbox.get', { id: scheduled.id })).status).toBe('queued')
    await app.rpc('clock.advance', { ms: 1000 })
    await expect.poll(async () => (await app.rpc('outbox.get', { id: scheduled.id })).status, { timeout: 20_000 }).toBe('sent')
    const sent = await app.rpc('outbox.get', { id: scheduled.id })
    expect(Date.parse(sent.sentAt!)).toBe(Date.parse(tomorrow9))
    await expect.poll(async () => (await fetchMessages('yara')).map((m) => m.messageId), { timeout: 20_000 }).toContain(sent.messageId)
  })
})

test('the mailbox dialog tries the settings first and says what is wrong, per server, in words', async ({ page, app }) => {
  // Three real connection tests and twelve screenshots: over a minute when CI's workers share two cores.
  test.setTimeout(180_000)
  await app.rpc('objects.create', { name: 'Zoe Bakery', timezone: 'UTC' })
  await page.reload()
  await nav(page).getByRole('link', { name: 'Businesses' }).click()
  await page.getByRole('button', { name: 'Add mailbox' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add mailbox' })
  // Settings are offered from the address: a known provider's, or the usual guess for a domain.
  await dialog.getByLabel('Email address').fill('zoe@gmail.com')
  await expect(dialog.getByLabel('SMTP host')).toHaveValue('smtp.gmail.com')
  await expect(dialog.getByLabel('SMTP port')).toHaveValue('465')
  await expect(dialog.getByText('Gmail settings filled in from the address.')).toBeVisible()
  await expect(dialog.getByText(/Gmail needs an app password/)).toBeVisible()
  await dialog.getByRole('switch', { name: 'Also read replies over IMAP' }).check()
  await expect(dialog.getByLabel('IMAP host')).toHaveValue('imap.gmail.com')
  await shots(page, 'mailbox-provider-gmail')

  // The real servers, with a wrong password and a TLS mode the plain port does not speak.
  await dialog.getByLabel('Email address').fill(xena.email)
  await dialog.getByLabel('SMTP host').fill(MAIL.host)
  await dialog.getByLabel('SMTP security').selectOption('none')
  await dialog.getByLabel('SMTP port').fill(String(MAIL.ports.smtp))
  await dialog.getByLabel('SMTP password').fill('wrong-password')
  await expect(dialog.getByLabel('IMAP host')).toHaveValue(MAIL.host)
  await dialog.getByLabel('IMAP port').fill(String(MAIL.ports.imap))
  await dialog.getByLabel('IMAP security').selectOption('tls')
  await dialog.getByLabel('IMAP port').fill(String(MAIL.ports.imap))
  await dialog.getByRole('button', { name: 'Add mailbox' }).click()
  const result = dialog.getByRole('alert', { name: 'Connection test' })
  await expect(result).toContainText('Outgoing mail (SMTP): Sign-in failed', { timeout: 20_000 })
  await expect(result).toContainText('The SMTP server refused the login')
  await expect(result).toContainText('Incoming mail (IMAP): Wrong security setting')
  await expect(result).not.toContainText(/ssl3_|openssl|wrong version number/i)
  // The fields they point at are marked, and nothing was saved.
  await expect(dialog.getByLabel('SMTP password')).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByLabel('IMAP security')).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByRole('button', { name: 'Save anyway' })).toBeVisible()
  expect(await app.rpc('mailboxes.list', {})).toEqual([])
  await shots(page, 'mailbox-test-failed', false, result)

  // Any edit drops the stale result; the right settings pass and save.
  await dialog.getByLabel('SMTP password').fill(xena.password)
  await expect(result).toBeHidden()
  await expect(dialog.getByRole('button', { name: 'Save anyway' })).toBeHidden()
  await dialog.getByLabel('IMAP security').selectOption('none')
  await dialog.getByLabel('IMAP port').fill(String(MAIL.ports.imap))
  await dialog.getByRole('button', { name: 'Add mailbox' }).click()
  await expect(dialog).toBeHidden({ timeout: 20_000 })
  const [saved] = await app.rpc('mailboxes.list', {})
  expect(saved).toMatchObject({ email: xena.email, smtp: { host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' }, imap: { host: MAIL.host, port: MAIL.ports.imap, hasPassword: true }, status: 'active' })
  await shots(page, 'mailbox-test-passed', true)
})

test('onboarding: a tested SMTP mailbox, and a Mailgun choice backed out of is not kept', async ({ page, app }) => {
  await page.getByLabel('Business name').fill('Zoe Bakery')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByText('Mailgun domain').click()
  await page.getByLabel('Sending domain').fill('mg.zoebakery.test')
  await page.getByLabel('API key').fill('key-0123456789abcdef')
  await page.getByRole('button', { name: 'Continue' }).click()
  // Mailgun cannot be reached from here: the test says so, and only an explicit choice saves.
  await expect(page.getByRole('alert', { name: 'Connection test' })).toContainText('Mailgun:')
  await shots(page, 'onboarding-mailgun-test-failed', true)
  await page.getByRole('button', { name: 'Save anyway' }).click()
  await expect(page.getByRole('heading', { name: 'Who are emails from?' })).toBeVisible()
  expect((await app.rpc('objects.list', {}))[0].mailgun).toMatchObject({ sendingDomain: 'mg.zoebakery.test' })

  // Back, and an SMTP mailbox instead.
  await page.getByRole('button', { name: 'Back' }).click()
  await page.getByText('SMTP mailbox').click()
  await page.getByLabel('Email address').fill(xena.email)
  await page.getByLabel('SMTP host').fill(MAIL.host)
  await page.getByLabel('SMTP security').selectOption('none')
  await page.getByLabel('SMTP port').fill(String(MAIL.ports.smtp))
  await page.getByLabel('SMTP password').fill(xena.password)
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Who are emails from?' })).toBeVisible({ timeout: 20_000 })
  const [obj] = await app.rpc('objects.list', {})
  expect(obj.mailgun).toBeNull()
  expect(await app.rpc('mailboxes.list', {})).toEqual([expect.objectContaining({ email: xena.email, status: 'active' })])
  await expect(page.getByLabel('Send through')).not.toContainText('Mailgun')
})
