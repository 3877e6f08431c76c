// Attachments, Bcc, signatures and reply drafts in Chromium against the real engine, Postfix and Dovecot
// (issue 20). Mail users: bea (the business mailbox, synced), abe (writes in), cal (receives) — this spec's own.
import { simpleParser } from 'mailparser'
import type { Page } from '@playwright/test'
import { expect, test, type App } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, smtpTransport, waitFor } from '../test/mail/servers'

test.use({ engineOptions: { outbound: { undoMs: 1500, eventsPollMs: 0 } } })

test.beforeAll(async () => {
  test.setTimeout(600_000)
  await ensureMailServers()
  await Promise.all([resetMailbox('abe'), resetMailbox('bea'), resetMailbox('cal')])
})

const server = (port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users.bea.email, password: MAIL.users.bea.password })

async function business(app: App) {
  const object = await app.rpc('objects.create', { name: 'Harbor Books', timezone: 'Europe/London' })
  const mailbox = await app.rpc('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users.bea.email,
    displayName: 'Bea',
    dailyCapacity: 100,
    minGapSeconds: 0,
    smtp: server(MAIL.ports.smtp),
    imap: server(MAIL.ports.imap),
  })
  const profile = await app.rpc('profiles.create', {
    objectId: object.id,
    email: MAIL.users.bea.email,
    displayName: 'Bea at Harbor Books',
    transport: { kind: 'smtp', mailboxId: mailbox.id },
    signatureHtml: '<p>Bea Lindqvist<br>Harbor Books · 12 Quay St</p>',
  })
  return { object, mailbox, profile }
}

/** The rich editor's text as a reader sees it (innerText), with paragraphs and line breaks as single spaces. */
const words = (s: string) => s.replace(/\s+/g, ' ').trim()

const both = async (page: Page, name: string, fullPage = false) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await shot(page, `${name}-1440`, fullPage)
  await page.setViewportSize({ width: 1024, height: 700 })
  await shot(page, `${name}-1024`, fullPage)
  await page.setViewportSize({ width: 1360, height: 860 })
}

test('attach a file in compose, send it with a Bcc and the signature, and see it in the outbox', async ({ page, app }) => {
  test.setTimeout(120_000)
  await business(app)
  await page.goto(`${app.url}#/outbox`)
  await page.reload()
  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  // The sender's signature is in the body, under room to type.
  await expect.poll(async () => words(await dialog.getByLabel('Message', { exact: true }).innerText())).toBe(words('\n\n--\nBea Lindqvist\nHarbor Books · 12 Quay St'))
  await dialog.getByRole('combobox', { name: 'To', exact: true }).fill(`${MAIL.users.cal.email},`)
  await dialog.getByRole('button', { name: 'Bcc', exact: true }).click()
  await dialog.getByRole('combobox', { name: 'Bcc', exact: true }).fill(`${MAIL.users.abe.email},`)
  await dialog.getByLabel('Subject').fill('Your order: invoice attached')
  await dialog.getByLabel('Message', { exact: true }).press('Control+Home')
  await dialog.getByLabel('Message', { exact: true }).pressSequentially('Hi Cal, the invoice is attached.')

  // Over 25 MB is refused here, before anything is uploaded.
  await dialog.getByTestId('attach-input').setInputFiles({ name: 'scans.zip', mimeType: 'application/zip', buffer: Buffer.alloc(26 * 1024 * 1024) })
  await expect(dialog.getByRole('alert')).toContainText('scans.zip (26.0 MB) would bring the attachments to 26.0 MB; a message can carry 25 MB of attachments at most.')
  await both(page, 'compose-attachment-too-big')
  const pdf = Buffer.from('%PDF-1.4 invoice 2026-114 '.repeat(400))
  await dialog.getByTestId('attach-input').setInputFiles({ name: 'invoice-2026-114.pdf', mimeType: 'application/pdf', buffer: pdf })
  const chip = dialog.getByRole('list', { name: /Attachments/ }).getByRole('listitem')
  await expect(chip).toHaveCount(1)
  await expect(chip).toContainText('invoice-2026-114.pdf')
  await expect(chip).toContainText('10 KB')
  await expect(dialog.getByRole('alert')).toHaveCount(0)
  await expect(dialog.getByRole('status')).toContainText('Saved')
  const [draft] = await app.rpc('drafts.list', {})
  expect(draft).toMatchObject({ to: [MAIL.users.cal.email], bcc: [MAIL.users.abe.email] })
  expect(draft!.attachments.map((a) => a.filename)).toEqual(['invoice-2026-114.pdf'])
  await both(page, 'compose-attachment')

  await dialog.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Message queued' })).toBeVisible()
  await expect(page.getByText('0 waiting · 1 done')).toBeVisible({ timeout: 30_000 })
  await page.getByRole('button', { name: /Recent/ }).click()
  const row = page.getByRole('list', { name: 'Recent' }).getByRole('listitem').filter({ hasText: 'Your order: invoice attached' })
  await expect(row).toContainText('Sent')
  await row.getByRole('link', { name: 'Your order: invoice attached' }).click()
  const details = page.getByRole('complementary', { name: 'Message details' })
  await expect(details.getByRole('list', { name: 'Attachments' })).toContainText('invoice-2026-114.pdf')
  await expect(details).toContainText(`Bcc${MAIL.users.abe.email}`)
  await both(page, 'outbox-sent-attachment', true)

  // It arrived with its file and signature; Cal's copy does not name the Bcc.
  const got = await waitFor(async () => (await fetchMessages('cal')).find((m) => m.subject === 'Your order: invoice attached'), { timeoutMs: 20_000 })
  expect(got.source).not.toContain(MAIL.users.abe.email)
  const parsed = await simpleParser(got.source)
  expect(parsed.attachments.map((a) => a.filename)).toEqual(['invoice-2026-114.pdf'])
  expect(parsed.attachments[0]!.content.equals(pdf)).toBe(true)
  expect(parsed.text).toMatch(/Hi Cal, the invoice is attached\.\s*--\s*Bea Lindqvist/)
  await waitFor(async () => (await fetchMessages('abe')).some((m) => m.subject === 'Your order: invoice attached'), { timeoutMs: 20_000 })
})

test('a reply survives Esc, another conversation and a reload; a forward keeps the files', async ({ page, app }) => {
  test.setTimeout(120_000)
  await business(app)
  const smtp = smtpTransport('abe')
  await smtp.sendMail({ from: `Abe Novak <${MAIL.users.abe.email}>`, to: MAIL.users.bea.email, subject: 'Do you have the atlas?', text: 'Looking for the 1920 harbour atlas.' })
  await smtp.sendMail({
    from: `Abe Novak <${MAIL.users.abe.email}>`,
    to: MAIL.users.bea.email,
    subject: 'Two scans for you',
    text: 'Both pages attached.',
    attachments: [
      { filename: 'page-1.png', content: Buffer.from('png one'), contentType: 'image/png' },
      { filename: 'page-2.png', content: Buffer.from('png two'), contentType: 'image/png' },
    ],
  })
  await page.goto(`${app.url}#/inbox`)
  await page.reload()
  const list = page.getByRole('list', { name: 'Conversations' })
  // (The first test's sent message may be here too, synced from Sent.)
  await expect(list.getByRole('listitem').filter({ hasText: 'Two scans for you' })).toBeVisible({ timeout: 20_000 })
  await expect(list.getByRole('listitem').filter({ hasText: 'Do you have the atlas?' })).toBeVisible({ timeout: 20_000 })
  const pane = page.getByRole('region', { name: 'Conversation' })

  await list.getByRole('listitem').filter({ hasText: 'Do you have the atlas?' }).click()
  await pane.getByRole('button', { name: 'Reply', exact: true }).first().click()
  const reply = pane.getByRole('region', { name: 'Reply' })
  const text = reply.getByLabel('Reply text')
  await expect(text).toBeFocused()
  await expect.poll(async () => words(await text.innerText())).toBe(words('\n\n--\nBea Lindqvist\nHarbor Books · 12 Quay St'))
  await text.pressSequentially('Yes, we have one copy.')
  // Esc keeps it as a draft instead of throwing it away.
  await text.press('Escape')
  await expect(reply).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: 'Reply saved as a draft' })).toBeVisible()

  // Another conversation, then back: the reply is where it was written.
  await list.getByRole('listitem').filter({ hasText: 'Two scans for you' }).click()
  await expect(pane.getByRole('heading', { name: 'Two scans for you' })).toBeVisible()
  await list.getByRole('listitem').filter({ hasText: 'Do you have the atlas?' }).click()
  await expect.poll(async () => words(await reply.getByLabel('Reply text').innerText())).toBe(words('Yes, we have one copy.\n\n--\nBea Lindqvist\nHarbor Books · 12 Quay St'))

  // The last words typed before a reload are kept too (no time for the autosave to run).
  // The draft opens focused at its end (the editor focuses itself just after it mounts): wait for that first.
  await expect(reply.getByLabel('Reply text')).toBeFocused()
  await reply.getByLabel('Reply text').locator('p').first().click()
  await reply.getByLabel('Reply text').press('End')
  await reply.getByLabel('Reply text').pressSequentially(' It is £40.')
  await page.reload()
  await list.getByRole('listitem').filter({ hasText: 'Do you have the atlas?' }).click()
  await expect.poll(async () => words(await pane.getByRole('region', { name: 'Reply' }).getByLabel('Reply text').innerText()), { timeout: 15_000 }).toBe(words('Yes, we have one copy. It is £40.\n\n--\nBea Lindqvist\nHarbor Books · 12 Quay St'))
  const drafts = await app.rpc('drafts.list', {})
  expect(drafts).toHaveLength(1)
  expect(drafts[0]!.replyTo).toMatchObject({ mode: 'reply' })
  await both(page, 'reply-draft-restored')

  // It is in Drafts too, marked as a reply; opening the conversation from there brings it back again.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drafts' }).click()
  const draftRow = page.getByRole('list', { name: 'Drafts' }).getByRole('listitem')
  await expect(draftRow).toHaveCount(1)
  await expect(draftRow).toContainText('Reply')
  await expect(draftRow).toContainText('Re: Do you have the atlas?')
  await both(page, 'drafts-reply', true)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Inbox/ }).click()
  await list.getByRole('listitem').filter({ hasText: 'Do you have the atlas?' }).click()
  await expect.poll(async () => words(await pane.getByRole('region', { name: 'Reply' }).getByLabel('Reply text').innerText())).toBe(words('Yes, we have one copy. It is £40.\n\n--\nBea Lindqvist\nHarbor Books · 12 Quay St'))

  // Sent from the restored draft: threaded onto Abe's message, with what was typed.
  await pane.getByRole('region', { name: 'Reply' }).getByRole('button', { name: 'Send', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Message queued' })).toBeVisible()
  const answered = await waitFor(async () => (await fetchMessages('abe')).find((m) => m.subject === 'Re: Do you have the atlas?'), { timeoutMs: 30_000 })
  expect(answered.source).toMatch(/^In-Reply-To: </m)
  expect(answered.source).toContain('It is =C2=A340.')
  expect(await app.rpc('drafts.list', {})).toHaveLength(0)

  // Forward: the original's files come along, each removable.
  await list.getByRole('listitem').filter({ hasText: 'Two scans for you' }).click()
  await pane.getByRole('button', { name: 'Forward', exact: true }).first().click()
  const fwd = pane.getByRole('region', { name: 'Forward' })
  const files = fwd.getByRole('list', { name: /Attachments/ }).getByRole('listitem')
  await expect(files).toHaveCount(2)
  await expect(files.first()).toContainText('from the original')
  // A file dropped on the forward joins them.
  const dropped = await page.evaluateHandle(() => {
    // (The e2e project has no DOM types; this runs in the page.)
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } }
      File: new (parts: string[], name: string, opts: { type: string }) => unknown
    }
    const dt = new g.DataTransfer()
    dt.items.add(new g.File(['Catalogue notes'], 'notes.txt', { type: 'text/plain' }))
    return dt
  })
  await fwd.dispatchEvent('dragenter', { dataTransfer: dropped })
  await fwd.dispatchEvent('dragover', { dataTransfer: dropped })
  await fwd.dispatchEvent('drop', { dataTransfer: dropped })
  await expect(files).toHaveCount(3)
  await expect(files.nth(2)).toContainText('notes.txt')
  await expect(files.nth(2)).not.toContainText('Attaching')
  await fwd.getByRole('combobox', { name: 'To', exact: true }).fill(`${MAIL.users.cal.email},`)
  await both(page, 'forward-attachments')
  await fwd.getByRole('button', { name: 'Send', exact: true }).click()
  const forwarded = await waitFor(async () => (await fetchMessages('cal')).find((m) => m.subject === 'Fwd: Two scans for you'), { timeoutMs: 30_000 })
  const parsedFwd = await simpleParser(forwarded.source)
  expect(parsedFwd.attachments.map((a) => a.filename)).toEqual(['page-1.png', 'page-2.png', 'notes.txt'])
  expect(parsedFwd.attachments[2]!.content.toString()).toBe('Catalogue notes')
})

// The signature written in the profile dialog and swapped by From: e2e/signatures.spec.ts.
