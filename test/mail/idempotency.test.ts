// mail.send's idempotency key through real Postfix into Dovecot (issue 18, seed 004): pressing Send twice
// with the same key delivers one message. Sender zed, recipient yul (this file's own users).
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, waitFor } from './servers'

const server = (user: 'zed', port: number = MAIL.ports.smtp) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('yul'), resetMailbox('zed')])
}, 600_000)

describe('idempotency at real Dovecot', () => {
  it('the same key twice gives one row and one delivery; another key is another message', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0 } })
    const object = await t.ok('objects.create', { name: 'Biz zed', timezone: 'Europe/London' })
    const mailbox = await t.ok('mailboxes.create', {
      objectId: object.id,
      email: MAIL.users.zed.email,
      displayName: 'Zed',
      dailyCapacity: 500,
      minGapSeconds: 0,
      smtp: server('zed'),
      imap: null,
    })
    const profile = await t.ok('profiles.create', { objectId: object.id, email: MAIL.users.zed.email, displayName: 'Zed at Biz', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const input = { profileId: profile.id, to: [MAIL.users.yul.email], subject: 'Your invoice', html: '<p>Once only</p>', idempotencyKey: 'invoice-7' }
    const first = await t.ok('mail.send', input)
    expect(first.idempotencyReused).toBe(false)
    await t.engine.outbound.scheduler.idle()
    // The second press arrives after the first was sent: still the same row, nothing queued.
    const second = await t.ok('mail.send', { ...input, html: '<p>A second press</p>' })
    expect(second).toMatchObject({ id: first.id, messageId: first.messageId, idempotencyReused: true })
    const other = await t.ok('mail.send', { ...input, subject: 'Another invoice', idempotencyKey: 'invoice-8' })
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: first.id })).status).toBe('sent')
    // Both messages arrived, and the keyed one exactly once.
    const got = await waitFor(async () => {
      const all = await fetchMessages('yul')
      return all.some((m) => m.messageId === other.messageId) ? all : undefined
    }, { timeoutMs: 30_000, message: 'both messages at yul' })
    expect(got.filter((m) => m.messageId === first.messageId)).toHaveLength(1)
    expect(got.filter((m) => m.subject === 'Your invoice')).toHaveLength(1)
    expect(got).toHaveLength(2)
  }, 90_000)
})
