// The inbox methods over a real engine: list filters, FTS search and its errors, paging, message bodies
// (sanitising, inline and remote images), manual contact links, the contact timeline and replies.
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, attachment, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

const setup = async () => {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 } })
  const base = await inboxSetup(t)
  const s = storeCtx(t)
  const one = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => s.ctx.sqlite.prepare(sql).get(...p) as T
  const store = (...m: Parameters<typeof msg>[0][]) => storeMessages(s.ctx, inboxRef(base.mailbox.id), m.map((x) => msg(x)))
  const idOf = (uid: number) => one<{ id: number }>('SELECT id FROM messages WHERE uid = ?', uid).id
  return { t, ...base, ...s, one, store, idOf }
}

describe('inbox.list', () => {
  it('lists threads newest first with their latest message, unread counts and filters', async () => {
    const { t, store, object, mailbox, ctx } = await setup()
    const other = await t.ok('objects.create', { name: 'Other Biz', postalAddress: '2 Main St', timezone: 'UTC' })
    const mb2 = await t.ok('mailboxes.create', { objectId: other.id, email: 'desk@other.test', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'u', password: 'p' } })
    const bob = await t.ok('contacts.create', { email: 'bob@client.test', firstName: 'Bob' })
    store(
      { uid: 1, messageId: '<a@x>', subject: 'Quote for the spa day', date: 1000 },
      { uid: 2, messageId: '<b@x>', inReplyTo: '<a@x>', subject: 'Re: Quote for the spa day', date: 3000, flags: ['\\Seen'] },
      { uid: 3, messageId: '<c@x>', subject: 'Booking', date: 2000, from: addr('bob@client.test', 'Bob') },
    )
    storeMessages(ctx, inboxRef(mb2.id), [msg({ uid: 1, subject: 'Other business mail', date: 4000, to: [addr('desk@other.test')] })])
    storeMessages(ctx, sentRef(mailbox.id), [msg({ uid: 1, subject: 'Newsletter', date: 500, from: addr('hello@eve.test'), to: [addr('zoe@client.test', 'Zoe')] })])

    const all = await t.ok('inbox.list', {})
    expect(all.threads.map((th) => th.subject)).toEqual(['Other business mail', 'Quote for the spa day', 'Booking', 'Newsletter'])
    const quote = all.threads[1]!
    expect(quote).toMatchObject({ messageCount: 2, unreadCount: 1, objectId: object.id })
    expect(quote.latest.subject).toBe('Re: Quote for the spa day')
    expect(quote.participants).toEqual(['Ann Client'])
    expect(all.threads[3]!.participants).toEqual(['Zoe'])
    expect(all.unreadThreads).toBe(3)

    const subjects = async (input: object) => (await t.ok('inbox.list', input)).threads.map((th) => th.subject)
    expect(await subjects({ objectId: object.id })).toEqual(['Quote for the spa day', 'Booking', 'Newsletter'])
    expect(await subjects({ mailboxId: mb2.id })).toEqual(['Other business mail'])
    expect(await subjects({ contactId: bob.id })).toEqual(['Booking'])
    expect(await subjects({ direction: 'out' })).toEqual(['Newsletter'])
    expect(await subjects({ direction: 'in', objectId: object.id })).toEqual(['Quote for the spa day', 'Booking'])
    const idA = (await t.ok('inbox.list', {})).threads[1]!.latest.id
    await t.ok('messages.markRead', { ids: [idA - 1], read: true }) // the unread first message of the quote thread
    expect(await subjects({ unread: true })).toEqual(['Other business mail', 'Booking'])
  })

  it('searches subject, body, names and addresses with FTS; a bad query is a VALIDATION on query', async () => {
    const { t, store } = await setup()
    store(
      { uid: 1, subject: 'Invoice 2041', text: 'Please find the invoice attached.' },
      { uid: 2, subject: 'Hello', text: 'Can we move the appointment to Friday?', from: addr('carla@salon.test', 'Carla Núñez') },
      { uid: 3, subject: 'Lunch', text: 'nothing relevant' },
    )
    const find = async (query: string) => (await t.ok('inbox.list', { query })).threads.map((th) => th.subject).sort()
    expect(await find('invoice')).toEqual(['Invoice 2041'])
    expect(await find('appoint')).toEqual(['Hello']) // prefix
    expect(await find('carla@salon.test')).toEqual(['Hello'])
    expect(await find('nunez')).toEqual(['Hello']) // diacritics folded
    expect(await find('friday OR lunch')).toEqual(['Hello', 'Lunch'])
    expect(await find('subject:lunch')).toEqual(['Lunch'])
    expect(await find('Re: Invoice')).toEqual([]) // words, not a column filter: no "re" anywhere
    expect(await find('invoice: 2041')).toEqual(['Invoice 2041'])
    for (const bad of ['"unbalanced', 'AND OR', 'subject:', '(a', 'names:(x']) {
      const e = await t.err('inbox.list', { query: bad })
      expect(e).toMatchObject({ code: 'VALIDATION', field: 'query' })
    }
    // The engine is fine afterwards.
    expect(await find('invoice')).toEqual(['Invoice 2041'])
  })

  it('pages search results newest thread first, with the unread count of every matched thread on each page', async () => {
    const { t, store, object } = await setup()
    // Six zebra threads (one of two messages, matched twice), two of them still unread, and mail that does not match.
    store(
      { uid: 1, messageId: '<z1@x>', subject: 'Zebra one', date: 1000 },
      { uid: 2, messageId: '<z2@x>', subject: 'Zebra two', date: 2000, flags: ['\\Seen'] },
      { uid: 3, messageId: '<z3@x>', subject: 'Zebra three', date: 3000, flags: ['\\Seen'] },
      { uid: 4, messageId: '<z4@x>', subject: 'Zebra four', date: 3000, flags: ['\\Seen'] },
      { uid: 5, messageId: '<z5@x>', subject: 'Zebra five', date: 5000 },
      { uid: 6, messageId: '<z6@x>', inReplyTo: '<z2@x>', subject: 'Re: Zebra two', date: 6000, flags: ['\\Seen'] },
      { uid: 7, messageId: '<z7@x>', subject: 'Zebra seven', date: 500, flags: ['\\Seen'] },
      { uid: 8, messageId: '<h@x>', subject: 'Horse', date: 9000 },
    )
    const pages: string[][] = []
    const counts: number[] = []
    let cursor: string | undefined
    do {
      const page = await t.ok('inbox.list', { query: 'zebra', limit: 2, ...(cursor ? { cursor } : {}) })
      pages.push(page.threads.map((th) => th.subject))
      counts.push(page.unreadThreads)
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    // Same time (3000): the higher thread id first, as in the plain list.
    expect(pages).toEqual([['Zebra two', 'Zebra five'], ['Zebra four', 'Zebra three'], ['Zebra one', 'Zebra seven']])
    expect(counts).toEqual([2, 2, 2])
    // A cursor past the last page: nothing, but still the count.
    const end = await t.ok('inbox.list', { query: 'zebra', limit: 2, cursor: Buffer.from('[0,1]').toString('base64url') })
    expect(end).toMatchObject({ threads: [], nextCursor: null, unreadThreads: 2 })
    const unread = await t.ok('inbox.list', { query: 'zebra', unread: true, objectId: object.id })
    expect(unread.threads.map((th) => th.subject)).toEqual(['Zebra five', 'Zebra one'])
    expect(unread.unreadThreads).toBe(2)
    expect(await t.ok('inbox.list', { query: 'zebra', unread: true, objectId: object.id + 1 })).toMatchObject({ threads: [], unreadThreads: 0 })
    // A bad cursor is a VALIDATION on cursor; with a bad query too, the query is reported.
    expect(await t.err('inbox.list', { query: 'zebra', cursor: 'nonsense' })).toMatchObject({ code: 'VALIDATION', field: 'cursor' })
    expect(await t.err('inbox.list', { query: '"zebra', cursor: 'nonsense' })).toMatchObject({ code: 'VALIDATION', field: 'query' })
  })

  it('pages with a keyset cursor without gaps or repeats, and rejects a forged cursor', async () => {
    const { t, store } = await setup()
    store(...Array.from({ length: 23 }, (_, i) => ({ uid: i + 1, date: 1000 * (i % 5) }))) // ties on date
    const seen: number[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await t.ok('inbox.list', { limit: 10, ...(cursor ? { cursor } : {}) })
      seen.push(...page.threads.map((th) => th.id))
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(new Set(seen).size).toBe(23)
    expect(await t.err('inbox.list', { cursor: 'bm9wZQ' })).toMatchObject({ code: 'VALIDATION', field: 'cursor' })
  })
})

describe('messages', () => {
  it('sanitises HTML: no script, handlers, javascript: or forms; cid images inline; remote images blocked until allowed', async () => {
    const { t, store, idOf } = await setup()
    const html =
      '<p onclick="steal()">Hi <b>there</b><script>alert(1)</script></p><img src="https://track.test/p.gif" onerror="alert(2)">' +
      '<img src="cid:logo@eve"><a href="javascript:alert(3)">click</a><a href="https://ok.test/x">ok</a>' +
      '<form action="https://evil.test"><input name="pw"></form><iframe src="https://evil.test"></iframe><meta http-equiv="refresh" content="0;url=https://evil.test">'
    store(
      { uid: 1, html, text: null, attachments: [attachment('logo.png', 'PNGDATA', { inline: true, contentId: '<logo@eve>', contentType: 'image/png' })], from: addr('news@shop.test') },
      { uid: 2, html: '<img src="https://cdn.shop.test/a.png">', text: null, from: addr('news@shop.test') },
    )
    const d = await t.ok('messages.get', { id: idOf(1) })
    expect(d.html).not.toMatch(/script|onclick|onerror|javascript:|<form|<input|<iframe|<meta|track\.test/i)
    expect(d.html).toContain('<b>there</b>')
    expect(d.html).toContain(`src="data:image/png;base64,${Buffer.from('PNGDATA').toString('base64')}"`)
    expect(d.html).toContain('href="https://ok.test/x"')
    expect(d).toMatchObject({ remoteImagesBlocked: true, remoteImagesAllowed: false, hasAttachments: false })
    expect(d.attachments).toMatchObject([{ filename: 'logo.png', inline: true }])

    const allowed = await t.ok('messages.allowRemoteImages', { id: idOf(1), scope: 'message' })
    expect(allowed).toMatchObject({ remoteImagesBlocked: false, remoteImagesAllowed: true })
    expect(allowed.html).toContain('https://track.test/p.gif')
    expect(allowed.html).not.toContain('onerror')
    // Only that message: the sender's other mail is still blocked until the sender is trusted.
    expect(await t.ok('messages.get', { id: idOf(2) })).toMatchObject({ remoteImagesBlocked: true })
    await t.ok('messages.allowRemoteImages', { id: idOf(2), scope: 'sender' })
    expect((await t.ok('messages.get', { id: idOf(2) })).html).toContain('https://cdn.shop.test/a.png')
    expect(await t.err('messages.get', { id: 9999 })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('refuses attachments over 25 MB with a clear error, and serves smaller ones as base64', async () => {
    const { t, store, idOf } = await setup()
    store({ uid: 1, attachments: [attachment('huge.zip', 'stand-in bytes', { size: 26 * 1024 * 1024 }), attachment('small.txt', 'hello')] })
    const [huge, small] = (await t.ok('messages.get', { id: idOf(1) })).attachments
    expect(await t.err('attachments.content', { id: huge!.id })).toMatchObject({ code: 'VALIDATION', field: 'id', message: expect.stringMatching(/26\.0 MB.*25 MB/) })
    expect(await t.ok('attachments.content', { id: small!.id })).toEqual({ filename: 'small.txt', contentType: 'application/octet-stream', base64: Buffer.from('hello').toString('base64') })
    expect(await t.err('attachments.content', { id: 999 })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('a manual unlink and a manual link beat automatic matching', async () => {
    const { t, store, idOf } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann' })
    const zed = await t.ok('contacts.create', { email: 'zed@other.test', firstName: 'Zed' })
    store({ uid: 1, messageId: '<x@y>' })
    expect((await t.ok('messages.get', { id: idOf(1) })).contactIds).toEqual([ann.id])
    await t.ok('messages.linkContact', { messageId: idOf(1), contactId: ann.id, linked: false })
    const s = await t.ok('messages.linkContact', { messageId: idOf(1), contactId: zed.id, linked: true })
    expect(s.contactIds).toEqual([zed.id])
    // The same mail stored again in another folder matches automatically; the manual choice on this copy stays.
    store({ uid: 2, messageId: '<x@y>' })
    expect((await t.ok('messages.get', { id: idOf(1) })).contactIds).toEqual([zed.id])
    expect((await t.ok('inbox.list', { contactId: zed.id })).threads).toHaveLength(1)
    expect(await t.err('messages.linkContact', { messageId: idOf(1), contactId: 999, linked: true })).toMatchObject({ code: 'NOT_FOUND', field: 'contactId' })
  })
})

describe('contacts.timeline', () => {
  it('merges stored mail with outbox rows not yet seen in Sent, de-duplicated by Message-ID', async () => {
    const { t, ctx, mailbox, profile, store, object } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    t.clock.advance(60_000)
    const a = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'First offer', html: '<p>One</p>', contactId: ann.id })
    t.clock.advance(60_000)
    const b = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Second offer', html: '<p>Two</p>', contactId: ann.id })
    // a comes back through Sent; b has not yet.
    storeMessages(ctx, sentRef(mailbox.id), [msg({ uid: 1, messageId: a.messageId, subject: 'First offer', from: addr('hello@eve.test'), to: [addr('ann@client.test')], date: t.clock.now() - 60_000 })])
    store({ uid: 5, inReplyTo: a.messageId, subject: 'Re: First offer', date: t.clock.now() + 60_000 })
    // The same reply copied into another folder is one item.
    storeMessages(ctx, { mailboxId: mailbox.id, folder: 'Archive', folderRole: 'other', uidValidity: 1n }, [
      msg({ uid: 9, messageId: (ctx.sqlite.prepare('SELECT message_id AS m FROM messages WHERE uid = 5').get() as { m: string }).m, subject: 'Re: First offer' }),
    ])
    const tl = await t.ok('contacts.timeline', { contactId: ann.id })
    expect(tl.items.map((i) => [i.kind, i.subject, i.outboundId !== null])).toEqual([
      ['inbound', 'Re: First offer', true],
      ['outbound', 'Second offer', true],
      ['outbound', 'First offer', true],
    ])
    expect(tl.items[1]).toMatchObject({ id: b.id, messageId: null, status: 'queued' })
    expect(tl.items[2]!.messageId).not.toBeNull()
    const paged = await t.ok('contacts.timeline', { contactId: ann.id, limit: 2 })
    expect(paged.items).toHaveLength(2)
    const rest = await t.ok('contacts.timeline', { contactId: ann.id, limit: 2, cursor: paged.nextCursor! })
    expect(rest.items.map((i) => i.subject)).toEqual(['First offer'])
    expect(rest.nextCursor).toBeNull()
  })
})

describe('messages.reply', () => {
  it('replies, replies to all and forwards with the right recipients, subject and threading headers', async () => {
    const { t, store, idOf, profile, ctx, object } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    store({
      uid: 1,
      messageId: '<orig@client.test>',
      references: ['<root@eve.test>'],
      inReplyTo: '<root@eve.test>',
      subject: 'Re: Booking',
      from: addr('ann@client.test', 'Ann'),
      to: [addr('hello@eve.test', 'Eve'), addr('ben@client.test')],
      cc: [addr('HELLO@eve.test'), addr('cc@client.test')],
      text: 'See you <then>',
    })
    const r = await t.ok('messages.reply', { messageId: idOf(1), mode: 'reply', html: '<p>Thanks!</p>' })
    expect(r).toMatchObject({ to: ['ann@client.test'], cc: [], subject: 'Re: Booking', profileId: profile.id, contactId: ann.id, source: 'reply' })
    const row = ctx.sqlite.prepare('SELECT headers_json AS h, html FROM outbound_messages WHERE id = ?').get(r.id) as { h: string; html: string }
    expect(JSON.parse(row.h)).toEqual({ 'In-Reply-To': '<orig@client.test>', References: '<root@eve.test> <orig@client.test>' })
    expect(row.html).toMatch(/^<p>Thanks!<\/p>.*wrote:.*See you &lt;then&gt;/s)

    const all = await t.ok('messages.reply', { messageId: idOf(1), mode: 'replyAll', html: '<p>All</p>' })
    expect(all).toMatchObject({ to: ['ann@client.test', 'ben@client.test'], cc: ['cc@client.test'], subject: 'Re: Booking' })

    expect(await t.err('messages.reply', { messageId: idOf(1), mode: 'forward', html: '<p>FYI</p>' })).toMatchObject({ code: 'VALIDATION', field: 'to' })
    const fwd = await t.ok('messages.reply', { messageId: idOf(1), mode: 'forward', html: '<p>FYI</p>', to: ['boss@eve-partner.test'] })
    expect(fwd).toMatchObject({ to: ['boss@eve-partner.test'], subject: 'Fwd: Re: Booking' })
    const again = await t.ok('messages.reply', { messageId: idOf(1), mode: 'forward', html: '', to: ['x@y.test'] })
    expect(again.subject).toBe('Fwd: Re: Booking')
    // Until its Sent copy syncs, the queued reply shows in the contact's timeline inside the original's thread.
    const item = (await t.ok('contacts.timeline', { contactId: ann.id })).items.find((i) => i.outboundId === r.id)!
    expect(item).toMatchObject({ kind: 'outbound', messageId: null, threadId: (await t.ok('messages.get', { id: idOf(1) })).threadId })
  })
})

describe('contacts created after their mail', () => {
  it('links stored mail to a new contact (and a new extra address) when the contact is created, not when it is read', async () => {
    const { t, store, object } = await setup()
    store(
      { uid: 1, from: addr('late@client.test', 'Late'), subject: 'Before the contact existed' },
      { uid: 2, from: addr('ann@client.test'), cc: [addr('alias@late.test')], subject: 'Cc to an alias' },
      { uid: 3, from: addr('notlate@client.test'), subject: 'Different address' },
    )
    const late = await t.ok('contacts.create', { email: 'late@client.test', firstName: 'Late', primaryObjectId: object.id, extraEmails: ['alias@late.test'] })
    const tl = await t.ok('contacts.timeline', { contactId: late.id })
    expect(tl.items.map((i) => i.subject).sort()).toEqual(['Before the contact existed', 'Cc to an alias'])
    expect((await t.ok('inbox.list', { contactId: late.id })).threads).toHaveLength(2)
    // A manual unlink is not undone by the next read.
    const id = tl.items.find((i) => i.subject === 'Cc to an alias')!.messageId!
    await t.ok('messages.linkContact', { messageId: id, contactId: late.id, linked: false })
    expect((await t.ok('contacts.timeline', { contactId: late.id })).items).toHaveLength(1)
  })
})
