// IMAP sync end to end against real Postfix + Dovecot: ivan's mailbox syncs into the engine while judy
// sends to him over SMTP. IDLE push, contact matching, search, two-way \Seen, uidvalidity resync.
import { beforeAll, describe, expect, it } from 'vitest'
import { doveadm, peek, status, syncedEngine, uidValidity, waitState } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, smtpTransport, waitFor, withImap } from './servers'

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox('ivan', { deleteFolders: true })
}, 600_000)

const send = (subject: string, text: string, extra: Record<string, unknown> = {}) =>
  smtpTransport('judy').sendMail({ from: `Judy Jones <${MAIL.users.judy.email}>`, to: MAIL.users.ivan.email, subject, text, ...extra })

describe('inbound sync (ivan)', () => {
  it('pushes new mail through IDLE: stored, matched to its contact, found by search', async () => {
    await resetMailbox('ivan')
    const { t, object, mailbox } = await syncedEngine('ivan')
    const judy = await t.ok('contacts.create', { firstName: 'Judy', lastName: 'Jones', email: MAIL.users.judy.email, primaryObjectId: object.id })
    await waitState(t, mailbox.id, 'idle')

    const info = await send('Quarterly pricing question', 'Could you send the zanzibar rate card?')
    // Pushed by IDLE: the folder poll is a minute away, so arriving within the wait proves the push. How fast
    // is measured by bench:sync (figure e), not asserted here.
    await waitFor(() => t.events.some((e) => e.event === 'inbox.changed' && e.payload.newMessages > 0), { timeoutMs: 10_000, message: 'inbox.changed' })

    const page = await t.ok('inbox.list', { query: 'zanzibar' })
    expect(page.threads).toHaveLength(1)
    const msg = page.threads[0].latest
    expect(msg).toMatchObject({ subject: 'Quarterly pricing question', direction: 'in', read: false, mailboxId: mailbox.id, folder: 'INBOX' })
    expect(msg.contactIds).toEqual([judy.id])
    expect((await t.ok('inbox.list', { contactId: judy.id })).threads.map((x) => x.id)).toEqual([page.threads[0].id])
    expect((await t.ok('inbox.list', { query: 'nonexistentword' })).threads).toHaveLength(0)
    const detail = await t.ok('messages.get', { id: msg.id })
    expect(detail.messageIdHeader).toBe(info.messageId)
    expect((await status(t, mailbox.id)).unread).toBe(1)
  }, 60_000)

  it('syncs what was already there once, and a resync with no changes stores nothing', async () => {
    await resetMailbox('ivan')
    for (let i = 0; i < 5; i++) await send(`Batch ${i}`, `message number ${i}`)
    await waitFor(async () => (await withImap('ivan', async (c) => (await c.mailboxOpen('INBOX')).exists)) === 5, { message: 'five delivered' })
    const { t, mailbox } = await syncedEngine('ivan')
    await waitState(t, mailbox.id, 'idle')
    const count = () => peek<{ n: number }>(t, 'SELECT COUNT(*) AS n FROM messages WHERE mailbox_id = ?', mailbox.id)[0].n
    await waitFor(() => count() === 5)
    // The first sync reported its progress, ending with everything fetched.
    const progress = t.events.flatMap((e) => (e.event === 'sync.status' && e.payload.progress ? [e.payload.progress] : []))
    expect(progress.at(-1)).toEqual({ folder: 'INBOX', done: 5, total: 5, etaSeconds: 0 })
    const folder = peek<{ last_uid: number; known_count: number; highestmodseq: string }>(t, "SELECT * FROM sync_folders WHERE path = 'INBOX'")[0]
    expect(folder.known_count).toBe(5)
    expect(Number(folder.highestmodseq)).toBeGreaterThan(0)
    const before = t.events.filter((e) => e.event === 'inbox.changed').length
    const syncedAt = (folder: string) => peek<{ last_sync_at: number }>(t, 'SELECT last_sync_at FROM sync_folders WHERE path = ?', folder)[0]?.last_sync_at
    const sentAt = syncedAt('Sent')
    expect(sentAt).toBeDefined()
    t.clock.advance(60_000)
    await t.engine.inbound.sync.syncNow(mailbox.id)
    expect(count()).toBe(5)
    expect(t.events.filter((e) => e.event === 'inbox.changed').length).toBe(before)
    // LIST-STATUS showed nothing new in Sent: it was not even selected. INBOX (selected) is always checked.
    expect(syncedAt('Sent')).toBe(sentAt)
    expect(syncedAt('INBOX')).toBe(sentAt + 60_000)

    // A flag changed by another client reaches the app with the next pass.
    await withImap('ivan', async (c) => {
      await c.mailboxOpen('INBOX')
      await c.messageFlagsAdd('1', ['\\Flagged'])
    })
    await t.engine.inbound.sync.syncNow(mailbox.id)
    await waitFor(() => peek<{ n: number }>(t, 'SELECT COUNT(*) AS n FROM messages WHERE flagged = 1')[0].n === 1, { timeoutMs: 3_000 })
  }, 60_000)

  it('marking read in the app sets \\Seen on the server, and \\Seen set on the server shows read in the app', async () => {
    await resetMailbox('ivan')
    const a = await send('Read me in the app', 'first')
    const b = await send('Read me on the server', 'second')
    const { t, mailbox } = await syncedEngine('ivan')
    await waitFor(async () => (await t.ok('inbox.list', {})).threads.length === 2, { message: 'both synced' })
    const byMid = async (mid: string) => {
      const page = await t.ok('inbox.list', {})
      for (const th of page.threads) {
        const d = await t.ok('messages.get', { id: th.latest.id })
        if (d.messageIdHeader === mid) return d
      }
      throw new Error(`no message ${mid}`)
    }
    const serverSeen = (mid: string) =>
      withImap('ivan', async (c) => {
        await c.mailboxOpen('INBOX', { readOnly: true })
        const all = await c.fetchAll('1:*', { envelope: true, flags: true })
        return all.find((m) => m.envelope?.messageId === mid)?.flags?.has('\\Seen') ?? false
      })

    const appMsg = await byMid(a.messageId)
    expect(await serverSeen(a.messageId)).toBe(false)
    await t.ok('messages.markRead', { ids: [appMsg.id], read: true })
    await waitFor(() => serverSeen(a.messageId), { timeoutMs: 5_000, message: '\\Seen pushed to the server' })
    await waitFor(() => peek<{ n: number }>(t, 'SELECT COUNT(*) AS n FROM pending_flag_ops')[0].n === 0, { message: 'op acknowledged' })
    await t.ok('messages.markRead', { ids: [appMsg.id], read: false })
    await waitFor(async () => !(await serverSeen(a.messageId)), { timeoutMs: 5_000, message: '\\Seen cleared on the server' })

    const other = await byMid(b.messageId)
    expect(other.read).toBe(false)
    await withImap('ivan', async (c) => {
      await c.mailboxOpen('INBOX')
      const uid = (await c.fetchAll('1:*', { envelope: true, uid: true })).find((m) => m.envelope?.messageId === b.messageId)!.uid
      await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
    })
    // Another client's change reaches the IDLE session as a FETCH push, then CONDSTORE picks it up.
    await waitFor(async () => (await byMid(b.messageId)).read, { timeoutMs: 5_000, message: 'server \\Seen shown in the app' })
    expect((await status(t, mailbox.id)).unread).toBe(1)
  }, 60_000)

  it('a uidvalidity change resyncs the folder: nothing duplicated, read state kept, expunged mail dropped', async () => {
    await resetMailbox('ivan')
    const sent: Array<{ messageId: string }> = []
    for (let i = 0; i < 4; i++) sent.push(await send(`Resync ${i}`, `resync body ${i}`))
    await waitFor(async () => (await withImap('ivan', async (c) => (await c.mailboxOpen('INBOX')).exists)) === 4)
    const { t, mailbox } = await syncedEngine('ivan')
    const rows = () => peek<{ message_id: string; uidvalidity: string; read: number }>(t, 'SELECT message_id, uidvalidity, read FROM messages WHERE mailbox_id = ? ORDER BY uid', mailbox.id)
    await waitFor(() => rows().length === 4)
    const first = (await t.ok('inbox.list', { query: '"resync body 0"' })).threads[0].latest
    await t.ok('messages.markRead', { ids: [first.id], read: true })
    await waitFor(() => peek<{ n: number }>(t, 'SELECT COUNT(*) AS n FROM pending_flag_ops')[0].n === 0)

    const old = await uidValidity('ivan', 'INBOX')
    // Delete one message behind the app's back, then give the folder a new uidvalidity.
    await withImap('ivan', async (c) => {
      await c.mailboxOpen('INBOX')
      const uid = (await c.fetchAll('1:*', { envelope: true, uid: true })).find((m) => m.envelope?.messageId === sent[3].messageId)!.uid
      await c.messageDelete(String(uid), { uid: true })
    })
    await doveadm('mailbox', 'update', '-u', MAIL.users.ivan.email, '--uid-validity', String(old + 1000n), 'INBOX')
    expect(await uidValidity('ivan', 'INBOX')).toBe(old + 1000n)

    await t.ok('mailboxes.sync', { mailboxId: mailbox.id })
    await waitFor(() => rows().length === 3 && rows().every((r) => r.uidvalidity === String(old + 1000n)), { timeoutMs: 10_000, message: 'resynced' })
    const after = rows()
    expect(new Set(after.map((r) => r.message_id)).size).toBe(3)
    expect(after.map((r) => r.message_id).sort()).toEqual(sent.slice(0, 3).map((s) => s.messageId).sort())
    expect(after.find((r) => r.message_id === sent[0].messageId)!.read).toBe(1)
    const folder = peek<{ uidvalidity: string; known_count: number }>(t, "SELECT * FROM sync_folders WHERE path = 'INBOX'")[0]
    expect(folder).toMatchObject({ uidvalidity: String(old + 1000n), known_count: 3 })
  }, 60_000)

  it('without CONDSTORE, flags changed on the server come back through a resync of the recent UIDs', async () => {
    await resetMailbox('ivan')
    for (let i = 0; i < 3; i++) await send(`Window ${i}`, `window ${i}`)
    await waitFor(async () => (await withImap('ivan', async (c) => (await c.mailboxOpen('INBOX')).exists)) === 3)
    const { t, mailbox } = await syncedEngine('ivan', { inbound: { useCondstore: false, flagWindow: 2 } })
    const read = () => peek<{ subject: string; read: number }>(t, 'SELECT subject, read FROM messages WHERE mailbox_id = ? ORDER BY uid', mailbox.id)
    await waitFor(() => read().length === 3)
    expect(peek<{ highestmodseq: string | null }>(t, "SELECT highestmodseq FROM sync_folders WHERE path = 'INBOX'")[0].highestmodseq).toBeNull()
    await withImap('ivan', async (c) => {
      await c.mailboxOpen('INBOX')
      await c.messageFlagsAdd('3', ['\\Seen'])
    })
    await t.engine.inbound.sync.syncNow(mailbox.id)
    await waitFor(() => read()[2].read === 1, { timeoutMs: 3_000, message: 'newest message read' })
    expect(read().map((r) => r.read)).toEqual([0, 0, 1])
  }, 60_000)

  it('drops mail expunged on the server, and reconnects after the server drops the session', async () => {
    await resetMailbox('ivan')
    const a = await send('Keep me', 'stays')
    const b = await send('Delete me', 'goes away')
    await waitFor(async () => (await withImap('ivan', async (c) => (await c.mailboxOpen('INBOX')).exists)) === 2)
    const { t, mailbox } = await syncedEngine('ivan')
    const ids = () => peek<{ message_id: string }>(t, 'SELECT message_id FROM messages WHERE mailbox_id = ?', mailbox.id).map((r) => r.message_id)
    await waitFor(() => ids().length === 2)
    await withImap('ivan', async (c) => {
      await c.mailboxOpen('INBOX')
      const uid = (await c.fetchAll('1:*', { envelope: true, uid: true })).find((m) => m.envelope?.messageId === b.messageId)!.uid
      await c.messageDelete(String(uid), { uid: true })
    })
    // The EXPUNGE reaches the IDLE session; the count no longer matches and a UID SEARCH finds what is gone.
    await waitFor(() => ids().length === 1, { timeoutMs: 5_000, message: 'expunge applied' })
    expect(ids()).toEqual([a.messageId])

    // The server kicks every session of the user: the worker notices, reconnects and still gets new mail.
    await waitState(t, mailbox.id, 'idle')
    await doveadm('kick', MAIL.users.ivan.email)
    await waitFor(() => t.events.some((e) => e.event === 'sync.status' && e.payload.mailboxId === mailbox.id && e.payload.state !== 'idle'), {
      timeoutMs: 5_000,
      message: 'the drop was noticed',
    })
    await waitState(t, mailbox.id, 'idle')
    const c = await send('After the reconnect', 'still flowing')
    await waitFor(() => ids().includes(c.messageId), { timeoutMs: 10_000, message: 'mail after reconnect' })
  }, 60_000)

  it('syncs other subscribed folders by polling, and closing the engine never hangs on IDLE', async () => {
    await resetMailbox('ivan', { deleteFolders: true })
    await withImap('ivan', async (c) => {
      await c.mailboxCreate('Projects')
      await c.mailboxSubscribe('Projects')
      await c.append('Projects', 'From: judy@example.test\r\nTo: ivan@example.test\r\nSubject: Filed away\r\nMessage-ID: <filed-1@example.test>\r\n\r\nin a folder\r\n')
    })
    const { t, mailbox } = await syncedEngine('ivan', { pollMs: 300 })
    await waitFor(() => peek(t, "SELECT 1 FROM messages WHERE folder = 'Projects'").length === 1, { message: 'Projects synced' })
    await withImap('ivan', (c) => c.append('Projects', 'From: judy@example.test\r\nSubject: Filed later\r\nMessage-ID: <filed-2@example.test>\r\n\r\nlater\r\n'))
    await waitFor(() => peek(t, "SELECT 1 FROM messages WHERE folder = 'Projects'").length === 2, { timeoutMs: 5_000, message: 'poll picked it up' })
    await waitState(t, mailbox.id, 'idle')
    // An IDLE left open would keep close() waiting on the server for minutes: the test's own timeout is
    // the check, not a measured time.
    await t.engine.close()
  }, 60_000)
})
