// The sync against a server without CONDSTORE, QRESYNC, IDLE or MOVE (an old server such as Courier): the
// third Dovecot instance on MAIL.ports.imapNoCondstore advertises none of them. Only uma is used here.
import { beforeAll, describe, expect, it } from 'vitest'
import { appendMessages, doveadm, peek, triageEngine, uidValidity } from './triageHelpers'
import { ensureMailServers, MAIL, portOpen, resetMailbox, waitFor, withImap } from './servers'

const PORT = MAIL.ports.imapNoCondstore

beforeAll(async () => {
  await ensureMailServers()
  if (!(await portOpen(PORT))) throw new Error(`no Dovecot on ${PORT}: run scripts/mailservers.sh start`)
}, 600_000)

describe('sync without CONDSTORE or IDLE (uma on the Courier-like Dovecot)', () => {
  it('the server really advertises neither CONDSTORE nor IDLE nor MOVE', async () => {
    const caps = await withImapPort(PORT, async (c) => [...c.capabilities.keys()])
    expect(caps).not.toContain('CONDSTORE')
    expect(caps).not.toContain('IDLE')
    expect(caps).not.toContain('MOVE')
    expect(caps).toContain('UIDPLUS')
  })

  it('re-reads the flags of the whole folder in chunks over passes, not only the newest UIDs', async () => {
    await resetMailbox('uma', { deleteFolders: true })
    await appendMessages('uma', 'INBOX', ['Old 1', 'Old 2', 'Old 3', 'Old 4', 'Old 5', 'Old 6', 'Old 7', 'Old 8'])
    const { t, mailbox } = await triageEngine('uma', { port: PORT, inbound: { flagWindow: 2, flagChunk: 2 } })
    const rows = () => peek<{ subject: string; read: number; flagged: number }>(t, 'SELECT subject, read, flagged FROM messages WHERE mailbox_id = ? ORDER BY uid', mailbox.id)
    await waitFor(() => rows().length === 8, { message: 'first sync' })
    // The oldest message, far outside the newest-UID window, is read and starred elsewhere.
    await withImap('uma', async (c) => {
      await c.mailboxOpen('INBOX')
      await c.messageFlagsAdd('1', ['\\Seen', '\\Flagged'])
    })
    // Six older messages in chunks of two: within three more passes (plus one in case a pass was under way).
    for (let i = 0; i < 4 && rows()[0].read === 0; i++) await t.engine.inbound.sync.syncNow(mailbox.id)
    expect(rows()[0]).toMatchObject({ subject: 'Old 1', read: 1, flagged: 1 })
    expect(rows().slice(1).every((r) => r.read === 0)).toBe(true)
  }, 60_000)

  it('checks INBOX with a NOOP every 15 s of the engine clock when the server cannot push', async () => {
    await resetMailbox('uma', { deleteFolders: true })
    const { t, mailbox } = await triageEngine('uma', { port: PORT })
    await waitFor(async () => (await t.ok('sync.status', {})).find((s) => s.mailboxId === mailbox.id)?.state === 'idle', { message: 'idle' })
    const has = (mid: string) => peek<{ n: number }>(t, 'SELECT count(*) AS n FROM messages WHERE message_id = ?', mid)[0].n === 1
    // Nothing pushes new mail (the 60 s folder poll runs on real time); each 15 s of the test clock brings it.
    // Twice: the first may also be caught by a check right after the first pass, the second only by the poll.
    for (const subject of ['Polled in', 'Polled again']) {
      const [mid] = await appendMessages('uma', 'INBOX', [subject])
      t.clock.advance(15_000)
      await waitFor(() => has(mid), { timeoutMs: 8_000, message: `"${subject}" after the 15 s NOOP poll` })
    }
  }, 60_000)

  // Dovecot ends a session whose selected folder changed UIDVALIDITY ("state is inconsistent, please relogin"),
  // so here the reconnect is what finds it; "sync now" also SELECTs INBOX afresh for servers that stay silent.
  it('sees a changed UIDVALIDITY of the selected INBOX on "sync now" and on a reconnect', async () => {
    await resetMailbox('uma', { deleteFolders: true })
    await appendMessages('uma', 'INBOX', ['Valid 1', 'Valid 2'])
    const { t, mailbox } = await triageEngine('uma', { port: PORT })
    const uvs = () => peek<{ uidvalidity: string }>(t, 'SELECT uidvalidity FROM messages WHERE mailbox_id = ?', mailbox.id).map((r) => r.uidvalidity)
    await waitFor(() => uvs().length === 2, { message: 'first sync' })
    await waitFor(async () => (await t.ok('sync.status', {})).find((s) => s.mailboxId === mailbox.id)?.state === 'idle', { message: 'idle' })

    const old = await uidValidity('uma', 'INBOX')
    await doveadm('dovecot', 'mailbox', 'update', '-u', MAIL.users.uma.email, '--uid-validity', String(old + 1000n), 'INBOX')
    await t.ok('mailboxes.sync', { mailboxId: mailbox.id })
    await waitFor(() => uvs().length === 2 && uvs().every((u) => u === String(old + 1000n)), { timeoutMs: 10_000, message: 'resynced on sync now' })

    await doveadm('dovecot', 'mailbox', 'update', '-u', MAIL.users.uma.email, '--uid-validity', String(old + 2000n), 'INBOX')
    await doveadm('dovecot-nocs', 'kick', MAIL.users.uma.email)
    await waitFor(() => uvs().length === 2 && uvs().every((u) => u === String(old + 2000n)), { timeoutMs: 15_000, message: 'resynced after the reconnect' })
    expect(peek<{ n: number }>(t, 'SELECT count(*) AS n FROM messages WHERE mailbox_id = ?', mailbox.id)[0].n).toBe(2)
  }, 60_000)
})

async function withImapPort<T>(port: number, fn: (c: import('imapflow').ImapFlow) => Promise<T>): Promise<T> {
  const { ImapFlow } = await import('imapflow')
  const u = MAIL.users.uma
  const c = new ImapFlow({ host: MAIL.host, port, secure: false, doSTARTTLS: false, auth: { user: u.email, pass: u.password }, logger: false })
  c.on('error', () => {})
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.logout().catch(() => c.close())
  }
}
