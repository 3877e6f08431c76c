// Issue 20, capability 4 and defect 5, against the real Postfix and Dovecot: `mailboxes.test` signs in with
// unsaved settings and says what is wrong in words with a stable code; a mailbox saved with a wrong port
// or TLS mode says so (not "waiting for the network"), and its held mail goes once the settings are fixed.
// This file's users: xena (sender), yara (recipient), zoe.
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from '../helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, waitFor } from './servers'

const xena = MAIL.users.xena
const smtpOf = (over: Partial<{ port: number; secure: 'tls' | 'starttls' | 'none'; password: string }> = {}) => ({
  host: MAIL.host,
  port: MAIL.ports.smtp,
  secure: 'none' as const,
  user: xena.email,
  password: xena.password,
  ...over,
})
const imapOf = (over: Partial<{ port: number; secure: 'tls' | 'starttls' | 'none'; password: string }> = {}) => ({ ...smtpOf(over), port: over.port ?? MAIL.ports.imap })

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('xena'), resetMailbox('yara')])
}, 600_000)

/** A port that was free a moment ago (nothing listens: the connection is refused). */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** A server that accepts connections and never says a word (a firewall that swallows, a wrong service). */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const s: Server = createServer((sock) => {
    sockets.add(sock)
    sock.on('error', () => {})
  })
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return {
    port: (s.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const x of sockets) x.destroy()
        s.close(() => r())
      }),
  }
}

describe('mailboxes.test against Postfix and Dovecot', () => {
  const engine = (setupTestMs = 10_000) => freshEngine({ outbound: { run: false, setupTestMs, insecureTls: true }, inbound: { run: false } })

  it('the right password signs in to both servers', async () => {
    const t = engine()
    const r = await t.ok('mailboxes.test', { smtp: smtpOf(), imap: imapOf() })
    expect(r.smtp).toMatchObject({ ok: true, code: 'OK' })
    expect(r.imap).toMatchObject({ ok: true, code: 'OK', message: expect.stringMatching(/found \d+ folders?/) })
  })

  it('implicit TLS and STARTTLS ports sign in with the matching setting', async () => {
    const t = engine()
    const r = await t.ok('mailboxes.test', { imap: imapOf({ port: MAIL.ports.imaps, secure: 'tls' }), smtp: smtpOf({ port: MAIL.ports.smtps ?? 4650, secure: 'tls' }) })
    expect(r).toMatchObject({ smtp: { ok: true }, imap: { ok: true } })
    expect((await t.ok('mailboxes.test', { imap: imapOf({ port: MAIL.ports.imapStarttls, secure: 'starttls' }) })).imap).toMatchObject({ ok: true })
  })

  it('a wrong password is AUTH, in words, on each server', async () => {
    const t = engine()
    const r = await t.ok('mailboxes.test', { smtp: smtpOf({ password: 'wrong' }), imap: imapOf({ password: 'wrong' }) })
    expect(r.smtp).toMatchObject({ ok: false, code: 'AUTH', message: expect.stringMatching(/SMTP server refused the login.*password/) })
    expect(r.imap).toMatchObject({ ok: false, code: 'AUTH', message: expect.stringMatching(/IMAP server refused the login.*password/) })
  })

  it('a closed port is CONNECTION_REFUSED: check the host and port', async () => {
    const t = engine()
    const port = await closedPort()
    const r = await t.ok('mailboxes.test', { smtp: smtpOf({ port }), imap: imapOf({ port }) })
    for (const s of [r.smtp, r.imap]) expect(s).toMatchObject({ ok: false, code: 'CONNECTION_REFUSED', message: expect.stringMatching(/Check the host and port/) })
  })

  it('TLS on a plain port is TLS_MISMATCH, never the raw OpenSSL string', async () => {
    const t = engine()
    const r = await t.ok('mailboxes.test', { smtp: smtpOf({ secure: 'tls' }), imap: imapOf({ secure: 'tls' }) })
    for (const s of [r.smtp!, r.imap!]) {
      expect(s).toMatchObject({ ok: false, code: 'TLS_MISMATCH', message: expect.stringMatching(/STARTTLS or None/) })
      expect(s.message).not.toMatch(/ssl3_|openssl|wrong version number/i)
    }
  })

  it('a server that never answers is TIMEOUT within the budget, and the engine answers other calls meanwhile', async () => {
    const t = engine(1_500)
    const silent = await silentServer()
    try {
      const order: string[] = []
      const slow = t.ok('mailboxes.test', { smtp: smtpOf({ port: silent.port, secure: 'tls' }) }).then((r) => (order.push('test'), r))
      // A read and a write both go through while the test waits on the silent server.
      await t.ok('objects.list', {}).then(() => order.push('read'))
      await t.ok('objects.create', { name: 'Meanwhile' }).then(() => order.push('write'))
      const r = await slow
      expect(order).toEqual(['read', 'write', 'test'])
      expect(r.smtp).toMatchObject({ ok: false, code: 'TIMEOUT' })
    } finally {
      await silent.close()
    }
  })

  it('an existing mailbox is tested with its stored password when none is typed', async () => {
    const t = engine()
    const object = await t.ok('objects.create', { name: 'Xena Co' })
    const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: xena.email, smtp: smtpOf(), imap: null })
    const { password: _pw, ...noPassword } = smtpOf()
    expect(await t.ok('mailboxes.test', { mailboxId: mailbox.id, smtp: noPassword, imap: { ...noPassword, port: MAIL.ports.imap } })).toMatchObject({ smtp: { ok: true }, imap: { ok: true } })
    expect(await t.err('mailboxes.test', { smtp: noPassword })).toMatchObject({ code: 'VALIDATION', field: 'smtp.password' })
    expect(await t.err('mailboxes.test', {})).toMatchObject({ code: 'VALIDATION' })
  })
})

describe('mailbox status from the current truth', () => {
  async function setup(t: TestEngine, smtp: ReturnType<typeof smtpOf>) {
    const object = await t.ok('objects.create', { name: 'Xena Co', timezone: 'UTC' })
    const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: xena.email, displayName: 'Xena', dailyCapacity: 100, minGapSeconds: 0, smtp, imap: null, sentCopy: 'none' })
    const profile = await t.ok('profiles.create', { objectId: object.id, email: xena.email, displayName: 'Xena', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const send = (subject: string) => t.ok('mail.send', { profileId: profile.id, to: [MAIL.users.yara.email], subject, html: `<p>${subject}</p>` })
    return { mailbox, send }
  }
  const engine = () => freshEngine({ outbound: { undoMs: 0, probeMs: 3_600_000, eventsPollMs: 0 }, inbound: { run: false } })

  it('a wrong port says the server refused (not the network); fixing the port clears it and sends the held mail', async () => {
    const t = engine()
    const port = await closedPort()
    const { mailbox, send } = await setup(t, smtpOf({ port }))
    const m = await send('Wrong port')
    await t.engine.outbound.scheduler.idle()
    const held = await t.ok('outbox.get', { id: m.id })
    expect(held).toMatchObject({ status: 'held', statusReason: 'unreachable', errorCode: 'CONNECTION_REFUSED', attempts: 0, lastError: expect.stringMatching(/refused the connection.*Check the host and port/) })
    const down = await t.ok('net.status', {})
    expect(down).toMatchObject({ hostOnline: true, held: 1 })
    expect(down.endpoints).toEqual([expect.objectContaining({ online: false, code: 'CONNECTION_REFUSED' })])

    await t.ok('mailboxes.update', { id: mailbox.id, smtp: smtpOf() })
    await waitFor(async () => (await t.ok('outbox.get', { id: m.id })).status === 'sent', { timeoutMs: 20_000, message: 'sent after the port fix' })
    // The old port's error is gone: nothing claims the server is unreachable any more.
    const now = await t.ok('net.status', {})
    expect(now.endpoints.filter((e) => !e.online)).toEqual([])
    expect(now).toMatchObject({ online: true, held: 0 })
    await waitFor(async () => (await fetchMessages('yara')).some((x) => x.subject === 'Wrong port'), { timeoutMs: 20_000, message: 'delivered to yara' })
  })

  it('TLS on a plain port holds the mailbox with words about TLS, and the fix sends the held mail', async () => {
    const t = engine()
    const { mailbox, send } = await setup(t, smtpOf({ secure: 'tls' }))
    const m = await send('TLS mismatch')
    await t.engine.outbound.scheduler.idle()
    expect(await t.ok('outbox.get', { id: m.id })).toMatchObject({ status: 'held', statusReason: 'auth', errorCode: 'TLS_MISMATCH', attempts: 0 })
    const box = (await t.ok('mailboxes.list', {}))[0]!
    expect(box).toMatchObject({ status: 'auth_error', statusCode: 'TLS_MISMATCH' })
    expect(box.statusReason).toMatch(/does not speak TLS on this port.*STARTTLS or None/)
    expect(box.statusReason).not.toMatch(/ssl3_|openssl/i)
    await t.ok('mailboxes.update', { id: mailbox.id, smtp: smtpOf() })
    await waitFor(async () => (await t.ok('outbox.get', { id: m.id })).status === 'sent', { timeoutMs: 20_000, message: 'sent after the TLS fix' })
    expect((await t.ok('mailboxes.list', {}))[0]).toMatchObject({ status: 'active', statusReason: null, statusCode: null })
  })
})
