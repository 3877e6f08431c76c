// Attachments, Bcc and forward through real Postfix and Dovecot (issue 20). This file owns abe, bea and cal:
// abe writes to bea (whose mailbox the app syncs), the app forwards to cal.
import { simpleParser } from 'mailparser'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, smtpTransport, waitFor, type MailUserName } from './servers'

const server = (user: MailUserName, port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('abe'), resetMailbox('bea'), resetMailbox('cal')])
}, 600_000)
afterAll(() => {})

async function setup() {
  const t = freshEngine({ outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0 }, inbound: { pollMs: 500, backoffBaseMs: 200, backoffMaxMs: 2_000 } })
  const object = await t.ok('objects.create', { name: 'Bea’s shop', timezone: 'Europe/London' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users.bea.email,
    displayName: 'Bea',
    minGapSeconds: 0,
    smtp: server('bea', MAIL.ports.smtp),
    imap: server('bea', MAIL.ports.imap),
  })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: MAIL.users.bea.email, displayName: 'Bea', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  return { t, object, mailbox, profile }
}

const arrived = (user: MailUserName, messageId: string, folder = 'INBOX') =>
  waitFor(async () => (await fetchMessages(user, folder)).find((m) => m.messageId === messageId), { timeoutMs: 20_000, message: `${messageId} in ${user}/${folder}` })

describe('attachments through Postfix and Dovecot', () => {
  it('a message with two attachments forwarded from the app arrives with both (and its Sent copy has them)', async () => {
    const { t, profile } = await setup()
    const pdf = randomBytes(50_000)
    const csv = Buffer.from('name,email\nAnn,ann@example.test\n')
    const subject = `Contract ${Date.now()}`
    await smtpTransport('abe').sendMail({
      from: MAIL.users.abe.email,
      to: MAIL.users.bea.email,
      subject,
      text: 'Both files attached.',
      attachments: [
        { filename: 'contract.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'list.csv', content: csv, contentType: 'text/csv' },
      ],
    })
    const thread = await waitFor(async () => (await t.ok('inbox.list', {})).threads.find((x) => x.subject === subject), {
      timeoutMs: 20_000,
      message: 'the message synced into the app',
    })
    const original = await t.ok('messages.get', { id: thread.latest.id })
    expect(original.attachments.map((a) => a.filename).sort()).toEqual(['contract.pdf', 'list.csv'])

    const out = await t.ok('messages.reply', { messageId: original.id, mode: 'forward', to: [MAIL.users.cal.email], html: '<p>FYI</p>', profileId: profile.id })
    expect(out.subject).toBe(`Fwd: ${subject}`)
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: out.id })).attachments.map((a) => a.filename)).toEqual(['contract.pdf', 'list.csv'])

    const got = await simpleParser((await arrived('cal', out.messageId)).source)
    const files = Object.fromEntries(got.attachments.map((a) => [a.filename, a.content]))
    expect(Object.keys(files).sort()).toEqual(['contract.pdf', 'list.csv'])
    expect(files['contract.pdf']!.equals(pdf)).toBe(true)
    expect(files['list.csv']!.equals(csv)).toBe(true)
    expect(got.text).toContain('FYI')

    const copy = await simpleParser((await arrived('bea', out.messageId, 'Sent')).source)
    expect(copy.attachments.map((a) => a.filename).sort()).toEqual(['contract.pdf', 'list.csv'])
  }, 60_000)

  it('sends an uploaded file with Bcc in the envelope only; the Sent copy keeps the Bcc line', async () => {
    const { t, profile } = await setup()
    const bytes = randomBytes(30_000)
    const up = await t.ok('drafts.attach', { filename: 'price list.pdf', contentType: 'application/pdf', contentBase64: bytes.toString('base64') })
    const m = await t.ok('mail.send', {
      profileId: profile.id,
      to: [MAIL.users.cal.email],
      bcc: [MAIL.users.abe.email],
      subject: 'Prices',
      html: '<p>Attached.</p>',
      attachments: [{ attachmentId: up.id }, { filename: 'note.txt', contentType: 'text/plain', contentBase64: Buffer.from('hello').toString('base64') }],
    })
    expect(m.bcc).toEqual([MAIL.users.abe.email])
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('sent')

    const toCal = await arrived('cal', m.messageId)
    const toAbe = await arrived('abe', m.messageId)
    for (const got of [toCal, toAbe]) {
      expect(got.source).not.toMatch(/^Bcc:/im)
      const parsed = await simpleParser(got.source)
      expect(parsed.attachments.map((a) => a.filename)).toEqual(['price list.pdf', 'note.txt'])
      expect(parsed.attachments[0]!.content.equals(bytes)).toBe(true)
    }
    expect(toCal.source.split(MAIL.users.abe.email).length - 1).toBe(0)
    const copy = await arrived('bea', m.messageId, 'Sent')
    expect(copy.source).toMatch(new RegExp(`^Bcc: ${MAIL.users.abe.email}`, 'im'))
  }, 60_000)

  it('reply and forward drafts remember their message: found again by it, sent threaded, a forward with the files left on it', async () => {
    const { t } = await setup()
    const subject = `Drafted ${Date.now()}`
    await smtpTransport('abe').sendMail({
      from: MAIL.users.abe.email,
      to: MAIL.users.bea.email,
      cc: MAIL.users.cal.email,
      subject,
      text: 'Two files again.',
      attachments: [
        { filename: 'one.txt', content: 'one' },
        { filename: 'two.txt', content: 'two' },
      ],
    })
    const thread = await waitFor(async () => (await t.ok('inbox.list', {})).threads.find((x) => x.subject === subject), { timeoutMs: 20_000 })
    const original = await t.ok('messages.get', { id: thread.latest.id })

    // A reply-all draft: what was typed and what it answers survive; listing by message finds it again.
    const reply = await t.ok('drafts.save', { to: [MAIL.users.abe.email], cc: [MAIL.users.cal.email], html: '<p>Thanks both</p>', replyTo: { messageId: original.id, mode: 'replyAll' } })
    expect(reply.replyTo).toEqual({ messageId: original.id, mode: 'replyAll' })
    expect(reply.attachments).toEqual([])
    expect((await t.ok('drafts.list', { replyTo: original.id })).map((d) => d.id)).toEqual([reply.id])
    const sentReply = await t.ok('drafts.send', { draftId: reply.id })
    expect(sentReply).toMatchObject({ subject: `Re: ${subject}`, source: 'reply', to: [MAIL.users.abe.email], cc: [MAIL.users.cal.email] })
    await t.engine.outbound.scheduler.idle()
    const gotReply = await arrived('abe', sentReply.messageId)
    expect(gotReply.source).toMatch(new RegExp(`^In-Reply-To: ${original.messageIdHeader!.replace(/[.+]/g, '\\$&')}`, 'im'))
    expect(gotReply.source).toContain('Thanks both')
    expect(await t.ok('drafts.list', { replyTo: original.id })).toEqual([])

    // A forward draft starts with the original's files; the one removed does not go.
    const fwd = await t.ok('drafts.save', { to: [MAIL.users.cal.email], html: '<p>Only the first</p>', replyTo: { messageId: original.id, mode: 'forward' } })
    expect(fwd.attachments.map((a) => a.filename)).toEqual(['one.txt', 'two.txt'])
    await t.ok('drafts.save', { id: fwd.id, to: [MAIL.users.cal.email], html: '<p>Only the first</p>', attachments: [{ attachmentId: fwd.attachments[0]!.id }] })
    const sentFwd = await t.ok('drafts.send', { draftId: fwd.id })
    expect(sentFwd.subject).toBe(`Fwd: ${subject}`)
    await t.engine.outbound.scheduler.idle()
    const gotFwd = await simpleParser((await arrived('cal', sentFwd.messageId)).source)
    expect(gotFwd.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['one.txt', 'one']])
    expect(gotFwd.text).toContain('Only the first')
    expect(gotFwd.text).toContain('Forwarded message')
  }, 60_000)
})
