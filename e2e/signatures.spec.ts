// Signatures written with the rich editor (issue 20): bold and a link typed in the sender profile show in a
// new message and in an inline reply, and switching From in compose swaps them. Real engine, Postfix and
// Dovecot. Mail users: fay (the business mailbox, synced) and gus (writes in) — this spec's own.
import { expect, test, type App } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, MAIL, resetMailbox, smtpTransport } from '../test/mail/servers'

test.use({ engineOptions: { outbound: { undoMs: 1500, eventsPollMs: 0 } } })

test.beforeAll(async () => {
  test.setTimeout(120_000)
  await ensureMailServers()
  await Promise.all([resetMailbox('fay'), resetMailbox('gus')])
})

const server = (user: 'fay', port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })

async function business(app: App) {
  const object = await app.rpc('objects.create', { name: 'Harbor Books', timezone: 'Europe/London' })
  const fay = await app.rpc('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users.fay.email,
    displayName: 'Fay',
    minGapSeconds: 0,
    smtp: server('fay', MAIL.ports.smtp),
    imap: server('fay', MAIL.ports.imap),
  })
  // A second sender nobody listens on (nothing is sent from it); gus stays a customer who writes in.
  const desk = await app.rpc('mailboxes.create', { objectId: object.id, email: 'desk@harbor.test', displayName: 'Desk', minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk', password: 'x' }, imap: null })
  await app.rpc('profiles.create', { objectId: object.id, email: MAIL.users.fay.email, displayName: 'Fay at Harbor Books', transport: { kind: 'smtp', mailboxId: fay.id } })
  await app.rpc('profiles.create', {
    objectId: object.id,
    email: 'desk@harbor.test',
    displayName: 'Front desk',
    transport: { kind: 'smtp', mailboxId: desk.id },
    signatureHtml: '<p>The front desk, Harbor Books</p>',
  })
  return object
}

test('a signature with bold and a link, written in the profile, shows in compose and an inline reply; switching From swaps it', async ({ page, app }) => {
  test.setTimeout(120_000)
  const object = await business(app)
  await page.goto(`${app.url}#/businesses/${object.id}`)
  await page.reload()

  // Written in the profile dialog with the rich editor: a bold name, then a link on the next line.
  await page.getByRole('button', { name: `Edit profile ${MAIL.users.fay.email}` }).click()
  const dialog = page.getByRole('dialog', { name: 'Edit sender profile' })
  const editor = dialog.getByRole('textbox', { name: 'Signature', exact: true })
  await editor.click()
  await page.keyboard.press('Control+B')
  await page.keyboard.type('Fay Larsen')
  await page.keyboard.press('Control+B')
  await page.keyboard.type(', bookseller')
  await page.keyboard.press('Enter')
  await dialog.getByRole('button', { name: 'Link' }).click()
  await dialog.getByLabel('Link address').fill('harbor.test')
  await dialog.getByLabel('Link address').press('Enter')
  await expect(editor.locator('a[href^="https://harbor.test"]')).toHaveText('harbor.test')
  // No variable menu: a signature is sent as written.
  await expect(dialog.getByRole('button', { name: 'Variable' })).toHaveCount(0)
  await shot(page, 'signature-profile', false)
  await dialog.getByRole('button', { name: 'Save profile' }).click()
  await expect(dialog).toBeHidden()
  const saved = (await app.rpc('profiles.list', {})).find((p) => p.email === MAIL.users.fay.email)!.signatureHtml
  expect(saved).toContain('<strong>Fay Larsen</strong>, bookseller')
  expect(saved).toMatch(/<a [^>]*href="https:\/\/harbor\.test\/?"[^>]*>harbor\.test<\/a>/)

  // Opened again, it is the same rich text, and saving it again keeps it so.
  await page.getByRole('button', { name: `Edit profile ${MAIL.users.fay.email}` }).click()
  await expect(dialog.getByRole('textbox', { name: 'Signature', exact: true }).locator('strong')).toHaveText('Fay Larsen')
  await dialog.getByRole('button', { name: 'Save profile' }).click()
  await expect(dialog).toBeHidden()
  const again = (await app.rpc('profiles.list', {})).find((p) => p.email === MAIL.users.fay.email)!.signatureHtml
  expect(again).toContain('<p><strong>Fay Larsen</strong>, bookseller</p>')
  expect(again).toMatch(/<a [^>]*href="https:\/\/harbor\.test\/?"[^>]*>harbor\.test<\/a>/)

  // A new message from Fay: room to type, then "--" and the signature, bold and link intact.
  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const compose = page.getByRole('dialog', { name: 'New message' })
  const from = compose.getByLabel('From', { exact: true })
  await from.selectOption({ label: `Fay at Harbor Books <${MAIL.users.fay.email}> · Harbor Books` })
  const body = compose.getByRole('textbox', { name: 'Message', exact: true })
  await expect(body.locator('strong')).toHaveText('Fay Larsen')
  await expect(body.locator('a[href^="https://harbor.test"]')).toHaveText('harbor.test')
  await expect(body).toContainText('--')
  await body.locator('p').first().click()
  await page.keyboard.type('Your order is in.')
  await compose.getByLabel('Subject').fill('Your order')
  await shot(page, 'signature-compose', false)

  // Switching From swaps the block and leaves the typed words alone.
  await from.selectOption({ label: 'Front desk <desk@harbor.test> · Harbor Books' })
  await expect(body).toContainText('The front desk, Harbor Books')
  await expect(body).not.toContainText('Fay Larsen')
  await expect(body.locator('a')).toHaveCount(0)
  await expect(body.locator('p').first()).toHaveText('Your order is in.')
  await from.selectOption({ label: `Fay at Harbor Books <${MAIL.users.fay.email}> · Harbor Books` })
  await expect(body.locator('strong')).toHaveText('Fay Larsen')
  await expect(body.locator('a[href^="https://harbor.test"]')).toHaveText('harbor.test')
  await expect(body).not.toContainText('The front desk')
  await expect(body.locator('p').first()).toHaveText('Your order is in.')
  await compose.getByRole('button', { name: 'Close' }).first().click()

  // An inline reply to mail that came into Fay's mailbox carries her signature too.
  await smtpTransport('gus').sendMail({ from: `Gus Moreau <${MAIL.users.gus.email}>`, to: MAIL.users.fay.email, subject: 'Is the atlas in?', text: 'Asking for a customer.' })
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Inbox/ }).click()
  const list = page.getByRole('list', { name: 'Conversations' })
  await expect(list.getByRole('listitem').filter({ hasText: 'Is the atlas in?' })).toBeVisible({ timeout: 30_000 })
  await list.getByRole('listitem').filter({ hasText: 'Is the atlas in?' }).click()
  const pane = page.getByRole('region', { name: 'Conversation' })
  await pane.getByRole('button', { name: 'Reply', exact: true }).first().click()
  const reply = pane.getByRole('region', { name: 'Reply' }).getByRole('textbox', { name: 'Reply text', exact: true })
  await expect(reply.locator('strong')).toHaveText('Fay Larsen')
  await expect(reply.locator('a[href^="https://harbor.test"]')).toHaveText('harbor.test')
  await expect(reply).toContainText('--')
  // The cursor waits above the signature, where the reply is written.
  await expect(reply).toBeFocused()
  await page.keyboard.type('Yes, one copy.')
  await expect(reply.locator('p').first()).toHaveText('Yes, one copy.')
  await expect(reply.locator('a')).toHaveText('harbor.test')
  await shot(page, 'signature-reply', false)
})
