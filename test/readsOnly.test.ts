// Reads never write (issue 15): mail is linked to a contact when the contact is saved (the write side), and
// dispatch, in tests, fails any read method that changes the database.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findMigrationsDir } from '../src/main/engine/db/open'
import type { Ctx, Handlers } from '../src/main/engine/context'
import { createDispatch } from '../src/main/engine/dispatch'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'

const setup = async () => {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 }, inbound: { run: false } })
  const base = await inboxSetup(t)
  const s = storeCtx(t)
  const store = (...m: Parameters<typeof msg>[0][]) => storeMessages(s.ctx, inboxRef(base.mailbox.id), m.map((x) => msg(x)))
  const links = (contactId: number) =>
    (s.ctx.sqlite.prepare('SELECT m.subject FROM message_contacts mc JOIN messages m ON m.id = mc.message_id WHERE mc.contact_id = ? AND mc.linked = 1 ORDER BY m.subject').pluck().all(contactId) as string[])
  const changes = () => s.ctx.sqlite.prepare('SELECT count(*) FROM message_contacts').pluck().get() as number
  return { t, ...base, store, links, changes, sqlite: s.ctx.sqlite }
}

describe('stored mail joins a contact when the contact is saved', () => {
  it('links on contacts.create (address and extra address), so the timeline and the inbox filter only read', async () => {
    const { t, store, object, links, changes } = await setup()
    store(
      { uid: 1, from: addr('late@client.test', 'Late'), subject: 'Before the contact existed' },
      { uid: 2, from: addr('ann@client.test'), cc: [addr('alias@late.test')], subject: 'Cc to an alias' },
      { uid: 3, from: addr('notlate@client.test'), subject: 'Different address' },
      { uid: 4, from: addr('late@elsewhere.test'), to: [addr('late.client@test.test')], subject: 'Same name, other domain' },
    )
    const late = await t.ok('contacts.create', { email: 'late@client.test', firstName: 'Late', primaryObjectId: object.id, extraEmails: ['alias@late.test'] })
    // Linked by the create itself (the old code linked on the first read).
    expect(links(late.id)).toEqual(['Before the contact existed', 'Cc to an alias'])
    const before = changes()
    const tl = await t.ok('contacts.timeline', { contactId: late.id })
    expect(tl.items.map((i) => i.subject).sort()).toEqual(['Before the contact existed', 'Cc to an alias'])
    expect((await t.ok('inbox.list', { contactId: late.id })).threads).toHaveLength(2)
    expect(changes()).toBe(before)
  })

  it('links on contacts.update when an address is added, and never undoes a manual unlink', async () => {
    const { t, store, object, links } = await setup()
    store({ uid: 1, from: addr('old@client.test'), subject: 'To the old address' }, { uid: 2, from: addr('new@client.test'), subject: 'To the new address' })
    const c = await t.ok('contacts.create', { email: 'old@client.test', primaryObjectId: object.id })
    expect(links(c.id)).toEqual(['To the old address'])
    const old = (await t.ok('contacts.timeline', { contactId: c.id })).items[0]!.messageId!
    await t.ok('messages.linkContact', { messageId: old, contactId: c.id, linked: false })
    await t.ok('contacts.update', { id: c.id, extraEmails: ['new@client.test'] })
    expect(links(c.id)).toEqual(['To the new address'])
    await t.ok('contacts.update', { id: c.id, firstName: 'Still unlinked' })
    expect(links(c.id)).toEqual(['To the new address'])
  })

  it('links on contacts.import', async () => {
    const { t, store, object, links } = await setup()
    store({ uid: 1, from: addr('imported@client.test'), subject: 'Before the import' })
    await t.ok('contacts.import', { csv: 'email,first name\nimported@client.test,Imp\n', objectId: object.id, mapping: { email: 'email', 'first name': 'firstName' } })
    const c = (await t.ok('contacts.list', { query: 'imported@client.test' })).items[0]!
    expect(links(c.id)).toEqual(['Before the import'])
  })
})

describe('migration 0014 links the mail of contacts that were never opened', () => {
  it('links by address and extra address, within the business, never our own mailbox, keeping manual unlinks', async () => {
    const { t, store, object, links, sqlite } = await setup()
    const other = await t.ok('objects.create', { name: 'Other', postalAddress: '2 Main St', timezone: 'UTC' })
    const late = await t.ok('contacts.create', { email: 'late@client.test', primaryObjectId: object.id, extraEmails: ['alias@late.test'] })
    const elsewhere = await t.ok('contacts.create', { email: 'late@client.test', primaryObjectId: other.id })
    const us = await t.ok('contacts.create', { email: 'hello@eve.test', primaryObjectId: object.id })
    store(
      { uid: 1, from: addr('LATE@client.test'), subject: 'From late' },
      { uid: 2, from: addr('ann@client.test'), cc: [addr('alias@late.test')], subject: 'Cc to the alias' },
      { uid: 3, from: addr('ann@client.test'), to: [addr('late@client.test')], subject: 'Unlinked by hand' },
    )
    const unlinked = sqlite.prepare("SELECT id FROM messages WHERE subject = 'Unlinked by hand'").pluck().get() as number
    await t.ok('messages.linkContact', { messageId: unlinked, contactId: late.id, linked: false })
    // A workspace from before issue 15: contacts made after their mail had no links until first opened.
    sqlite.prepare('DELETE FROM message_contacts WHERE manual = 0').run()
    expect(links(late.id)).toEqual([])
    sqlite.exec(readFileSync(join(findMigrationsDir(), '0014_link_stored_mail.sql'), 'utf8'))
    expect(links(late.id)).toEqual(['Cc to the alias', 'From late'])
    expect(links(elsewhere.id)).toEqual([])
    expect(links(us.id)).toEqual([])
  })
})

describe('dispatch refuses a read that writes (assertReadsOnly)', () => {
  const withHandlers = (ctx: Ctx, assertReadsOnly: boolean) => {
    const writes = (c: Ctx) => (c.sqlite.prepare('INSERT INTO tags (name, created_at) VALUES (?, 0)').run(`sneaky ${Math.random()}`), [])
    const handlers = { 'tags.list': writes, 'tags.create': (c: Ctx) => (writes(c), { id: 1, name: 'ok', contactCount: 0 }) } as unknown as Handlers
    const logs: string[] = []
    return { dispatch: createDispatch(ctx, handlers, (m) => logs.push(m), { assertReadsOnly }), logs }
  }
  const engineCtx = async () => {
    const { t } = await setup()
    // The engine's own Ctx is internal; a store context over the same file is a real one.
    return storeCtx(t).ctx as unknown as Ctx
  }

  it('fails the read with INTERNAL naming the method', async () => {
    const { dispatch, logs } = withHandlers(await engineCtx(), true)
    const r = await dispatch('tags.list', {})
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'tags.list is a read but changed 1 row of the database' } })
    expect(logs.join('\n')).toContain('tags.list')
  })

  it('lets writes write, and is off unless asked for', async () => {
    const ctx = await engineCtx()
    expect(await withHandlers(ctx, true).dispatch('tags.create', { name: 'ok' })).toMatchObject({ ok: true })
    expect(await withHandlers(ctx, false).dispatch('tags.list', {})).toMatchObject({ ok: true })
  })

  it('is on in every test engine: the mail reads of a busy inbox pass it', async () => {
    const { t, store, object, mailbox } = await setup()
    store({ uid: 1, from: addr('ann@client.test'), subject: 'Hello' })
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', primaryObjectId: object.id })
    const page = await t.ok('inbox.list', { contactId: ann.id })
    const thread = await t.ok('threads.get', { id: page.threads[0]!.id })
    await t.ok('messages.get', { id: thread.messages[0]!.id })
    await t.ok('folders.list', { mailboxId: mailbox.id })
    await t.ok('outbox.list', {})
    await t.ok('drafts.list', {})
    await t.ok('net.status', {})
    await t.ok('contacts.timeline', { contactId: ann.id })
  })
})
