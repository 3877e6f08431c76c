// Inbox triage with the keyboard in Chromium against the real engine and the real Dovecot: archive (e),
// delete (#), star (s), select (x), move (v) and the row menu; each change is checked on the server.
// Mail user: uma (this spec's own; its vitest file runs before Playwright, never at the same time).
import { expect, test } from './fixtures'
import { shot } from './shot'
import { appendMessages, serverUid } from '../test/mail/triageMail'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from '../test/mail/servers'

test.beforeAll(async () => {
  test.setTimeout(600_000)
  await ensureMailServers()
})

const server = (port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users.uma.email, password: MAIL.users.uma.password })

test('triage with the keyboard: archive, delete, star, select, move; every change reaches the server', async ({ page, app }) => {
  test.setTimeout(180_000)
  await resetMailbox('uma', { deleteFolders: true })
  await withImap('uma', async (c) => {
    await c.mailboxCreate('Clients')
    await c.mailboxSubscribe('Clients')
  })
  const subjects = ['Quarterly numbers', 'Lunch on Friday?', 'Invoice 2026-114', 'Your order has shipped', 'Team offsite agenda', 'Newsletter: spring deals']
  const mids = await appendMessages('uma', 'INBOX', subjects)
  const mid = (subject: string) => mids[subjects.indexOf(subject)]!
  const object = await app.rpc('objects.create', { name: 'Northwind Studio', timezone: 'Europe/London' })
  await app.rpc('mailboxes.create', { objectId: object.id, email: MAIL.users.uma.email, displayName: 'Uma', dailyCapacity: 100, minGapSeconds: 0, smtp: server(MAIL.ports.smtp), imap: server(MAIL.ports.imap) })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`${app.url}#/inbox`)
  await page.reload()
  const list = page.getByRole('list', { name: 'Conversations' })
  await expect(list.getByRole('listitem')).toHaveCount(6, { timeout: 20_000 })
  const row = (subject: string) => list.getByRole('listitem').filter({ hasText: subject })

  // j opens the newest; e archives it and opens the next one.
  await page.keyboard.press('j')
  await expect(row('Newsletter: spring deals')).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('e')
  await expect(row('Newsletter: spring deals')).toHaveCount(0)
  await expect(page.getByText(/Archived: 1 conversation/)).toBeVisible()
  await expect(row('Team offsite agenda')).toHaveAttribute('aria-current', 'true')

  // x selects the open one, j + x one more, # deletes both.
  await page.keyboard.press('x')
  await page.keyboard.press('j')
  await expect(row('Your order has shipped')).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('x')
  await expect(page.getByText('2 selected')).toBeVisible()
  await shot(page, 'triage-selection', false)
  await page.keyboard.press('#')
  await expect(row('Team offsite agenda')).toHaveCount(0)
  await expect(row('Your order has shipped')).toHaveCount(0)

  // s stars the open conversation; v moves it to a folder chosen by typing.
  await expect(row('Invoice 2026-114')).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('j')
  await expect(row('Lunch on Friday?')).toHaveAttribute('aria-current', 'true')
  // (Named, not read from the row: until it is marked read its subject reads "Unread: …" to a screen reader.)
  const starred = 'Lunch on Friday?'
  await page.keyboard.press('s')
  await expect(row(starred).getByRole('button', { name: 'Remove star' })).toBeVisible()
  await page.keyboard.press('v')
  const picker = page.getByRole('dialog', { name: 'Move to folder' })
  await expect(picker).toBeVisible()
  await page.keyboard.type('Cli')
  await shot(page, 'triage-move-picker', false)
  await page.keyboard.press('Enter')
  await expect(picker).toHaveCount(0)
  await expect(row(starred)).toHaveCount(0)

  // The row menu on right-click; Star from it.
  await row('Invoice 2026-114').click({ button: 'right' })
  const menu = page.getByRole('menu', { name: 'Conversation menu' })
  await expect(menu).toBeVisible()
  await shot(page, 'triage-context-menu', false)
  await menu.getByRole('menuitem', { name: /^Star/ }).click()
  await expect(menu).toHaveCount(0)

  // Everything reached the server.
  await waitFor(async () => (await serverUid('uma', 'Archive', mid('Newsletter: spring deals'))) !== null, { timeoutMs: 30_000, message: 'archived on the server' })
  await waitFor(async () => (await serverUid('uma', 'Trash', mid('Team offsite agenda'))) !== null && (await serverUid('uma', 'Trash', mid('Your order has shipped'))) !== null, { timeoutMs: 30_000, message: 'trashed on the server' })
  await waitFor(async () => (await serverUid('uma', 'Clients', mid(starred)))?.flags.has('\\Flagged'), { timeoutMs: 30_000, message: 'starred and filed on the server' })
  await waitFor(async () => (await serverUid('uma', 'INBOX', mid('Invoice 2026-114')))?.flags.has('\\Flagged'), { timeoutMs: 30_000, message: 'starred from the menu on the server' })

  // The folder list: Archive, Trash and the filed folder open their views.
  const rail = page.getByRole('navigation', { name: 'Mail filters' })
  await rail.getByRole('button', { name: /^Trash/ }).click()
  await expect(page.getByRole('heading', { name: 'Trash', level: 1 })).toBeVisible()
  await expect(list.getByRole('listitem')).toHaveCount(2)
  await rail.getByRole('button', { name: /^Clients/ }).click()
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await rail.getByRole('button', { name: /^Inbox/ }).click()
  await expect(list.getByRole('listitem')).toHaveCount(2)
  await shot(page, 'triage-inbox-1440', false)
  // Ctrl+A selects all, the toolbar offers the actions; a narrow window still fits.
  await page.keyboard.press('Control+a')
  await expect(page.getByText('2 selected')).toBeVisible()
  await page.setViewportSize({ width: 1024, height: 700 })
  await shot(page, 'triage-inbox-1024', false)
  await page.keyboard.press('Escape')
  await expect(page.getByText('2 selected')).toHaveCount(0)
})
