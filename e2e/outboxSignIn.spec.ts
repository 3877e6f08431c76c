// A scheduled message whose mailbox can't sign in warns in the outbox (row and detail) with the Fix action,
// from the mailbox's current status, and stops warning when the mailbox is fixed. Real engine and Postfix;
// the refused login uses an address Postfix does not know, so no mail user is needed and nothing is sent.
import { expect, test } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, MAIL } from '../test/mail/servers'

test.use({ engineOptions: { outbound: { undoMs: 0, eventsPollMs: 0 } } })

test.beforeAll(async () => {
  test.setTimeout(120_000)
  await ensureMailServers()
})

test('a scheduled message of a mailbox that cannot sign in says so, with Fix, until the mailbox is fixed', async ({ page, app }) => {
  test.setTimeout(90_000)
  const object = await app.rpc('objects.create', { name: 'Harbor Books', timezone: 'Europe/London' })
  const smtp = { host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: 'nobody@example.test', password: 'wrong-password' }
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: 'desk@harbor.test', displayName: 'Desk', minGapSeconds: 0, smtp })
  const profile = await app.rpc('profiles.create', { objectId: object.id, email: 'desk@harbor.test', displayName: 'Harbor Books', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const later = new Date(Date.now() + 26 * 3600_000).toISOString()
  const scheduled = await app.rpc('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Spring catalogue', html: '<p>Our spring list.</p>', sendAt: later })

  await page.goto(`${app.url}#/outbox`)
  await page.reload()
  const queued = page.getByRole('list', { name: 'Queued' })
  const row = queued.getByRole('listitem').filter({ hasText: 'Spring catalogue' })
  await expect(row).toContainText('Scheduled')
  await expect(row.getByRole('note')).toHaveCount(0)

  // A message sent now meets the refused login: the mailbox stops, and the scheduled one warns.
  await app.rpc('mail.send', { profileId: profile.id, to: ['ben@client.test'], subject: 'Order ready', html: '<p>Ready.</p>' })
  await expect.poll(async () => (await app.rpc('mailboxes.list', {}))[0]!.status, { timeout: 30_000 }).toBe('auth_error')
  const warning = row.getByRole('note')
  await expect(warning).toContainText('Mailbox can’t sign in: fix it before')
  await expect(warning.getByRole('button', { name: 'Fix sign-in' })).toBeVisible()
  expect((await app.rpc('outbox.get', { id: scheduled.id })).status).toBe('queued')
  await shot(page, 'outbox-scheduled-signin')

  // The detail says it too.
  await row.getByRole('link', { name: 'Spring catalogue' }).click()
  const detail = page.getByRole('complementary', { name: 'Message details' })
  await expect(detail.getByRole('note').filter({ hasText: 'Mailbox can’t sign in' })).toBeVisible()
  await shot(page, 'outbox-scheduled-signin-detail')

  // Fix goes to the business, where the mailbox's own "Fix sign-in" is.
  await detail.getByRole('button', { name: 'Fix sign-in' }).click()
  await expect(page).toHaveURL(new RegExp(`#/businesses/${object.id}$`))
  await expect(page.getByRole('button', { name: 'Fix sign-in' }).first()).toBeVisible()

  // Fixed (new settings saved): the warning goes, from the mailbox's status alone.
  await app.rpc('mailboxes.update', { id: mailbox.id, smtp: { ...smtp, password: 'another-password' } })
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Outbox/ }).click()
  await expect(row).toContainText('Scheduled')
  await expect(row.getByRole('note')).toHaveCount(0)
})
