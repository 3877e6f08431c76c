// Issue 19, "remind me if no reply": jen writes to ken from the app through Postfix, sets a task that waits
// for his reply, and the task closes itself when ken's real reply is delivered to Dovecot and synced. An
// auto-reply from ken does not count, and other contacts' or ordinary tasks stay open.
// Mail users of this file: ian, jen, ken.
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { ensureMailServers, MAIL, resetMailbox, smtpTransport, waitFor, type MailUser } from './servers'

const user = (name: string) => ({ name, email: `${name}@${MAIL.domain}`, password: `${name}-pw` }) as unknown as MailUser
const jen = user('jen')
const ken = user('ken')
const ian = user('ian')
const server = (u: MailUser, port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: u.email, password: u.password })

beforeAll(async () => {
  await ensureMailServers()
  for (const u of [jen, ken, ian]) await resetMailbox(u, { deleteFolders: true })
}, 600_000)

describe('remind me if no reply (jen, ken, ian)', () => {
  it('closes on the contact’s real reply, synced from Dovecot, and not on an auto-reply', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000, backoffBaseMs: 200, backoffMaxMs: 2_000 } })
    const object = await t.ok('objects.create', { name: 'Jen’s Studio', timezone: 'Europe/London' })
    const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: jen.email, displayName: 'Jen', minGapSeconds: 0, smtp: server(jen, MAIL.ports.smtp), imap: server(jen, MAIL.ports.imap) })
    const profile = await t.ok('profiles.create', { objectId: object.id, email: jen.email, displayName: 'Jen', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const kenC = await t.ok('contacts.create', { email: ken.email, firstName: 'Ken', primaryObjectId: object.id })
    const ianC = await t.ok('contacts.create', { email: ian.email, firstName: 'Ian', primaryObjectId: object.id })

    // Jen writes to Ken from the app; it leaves through Postfix.
    const sent = await t.ok('mail.send', { profileId: profile.id, to: [ken.email], subject: 'Your quote', html: '<p>Here is the quote.</p>', contactId: kenC.id })
    await waitFor(async () => (await t.ok('outbox.get', { id: sent.id })).status === 'sent', { timeoutMs: 30_000, message: 'the quote is sent' })
    const in3days = () => new Date(t.clock.now() + 3 * 86_400_000).toISOString()
    const waiting = await t.ok('tasks.create', { title: 'Follow up if Ken does not reply', contactId: kenC.id, dueAt: in3days(), closeOnReply: true })
    const plain = await t.ok('tasks.create', { title: 'Book Ken’s appointment', contactId: kenC.id, dueAt: in3days() })
    const other = await t.ok('tasks.create', { title: 'Follow up with Ian', contactId: ianC.id, dueAt: in3days(), closeOnReply: true })

    const mail = smtpTransport(ken)
    // An out-of-office first: stored and linked to Ken, but it is not a reply.
    await mail.sendMail({ from: `Ken <${ken.email}>`, to: jen.email, subject: 'Out of office', text: 'Away until Monday.', headers: { 'Auto-Submitted': 'auto-replied' }, inReplyTo: sent.messageId })
    await waitFor(async () => (await t.ok('inbox.list', { query: 'Monday' })).threads.length === 1, { timeoutMs: 30_000, message: 'the auto-reply is synced' })
    expect((await t.ok('tasks.list', { contactId: kenC.id })).items.map((x) => x.id).sort()).toEqual([waiting.id, plain.id].sort())

    // Then Ken's real reply.
    await mail.sendMail({ from: `Ken <${ken.email}>`, to: jen.email, subject: 'Re: Your quote', text: 'Looks good, go ahead.', inReplyTo: sent.messageId, references: [sent.messageId] })
    const closed = await waitFor(
      async () => {
        const all = await t.ok('tasks.list', { status: 'all' })
        return all.items.find((x) => x.id === waiting.id && x.done)
      },
      { timeoutMs: 30_000, message: 'the waiting task closes' },
    )
    const reply = (await t.ok('inbox.list', { query: 'ahead' })).threads[0]!.latest
    expect(closed).toMatchObject({ done: true, closedByMessageId: reply.id, due: null })
    expect(reply.contactIds).toEqual([kenC.id])
    const open = (await t.ok('tasks.list', {})).items.map((x) => x.id).sort()
    expect(open).toEqual([plain.id, other.id].sort())
    await waitFor(() => t.events.some((e) => e.event === 'tasks.changed' && e.payload.ids.includes(waiting.id) && e.payload.ids.length === 1), { message: 'tasks.changed after the reply' })
    // The story on Ken's page: the mail both ways and the task, now done.
    const story = await t.ok('timeline.list', { contactId: kenC.id })
    expect(story.items.find((i) => i.kind === 'task' && i.id === waiting.id)?.status).toBe('done')
    expect(story.items.filter((i) => i.kind === 'mail').map((i) => i.type)).toEqual(expect.arrayContaining(['inbound', 'outbound']))
    const top = await t.ok('timeline.summary', { contactId: kenC.id })
    expect(top.lastInboundAt).not.toBeNull()
    expect(top.lastContactedAt).not.toBeNull()
    expect(top.nextTask?.id).toBe(plain.id)
  }, 120_000)
})
