// Worker lifecycle against real Dovecot (kim): a refused login shows auth_error and is not retried (not
// even after an engine restart) until new settings bring it back; an unreachable server backs off; pause,
// resume and delete start and stop the worker.
import { beforeAll, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { server, status, syncedEngine, waitState } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, smtpTransport, waitFor } from './servers'

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox('kim')
}, 600_000)

it('a wrong password shows auth_error, is not retried, and is fixed by updating the settings', async () => {
  const { t, mailbox } = await syncedEngine('kim', { password: 'wrong-password', backoffBaseMs: 50 })
  await waitState(t, mailbox.id, 'auth_error')
  const s = await status(t, mailbox.id)
  expect(s.error).toMatch(/IMAP server refused the login/i)
  // Sending through the mailbox is a separate matter: its SMTP status is untouched.
  expect((await t.ok('mailboxes.list', {}))[0].status).toBe('active')

  // With a 50 ms backoff a retry loop would show dozens of attempts in a second; there is exactly one.
  await new Promise((r) => setTimeout(r, 1_000))
  const attempts = t.events.filter((e) => e.event === 'sync.status' && e.payload.mailboxId === mailbox.id && e.payload.state === 'connecting')
  expect(attempts.length).toBeLessThanOrEqual(1)
  expect((await status(t, mailbox.id)).state).toBe('auth_error')
  // "Sync now" does not hammer the server with the same refused password either.
  await t.ok('mailboxes.sync', { mailboxId: mailbox.id })
  expect((await status(t, mailbox.id)).state).toBe('auth_error')

  // A restart with the same settings stays held without a new login.
  await t.engine.close()
  const again = freshEngine({ dataDir: t.dataDir, outbound: { eventsPollMs: 0 }, inbound: { backoffBaseMs: 50 } })
  await waitState(again, mailbox.id, 'auth_error')
  expect(again.events.some((e) => e.event === 'sync.status' && e.payload.state === 'connecting')).toBe(false)

  // The right password: the worker restarts, logs in and syncs.
  await again.ok('mailboxes.update', { id: mailbox.id, imap: server('kim', MAIL.ports.imap) })
  await waitState(again, mailbox.id, 'idle')
  expect((await status(again, mailbox.id)).error).toBeNull()
  const info = await smtpTransport('judy').sendMail({ from: MAIL.users.judy.email, to: MAIL.users.kim.email, subject: 'After the fix', text: 'hello' })
  await waitFor(async () => (await again.ok('inbox.list', {})).threads.some((th) => th.subject === 'After the fix'), { timeoutMs: 10_000 })
  expect(info.messageId).toBeTruthy()
}, 60_000)

it('an unreachable server is offline with backoff, and recovers when the settings point at a live one', async () => {
  const { t, mailbox } = await syncedEngine('kim', { backoffBaseMs: 100 })
  await waitState(t, mailbox.id, 'idle')
  await t.ok('mailboxes.update', { id: mailbox.id, imap: { ...server('kim', MAIL.ports.imap), port: 1 } })
  await waitState(t, mailbox.id, 'offline')
  expect((await status(t, mailbox.id)).error).toBeTruthy()
  await new Promise((r) => setTimeout(r, 1_000))
  // Backoff doubles from 100 ms (capped at 2 s in these tests): a handful of attempts, not hundreds.
  const attempts = t.events.filter((e) => e.event === 'sync.status' && e.payload.state === 'connecting').length
  expect(attempts).toBeLessThan(8)
  await t.ok('mailboxes.update', { id: mailbox.id, imap: server('kim', MAIL.ports.imap) })
  await waitState(t, mailbox.id, 'idle')
}, 60_000)

it('pausing a mailbox stops its worker, resuming starts it, deleting it removes it from sync.status', async () => {
  const { t, mailbox } = await syncedEngine('kim')
  await waitState(t, mailbox.id, 'idle')
  await t.ok('mailboxes.update', { id: mailbox.id, status: 'paused' })
  await waitState(t, mailbox.id, 'disabled')
  await t.ok('mailboxes.update', { id: mailbox.id, status: 'active' })
  await waitState(t, mailbox.id, 'idle')
  await t.ok('mailboxes.delete', { id: mailbox.id })
  await waitFor(async () => (await t.ok('sync.status', {})).length === 0, { message: 'gone from sync.status' })
  expect((await t.err('mailboxes.sync', { mailboxId: mailbox.id })).code).toBe('NOT_FOUND')
  await t.engine.close()
}, 60_000)
