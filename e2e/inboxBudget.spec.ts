// A message whose HTML is over the sanitiser's budget (issue 14) in Chromium against the real engine and
// Dovecot: the reading pane shows its words with a note, "Show original" shows the HTML source as text
// (nothing in it runs), and an ordinary message beside it is unaffected. Mail user: tara (this spec's own).
import { expect, test } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, MAIL, resetMailbox, withImap } from '../test/mail/servers'

test.use({ engineOptions: { outbound: { undoMs: 0, eventsPollMs: 0 } } })

test.beforeAll(async () => {
  test.setTimeout(600_000)
  await ensureMailServers()
  await resetMailbox('tara', { deleteFolders: true })
})

const server = (port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users.tara.email, password: MAIL.users.tara.password })
const mail = (subject: string, id: string, html: string) =>
  Buffer.from(
    `From: Nested Newsletter <news@nested.test>\r\nTo: ${MAIL.users.tara.email}\r\nSubject: ${subject}\r\nMessage-ID: <${id}@nested.test>\r\n` +
      `Date: Mon, 5 Jan 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`,
  )

test('HTML over the sanitising budget shows its text, and "Show original" its source as text', async ({ page, app }) => {
  test.setTimeout(120_000)
  const deep = '<div>'.repeat(20_000) + '<p>Spring timetable: yoga on Mondays, pilates on Thursdays.</p><script>document.title = "pwned"</script>' + '</div>'.repeat(20_000)
  await withImap('tara', async (c) => {
    await c.append('INBOX', mail('Spring timetable (deeply nested)', 'deep', deep))
    await c.append('INBOX', mail('Ordinary newsletter', 'plain', '<p>Hello from an <b>ordinary</b> newsletter.</p>'))
  })
  const object = await app.rpc('objects.create', { name: 'Nested Studio', timezone: 'Europe/London' })
  await app.rpc('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users.tara.email,
    displayName: 'Tara',
    minGapSeconds: 0,
    smtp: server(MAIL.ports.smtp),
    imap: server(MAIL.ports.imap),
  })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`${app.url}#/inbox`)
  await page.reload()
  const list = page.getByRole('list', { name: 'Conversations' })
  await expect(list.getByRole('listitem')).toHaveCount(2, { timeout: 20_000 })

  await list.getByRole('listitem').filter({ hasText: 'Spring timetable' }).click()
  const pane = page.getByRole('region', { name: 'Conversation' })
  const note = pane.getByRole('note').filter({ has: page.getByRole('button', { name: /^Show (original|text)$/ }) })
  await expect(note).toContainText('nested too deeply to display safely, so only its text is shown')
  await expect(pane.getByText('Spring timetable: yoga on Mondays, pilates on Thursdays.')).toBeVisible()
  await expect(pane.locator('iframe.message-frame')).toHaveCount(0)
  await shot(page, 'inbox-budget-text')

  await note.getByRole('button', { name: 'Show original' }).click()
  const source = pane.getByLabel('Original HTML source')
  await expect(source).toBeVisible()
  await expect(source).toContainText('<div><div><div>')
  await expect(source).toContainText('<script>document.title = "pwned"</script>')
  await expect(note).toContainText('nothing in it runs or loads')
  expect(await page.title()).not.toBe('pwned')
  await shot(page, 'inbox-budget-original')
  await page.setViewportSize({ width: 1024, height: 700 })
  await shot(page, 'inbox-budget-original-1024')

  await note.getByRole('button', { name: 'Show text' }).click()
  await expect(source).toHaveCount(0)
  await expect(pane.getByText('Spring timetable: yoga on Mondays, pilates on Thursdays.')).toBeVisible()
  await shot(page, 'inbox-budget-text-1024')

  // The ordinary message is still shown as HTML, with no note.
  await list.getByRole('listitem').filter({ hasText: 'Ordinary newsletter' }).click()
  await expect(pane.locator('iframe.message-frame').contentFrame().getByText('ordinary')).toBeVisible()
  await expect(pane.getByRole('note').filter({ hasText: 'display safely' })).toHaveCount(0)
  await shot(page, 'inbox-budget-ordinary-1024')
})
