// Issue 22: two (or three) desktops that create the same contact (same business, same address) while apart end
// with one contact, the notes, tasks, tags and outbox rows of the others moved to it, identically everywhere.
// Real PostgreSQL; the replicators move ops only on team.sync, so "apart" is "not synced" and each test orders
// the pushes itself.
import { describe, expect, it } from 'vitest'
import type { TestEngine } from './helpers'
import { ADMIN, STAFF, applyAsPull, canonicalDump, freshDatabase, joinUrl, opsOfRow, teamEngine, withFile } from './teamSetup'

const THIRD = { email: 'ivy3@example.test', displayName: 'Ivy Three', password: 'ivy3-team-pw-1' }
const HOUR = 3_600_000

async function desks(n: 2 | 3) {
  const db = await freshDatabase()
  const a = teamEngine()
  const shop = await a.ok('objects.create', { name: 'Client Shop', timezone: 'UTC' })
  const vip = await a.ok('tags.create', { name: 'VIP' })
  const mailbox = await a.ok('mailboxes.create', { objectId: shop.id, email: 'desk@client.test', displayName: 'Desk', minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk@client.test', password: 'desk-secret-pw' }, imap: null })
  const profile = await a.ok('profiles.create', { objectId: shop.id, email: 'desk@client.test', displayName: 'Desk', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  if (n === 3) await a.ok('team.users.create', { ...THIRD, role: 'staff', profileIds: [profile.id] })
  await a.ok('team.sync', {})
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  const all: TestEngine[] = [a, b]
  if (n === 3) {
    const c = teamEngine()
    await c.ok('team.join', { databaseUrl: joinUrl(db), email: THIRD.email, password: THIRD.password })
    all.push(c)
  }
  return { db, all, shop, vip, profile }
}

const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) expect(await t.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0 })
}

/** The contacts with this address on a desktop (through the contract, as a screen would list them). */
const anns = async (t: TestEngine) => (await t.ok('contacts.list', { query: 'ann@client.test', limit: 50 })).items.filter((c) => c.email === 'ann@client.test')

describe('the same contact made on several desktops apart', () => {
  it('two desktops end with one contact holding both notes and tasks, the tag once, and the same fields', async () => {
    const { all, shop, vip } = await desks(2)
    const [a, b] = all
    // Apart: neither has synced since the other made its copy.
    const annA = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', primaryObjectId: shop.id })
    await a.ok('notes.create', { contactId: annA.id, bodyHtml: '<p>Met Ann at the fair</p>' })
    await a.ok('contacts.addTag', { contactIds: [annA.id], tagId: vip.id })
    await a.ok('tasks.create', { title: 'Send Ann the price list', contactId: annA.id, dueAt: '2027-01-05T10:00:00Z' })
    const annB = await b.ok('contacts.create', { email: 'ann@client.test', firstName: 'Annie', company: 'Client Co', primaryObjectId: shop.id })
    await b.ok('notes.create', { contactId: annB.id, bodyHtml: '<p>Ann phoned about the invoice</p>' })
    await b.ok('contacts.addTag', { contactIds: [annB.id], tagId: vip.id })
    await b.ok('tasks.create', { title: 'Call Ann back', contactId: annB.id, dueAt: '2027-01-06T10:00:00Z' })
    expect(annA.id).not.toBe(annB.id)

    await sync(a, b, a) // A's copy reaches PostgreSQL first: it is the one that stays

    for (const t of [a, b]) {
      const list = await anns(t)
      expect(list.map((c) => c.id)).toEqual([annA.id])
      const ann = await t.ok('contacts.get', { id: annA.id })
      // Per field the later write wins, but B's blank last name (never typed) does not wipe A's.
      expect(ann).toMatchObject({ firstName: 'Annie', lastName: 'Lee', company: 'Client Co' })
      expect(ann.tags.map((x) => x.id)).toEqual([vip.id])
      expect((await t.ok('notes.list', { contactId: annA.id })).map((n) => n.bodyText).sort()).toEqual(['Ann phoned about the invoice', 'Met Ann at the fair'])
      expect((await t.ok('tasks.list', { contactId: annA.id })).items.map((x) => x.title).sort()).toEqual(['Call Ann back', 'Send Ann the price list'])
      expect(await t.err('contacts.get', { id: annB.id })).toMatchObject({ code: 'NOT_FOUND' })
      // The search index follows: one hit, under the survivor's id.
      expect((await t.ok('contacts.list', { query: 'annie' })).items.map((c) => c.id)).toEqual([annA.id])
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
    // Nothing was queued by the merge itself: both desktops did it while applying, so it is never pushed back.
    for (const t of [a, b]) expect(withFile(t, (f) => f.prepare('SELECT count(*) AS n FROM team_ops').get())).toEqual({ n: 0 })

    // Later writes to the merged copy's id, made before its desktop knew, land on the survivor too.
    await b.ok('contacts.update', { id: annA.id, lastName: 'Lee-Jones' })
    await sync(b, a)
    expect((await a.ok('contacts.get', { id: annA.id })).lastName).toBe('Lee-Jones')
  })

  it('the copy made on the desktop that pushes second, still edited there after its push, keeps those edits', async () => {
    const { all, shop } = await desks(2)
    const [a, b] = all
    const annB = await b.ok('contacts.create', { email: 'ann@client.test', firstName: 'Annie', primaryObjectId: shop.id })
    await sync(b) // B's copy is in PostgreSQL first this time
    const annA = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', primaryObjectId: shop.id })
    const note = await a.ok('notes.create', { contactId: annA.id, bodyHtml: '<p>Written before A knew</p>' })
    await a.ok('contacts.update', { id: annA.id, company: 'Lee Ltd' })
    await sync(a, b, a)
    for (const t of [a, b]) {
      expect((await anns(t)).map((c) => c.id)).toEqual([annB.id])
      expect(await t.ok('contacts.get', { id: annB.id })).toMatchObject({ firstName: 'Ann', lastName: 'Lee', company: 'Lee Ltd' })
      expect((await t.ok('notes.list', { contactId: annB.id })).map((n) => n.id)).toEqual([note.id])
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  })

  for (const order of [
    [0, 1, 2],
    [2, 0, 1],
    [1, 2, 0],
  ]) {
    it(`three desktops pushing in the order ${order.map((i) => 'ABC'[i]).join(', ')} converge on one contact`, async () => {
      const { all, shop, vip } = await desks(3)
      const made: number[] = []
      for (const [i, t] of all.entries()) {
        const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: `Ann ${'ABC'[i]}`, primaryObjectId: shop.id })
        made.push(ann.id)
        await t.ok('notes.create', { contactId: ann.id, bodyHtml: `<p>Note from ${'ABC'[i]}</p>` })
        await t.ok('tasks.create', { title: `Task from ${'ABC'[i]}`, contactId: ann.id, dueAt: '2027-01-05T10:00:00Z' })
        if (i !== 1) await t.ok('contacts.addTag', { contactIds: [ann.id], tagId: vip.id })
      }
      // Each pushes (and pulls what is there) in this order, then every one pulls the rest.
      await sync(...order.map((i) => all[i]))
      await sync(...all)
      const survivor = made[order[0]]
      for (const t of all) {
        expect((await anns(t)).map((c) => c.id)).toEqual([survivor])
        const ann = await t.ok('contacts.get', { id: survivor })
        // The last copy to reach PostgreSQL wrote the first name last.
        expect(ann.firstName).toBe(`Ann ${'ABC'[order[2]]}`)
        expect(ann.tags.map((x) => x.id)).toEqual([vip.id])
        expect((await t.ok('notes.list', { contactId: survivor })).map((n) => n.bodyText).sort()).toEqual(['Note from A', 'Note from B', 'Note from C'])
        expect((await t.ok('tasks.list', { contactId: survivor })).items).toHaveLength(3)
      }
      const dumps = all.map(canonicalDump)
      expect(dumps[1]).toEqual(dumps[0])
      expect(dumps[2]).toEqual(dumps[0])
    }, 60_000)
  }

  it('a copy with a queued outbox row: the row keeps its id, points at the survivor and is there once', async () => {
    const { all, shop, profile } = await desks(2)
    const [a, b] = all
    const annA = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: shop.id })
    const annB = await b.ok('contacts.create', { email: 'ann@client.test', firstName: 'Annie', primaryObjectId: shop.id })
    const sent = await b.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], contactId: annB.id, subject: 'Your quote', html: '<p>Hi Ann</p>', sendAt: new Date(b.clock.now() + HOUR).toISOString() })
    await sync(a, b, a)
    for (const t of [a, b]) {
      const rows = withFile(t, (f) => f.prepare('SELECT id, contact_id AS contactId, status FROM outbound_messages').all())
      expect(rows).toEqual([{ id: sent.id, contactId: annA.id, status: 'queued' }])
      expect(await t.ok('outbox.get', { id: sent.id })).toMatchObject({ id: sent.id, status: 'queued' })
      expect((await anns(t)).map((c) => c.id)).toEqual([annA.id])
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
    // B cancels it after the merge (a write to the row as it now is): one row, cancelled everywhere, nothing left to send.
    await b.ok('outbox.cancel', { id: sent.id })
    await sync(b, a)
    for (const t of [a, b]) expect(withFile(t, (f) => f.prepare("SELECT count(*) AS n FROM outbound_messages WHERE status IN ('queued', 'sending', 'retry_wait')").get())).toEqual({ n: 0 })
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  })

  it('a copy deleted on its desktop before it learnt of the other: the contact is deleted on both', async () => {
    const { all, shop } = await desks(2)
    const [a, b] = all
    const annA = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: shop.id })
    await a.ok('notes.create', { contactId: annA.id, bodyHtml: '<p>Keep?</p>' })
    const annB = await b.ok('contacts.create', { email: 'ann@client.test', firstName: 'Annie', primaryObjectId: shop.id })
    await b.ok('contacts.delete', { ids: [annB.id] })
    await sync(a, b, a)
    for (const t of [a, b]) expect(await anns(t)).toEqual([])
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
    // A contact made after its desktop saw the delete is a new contact, not swallowed by the old one.
    const again = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann again', primaryObjectId: shop.id })
    await sync(a, b)
    for (const t of [a, b]) expect((await anns(t)).map((c) => c.id)).toEqual([again.id])
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  })

  it('a copy still queued here when the other arrives: its queued ops are rewritten to the survivor and pushed as such', async () => {
    const { db, all, shop } = await desks(2)
    const [a, b] = all
    const annA = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', primaryObjectId: shop.id })
    await a.ok('team.sync', {})
    const annB = await b.ok('contacts.create', { email: 'ann@client.test', firstName: 'Annie', company: 'Client Co', primaryObjectId: shop.id })
    const note = await b.ok('notes.create', { contactId: annB.id, bodyHtml: '<p>Queued with the copy</p>' })
    // A's insert arrives while B's copy is still queued (a pull between B's push and B's write: what the replicator
    // does when a write lands during a sync), applied exactly as the replicator applies a pull.
    const ops = await opsOfRow(db.url, 'contacts', annA.id)
    expect(ops.map((o) => o.kind)).toEqual(['insert'])
    applyAsPull(b, ops)
    const queued = withFile(b, (f) => f.prepare('SELECT tbl, row_key AS rowKey, kind, fields FROM team_ops ORDER BY seq').all()) as Array<{ tbl: string; rowKey: string; kind: string; fields: string }>
    expect(queued.map((q) => [q.tbl, q.rowKey, q.kind])).toEqual([
      ['contacts', String(annA.id), 'update'],
      ['contact_notes', String(note.id), 'insert'],
    ])
    expect(JSON.parse(queued[0].fields)).toMatchObject({ first_name: 'Annie', company: 'Client Co' })
    expect(JSON.parse(queued[0].fields)).not.toHaveProperty('last_name') // a blank it was created with
    expect(JSON.parse(queued[1].fields)).toMatchObject({ contact_id: annA.id })
    expect(await b.ok('contacts.get', { id: annA.id })).toMatchObject({ firstName: 'Annie', lastName: 'Lee', company: 'Client Co' })
    expect(await b.err('contacts.get', { id: annB.id })).toMatchObject({ code: 'NOT_FOUND' })
    await sync(b, a)
    for (const t of [a, b]) {
      expect((await anns(t)).map((x) => x.id)).toEqual([annA.id])
      expect(await t.ok('contacts.get', { id: annA.id })).toMatchObject({ firstName: 'Annie', lastName: 'Lee', company: 'Client Co' })
      expect((await t.ok('notes.list', { contactId: annA.id })).map((n) => n.id)).toEqual([note.id])
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  })

  for (const first of ['the address change', 'the new contact'] as const) {
    it(`an address changed to one another desktop created apart (${first} pushed first): one contact, the older one`, async () => {
      const { all, shop } = await desks(2)
      const [a, b] = all
      const old = await a.ok('contacts.create', { email: 'ann.old@client.test', firstName: 'Ann', lastName: 'Lee', primaryObjectId: shop.id })
      await a.ok('notes.create', { contactId: old.id, bodyHtml: '<p>Known for years</p>' })
      await sync(a, b)
      // Apart: A moves Ann to her new address; B, not knowing, creates a contact with that address.
      await a.ok('contacts.update', { id: old.id, email: 'ann@client.test' })
      const fresh = await b.ok('contacts.create', { email: 'ann@client.test', firstName: 'Annie', company: 'Client Co', primaryObjectId: shop.id })
      await b.ok('notes.create', { contactId: fresh.id, bodyHtml: '<p>New enquiry</p>' })
      if (first === 'the address change') await sync(a, b, a)
      else await sync(b, a, b)
      for (const t of [a, b]) {
        expect((await anns(t)).map((c) => c.id)).toEqual([old.id])
        expect(await t.ok('contacts.get', { id: old.id })).toMatchObject({ firstName: 'Annie', lastName: 'Lee', company: 'Client Co' })
        expect((await t.ok('notes.list', { contactId: old.id })).map((n) => n.bodyText).sort()).toEqual(['Known for years', 'New enquiry'])
        expect(await t.err('contacts.get', { id: fresh.id })).toMatchObject({ code: 'NOT_FOUND' })
      }
      expect(canonicalDump(b)).toEqual(canonicalDump(a))
    })
  }
})
