// The unified inbox in Chromium against the real engine and the real Dovecot/Postfix on loopback.
// Mail users: leo (the business mailbox, synced by IMAP) and mia (a contact who writes in) — this spec's own.
import { createServer } from 'node:http'
import { expect, test } from './fixtures'
import { shot } from './shot'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, smtpTransport, waitFor, withImap } from '../test/mail/servers'

test.use({ engineOptions: { outbound: { undoMs: 1500, eventsPollMs: 0 } } })

test.beforeAll(async () => {
  test.setTimeout(600_000)
  await ensureMailServers()
  await Promise.all([resetMailbox('leo'), resetMailbox('mia')])
})

const server = (user: 'leo', port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })

/** \Seen on leo's server copy of the message with this Message-ID. */
const seenOnServer = (messageId: string) =>
  withImap('leo', async (client) => {
    await client.mailboxOpen('INBOX', { readOnly: true })
    const all = await client.fetchAll('1:*', { uid: true, envelope: true, flags: true })
    const m = all.find((x) => x.envelope?.messageId === messageId)
    return m ? m.flags?.has('\\Seen') === true : null
  })

test('mail from a contact arrives in the inbox, opens safely, is marked read on the server, and a reply reaches the contact', async ({ page, app }) => {
  test.setTimeout(120_000)
  const object = await app.rpc('objects.create', { name: 'Harbor Yoga', timezone: 'Europe/London' })
  const mailbox = await app.rpc('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users.leo.email,
    displayName: 'Leo',
    dailyCapacity: 100,
    minGapSeconds: 0,
    smtp: server('leo', MAIL.ports.smtp),
    imap: server('leo', MAIL.ports.imap),
  })
  await app.rpc('profiles.create', { objectId: object.id, email: MAIL.users.leo.email, displayName: 'Leo at Harbor Yoga', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const mia = await app.rpc('contacts.create', { email: MAIL.users.mia.email, firstName: 'Mia', lastName: 'Lopez', primaryObjectId: object.id })
  // Same document with a new hash: reload so the app boots past first-run with the data set up above.
  await page.goto(`${app.url}#/inbox`)
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Inbox', level: 1 })).toBeVisible()
  // The mailbox's sync state shows in the filter rail.
  await expect(page.getByRole('status', { name: /leo@example\.test: Up to date/ })).toBeVisible({ timeout: 20_000 })

  // Two earlier messages first, so the list has order and j/k have somewhere to go.
  const smtp = smtpTransport('mia')
  const earlier: string[] = []
  const list = page.getByRole('list', { name: 'Conversations' })
  for (const [subj, text] of [
    ['Thank you for Tuesday’s class', 'The breathing exercise at the end was exactly what I needed after a long week.'],
    ['Membership renewal', 'My 10-class card runs out next week. Can I renew it at the front desk or online?'],
  ]) {
    earlier.push((await smtp.sendMail({ from: 'Mia Lopez <mia@example.test>', to: MAIL.users.leo.email, subject: subj, text })).messageId)
    // Each arrives before the next is sent: two sent in one second were sometimes delivered (and numbered by IMAP)
    // in the other order, and messages of one second are listed by arrival.
    await expect(list.getByRole('listitem')).toHaveCount(earlier.length, { timeout: 15_000 })
  }
  // A burst of arrivals folds into one notice (or names the last one when they came apart).
  await expect(page.getByRole('status').filter({ hasText: /2 new messages|New mail from Mia Lopez: Membership renewal/ })).toBeVisible()

  // A "remote" image on another origin (localhost, not the app's 127.0.0.1): it must not be fetched until allowed.
  const imageHits: string[] = []
  const images = createServer((req, res) => (imageHits.push(req.url ?? ''), res.writeHead(200, { 'content-type': 'image/gif' }).end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'))))
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', () => r()))
  const imagePort = (images.address() as { port: number }).port

  const subject = 'Private class on Saturday?'
  const sent = await smtp.sendMail({
    from: 'Mia Lopez <mia@example.test>',
    to: MAIL.users.leo.email,
    subject,
    text: 'Hi Leo, could we book a private class on Saturday morning? Mia',
    // The script must not run, and the remote image must stay blocked until allowed.
    html:
      '<p title="marker">untouched</p><p>Hi Leo, could we book a <b>private class</b> on Saturday morning?</p>' +
      '<script>document.querySelector("[title=marker]").textContent = "pwned"; parent.postMessage("pwned", "*")</script>' +
      `<img src="http://localhost:${imagePort}/banner.gif" alt="banner" width="120" height="40"><p>Mia</p>`,
    attachments: [{ filename: 'timetable.txt', content: 'Sat 09:00 Vinyasa\nSat 10:30 Yin\n', contentType: 'text/plain' }],
  })
  const sentAt = Date.now()
  const row = list.getByRole('listitem').filter({ hasText: subject })
  await expect(row).toBeVisible({ timeout: 15_000 })
  const arrivalMs = Date.now() - sentAt
  // Matched to the contact: the row names her as the contact, not just by address.
  await expect(row).toContainText('Mia Lopez')
  await expect(row).toHaveClass(/is-unread/)
  await expect(list.getByRole('listitem').first()).toContainText(subject)
  await expect(page.getByRole('complementary').getByRole('link', { name: /Inbox/ })).toContainText('3')
  await expect(page).toHaveTitle('(3) Switchboard')
  // The new-mail notice names the sender and the subject.
  await expect(page.getByRole('status').filter({ hasText: `New mail from Mia Lopez: ${subject}` })).toBeVisible()
  test.info().annotations.push({ type: 'arrival', description: `SMTP accept to row on screen: ${arrivalMs} ms` })

  // Search (FTS) finds it by a word of the body; a word that is nowhere finds nothing.
  const search = page.getByRole('searchbox', { name: 'Search mail' })
  await search.fill('nonexistentword')
  await expect(page.getByRole('heading', { name: 'No mail matches your search' })).toBeVisible()
  // FTS syntax the engine cannot parse is said under the box; the screen keeps working.
  await search.fill('"unbalanced')
  await expect(page.getByRole('alert').filter({ hasText: 'Search could not be understood' })).toBeVisible()
  await search.fill('vinyasa OR private')
  await expect(row).toBeVisible()
  await search.fill('')
  await expect(row).toBeVisible()
  await shot(page, 'inbox-list')

  // Read elsewhere (\Seen set on the server by another client): the row turns read here too.
  const renewal = list.getByRole('listitem').filter({ hasText: 'Membership renewal' })
  await expect(renewal).toHaveClass(/is-unread/)
  await withImap('leo', async (client) => {
    await client.mailboxOpen('INBOX')
    const uids = await client.search({ header: { 'message-id': earlier[1]! } }, { uid: true })
    expect(uids).toHaveLength(1)
    await client.messageFlagsAdd(uids as number[], ['\\Seen'], { uid: true })
  })
  await expect(renewal).not.toHaveClass(/is-unread/, { timeout: 15_000 })

  // j opens the newest conversation (Esc leaves the search box first); it is marked read here and \Seen on
  // the server. k from the top stays there; j moves down and k comes back.
  await search.focus()
  await page.keyboard.press('Escape')
  await page.keyboard.press('j')
  await expect(row).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('j')
  await expect(list.getByRole('listitem').nth(1)).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('k')
  await expect(row).toHaveAttribute('aria-current', 'true')
  const pane = page.getByRole('region', { name: 'Conversation' })
  await expect(pane.getByRole('heading', { name: subject })).toBeVisible()
  await expect(pane.getByRole('link', { name: /Mia Lopez/ })).toBeVisible()
  await expect(row).not.toHaveClass(/is-unread/)
  await waitFor(() => seenOnServer(sent.messageId), { timeoutMs: 15_000, message: '\\Seen on the server' })

  // The HTML is in a sandboxed frame without scripts; the script did not run.
  const frame = pane.locator('iframe.message-frame')
  await expect(frame).toHaveAttribute('sandbox', 'allow-popups allow-popups-to-escape-sandbox')
  await expect(frame.contentFrame().locator('[title="marker"]')).toHaveText('untouched')
  expect(await frame.getAttribute('srcdoc')).toContain("default-src 'none'")
  await expect(frame.contentFrame().getByText('private class')).toBeVisible()
  expect(await frame.contentFrame().locator('script').count()).toBe(0)

  // Remote images are blocked behind a bar until allowed for this message.
  const imagesBar = pane.getByRole('note').filter({ hasText: 'Remote images are blocked' })
  await expect(imagesBar).toBeVisible()
  await shot(page, 'inbox-reading')
  expect(imageHits).toEqual([])
  await imagesBar.getByRole('button', { name: 'Show for this message' }).click()
  await expect(imagesBar).toBeHidden()
  await waitFor(() => imageHits.includes('/banner.gif'), { timeoutMs: 5_000, message: 'the allowed image is fetched' })
  images.close()

  // The attachment is listed and saved as a download (never opened).
  const attachments = pane.getByRole('list', { name: 'Attachments' })
  await expect(attachments).toContainText('timetable.txt')
  const [download] = await Promise.all([page.waitForEvent('download'), attachments.getByRole('button', { name: 'Save timetable.txt' }).click()])
  expect(download.suggestedFilename()).toBe('timetable.txt')
  const saved = await download.path()
  expect((await import('node:fs')).readFileSync(saved, 'utf8')).toContain('Sat 10:30 Yin')

  // u marks it unread again (and back on the server), u again reads it.
  await page.keyboard.press('u')
  await expect(row).toHaveClass(/is-unread/)
  await waitFor(async () => (await seenOnServer(sent.messageId)) === false, { timeoutMs: 15_000, message: '\\Seen cleared on the server' })
  await page.keyboard.press('u')
  await expect(row).not.toHaveClass(/is-unread/)

  // f opens a forward with nobody on To: sending it asks for a recipient; Esc discards it.
  await page.keyboard.press('f')
  const forward = pane.getByRole('region', { name: 'Forward' })
  await forward.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(forward.getByRole('alert')).toHaveText('Add at least one recipient')
  await forward.getByLabel('Reply text').press('Escape')
  await expect(forward).toBeHidden()

  // r opens the inline reply to Mia; it goes through the outbox and reaches her mailbox.
  await page.keyboard.press('r')
  const reply = pane.getByRole('region', { name: 'Reply' })
  await expect(reply).toBeVisible()
  await expect(reply.getByText(MAIL.users.mia.email)).toBeVisible()
  await reply.getByLabel('Reply text').fill('Hi Mia,\n\nSaturday at 9 works. See you then!\nLeo')
  await shot(page, 'inbox-reply')
  await reply.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(reply).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: 'Message queued' })).toBeVisible()

  const [out] = await waitFor(
    async () => {
      const items = (await app.rpc('outbox.list', { status: 'sent' })).items
      return items.length ? items : undefined
    },
    { timeoutMs: 20_000, message: 'the reply is sent' },
  )
  expect(out!.to).toEqual([MAIL.users.mia.email])
  expect(out!.subject).toBe(`Re: ${subject}`)
  const [got] = await waitFor(
    async () => {
      const mine = (await fetchMessages('mia')).filter((m) => m.messageId === out!.messageId)
      return mine.length ? mine : undefined
    },
    { timeoutMs: 20_000, message: 'the reply reaches mia' },
  )
  expect(got!.subject).toBe(`Re: ${subject}`)
  expect(got!.source).toContain(`In-Reply-To: ${sent.messageId}`)
  expect(got!.source).toContain('Saturday at 9 works.')

  // The contact's profile shows the whole history, inbound and outbound, newest first.
  await page.goto(`${app.url}#/contacts/${mia.id}`)
  const history = page.getByRole('list', { name: 'Activity' })
  await expect(history.getByRole('link')).toHaveCount(4, { timeout: 15_000 })
  await expect(history.getByRole('link').first()).toHaveAccessibleName(`Sent: Re: ${subject}`)
  await expect(history.getByRole('link').nth(1)).toHaveAccessibleName(`Received: ${subject}`)
  await expect(history.getByRole('link').last()).toHaveAccessibleName('Received: Thank you for Tuesday’s class')
  await shot(page, 'contact-timeline')
  // "Open in inbox" shows only this contact's conversations.
  await page.getByRole('button', { name: 'Open in inbox' }).click()
  await expect(page.getByRole('navigation', { name: 'Mail filters' })).toContainText('Mia Lopez')
  await expect(list.getByRole('listitem')).toHaveCount(3)
  await page.getByRole('button', { name: 'Clear contact filter' }).click()
  await page.goto(`${app.url}#/contacts/${mia.id}`)
  await history.getByRole('link').nth(1).click()
  await expect(page).toHaveURL(/#\/inbox\/\d+$/)
  await expect(page.getByRole('region', { name: 'Conversation' }).getByRole('heading', { name: subject })).toBeVisible()
  // Our reply joins the conversation once it is back from the mailbox's Sent folder ("check for new mail"
  // syncs every folder now instead of at the next poll).
  await page.getByRole('button', { name: 'Check for new mail' }).click()
  await expect(page.getByRole('region', { name: 'Conversation' }).getByRole('article')).toHaveCount(2, { timeout: 20_000 })
  await shot(page, 'inbox-thread')
})

test('without a mailbox the inbox explains how to connect one, and keyboard shortcuts are listed', async ({ page, app }) => {
  await app.rpc('objects.create', { name: 'Harbor Yoga', timezone: 'Europe/London' })
  // Same document with a new hash: reload so the app boots past first-run with the data set up above.
  await page.goto(`${app.url}#/inbox`)
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Connect a mailbox to see your mail' })).toBeVisible()
  await shot(page, 'inbox-empty')
  await page.keyboard.press('?')
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Reply all')
  // Typing in the search box is text, not shortcuts.
  await page.keyboard.press('/')
  await expect(page.getByRole('searchbox', { name: 'Search mail' })).toBeFocused()
  await page.keyboard.type('r')
  await expect(page.getByRole('searchbox', { name: 'Search mail' })).toHaveValue('r')
  await page.keyboard.press('Escape')
  await page.keyboard.press('c')
  await expect(page.getByRole('dialog', { name: 'New message' })).toBeVisible()
})

test('a mailbox whose IMAP sign-in fails says so in the inbox, with the way to fix it', async ({ page, app }) => {
  const object = await app.rpc('objects.create', { name: 'Harbor Yoga', timezone: 'Europe/London' })
  await app.rpc('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users.leo.email,
    displayName: 'Leo',
    dailyCapacity: 100,
    minGapSeconds: 0,
    smtp: server('leo', MAIL.ports.smtp),
    imap: { ...server('leo', MAIL.ports.imap), password: 'not-the-password' },
  })
  await page.goto(`${app.url}#/inbox`)
  await page.reload()
  await expect(page.getByRole('status', { name: /leo@example\.test: Sign-in failed/ })).toBeVisible({ timeout: 20_000 })
  const fix = page.getByRole('navigation', { name: 'Mail filters' }).getByRole('link', { name: 'Fix settings' })
  await expect(fix).toBeVisible()
  // With no mailbox reachable, the empty list says why instead of "all caught up".
  await expect(page.getByRole('heading', { name: 'Can’t reach your mail' })).toBeVisible()
  await shot(page, 'inbox-sync-error', false)
  await fix.click()
  await expect(page).toHaveURL(new RegExp(`#/businesses/${object.id}$`))
  // The mailbox card, where the password is changed, says the same.
  const notice = page.getByRole('alert').filter({ hasText: 'Receiving mail for this mailbox is stopped' })
  await expect(notice).toBeVisible()
  await notice.scrollIntoViewIfNeeded()
  await shot(page, 'businesses-imap-sign-in', false)
  await notice.getByRole('button', { name: 'Fix sign-in' }).click()
  await expect(page.getByRole('dialog')).toBeVisible()
})

test('a long inbox stays light: rows are virtualised and older pages load by cursor while scrolling', async ({ page, app }) => {
  test.setTimeout(120_000)
  await resetMailbox('leo')
  const total = 130
  // Straight into leo's INBOX over IMAP (what a server holding years of mail looks like), oldest first.
  await withImap('leo', async (client) => {
    for (let i = 1; i <= total; i++) {
      const n = String(i).padStart(3, '0')
      const date = new Date(Date.UTC(2026, 8, 1, 9, 0) + i * 3_600_000)
      const raw = [
        'From: Mia Lopez <mia@example.test>',
        `To: ${MAIL.users.leo.email}`,
        `Subject: Booking request #${n}`,
        `Message-ID: <booking-${n}@example.test>`,
        `Date: ${date.toUTCString()}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Could I book slot ${n}?`,
        '',
      ].join('\r\n')
      await client.append('INBOX', raw, ['\\Seen'], date)
    }
  })
  const object = await app.rpc('objects.create', { name: 'Harbor Yoga', timezone: 'Europe/London' })
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: MAIL.users.leo.email, displayName: 'Leo', dailyCapacity: 100, minGapSeconds: 0, smtp: server('leo', MAIL.ports.smtp), imap: server('leo', MAIL.ports.imap) })
  await waitFor(async () => (await app.rpc('inbox.list', { limit: 200 })).threads.length === total, { timeoutMs: 60_000, message: 'all messages synced' })
  await page.goto(`${app.url}#/inbox`)
  await page.reload()

  const list = page.getByRole('list', { name: 'Conversations' })
  await expect(list.getByRole('listitem').first()).toContainText(`Booking request #${total}`)
  // Only the rows in view (plus a few) are in the DOM.
  expect(await list.getByRole('listitem').count()).toBeLessThan(40)
  const scroller = page.locator('.thread-scroll')
  const oldest = list.getByRole('listitem').filter({ hasText: 'Booking request #001' })
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await expect(oldest).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 20_000 })
  expect(await list.getByRole('listitem').count()).toBeLessThan(40)

  // Filed by hand: a contact whose address matched nothing is linked to the conversation, then unlinked.
  await app.rpc('contacts.create', { email: 'mia.lopez@home.example', firstName: 'Mia', lastName: 'Lopez', primaryObjectId: object.id })
  await oldest.click()
  const pane = page.getByRole('region', { name: 'Conversation' })
  await expect(pane.getByRole('heading', { name: 'Booking request #001' })).toBeVisible()
  await expect(pane.getByRole('link', { name: /Mia Lopez/ })).toHaveCount(0)
  await pane.getByRole('button', { name: 'Link contact' }).click()
  await pane.getByLabel('Find a contact').fill('Lopez')
  await pane.getByRole('option', { name: /mia\.lopez@home\.example/ }).click()
  await expect(pane.getByRole('link', { name: /Mia Lopez/ })).toBeVisible()
  await expect(oldest).toContainText('Mia Lopez')
  const [linked] = (await app.rpc('inbox.list', { query: 'Booking request 001' })).threads
  expect(linked!.contacts.map((c) => c.email)).toEqual(['mia.lopez@home.example'])
  await shot(page, 'inbox-linked', false)
  await pane.getByRole('button', { name: 'Unlink Mia Lopez' }).click()
  await expect(pane.getByRole('link', { name: /Mia Lopez/ })).toHaveCount(0)

  // Offline (the IMAP server cannot be reached): the rail says so, and stored mail still lists and opens.
  await app.rpc('mailboxes.update', { id: mailbox.id, imap: { ...server('leo', MAIL.ports.imap), port: 1 } })
  await expect(page.getByRole('status', { name: /leo@example\.test: (Offline|Sync error)/ })).toBeVisible({ timeout: 20_000 })
  await page.reload()
  await expect(list.getByRole('listitem').first()).toContainText(`Booking request #${total}`)
  await list.getByRole('listitem').first().click()
  await expect(pane.getByText(`Could I book slot ${total}?`)).toBeVisible()
  await shot(page, 'inbox-offline', false)
})
