// Compose in the UI, delivered by the engine through the real Postfix into the real Dovecot
// (scripts/mailservers.sh on loopback). Users: alice sends, carol receives (this spec's own).
import { expect, test } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, fetchMessages, MAIL, messageIds, resetMailbox, waitFor } from '../test/mail/servers'

test.use({ engineOptions: { outbound: { undoMs: 1500, eventsPollMs: 0 } } })

test.beforeAll(async () => {
  test.setTimeout(600_000)
  await ensureMailServers()
  await Promise.all([resetMailbox('alice'), resetMailbox('carol')])
})

const server = (user: 'alice' | 'carol', port: number = MAIL.ports.smtp, password = MAIL.users[user].password) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users[user].email, password })

test('a message composed in the UI lands in the recipient’s mailbox with the right headers, and in Sent', async ({ page, app }) => {
  const object = await app.rpc('objects.create', { name: 'Bloom Hair Studio', timezone: 'Europe/London' })
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: MAIL.users.alice.email, displayName: 'Alice', dailyCapacity: 100, minGapSeconds: 0, smtp: server('alice'), imap: server('alice', MAIL.ports.imap) })
  await app.rpc('profiles.create', { objectId: object.id, email: MAIL.users.alice.email, displayName: 'Alice at Bloom', replyTo: 'desk@example.test', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await app.rpc('contacts.create', { email: MAIL.users.carol.email, firstName: 'Carol', lastName: 'Diaz', primaryObjectId: object.id })
  await page.reload()

  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  const to = dialog.getByRole('combobox', { name: 'To', exact: true })
  await to.fill('carol')
  await dialog.getByRole('option', { name: /Carol Diaz/ }).click()
  await dialog.getByLabel('Subject').fill('Your colour appointment')
  await dialog.getByLabel('Message', { exact: true }).fill('Hi Carol,\n\nSee you on Friday at 10.')
  await dialog.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(dialog).toBeHidden()

  const [row] = await waitFor(async () => {
    const items = (await app.rpc('outbox.list', { status: 'sent' })).items
    return items.length ? items : undefined
  }, { timeoutMs: 20_000, message: 'the message is sent' })
  const [got] = await waitFor(async () => {
    const mine = (await fetchMessages('carol')).filter((m) => m.messageId === row!.messageId)
    return mine.length ? mine : undefined
  }, { message: 'delivered to carol' })
  expect(got!.subject).toBe('Your colour appointment')
  expect(got!.source).toMatch(/^From: Alice at Bloom <alice@example\.test>\r?$/m)
  expect(got!.replyTo).toEqual(['desk@example.test'])
  expect(got!.source).toContain('See you on Friday at 10.')
  await waitFor(async () => (await messageIds('alice', 'Sent')).includes(row!.messageId), { message: 'copy in Sent' })

  await page.getByRole('complementary').getByRole('link', { name: /Outbox/ }).click()
  await page.getByRole('button', { name: /Recent/ }).click()
  const recent = page.getByRole('list', { name: 'Recent' })
  await expect(recent).toContainText('Your colour appointment')
  await expect(recent).toContainText('Sent')
  await shot(page, 'outbox-sent-real')
})
