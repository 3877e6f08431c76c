// The SMTP transport through the engine, against real Postfix and Dovecot on loopback
// (scripts/mailservers.sh). Sender dave, recipient erin (this file's own users); frank for the outage.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from '../helpers'
import { ensureMailServers, fetchMessages, MAIL, messageIds, resetMailbox, startSmtp, stopSmtp, waitFor } from './servers'

const server = (user: keyof typeof MAIL.users, port: number = MAIL.ports.smtp) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('dave'), resetMailbox('erin'), resetMailbox('frank')])
}, 600_000)
afterAll(async () => {
  await startSmtp().catch(() => {})
})

async function setup(user: 'dave' | 'frank', opts: { cap?: number; probeMs?: number } = {}) {
  const t = freshEngine({ outbound: { undoMs: 0, probeMs: opts.probeMs ?? 60_000, eventsPollMs: 0 } })
  const object = await t.ok('objects.create', { name: `Biz ${user}`, timezone: 'Europe/London' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users[user].email,
    displayName: 'Dave Example',
    dailyCapacity: opts.cap ?? 500,
    minGapSeconds: 0,
    smtp: server(user),
    imap: server(user, MAIL.ports.imap),
  })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: MAIL.users[user].email, displayName: 'Dave at Biz', replyTo: 'desk@example.test', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const send = (subject: string) => t.ok('mail.send', { profileId: profile.id, to: [MAIL.users.erin.email], subject, html: `<p>${subject}</p>` })
  return { t, mailbox, profile, send }
}

// The open statuses one by one, and the history (`done`) under `sent`: these tests send nothing else.
const statuses = async (t: TestEngine) => {
  const { counts, done } = await t.ok('outbox.list', {})
  return done ? { ...counts, sent: done } : counts
}

describe('SMTP through Postfix into Dovecot', () => {
  it('delivers with the profile’s From, Reply-To and the row’s Message-ID, and keeps a copy in Sent', async () => {
    const { t, send } = await setup('dave')
    const m = await send('Welcome to Biz')
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('sent')
    const [got] = await waitFor(async () => {
      const all = await fetchMessages('erin')
      const mine = all.filter((x) => x.messageId === m.messageId)
      return mine.length ? mine : undefined
    })
    expect(got).toMatchObject({ subject: 'Welcome to Biz', messageId: m.messageId })
    expect(got!.from).toEqual([MAIL.users.dave.email])
    expect(got!.source).toMatch(/^From: Dave at Biz <dave@example\.test>\r?$/m)
    expect(got!.replyTo).toEqual(['desk@example.test'])
    const copy = await waitFor(async () => (await fetchMessages('dave', 'Sent')).find((x) => x.messageId === m.messageId), { message: 'copy in Sent' })
    // The copy is the very bytes that were sent: Postfix only puts its trace headers in front.
    expect(copy.source.length).toBeGreaterThan(200)
    expect(got!.source.endsWith(copy.source)).toBe(true)
  }, 60_000)

  it('a burst keeps every copy in Sent, over one IMAP session at a time rather than a login per message', async () => {
    const { t, send } = await setup('dave')
    const logins = () => readFileSync(join(MAIL.root, 'log', 'dovecot.log'), 'utf8').split('Login: user=<dave@').length - 1
    const before = logins()
    const burst = []
    for (let i = 0; i < 40; i++) burst.push(await send(`Burst ${i}`))
    await t.engine.outbound.scheduler.idle()
    const ids = new Set(burst.map((m) => m.messageId))
    const copies = await waitFor(async () => {
      const mine = (await messageIds('dave', 'Sent')).filter((id) => ids.has(id))
      return mine.length >= 40 ? mine : undefined
    }, { timeoutMs: 30_000, message: '40 copies in Sent' })
    expect(new Set(copies).size).toBe(40)
    expect(copies).toHaveLength(40)
    // The copies went through a few sessions (one per batch of recorded sends at most); a login each was 40.
    // (Our own messageIds() polling above logs in too, once per call.)
    const sessions = logins() - before
    expect(sessions).toBeGreaterThan(0)
    expect(sessions).toBeLessThan(15)
  }, 60_000)

  it('a cap of 5 sends exactly 5 and holds the rest for the next day', async () => {
    const { t, send } = await setup('dave', { cap: 5 })
    const sent = []
    for (let i = 0; i < 8; i++) sent.push(await send(`Capped ${i}`))
    await t.engine.outbound.scheduler.idle()
    expect(await statuses(t)).toEqual({ sent: 5, held: 3 })
    const ids = new Set(sent.map((m) => m.messageId))
    await waitFor(async () => (await messageIds('erin')).filter((id) => ids.has(id)).length === 5)
    // Nothing more arrives while the day lasts.
    await new Promise((r) => setTimeout(r, 1500))
    expect((await messageIds('erin')).filter((id) => ids.has(id))).toHaveLength(5)
    expect((await t.ok('mailboxes.list', {}))[0]!.sentToday).toBe(5)
  }, 60_000)

  it('a recipient the server rejects fails at once, with the server’s words', async () => {
    const { t, profile } = await setup('dave')
    const m = await t.ok('mail.send', { profileId: profile.id, to: ['someone@elsewhere.test'], subject: 'x', html: 'x' })
    await t.engine.outbound.scheduler.idle()
    const r = await t.ok('outbox.get', { id: m.id })
    expect(r).toMatchObject({ status: 'failed', errorKind: 'permanent', attempts: 1 })
    expect(r.lastError).toMatch(/55\d/)
  }, 30_000)

  it('a wrong password holds the mailbox’s mail until the password is fixed', async () => {
    const { t, send, mailbox } = await setup('dave')
    await t.ok('mailboxes.update', { id: mailbox.id, smtp: { ...server('dave'), password: 'wrong-pw' } })
    const a = await send('Auth A')
    const b = await send('Auth B')
    await t.engine.outbound.scheduler.idle()
    for (const id of [a.id, b.id]) expect(await t.ok('outbox.get', { id })).toMatchObject({ status: 'held', statusReason: 'auth', attempts: 0 })
    const box = (await t.ok('mailboxes.list', {}))[0]!
    expect(box.status).toBe('auth_error')
    expect(box.statusReason).toMatch(/refused the login/)
    await t.ok('mailboxes.update', { id: mailbox.id, smtp: server('dave') })
    await t.engine.outbound.scheduler.idle()
    await waitFor(async () => {
      const got = await messageIds('erin')
      return got.includes(a.messageId) && got.includes(b.messageId)
    })
  }, 60_000)

  it('Postfix stopped: 50 messages held with 0 attempts; started: all 50 delivered once', async () => {
    const { t, send } = await setup('frank', { probeMs: 300 })
    await stopSmtp()
    const queued = []
    try {
      for (let i = 0; i < 50; i++) queued.push(await send(`Outage ${i}`))
      await waitFor(async () => (await statuses(t)).held === 50, { timeoutMs: 20_000, message: '50 held' })
      const rows = (await t.ok('outbox.list', {})).items
      // The network works and Postfix refuses: 'unreachable' (the server's address), not 'offline' (the network).
      expect(rows.every((r) => r.status === 'held' && r.statusReason === 'unreachable' && r.attempts === 0)).toBe(true)
      expect(await t.ok('net.status', {})).toMatchObject({ online: false, held: 50 })
    } finally {
      await startSmtp()
    }
    await waitFor(async () => (await statuses(t)).sent === 50, { timeoutMs: 30_000, message: '50 sent after restart' })
    const ids = new Set(queued.map((m) => m.messageId))
    const counts = await waitFor(async () => {
      const got = (await messageIds('erin')).filter((id) => ids.has(id))
      return got.length >= 50 ? got : undefined
    }, { timeoutMs: 30_000 })
    expect(counts).toHaveLength(50)
    expect(new Set(counts).size).toBe(50)
    expect((await t.ok('outbox.list', {})).items.every((r) => r.attempts === 1)).toBe(true)
  }, 120_000)
})
