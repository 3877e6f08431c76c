// The sync window (issue 23) in the mailbox settings: "Mail to keep" offers all mail or the last 3, 6, 12
// or 24 months, is saved without a new sign-in test (the connection did not change), and shows in the list.
import { expect, test } from './fixtures'
import { shot } from './shot'

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
