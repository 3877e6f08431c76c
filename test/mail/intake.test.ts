// Web-form intake against real Postfix + Dovecot (issue 18 item 7). This file's users: val is the business
// (its INBOX synced over IMAP, its SMTP sends), wyn is the website visitor. A form e-mail is sent with
// nodemailer through Postfix to val; the engine syncs it from Dovecot, the intake rule turns it into a
// tagged contact, and the tag's autoresponder is delivered to wyn's address at Dovecot.
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, smtpTransport, waitFor } from './servers'

const run = Math.random().toString(36).slice(2, 8)
const server = (user: 'val' | 'wyn') => ({ host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all((['val', 'wyn'] as const).map((u) => resetMailbox(u)))
}, 600_000)

describe('web-form intake through Postfix and Dovecot', () => {
  it('turns a delivered form e-mail into a tagged contact whose autoresponder reaches the visitor', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0 }, inbound: { pollMs: 2_000, inboxPollMs: 1_000 }, intake: { run: false } })
    const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '12 Rose Lane, Springfield', timezone: 'America/New_York' })
    const mailbox = await t.ok('mailboxes.create', {
      objectId: object.id,
      email: MAIL.users.val.email,
      displayName: 'Eve Beauty',
      dailyCapacity: 100,
      minGapSeconds: 0,
      smtp: server('val'),
      imap: { ...server('val'), port: MAIL.ports.imap },
      sentCopy: 'none',
    })
    await t.ok('profiles.create', { objectId: object.id, email: MAIL.users.val.email, displayName: 'Eve Beauty', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const tag = await t.ok('tags.create', { name: 'Eve Beauty MA Promotional Holiday Form Submission' })
    await t.ok('autoresponders.create', {
      name: 'Holiday thanks',
      trigger: { type: 'TAG_ADDED', tagId: tag.id },
      actions: [{ subject: `Thanks for your request, {{contact.first_name}} ${run}`, bodyHtml: '<p>Hello {{contact.first_name}}, we will call you at {{contact.phone}}.</p>' }],
    })
    await t.ok('intake.rules.create', { objectId: object.id, name: 'Holiday form', fromMatch: '@site.test', subjectMatch: 'Holiday Form', tagIds: [tag.id] })

    // The website's form mailer: From its own address, the visitor's details in the body (Quoted-Printable).
    await smtpTransport('wyn').sendMail({
      envelope: { from: MAIL.users.wyn.email, to: [MAIL.users.val.email] },
      from: 'Eve Beauty Website <forms@site.test>',
      to: MAIL.users.val.email,
      subject: `New Holiday Form submission ${run}`,
      text: ['You have a new submission:', '', 'First name: Wyn', 'Last name: Jones', `Email: ${MAIL.users.wyn.email}`, 'Phone: (555) 555-0142', 'Message: Can I book the holiday facial?', ''].join('\r\n'),
      html: `<table><tr><td>First name</td><td>Wyn</td></tr><tr><td>Email</td><td>${MAIL.users.wyn.email}</td></tr></table>`,
    })

    const contact = await waitFor(async () => (await t.ok('contacts.list', { query: MAIL.users.wyn.email })).items[0], { timeoutMs: 60_000 })
    expect(contact).toMatchObject({ firstName: 'Wyn', lastName: 'Jones', phone: '+15555550142', primaryObjectId: object.id })
    expect(contact.tags.map((x) => x.name)).toEqual([tag.name])
    expect(contact.fields).toMatchObject({ message: 'Can I book the holiday facial?' })
    // The form message is in the inbox, linked to the new contact.
    const { threads } = await t.ok('inbox.list', { contactId: contact.id })
    expect(threads.map((x) => x.subject)).toEqual([`New Holiday Form submission ${run}`])

    t.engine.automation.runDue()
    await t.engine.outbound.scheduler.idle()
    const [reply] = await waitFor(async () => {
      const got = (await fetchMessages('wyn')).filter((m) => m.subject.includes(run))
      return got.length ? got : undefined
    }, { timeoutMs: 60_000 })
    expect(reply!.subject).toBe(`Thanks for your request, Wyn ${run}`)
    expect(reply!.from).toEqual([MAIL.users.val.email])
    expect(reply!.source).toContain('+15555550142')
    // Synced again (another pass) nothing happens twice.
    await t.ok('mailboxes.sync', { mailboxId: mailbox.id })
    expect((await t.ok('contacts.list', {})).items).toHaveLength(1)
    expect((await fetchMessages('wyn')).filter((m) => m.subject.includes(run))).toHaveLength(1)
  }, 120_000)
})
