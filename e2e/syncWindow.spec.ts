// The sync window (issue 23) in the mailbox settings: "Mail to keep" offers all mail or the last 3, 6, 12
// or 24 months, is saved without a new sign-in test (the connection did not change), and shows in the list.
import { expect, test } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from '../test/mail/servers'

test('a mailbox keeps only the last months of mail when asked, from its settings', async ({ page, app }) => {
  const biz = await app.rpc('objects.create', { name: 'Harbor Dental' })
  await app.rpc('mailboxes.create', {
    objectId: biz.id,
    email: 'front@harbor.test',
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'front@harbor.test', password: 'pw' },
    imap: { host: '127.0.0.1', port: 9, secure: 'none', user: 'front@harbor.test', password: 'pw' },
  })
  await page.reload()
  await page.getByRole('link', { name: 'Businesses' }).click()
  const mailboxes = page.getByRole('list', { name: 'Mailboxes' })
  await expect(mailboxes).toContainText('All mail')
  await page.getByRole('button', { name: 'Edit mailbox front@harbor.test' }).click()
  const dialog = page.getByRole('dialog', { name: 'Edit mailbox' })
  const keep = dialog.getByLabel('Mail to keep')
  await expect(keep).toHaveValue('all')
  await expect(keep.locator('option')).toHaveText(['All mail', 'Last 3 months', 'Last 6 months', 'Last 12 months', 'Last 24 months'])
  await keep.selectOption('6')
  await expect(dialog.getByText('Older mail stays on the server')).toBeVisible()
  await keep.scrollIntoViewIfNeeded()
  await shot(page, 'mailbox-sync-window')
  await dialog.getByRole('button', { name: 'Save mailbox' }).click()
  await expect(dialog).toBeHidden()
  await expect(mailboxes).toContainText('Last 6 months')
  const [stored] = await app.rpc('mailboxes.list', { objectId: biz.id })
  expect(stored.syncWindowMonths).toBe(6)
  await shot(page, 'mailbox-sync-window-list')
})

test('the contact page says older mail stays on the server, finds it there and opens it', async ({ page, app }) => {
  test.setTimeout(180_000)
  await ensureMailServers()
  await resetMailbox('ben', { deleteFolders: true })
  const DAY = 86_400_000
  // ben's INBOX: one message from the client a year ago (outside a 6-month window), one last week.
  await withImap('ben', async (c) => {
    for (const [days, subject] of [
      [365, 'Quote for the spring refit'],
      [7, 'Booking for next week'],
    ] as const) {
      const date = new Date(Date.now() - days * DAY)
      const raw = [`From: Nora Client <nora@outside.test>`, `To: ${MAIL.users.ben.email}`, `Subject: ${subject}`, `Date: ${date.toUTCString()}`, `Message-ID: <${days}.e2e@outside.test>`, '', `About: ${subject}.`, ''].join('\r\n')
      await c.append('INBOX', raw, [], date)
    }
  })
  const biz = await app.rpc('objects.create', { name: 'Marina Works' })
  const server = (port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users.ben.email, password: MAIL.users.ben.password })
  const mailbox = await app.rpc('mailboxes.create', { objectId: biz.id, email: MAIL.users.ben.email, minGapSeconds: 0, smtp: server(MAIL.ports.smtp), imap: server(MAIL.ports.imap), syncWindowMonths: 6 })
  const nora = await app.rpc('contacts.create', { email: 'nora@outside.test', firstName: 'Nora', lastName: 'Client', primaryObjectId: biz.id })
  await waitFor(async () => (await app.rpc('mailboxes.list', { objectId: biz.id }))[0]?.olderOnServer === true, { timeoutMs: 60_000, message: 'older mail counted' })
  expect((await app.rpc('inbox.list', { contactId: nora.id, folder: 'all' })).threads.map((t) => t.subject)).toEqual(['Booking for next week'])

  await page.goto(`${app.url}#/contacts/${nora.id}`)
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible()
  const note = page.getByRole('note')
  await expect(note).toContainText(`${MAIL.users.ben.email} keeps last 6 months on this computer`)
  await note.getByRole('button', { name: 'Search the server' }).click()
  const found = note.getByRole('list', { name: 'Mail on the server' })
  await expect(found).toContainText('Quote for the spring refit')
  await note.scrollIntoViewIfNeeded()
  await shot(page, 'contact-older-on-server')
  await found.getByRole('button', { name: 'Open' }).click()
  await expect(page).toHaveURL(/#\/inbox\/\d+/)
  await expect(page.getByText('About: Quote for the spring refit.').first()).toBeVisible()
  expect((await app.rpc('inbox.list', { contactId: nora.id, folder: 'all' })).threads).toHaveLength(2)
  void mailbox
})
