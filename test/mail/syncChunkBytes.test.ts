// Big mail is stored in transactions of bounded size (issue 14): a sync of 1.5 MB messages against real
// Dovecot never puts two in one transaction (2 MB budget), while small mail is still grouped. Each storeMessages
// call (one transaction) emits one inbox.changed naming the threads it touched, which is what is counted.
import { beforeAll, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { peek, server, waitState } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from './servers'

const USER = 'hal' as const
const BIG = 4
const SMALL = 20

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox(USER, { deleteFolders: true })
}, 600_000)

const mail = (i: number, body: string) =>
  Buffer.from(
    `From: Sender <sender${i}@example.test>\r\nTo: hal@example.test\r\nSubject: chunk ${i}\r\nMessage-ID: <chunk-${i}@example.test>\r\nDate: Mon, 5 Jan 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  )

it('never stores two 1.5 MB messages in one transaction, and still groups the small ones', async () => {
  const line = 'the quick brown fox jumps over the lazy dog 0123456789\r\n'
  const big = line.repeat(Math.ceil((1.5 * 1024 * 1024) / line.length))
  await withImap(USER, async (c) => {
    // Big ones between small ones, all in the first fetched batch (25 messages).
    for (let i = 0; i < SMALL + BIG; i++) await c.append('INBOX', mail(i, i % 6 === 3 ? big : `small message ${i}`))
  })
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000 } })
  const object = await t.ok('objects.create', { name: 'Chunks', timezone: 'UTC' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users[USER].email,
    displayName: USER,
    minGapSeconds: 0,
    smtp: server(USER, MAIL.ports.smtp),
    imap: server(USER, MAIL.ports.imap),
  })
  const rows = () => peek<{ threadId: number; subject: string }>(t, 'SELECT thread_id AS threadId, subject FROM messages WHERE mailbox_id = ?', mailbox.id)
  await waitFor(() => rows().length === SMALL + BIG, { timeoutMs: 60_000, message: 'every message stored' })
  await waitState(t, mailbox.id, 'idle', 60_000)

  const bigThreads = new Set(rows().filter((r) => Number(r.subject.split(' ')[1]) % 6 === 3).map((r) => r.threadId))
  expect(bigThreads.size).toBe(BIG)
  const chunks = t.events.flatMap((e) => (e.event === 'inbox.changed' ? [e.payload.threadIds] : []))
  // No transaction held two of the big messages (3 MB > the 2 MB budget): four transactions for the four.
  const bigPerChunk = chunks.map((ids) => ids.filter((id) => bigThreads.has(id)).length)
  expect(Math.max(...bigPerChunk)).toBe(1)
  expect(bigPerChunk.filter((n) => n === 1)).toHaveLength(BIG)
  // The small ones were not stored one by one: fewer transactions than messages.
  expect(chunks.length).toBeLessThan(SMALL + BIG)
}, 120_000)

it('a big first sync fetched in ranges stores every message exactly once, gaps in the UIDs included', async () => {
  await resetMailbox(USER, { deleteFolders: true })
  const N = 90
  const uidsOnServer = await withImap(USER, async (c) => {
    for (let i = 0; i < N; i++) await c.append('INBOX', mail(100 + i, i % 30 === 5 ? 'y'.repeat(300_000) : `message ${i}`))
    await c.mailboxOpen('INBOX')
    // Expunged runs leave holes in the UIDs the ranges are cut from.
    const all = ((await c.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b)
    const gone = all.filter((_, i) => i % 7 === 3 || (i >= 40 && i < 47))
    await c.messageDelete(gone, { uid: true })
    return all.filter((u) => !gone.includes(u))
  })
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000 } })
  const object = await t.ok('objects.create', { name: 'Ranges', timezone: 'UTC' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users[USER].email,
    smtp: server(USER, MAIL.ports.smtp),
    imap: server(USER, MAIL.ports.imap),
  })
  const uids = () => peek<{ uid: number }>(t, 'SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid', mailbox.id).map((r) => r.uid)
  await waitFor(() => uids().length >= uidsOnServer.length, { timeoutMs: 60_000, message: 'every message stored' })
  await waitState(t, mailbox.id, 'idle', 60_000)
  expect(uids()).toEqual(uidsOnServer)
}, 120_000)
