// Classification through the real sync path: kim sends from the app to judy, then a real reply, an
// auto-reply and a DSN bounce arrive in kim's INBOX over IMAP. Only a real reply is a 'replied' event;
// the bounce marks the outbound message bounced, suppresses the address and sets the contact bounced.
import { beforeAll, expect, it } from 'vitest'
import { peek, syncedEngine, waitState } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, smtpTransport, waitFor, withImap } from './servers'

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('kim', { deleteFolders: true }), resetMailbox('judy', { deleteFolders: true })])
}, 600_000)

it('records a real reply, ignores an auto-reply, and a DSN bounce suppresses the address', async () => {
  const { t, object, mailbox } = await syncedEngine('kim')
  const judy = await t.ok('contacts.create', { firstName: 'Judy', email: MAIL.users.judy.email, primaryObjectId: object.id })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: MAIL.users.kim.email, displayName: 'Kim at Biz', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await waitState(t, mailbox.id, 'idle')
  const sendOne = async (subject: string) => {
    const m = await t.ok('mail.send', { profileId: profile.id, to: [MAIL.users.judy.email], contactId: judy.id, subject, html: `<p>${subject}</p>` })
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('sent')
    return m
  }
  const events = async (id: number) => (await t.ok('outbox.get', { id })).events.map((e) => e.type)
  const stored = (mid: string) => peek<{ is_auto_reply: number; is_bounce: number; direction: string; outbound_id: number | null }>(t, 'SELECT * FROM messages WHERE message_id = ?', mid)[0]

  // 1. A real reply from judy, over SMTP, threading on our Message-ID.
  const first = await sendOne('Proposal for your shop')
  const reply = await smtpTransport('judy').sendMail({
    from: MAIL.users.judy.email,
    to: MAIL.users.kim.email,
    subject: 'Re: Proposal for your shop',
    text: 'Sounds good, let us talk.',
    inReplyTo: first.messageId,
    references: [first.messageId],
  })
  await waitFor(() => stored(reply.messageId), { timeoutMs: 10_000, message: 'reply synced' })
  expect(stored(reply.messageId)).toMatchObject({ is_auto_reply: 0, direction: 'in', outbound_id: first.id })
  expect(await events(first.id)).toContain('replied')

  // 2. An out-of-office answer to a second message: stored, marked, not a reply.
  const second = await sendOne('Follow-up on pricing')
  const autoId = `<ooo-${Date.now()}@example.test>`
  await withImap('kim', (c) =>
    c.append(
      'INBOX',
      Buffer.from(
        `From: Judy <${MAIL.users.judy.email}>\r\nTo: ${MAIL.users.kim.email}\r\nSubject: Out of office: Follow-up on pricing\r\nMessage-ID: ${autoId}\r\n` +
          `In-Reply-To: ${second.messageId}\r\nReferences: ${second.messageId}\r\nAuto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n\r\nI am away until Monday.\r\n`,
      ),
    ),
  )
  await waitFor(() => stored(autoId), { timeoutMs: 10_000, message: 'auto-reply synced' })
  expect(stored(autoId)).toMatchObject({ is_auto_reply: 1, outbound_id: second.id })
  expect(await events(second.id)).not.toContain('replied')

  // 3. A DSN for a third message: multipart/report with the original headers returned.
  const third = await sendOne('Last chance offer')
  const dsnId = `<dsn-${Date.now()}@example.test>`
  const dsn =
    `From: Mail Delivery System <MAILER-DAEMON@example.test>\r\nTo: ${MAIL.users.kim.email}\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: ${dsnId}\r\n` +
    `Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="dsnb"\r\n\r\n` +
    `--dsnb\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n` +
    `--dsnb\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\n` +
    `Final-Recipient: rfc822; ${MAIL.users.judy.email}\r\nOriginal-Recipient: rfc822;${MAIL.users.judy.email}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <${MAIL.users.judy.email}>: Recipient address rejected\r\n\r\n` +
    `--dsnb\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Kim at Biz <${MAIL.users.kim.email}>\r\nTo: ${MAIL.users.judy.email}\r\nSubject: Last chance offer\r\nMessage-ID: ${third.messageId}\r\n\r\n` +
    `--dsnb--\r\n`
  await withImap('kim', (c) => c.append('INBOX', Buffer.from(dsn)))
  await waitFor(() => stored(dsnId), { timeoutMs: 10_000, message: 'DSN synced' })
  expect(stored(dsnId)).toMatchObject({ is_bounce: 1, outbound_id: third.id })
  await waitFor(async () => (await t.ok('outbox.get', { id: third.id })).status === 'bounced', { timeoutMs: 5_000 })
  expect(await events(third.id)).not.toContain('replied')
  expect((await t.ok('contacts.get', { id: judy.id })).status).toBe('bounced')
  expect(peek<{ email: string; reason: string }>(t, 'SELECT email, reason FROM suppressions')).toContainEqual({ email: MAIL.users.judy.email, reason: 'bounced' })
}, 90_000)
