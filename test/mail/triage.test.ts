// Inbox triage both ways against real Dovecot: archive, delete, junk, move and star in the app show on the
// server; the same changes made on the server show in the app; triage done while the app cannot reach the
// server is applied when it can. vera uses the full Dovecot (MOVE, CONDSTORE, IDLE, UIDPLUS); walt the
// Courier-like one (no MOVE: COPY + EXPUNGE). Only vera and walt are used here.
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from '../helpers'
import { appendMessages, peek, serverUid, triageEngine } from './triageHelpers'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from './servers'

beforeAll(async () => {
  await ensureMailServers()
}, 600_000)

const threadOf = (t: TestEngine, mid: string) => peek<{ thread_id: number; id: number }>(t, 'SELECT thread_id, id FROM messages WHERE message_id = ?', mid)[0]
const listed = async (t: TestEngine, input: Record<string, unknown> = {}) => (await t.ok('inbox.list', input)).threads.map((x) => x.subject)

describe('triage from the app shows on the server (vera, with MOVE)', () => {
  it('archives, deletes, junks, moves to a folder and stars; the inbox changes at once', async () => {
    await resetMailbox('vera', { deleteFolders: true })
    await withImap('vera', async (c) => {
      await c.mailboxCreate('Projects')
      await c.mailboxSubscribe('Projects')
    })
    const [a, b, c, d] = await appendMessages('vera', 'INBOX', ['Archive me', 'Delete me', 'File me', 'Junk me'])
    const { t, mailbox } = await triageEngine('vera')
    await waitFor(() => peek(t, 'SELECT 1 FROM messages WHERE mailbox_id = ?', mailbox.id).length === 4, { message: 'first sync' })
    expect((await listed(t)).sort()).toEqual(['Archive me', 'Delete me', 'File me', 'Junk me'])

    const folders = await t.ok('folders.list', { mailboxId: mailbox.id })
    expect(folders.map((f) => [f.path, f.role])).toEqual(expect.arrayContaining([['INBOX', 'inbox'], ['Sent', 'sent'], ['Trash', 'trash'], ['Junk', 'junk'], ['Projects', 'other']]))
    expect(folders.find((f) => f.role === 'inbox')).toMatchObject({ unread: 4, total: 4 })
    const projects = folders.find((f) => f.path === 'Projects')!

    await t.ok('messages.move', { threadIds: [threadOf(t, a).thread_id], to: 'archive' })
    await t.ok('messages.move', { ids: [threadOf(t, b).id], to: 'trash' })
    await t.ok('messages.move', { threadIds: [threadOf(t, c).thread_id], to: { folderId: projects.id } })
    await t.ok('messages.move', { threadIds: [threadOf(t, d).thread_id], to: 'junk' })
    await t.ok('messages.flag', { threadIds: [threadOf(t, a).thread_id], flagged: true })
    // Locally at once: the inbox is empty, each folder view has its conversation.
    expect(await listed(t)).toEqual([])
    expect(await listed(t, { folder: 'archive' })).toEqual(['Archive me'])
    expect(await listed(t, { folder: 'trash' })).toEqual(['Delete me'])
    expect(await listed(t, { folder: 'junk' })).toEqual(['Junk me'])
    expect(await listed(t, { folderId: projects.id })).toEqual(['File me'])
    expect(await listed(t, { folder: 'flagged' })).toEqual(['Archive me'])
    expect((await t.ok('inbox.list', {})).unreadThreads).toBe(0)

    // On the server: the server had no Archive, so one was created (Dovecot gives it \Archive).
    await waitFor(async () => (await serverUid('vera', 'Archive', a))?.flags.has('\\Flagged'), { message: 'archived and starred on the server' })
    await waitFor(async () => (await serverUid('vera', 'Trash', b)) !== null, { message: 'in Trash on the server' })
    await waitFor(async () => (await serverUid('vera', 'Projects', c)) !== null, { message: 'in Projects on the server' })
    await waitFor(async () => (await serverUid('vera', 'Junk', d)) !== null, { message: 'in Junk on the server' })
    for (const mid of [a, b, c, d]) expect(await serverUid('vera', 'INBOX', mid)).toBeNull()
    // The local copies took the server's new UIDs (COPYUID) and nothing is left queued.
    await waitFor(() => peek<{ n: number }>(t, 'SELECT count(*) AS n FROM messages WHERE mailbox_id = ? AND stale = 1', mailbox.id)[0].n === 0, { message: 'real UIDs' })
    expect(peek<{ n: number }>(t, 'SELECT count(*) AS n FROM pending_moves')[0].n).toBe(0)
    const archived = peek<{ folder: string; uid: number }>(t, 'SELECT folder, uid FROM messages WHERE message_id = ?', a)[0]
    expect(archived).toEqual({ folder: 'Archive', uid: (await serverUid('vera', 'Archive', a))!.uid })

    // A full sync afterwards neither duplicates nor loses anything.
    await t.engine.inbound.sync.syncNow(mailbox.id)
    expect(peek<{ n: number }>(t, 'SELECT count(*) AS n FROM messages WHERE mailbox_id = ?', mailbox.id)[0].n).toBe(4)
    expect((await t.ok('folders.list', { mailboxId: mailbox.id })).find((f) => f.path === 'Archive')).toMatchObject({ role: 'archive', total: 1 })

    // Trash on mail already in Trash deletes it for good; back to the inbox brings one back.
    await t.ok('messages.move', { threadIds: [threadOf(t, b).thread_id], to: 'trash' })
    await t.ok('messages.move', { threadIds: [threadOf(t, d).thread_id], to: 'inbox' })
    expect(await listed(t)).toEqual(['Junk me'])
    await waitFor(async () => (await serverUid('vera', 'Trash', b)) === null && (await serverUid('vera', 'INBOX', d)) !== null, { message: 'expunged / back in INBOX' })
  }, 90_000)

  it('shows what was archived, starred, read and deleted on the server', async () => {
    await resetMailbox('vera', { deleteFolders: true })
    await withImap('vera', async (c) => {
      await c.mailboxCreate('Archive')
      await c.mailboxSubscribe('Archive')
    })
    const [a, b, c] = await appendMessages('vera', 'INBOX', ['Server archives', 'Server stars', 'Server deletes'])
    const { t, mailbox } = await triageEngine('vera')
    await waitFor(() => peek(t, 'SELECT 1 FROM messages WHERE mailbox_id = ?', mailbox.id).length === 3, { message: 'first sync' })
    await withImap('vera', async (cl) => {
      await cl.mailboxOpen('INBOX')
      const all = await cl.fetchAll('1:*', { uid: true, envelope: true })
      const uid = (mid: string) => String(all.find((m) => m.envelope?.messageId === mid)!.uid)
      await cl.messageFlagsAdd(uid(b), ['\\Flagged', '\\Seen'], { uid: true })
      await cl.messageDelete(uid(c), { uid: true })
      await cl.messageMove(uid(a), 'Archive', { uid: true })
    })
    // IDLE brings the INBOX changes; the Archive folder is polled, so ask for a full pass.
    await waitFor(async () => (await listed(t)).join() === 'Server stars', { message: 'inbox follows the server' })
    await t.engine.inbound.sync.syncNow(mailbox.id)
    await waitFor(async () => (await listed(t, { folder: 'archive' })).join() === 'Server archives', { message: 'archive view' })
    const starred = (await t.ok('inbox.list', { folder: 'flagged' })).threads
    expect(starred.map((x) => [x.subject, x.latest.flagged, x.unreadCount])).toEqual([['Server stars', true, 0]])
    expect(peek(t, 'SELECT 1 FROM messages WHERE message_id = ?', c)).toHaveLength(0)
    // The archived copy is one row (same thread as before), not a second one.
    expect(peek(t, 'SELECT folder FROM messages WHERE message_id = ?', a)).toEqual([{ folder: 'Archive' }])

    // Spam that lands in Junk is synced (the Junk view shows it) but is not new mail: no notice, no unread badge.
    const before = t.events.length
    const [spam] = await appendMessages('vera', 'Junk', ['Cheap watches'])
    await t.engine.inbound.sync.syncNow(mailbox.id)
    await waitFor(async () => (await listed(t, { folder: 'junk' })).includes('Cheap watches'), { message: 'junk synced' })
    expect(peek(t, 'SELECT read FROM messages WHERE message_id = ?', spam)).toEqual([{ read: 0 }])
    expect(t.events.slice(before).some((e) => e.event === 'inbox.changed' && e.payload.newMessages > 0)).toBe(false)
    expect((await t.ok('sync.status', {})).find((x) => x.mailboxId === mailbox.id)!.unread).toBe(0)
    expect((await t.ok('inbox.list', {})).unreadThreads).toBe(0)
  }, 60_000)
})

describe('offline triage is applied on reconnect (walt, without MOVE)', () => {
  it('queues archive, delete, star and read while the app cannot reach the server, and pushes them with COPY + EXPUNGE', async () => {
    await resetMailbox('walt', { deleteFolders: true })
    const [a, b, c] = await appendMessages('walt', 'INBOX', ['Offline archive', 'Offline delete', 'Offline star'])
    const first = await triageEngine('walt', { port: MAIL.ports.imapNoCondstore })
    const dataDir = first.t.dataDir
    await waitFor(() => peek(first.t, 'SELECT 1 FROM messages').length === 3, { message: 'first sync' })
    // Close without deleting the data dir (the cleanup of `first` would remove it, so this engine is closed by hand).
    await first.t.engine.close()

    // "Offline": the same workspace with no sync running.
    const off = freshEngine({ dataDir: `${dataDir}`, inbound: { run: false }, outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 } })
    await off.ok('messages.move', { threadIds: [threadOf(off, a).thread_id], to: 'archive' })
    await off.ok('messages.move', { threadIds: [threadOf(off, b).thread_id], to: 'trash' })
    await off.ok('messages.flag', { threadIds: [threadOf(off, c).thread_id], flagged: true })
    await off.ok('messages.markRead', { filter: { folder: 'inbox' }, read: true })
    expect(await listed(off)).toEqual(['Offline star'])
    expect((await off.ok('inbox.list', {})).threads[0]).toMatchObject({ unreadCount: 0, latest: { flagged: true } })
    expect(peek<{ n: number }>(off, 'SELECT count(*) AS n FROM pending_moves')[0].n).toBe(2)
    await off.engine.close()

    // Back online: the queue goes out in the first pass.
    const on = freshEngine({ dataDir, outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000, backoffBaseMs: 200 } })
    await waitFor(async () => (await serverUid('walt', 'Archive', a)) !== null, { message: 'archived on the server' })
    await waitFor(async () => (await serverUid('walt', 'Trash', b)) !== null, { message: 'trashed on the server' })
    await waitFor(async () => {
      const s = await serverUid('walt', 'INBOX', c)
      return s?.flags.has('\\Flagged') && s.flags.has('\\Seen')
    }, { message: 'starred and read on the server' })
    expect(await serverUid('walt', 'INBOX', a)).toBeNull()
    expect(await serverUid('walt', 'INBOX', b)).toBeNull()
    await waitFor(() => peek<{ n: number }>(on, 'SELECT count(*) AS n FROM pending_moves')[0].n === 0, { message: 'queue empty' })
    await on.engine.inbound.sync.syncNow(peek<{ id: number }>(on, 'SELECT id FROM mailboxes')[0].id)
    expect(peek<{ n: number }>(on, 'SELECT count(*) AS n FROM messages')[0].n).toBe(3)
    expect(await listed(on, { folder: 'archive' })).toEqual(['Offline archive'])
  }, 90_000)
})
