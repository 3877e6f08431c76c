// Triage in the local store without a server: what is queued for the worker when mail is moved twice,
// moved back before the first move went out, starred, deleted for good; the inbox counts the triggers keep.
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

const setup = async () => {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 } })
  const base = await inboxSetup(t)
  const s = storeCtx(t)
  const q = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => s.ctx.sqlite.prepare(sql).all(...p) as T[]
  return { t, ...base, ...s, q }
}

describe('messages.move / messages.flag queue', () => {
  it('moves locally at once with a placeholder identity, and a second move before the push is one move from where it is', async () => {
    const { t, ctx, mailbox, q } = await setup()
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 5, subject: 'One' }), msg({ uid: 6, subject: 'Two' })])
    const [one, two] = q<{ id: number; thread_id: number }>('SELECT id, thread_id FROM messages ORDER BY uid')
    await t.ok('messages.move', { ids: [one!.id], to: 'archive' })
    expect(q('SELECT folder, uid, uidvalidity, stale FROM messages WHERE id = ?', one!.id)).toEqual([{ folder: 'Archive', uid: -one!.id, uidvalidity: '0', stale: 1 }])
    expect(q('SELECT from_folder, from_uid, to_role, to_folder FROM pending_moves')).toEqual([{ from_folder: 'INBOX', from_uid: 5, to_role: 'archive', to_folder: 'Archive' }])
    // Then to Trash: still one op, from INBOX uid 5.
    await t.ok('messages.move', { ids: [one!.id], to: 'trash' })
    expect(q('SELECT from_folder, from_uid, to_role, to_folder FROM pending_moves')).toEqual([{ from_folder: 'INBOX', from_uid: 5, to_role: 'trash', to_folder: 'Trash' }])
    // And back to the inbox before anything went out: no op, and the row is the server's INBOX uid 5 again.
    await t.ok('messages.move', { ids: [one!.id], to: 'inbox' })
    expect(q('SELECT count(*) AS n FROM pending_moves')).toEqual([{ n: 0 }])
    expect(q('SELECT folder, uid, uidvalidity, stale FROM messages WHERE id = ?', one!.id)).toEqual([{ folder: 'INBOX', uid: 5, uidvalidity: '1', stale: 0 }])
    // Moving what is already there changes nothing.
    expect(await t.ok('messages.move', { ids: [two!.id], to: 'inbox' })).toEqual({ changed: 0, threadIds: [] })
  })

  it('keeps the inbox view in step: archived conversations leave it, a conversation only in Sent stays, a reply brings one back', async () => {
    const { t, ctx, mailbox, q } = await setup()
    storeMessages(ctx, sentRef(mailbox.id), [msg({ uid: 1, messageId: '<out@eve.test>', subject: 'Offer', from: addr('hello@eve.test'), to: [addr('ann@client.test')] })])
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 2, messageId: '<in@client.test>', subject: 'Question' })])
    const subjects = async (input = {}) => (await t.ok('inbox.list', input)).threads.map((x) => x.subject).sort()
    expect(await subjects()).toEqual(['Offer', 'Question'])
    const question = q<{ thread_id: number }>("SELECT thread_id FROM messages WHERE message_id = '<in@client.test>'")[0]!.thread_id
    await t.ok('messages.move', { threadIds: [question], to: 'archive' })
    expect(await subjects()).toEqual(['Offer'])
    expect(await subjects({ folder: 'archive' })).toEqual(['Question'])
    expect(await subjects({ folder: 'all' })).toEqual(['Offer', 'Question'])
    // A reply in INBOX brings the archived conversation back, as in Gmail.
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 3, inReplyTo: '<in@client.test>', references: ['<in@client.test>'], subject: 'Re: Question' })])
    expect(await subjects()).toEqual(['Offer', 'Question'])
    // The counts the triggers keep match a recount.
    const kept = q('SELECT id, inbox_count, away_count FROM threads ORDER BY id')
    const real = q(
      `SELECT t.id, (SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.folder = 'INBOX') AS inbox_count,
              (SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.folder != 'INBOX' AND m.direction = 'in') AS away_count FROM threads t ORDER BY t.id`,
    )
    expect(kept).toEqual(real)
  })

  it('stars queue \\Flagged, mark-all-read covers the view, and Trash on mail in Trash deletes it for good', async () => {
    const { t, ctx, mailbox, q } = await setup()
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 7, subject: 'Star me' }), msg({ uid: 8, subject: 'Bin me' })])
    const [star, bin] = q<{ id: number; thread_id: number }>('SELECT id, thread_id FROM messages ORDER BY uid')
    await t.ok('messages.flag', { threadIds: [star!.thread_id], flagged: true })
    expect(q("SELECT message_id, flag, value FROM pending_flag_ops WHERE flag = '\\Flagged'")).toEqual([{ message_id: star!.id, flag: '\\Flagged', value: 1 }])
    expect((await t.ok('inbox.list', { folder: 'flagged' })).threads.map((x) => x.subject)).toEqual(['Star me'])
    expect(await t.ok('messages.markRead', { filter: { folder: 'inbox' }, read: true })).toEqual({ changed: 2 })
    await t.ok('messages.move', { ids: [bin!.id], to: 'trash' })
    await t.ok('messages.move', { ids: [bin!.id], to: 'trash' })
    expect(q('SELECT count(*) AS n FROM messages WHERE id = ?', bin!.id)).toEqual([{ n: 0 }])
    expect(q('SELECT from_folder, from_uid, to_role FROM pending_moves')).toEqual([{ from_folder: 'INBOX', from_uid: 8, to_role: 'expunge' }])
    expect((await t.err('messages.move', { to: 'archive' })).code).toBe('VALIDATION')
    expect((await t.err('messages.move', { ids: [999], to: 'archive' })).code).toBe('NOT_FOUND')
    expect((await t.err('folders.list', { mailboxId: 999 })).code).toBe('NOT_FOUND')
  })
  it('a moved copy recognised in its new folder by Message-ID keeps a star and a read not yet pushed', async () => {
    const { t, ctx, mailbox, q } = await setup()
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 9, messageId: '<keep@client.test>', subject: 'Keep my star', flags: [] })])
    const [m] = q<{ id: number; thread_id: number }>('SELECT id, thread_id FROM messages')
    await t.ok('messages.move', { ids: [m!.id], to: 'archive' })
    await t.ok('messages.flag', { ids: [m!.id], flagged: true })
    await t.ok('messages.markRead', { ids: [m!.id], read: true })
    // The server's copy in Archive (the move went out without UIDPLUS) still has neither flag.
    storeMessages(ctx, { mailboxId: mailbox.id, folder: 'Archive', folderRole: 'other', uidValidity: 4n }, [msg({ uid: 1, messageId: '<keep@client.test>', subject: 'Keep my star', flags: [] })])
    expect(q('SELECT folder, uid, uidvalidity, stale, flagged, read FROM messages')).toEqual([{ folder: 'Archive', uid: 1, uidvalidity: '4', stale: 0, flagged: 1, read: 1 }])
    expect(q('SELECT flag, value FROM pending_flag_ops ORDER BY flag')).toEqual([{ flag: '\\Flagged', value: 1 }, { flag: '\\Seen', value: 1 }])
  })
})
