// The message store fed with ParsedMessage fixtures on a real SQLite engine: idempotence, matching,
// threading, classification (auto-replies, DSN bounces, replies to our mail), flags and uidvalidity resets.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ackFlagOps, applyFlags, pendingFlagOps, removeMissing, resetFolder, storeMessages } from '../src/main/engine/inbound/store'
import { isAutoReply } from '../src/main/engine/inbound/classify'
import { freshEngine } from './helpers'
import { addr, attachment, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

const setup = async () => {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 } })
  const base = await inboxSetup(t)
  const s = storeCtx(t)
  const q = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => s.ctx.sqlite.prepare(sql).all(...p) as T[]
  const one = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => q<T>(sql, ...p)[0]!
  const send = (to: string, subject = 'Offer') => t.ok('mail.send', { profileId: base.profile.id, to: [to], subject, html: '<p>Hi</p>' })
  return { t, ...base, ...s, q, one, send }
}

describe('storeMessages', () => {
  it('stores a batch once: the same uids again store nothing and make no second thread', async () => {
    const { ctx, mailbox, q, emitted } = await setup()
    const batch = [msg({ uid: 1 }), msg({ uid: 2 }), msg({ uid: 3, flags: ['\\Seen'] })]
    expect(storeMessages(ctx, inboxRef(mailbox.id), batch)).toEqual({ stored: 3, duplicates: 0 })
    expect(storeMessages(ctx, inboxRef(mailbox.id), batch)).toEqual({ stored: 0, duplicates: 3 })
    expect(q('SELECT count(*) AS n FROM messages')[0]).toEqual({ n: 3 })
    expect(q('SELECT count(*) AS n FROM threads')[0]).toEqual({ n: 3 })
    expect(emitted).toHaveLength(1)
    expect(emitted[0]).toMatchObject({ event: 'inbox.changed', payload: { newMessages: 2 } })
  })

  it('matches From/To/Cc to contacts of the object or of none, through extra addresses too, never to our own address', async () => {
    const { t, ctx, object, mailbox, one, q } = await setup()
    const other = await t.ok('objects.create', { name: 'Other Biz', postalAddress: '2 Main St', timezone: 'UTC' })
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    const bob = await t.ok('contacts.create', { email: 'bob@main.test', firstName: 'Bob', primaryObjectId: null, extraEmails: ['bob.work@corp.test'] })
    await t.ok('contacts.create', { email: 'cat@client.test', firstName: 'Cat', primaryObjectId: other.id })
    await t.ok('contacts.create', { email: 'hello@eve.test', firstName: 'Us', primaryObjectId: object.id })
    storeMessages(ctx, inboxRef(mailbox.id), [
      msg({ uid: 1, from: addr('  ANN@Client.TEST ', 'Ann'), to: [addr('hello@eve.test')], cc: [addr('Bob.Work@corp.test'), addr('cat@client.test')] }),
    ])
    const m = one<{ id: number }>('SELECT id FROM messages')
    expect(q('SELECT contact_id AS c FROM message_contacts WHERE message_id = ? ORDER BY contact_id', m.id).map((r) => r.c)).toEqual([ann.id, bob.id])
    const page = await t.ok('inbox.list', { contactId: bob.id })
    expect(page.threads).toHaveLength(1)
    expect(page.threads[0]!.contacts.map((c) => c.id).sort()).toEqual([ann.id, bob.id].sort())
  })

  it('threads by References / In-Reply-To / Message-ID, and merges when a late parent links two threads', async () => {
    const { ctx, mailbox, q } = await setup()
    const ref = inboxRef(mailbox.id)
    // Grandchild and child arrive first, each knowing only its direct parent: two threads for now.
    storeMessages(ctx, ref, [msg({ uid: 3, messageId: '<c@x>', inReplyTo: '<b@x>', references: ['<b@x>'] })])
    storeMessages(ctx, ref, [msg({ uid: 4, messageId: '<d@x>', inReplyTo: '<a@x>', references: ['<a@x>'] })])
    expect(q('SELECT count(*) AS n FROM threads')[0]).toEqual({ n: 2 })
    // <b> replies to <a>: it links both threads.
    storeMessages(ctx, ref, [msg({ uid: 2, messageId: '<b@x>', inReplyTo: '<a@x>', references: ['<a@x>'] })])
    storeMessages(ctx, ref, [msg({ uid: 1, messageId: '<a@x>', subject: 'Root' })])
    const threads = q<{ id: number; message_count: number }>('SELECT id, message_count FROM threads')
    expect(threads).toHaveLength(1)
    expect(threads[0]!.message_count).toBe(4)
    expect(q('SELECT DISTINCT thread_id AS t FROM messages')).toEqual([{ t: threads[0]!.id }])
    // Unrelated mail stays apart.
    storeMessages(ctx, ref, [msg({ uid: 5, messageId: '<z@x>' })])
    expect(q('SELECT count(*) AS n FROM threads')[0]).toEqual({ n: 2 })
  })

  it('joins our own Sent copy to the outbox row by Message-ID, as outbound, and threads the reply with it', async () => {
    const { ctx, mailbox, send, one, t } = await setup()
    const out = await send('ann@client.test')
    storeMessages(ctx, sentRef(mailbox.id), [msg({ uid: 1, messageId: out.messageId, from: addr('hello@eve.test'), to: [addr('ann@client.test')] })])
    const sent = one<{ direction: string; outbound_id: number; thread_id: number; read: number }>('SELECT direction, outbound_id, thread_id, read FROM messages')
    expect(sent).toMatchObject({ direction: 'out', outbound_id: out.id, read: 1 })
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 7, inReplyTo: out.messageId, references: [out.messageId], subject: 'Re: Offer' })])
    const reply = one<{ direction: string; thread_id: number; outbound_id: number }>("SELECT direction, thread_id, outbound_id FROM messages WHERE folder = 'INBOX'")
    expect(reply).toEqual({ direction: 'in', thread_id: sent.thread_id, outbound_id: out.id })
    const tl = await t.ok('threads.get', { id: sent.thread_id })
    expect(tl.messages.map((m) => m.direction)).toEqual(['out', 'in'])
    expect(tl.thread.unreadCount).toBe(1)
    // Mail from our own address in INBOX (e.g. a Bcc to self) is outbound too.
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 8, from: addr('Hello@Eve.test') })])
    expect(one("SELECT direction FROM messages WHERE uid = 8")).toEqual({ direction: 'out' })
  })

  it('records one replied event and hook for real replies, none for auto-replies', async () => {
    const { ctx, mailbox, send, q, hooks, t } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann' })
    const out = await send('ann@client.test')
    const ref = inboxRef(mailbox.id)
    storeMessages(ctx, ref, [msg({ uid: 1, inReplyTo: out.messageId, subject: 'Automatic reply: Offer', headers: [['auto-submitted', 'auto-replied']] })])
    expect(q("SELECT * FROM message_events WHERE type = 'replied'")).toHaveLength(0)
    expect(hooks.filter((h) => h.name === 'outbound.replied')).toHaveLength(0)
    storeMessages(ctx, ref, [msg({ uid: 2, inReplyTo: out.messageId, references: [out.messageId], subject: 'Re: Offer' })])
    storeMessages(ctx, ref, [msg({ uid: 3, references: ['<older@x>', out.messageId, '<other@y>'], subject: 'Re: Offer again' })])
    expect(q("SELECT outbound_id FROM message_events WHERE type = 'replied'")).toEqual([{ outbound_id: out.id }])
    const replied = hooks.filter((h) => h.name === 'outbound.replied')
    expect(replied).toHaveLength(1)
    expect(replied[0]!.payload).toMatchObject({ outboundId: out.id, contactId: ann.id })
    expect(q('SELECT is_auto_reply AS a FROM messages ORDER BY uid').map((r) => r.a)).toEqual([1, 0, 0])
  })

  it('an "unsubscribe" mail to our List-Unsubscribe mailto unsubscribes its sender from this business only', async () => {
    const { t, ctx, object, mailbox, one, hooks } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    const bob = await t.ok('contacts.create', { email: 'bob@client.test', firstName: 'Bob', primaryObjectId: object.id })
    const ref = inboxRef(mailbox.id)
    // Naming someone else in the subject unsubscribes only the sender; an auto-reply never unsubscribes.
    storeMessages(ctx, ref, [msg({ uid: 1, from: addr('ann@client.test'), subject: 'unsubscribe bob@client.test' })])
    storeMessages(ctx, ref, [msg({ uid: 2, from: addr('bob@client.test'), subject: 'Unsubscribe me', headers: [['auto-submitted', 'auto-replied']] })])
    storeMessages(ctx, ref, [msg({ uid: 3, from: addr('bob@client.test'), subject: 'Can I unsubscribe later?' })])
    expect(one('SELECT status FROM contacts WHERE id = ?', ann.id)).toEqual({ status: 'unsubscribed' })
    expect(one('SELECT status FROM contacts WHERE id = ?', bob.id)).toEqual({ status: 'active' })
    expect(one('SELECT object_id AS o, reason FROM suppressions WHERE email = ?', 'ann@client.test')).toEqual({ o: object.id, reason: 'unsubscribed' })
    expect(one("SELECT count(*) AS n FROM suppressions WHERE email = 'bob@client.test'")).toEqual({ n: 0 })
    expect(hooks.filter((h) => h.name === 'contacts.unsubscribed').map((h) => h.payload)).toEqual([{ contactId: ann.id, reason: 'unsubscribed' }])
  })

  it('recognises each auto-reply signal', () => {
    const base = { subject: 'Hello', headers: [] as Array<[string, string]> }
    expect(isAutoReply(base)).toBe(false)
    expect(isAutoReply({ ...base, headers: [['auto-submitted', 'no']] })).toBe(false)
    expect(isAutoReply({ ...base, headers: [['auto-submitted', 'auto-generated']] })).toBe(true)
    expect(isAutoReply({ ...base, headers: [['x-autoreply', 'yes']] })).toBe(true)
    expect(isAutoReply({ ...base, headers: [['x-autorespond', 'Out of office']] })).toBe(true)
    for (const p of ['bulk', 'junk', 'list', 'auto_reply']) expect(isAutoReply({ ...base, headers: [['precedence', ` ${p.toUpperCase()} `]] })).toBe(true)
    expect(isAutoReply({ ...base, headers: [['precedence', 'first-class']] })).toBe(false)
    for (const s of ['Out of Office: Offer', 'Automatic reply: Offer', 'Abwesenheitsnotiz: Angebot', 'Réponse automatique : Offre', 'Respuesta automática: Oferta', 'Autosvar: Tilbud']) {
      expect(isAutoReply({ ...base, subject: s })).toBe(true)
    }
    expect(isAutoReply({ ...base, subject: 'Re: office chairs' })).toBe(false)
  })

  it('turns a DSN into bounced + suppression + contact bounced + hook, in one go', async () => {
    const { ctx, mailbox, send, one, q, hooks, t, object } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    const out = await t.ok('mail.send', { profileId: (await t.ok('profiles.list', {}))[0]!.id, to: ['ann@client.test'], subject: 'Offer', html: '<p>x</p>', contactId: ann.id })
    void send
    storeMessages(ctx, inboxRef(mailbox.id), [
      msg({
        uid: 1,
        from: addr('mailer-daemon@mx.test', 'Mail Delivery System'),
        subject: 'Undelivered Mail Returned to Sender',
        dsn: { originalMessageId: out.messageId, recipients: [{ email: 'ANN@client.test', action: 'failed', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown' }] },
      }),
    ])
    expect(one('SELECT status FROM outbound_messages WHERE id = ?', out.id)).toEqual({ status: 'bounced' })
    expect(q("SELECT type FROM message_events WHERE outbound_id = ? AND type = 'bounced'", out.id)).toHaveLength(1)
    expect(q('SELECT email, reason, object_id FROM suppressions')).toEqual([{ email: 'ann@client.test', reason: 'bounced', object_id: null }])
    expect(one('SELECT status FROM contacts WHERE id = ?', ann.id)).toEqual({ status: 'bounced' })
    expect(hooks.filter((h) => h.name === 'outbound.bounced').map((h) => h.payload)).toEqual([{ outboundId: out.id, contactId: ann.id, email: 'ann@client.test' }])
    expect(one('SELECT is_bounce, outbound_id FROM messages')).toEqual({ is_bounce: 1, outbound_id: out.id })
    expect(q("SELECT * FROM message_events WHERE type = 'replied'")).toHaveLength(0)
    // A delayed-only DSN changes nothing.
    const out2 = await send('bob@client.test')
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 2, dsn: { originalMessageId: out2.messageId, recipients: [{ email: 'bob@client.test', action: 'delayed', status: '4.4.1', diagnostic: null }] } })])
    expect(one('SELECT status FROM outbound_messages WHERE id = ?', out2.id)).toEqual({ status: 'queued' })
  })

  it('keeps unparsable mail raw and marked, and stores attachments once per hash', async () => {
    const { t, ctx, mailbox, one, q } = await setup()
    storeMessages(ctx, inboxRef(mailbox.id), [
      msg({ uid: 1, parseError: 'Unexpected end of MIME', raw: Buffer.from('Subject: broken\r\n\r\n--b\r\nunterminated'), text: null, subject: '' }),
      msg({ uid: 2, attachments: [attachment('a.pdf', 'PDF-BYTES'), attachment('logo.png', 'PNG', { inline: true, contentId: 'logo@x', contentType: 'image/png' })] }),
      msg({ uid: 3, attachments: [attachment('copy-of-a.pdf', 'PDF-BYTES')] }),
    ])
    const broken = one<{ id: number; parse_error: string }>('SELECT id, parse_error FROM messages WHERE uid = 1')
    expect(broken.parse_error).toBe('Unexpected end of MIME')
    const d = await t.ok('messages.get', { id: broken.id })
    expect(d.parseError).toBe('Unexpected end of MIME')
    expect(d.text).toContain('unterminated')
    expect(q('SELECT count(*) AS n FROM attachments')[0]).toEqual({ n: 3 })
    const files = readdirSync(join(t.dataDir, 'attachments'), { recursive: true }).filter((f) => String(f).length > 3)
    expect(files).toHaveLength(2)
    const a = one<{ id: number }>("SELECT id FROM attachments WHERE filename = 'copy-of-a.pdf'")
    const c = await t.ok('attachments.content', { id: a.id })
    expect(Buffer.from(c.base64, 'base64').toString()).toBe('PDF-BYTES')
    expect(one('SELECT has_attachments FROM messages WHERE uid = 2')).toEqual({ has_attachments: 1 })
  })
})

describe('unread totals', () => {
  it('trigger-kept unread thread totals match a real count through store, merge, flags, marks and removal', async () => {
    const { t, ctx, mailbox, q, object } = await setup()
    const ref = inboxRef(mailbox.id)
    const check = async () => {
      const real = q<{ n: number }>('SELECT count(*) AS n FROM threads WHERE unread_count > 0')[0]!.n
      expect(q('SELECT coalesce(sum(threads), 0) AS n FROM thread_unread_totals')[0]).toEqual({ n: real })
      expect((await t.ok('inbox.list', {})).unreadThreads).toBe(real)
      expect((await t.ok('inbox.list', { objectId: object.id })).unreadThreads).toBe(real)
      return real
    }
    storeMessages(ctx, ref, [msg({ uid: 1, messageId: '<c@x>', inReplyTo: '<b@x>' }), msg({ uid: 2, messageId: '<d@x>', inReplyTo: '<a@x>' }), msg({ uid: 3, flags: ['\\Seen'] })])
    expect(await check()).toBe(2)
    storeMessages(ctx, ref, [msg({ uid: 4, messageId: '<b@x>', inReplyTo: '<a@x>', flags: ['\\Seen'] })]) // merges the two unread threads
    expect(await check()).toBe(1)
    applyFlags(ctx, ref, [{ uid: 1, flags: ['\\Seen'], modseq: null }, { uid: 2, flags: ['\\Seen'], modseq: null }])
    expect(await check()).toBe(0)
    const id3 = q<{ id: number }>('SELECT id FROM messages WHERE uid = 3')[0]!.id
    await t.ok('messages.markRead', { ids: [id3], read: false })
    expect(await check()).toBe(1)
    removeMissing(ctx, ref, [1, 2, 4])
    expect(await check()).toBe(0)
  })
})

describe('flags, removal and uidvalidity', () => {
  it('applies server flags, but a local change not yet pushed wins until acknowledged', async () => {
    const { t, ctx, mailbox, one } = await setup()
    const ref = inboxRef(mailbox.id)
    storeMessages(ctx, ref, [msg({ uid: 1 }), msg({ uid: 2 })])
    expect(applyFlags(ctx, ref, [{ uid: 1, flags: ['\\Seen', '\\Flagged'], modseq: 5n }])).toBe(1)
    expect(one('SELECT read, flagged, modseq FROM messages WHERE uid = 1')).toEqual({ read: 1, flagged: 1, modseq: '5' })
    const m2 = one<{ id: number }>('SELECT id FROM messages WHERE uid = 2')
    expect(await t.ok('messages.markRead', { ids: [m2.id], read: true })).toEqual({ changed: 1 })
    const ops = pendingFlagOps(ctx, mailbox.id)
    expect(ops).toEqual([{ id: ops[0]!.id, mailboxId: mailbox.id, folder: 'INBOX', uid: 2, uidValidity: 1n, flag: '\\Seen', set: true }])
    // The server still says unseen (its state predates ours): ours stands.
    applyFlags(ctx, ref, [{ uid: 2, flags: [], modseq: null }])
    expect(one('SELECT read FROM messages WHERE uid = 2')).toEqual({ read: 1 })
    // Marked unread again before the push: one op, the newest intent, with a new id.
    await t.ok('messages.markRead', { ids: [m2.id], read: false })
    const ops2 = pendingFlagOps(ctx, mailbox.id)
    expect(ops2).toHaveLength(1)
    expect(ops2[0]!.set).toBe(false)
    ackFlagOps(ctx, [ops[0]!.id]) // ack of the stale op leaves the newer one
    expect(pendingFlagOps(ctx, mailbox.id)).toHaveLength(1)
    ackFlagOps(ctx, [ops2[0]!.id])
    expect(pendingFlagOps(ctx, mailbox.id)).toEqual([])
    applyFlags(ctx, ref, [{ uid: 2, flags: ['\\Seen'], modseq: null }])
    expect(one('SELECT read FROM messages WHERE uid = 2')).toEqual({ read: 1 })
  })

  it('deletes an attachment file when the last message using it is removed', async () => {
    const { t, ctx, mailbox } = await setup()
    const ref = inboxRef(mailbox.id)
    const shared = attachment('a.pdf', 'SHARED')
    const own = attachment('b.pdf', 'ONLY-IN-2')
    storeMessages(ctx, ref, [msg({ uid: 1, attachments: [shared] }), msg({ uid: 2, attachments: [attachment('copy.pdf', 'SHARED'), own] })])
    const file = (h: string) => join(t.dataDir, 'attachments', h.slice(0, 2), h)
    expect(existsSync(file(shared.sha256)) && existsSync(file(own.sha256))).toBe(true)
    removeMissing(ctx, ref, [1])
    expect(existsSync(file(own.sha256))).toBe(false)
    expect(existsSync(file(shared.sha256))).toBe(true)
    removeMissing(ctx, ref, [])
    expect(existsSync(file(shared.sha256))).toBe(false)
  })

  it('stores hostile HTML (deep nesting, endless script tags) and keeps it searchable', async () => {
    const { t, ctx, mailbox } = await setup()
    const deep = '<div>'.repeat(50_000) + 'needle deep' + '</div>'.repeat(50_000)
    const scripts = '<p>visible haystack</p>' + '<script>'.repeat(20_000) + 'x'.repeat(100_000)
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 1, html: deep, text: null }), msg({ uid: 2, html: scripts, text: null })])
    const d = await t.ok('messages.get', { id: (ctx.sqlite.prepare('SELECT id FROM messages WHERE uid = 1').get() as { id: number }).id })
    // Over the depth budget: shown as its words (issue 14), the source behind "Show original".
    expect(d).toMatchObject({ html: null, htmlOmitted: 'depth', hasHtmlSource: true })
    expect(d.text).toBe('needle deep')
    expect((await t.ok('inbox.list', { query: 'needle' })).threads).toHaveLength(1)
    expect((await t.ok('inbox.list', { query: 'haystack' })).threads).toHaveLength(1)
    expect((await t.ok('inbox.list', { query: 'xxxx' })).threads).toHaveLength(0)
  })

  it('bounds huge subjects and recipient lists but still stores and matches the message', async () => {
    const { t, ctx, mailbox, one } = await setup()
    const bob = await t.ok('contacts.create', { email: 'r7@crowd.test', firstName: 'Bob' })
    const crowd = Array.from({ length: 5000 }, (_, i) => addr(`r${i}@crowd.test`, 'N'.repeat(1000)))
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 1, subject: 'S'.repeat(1_000_000), to: crowd })])
    const r = one<{ id: number; s: number; n: number }>('SELECT id, length(subject) AS s, json_array_length(to_json) AS n FROM messages')
    expect(r).toMatchObject({ s: 2000, n: 500 })
    expect((await t.ok('messages.get', { id: r.id })).contactIds).toEqual([bob.id])
    expect((await t.ok('inbox.list', {})).threads[0]!.participants).toHaveLength(1)
  })

  it('removes copies gone from the server and drops threads left empty', async () => {
    const { ctx, mailbox, q } = await setup()
    const ref = inboxRef(mailbox.id)
    storeMessages(ctx, ref, [msg({ uid: 1, messageId: '<a@x>' }), msg({ uid: 2, messageId: '<b@x>', inReplyTo: '<a@x>' }), msg({ uid: 3 }), msg({ uid: 9 })])
    expect(removeMissing(ctx, ref, { below: 5, present: [1] })).toBe(2)
    expect(q('SELECT uid FROM messages ORDER BY uid').map((r) => r.uid)).toEqual([1, 9])
    expect(q('SELECT message_count FROM threads ORDER BY id')).toEqual([{ message_count: 1 }, { message_count: 1 }])
    expect(q("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'message'")).toHaveLength(2)
  })

  it('survives a uidvalidity change with no duplicates, keeping read state, links and thread', async () => {
    const { t, ctx, mailbox, q, one } = await setup()
    const ann = await t.ok('contacts.create', { email: 'zed@elsewhere.test', firstName: 'Zed' })
    const old = [msg({ uid: 10, messageId: '<a@x>' }), msg({ uid: 11, messageId: '<b@x>', inReplyTo: '<a@x>' }), msg({ uid: 12, messageId: null }), msg({ uid: 13, messageId: '<gone@x>' })]
    storeMessages(ctx, inboxRef(mailbox.id, 1n), old)
    const a = one<{ id: number; thread_id: number }>("SELECT id, thread_id FROM messages WHERE message_id = '<a@x>'")
    await t.ok('messages.markRead', { ids: [a.id], read: true })
    await t.ok('messages.linkContact', { messageId: a.id, contactId: ann.id, linked: true })
    const ref2 = inboxRef(mailbox.id, 2n)
    resetFolder(ctx, ref2)
    // The server renumbered everything; <gone> is not there any more.
    storeMessages(ctx, ref2, [msg({ uid: 1, messageId: '<a@x>' }), msg({ uid: 2, messageId: '<b@x>', inReplyTo: '<a@x>' }), msg({ uid: 3, messageId: null })])
    removeMissing(ctx, ref2, [1, 2, 3])
    const rows = q<{ id: number; uid: number; uidvalidity: string; thread_id: number; read: number; stale: number }>(
      'SELECT id, uid, uidvalidity, thread_id, read, stale FROM messages ORDER BY uid',
    )
    expect(rows.map((r) => [r.uid, r.uidvalidity, r.stale])).toEqual([
      [1, '2', 0],
      [2, '2', 0],
      [3, '2', 0],
    ])
    expect(rows[0]).toMatchObject({ id: a.id, thread_id: a.thread_id, read: 1 })
    expect(q('SELECT count(*) AS n FROM threads')[0]).toEqual({ n: 2 })
    expect((await t.ok('messages.get', { id: a.id })).contactIds).toContain(ann.id)
    // The queued \Seen now points at the new uid.
    expect(pendingFlagOps(ctx, mailbox.id).map((o) => [o.uid, o.uidValidity])).toEqual([[1, 2n]])
    expect(existsSync(t.dataDir)).toBe(true)
  })
})
