// storeMessages takes a whole fetched batch in one transaction, with set-based lookups for its ids. A batch
// stored in one call must give exactly the inbox that the same messages give one call at a time: threads
// (merges inside the batch too), contact links, replies to our mail, auto-replies, search, unread counts.
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'

async function world() {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 } })
  const base = await inboxSetup(t)
  await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: base.object.id })
  await t.ok('contacts.create', { email: 'bob@main.test', firstName: 'Bob', primaryObjectId: null, extraEmails: ['bob.work@corp.test'] })
  const out = await t.ok('mail.send', { profileId: base.profile.id, to: ['ann@client.test'], subject: 'Offer', html: '<p>Hi</p>' })
  const s = storeCtx(t)
  const batch = [
    // Children before their parents: two threads at first, joined when <b> and then <a> arrive.
    msg({ uid: 1, messageId: '<c@x>', inReplyTo: '<b@x>', references: ['<b@x>'], subject: 'Re: Plan' }),
    msg({ uid: 2, messageId: '<d@x>', inReplyTo: '<a@x>', references: ['<a@x>'], subject: 'Re: Plan' }),
    msg({ uid: 3, messageId: '<z@x>', from: addr('Bob.Work@corp.test', 'Bob'), subject: 'Invoice zebra' }),
    msg({ uid: 4, messageId: '<b@x>', inReplyTo: '<a@x>', references: ['<a@x>'], subject: 'Re: Plan', flags: ['\\Seen'] }),
    msg({ uid: 5, messageId: '<a@x>', subject: 'Plan' }),
    // A uid twice in one batch: the first copy wins.
    msg({ uid: 3, messageId: '<z2@x>', subject: 'Duplicate uid' }),
    msg({ uid: 6, messageId: '<auto@x>', inReplyTo: out.messageId, subject: 'Automatic reply: Offer', headers: [['auto-submitted', 'auto-replied']] }),
    msg({ uid: 7, messageId: '<re@x>', inReplyTo: out.messageId, references: ['<older@x>', out.messageId], subject: 'Re: Offer' }),
    // Links the <z> thread with the <a> thread: one merge in the middle of the batch.
    msg({ uid: 8, messageId: '<e@x>', references: ['<z@x>', '<c@x>'], subject: 'Re: Invoice zebra', cc: [addr('bob@main.test')] }),
    msg({ uid: 9, messageId: '<f@x>', references: ['<e@x>', '<e@x>', '<g@x>'], from: addr('hello@eve.test'), subject: 'Re: zebra again' }),
    msg({ uid: 10, messageId: '<g@x>', subject: 'Late parent of f', flags: ['\\Seen'] }),
  ]
  return { t, ...base, ...s, batch, out }
}

/** The observable inbox, with database ids replaced by uids so two engines compare. */
async function snapshot(w: Awaited<ReturnType<typeof world>>) {
  const q = <T,>(sql: string) => w.ctx.sqlite.prepare(sql).all() as T[]
  const uidOf = new Map(q<{ id: number; uid: number }>('SELECT id, uid FROM messages').map((r) => [r.id, r.uid]))
  const key = new Map(q<{ t: number; u: number }>('SELECT thread_id AS t, min(uid) AS u FROM messages GROUP BY thread_id').map((r) => [r.t, r.u]))
  const page = await w.t.ok('inbox.list', { limit: 50 })
  const search = async (query: string) => (await w.t.ok('inbox.list', { query, limit: 50 })).threads.map((th) => key.get(th.id))
  return {
    messages: q<Record<string, unknown>>(
      'SELECT uid, thread_id, direction, read, is_auto_reply, outbound_id IS NOT NULL AS ours, snippet FROM messages ORDER BY uid',
    ).map((m) => ({ ...m, thread_id: key.get(m.thread_id as number) }) as Record<string, unknown>),
    threads: q<Record<string, unknown>>(
      'SELECT id, subject, message_count, unread_count, latest_message_id, last_message_at, has_attachments FROM threads ORDER BY id',
    ).map((th) => ({ ...th, id: key.get(th.id as number), latest_message_id: uidOf.get(th.latest_message_id as number) })),
    // Our outbound Message-ID differs between the two engines: named first, sorted after.
    refs: q<{ ref: string; thread_id: number }>('SELECT ref, thread_id FROM thread_refs')
      .map((r) => [r.ref === w.out.messageId ? '<our offer>' : r.ref, key.get(r.thread_id)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    links: q<{ m: number; e: string }>('SELECT mc.message_id AS m, c.email AS e FROM message_contacts mc JOIN contacts c ON c.id = mc.contact_id ORDER BY 1, 2').map(
      (r) => [uidOf.get(r.m), r.e],
    ),
    replied: q("SELECT type FROM message_events WHERE type = 'replied'").length,
    hooks: w.hooks.map((h) => h.name),
    newMessages: w.emitted.reduce((n, e) => n + (e.payload as { newMessages: number }).newMessages, 0),
    list: page.threads.map((th) => [key.get(th.id), th.unreadCount, th.messageCount, th.contacts.map((c) => c.email).sort()]),
    unreadThreads: page.unreadThreads,
    totals: q('SELECT threads FROM thread_unread_totals'),
    search: [await search('zebra'), await search('plan'), await search('bob.work@corp.test'), await search('offer')],
  }
}

describe('storeMessages with a whole batch', () => {
  it('gives the same inbox as storing the messages one call at a time', async () => {
    const one = await world()
    const all = await world()
    for (const m of one.batch) storeMessages(one.ctx, inboxRef(one.mailbox.id), [m])
    expect(storeMessages(all.ctx, inboxRef(all.mailbox.id), all.batch)).toEqual({ stored: 10, duplicates: 1 })
    const a = await snapshot(one)
    const b = await snapshot(all)
    expect(b).toEqual(a)
    // And the merges did happen: <a>…<g> and <z> are one thread, the reply to our offer another.
    expect(new Set(b.messages.filter((m) => m.uid !== 6 && m.uid !== 7).map((m) => m.thread_id)).size).toBe(1)
    expect(b.replied).toBe(1)
    expect(all.emitted).toHaveLength(1)
  })
})
