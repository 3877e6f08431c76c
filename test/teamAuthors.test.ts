// Issue 22 item 5: the contact and outbox screens show who did what. Who added a contact, who last changed it by
// hand and who queued a message are stored with the row (the staff member's e-mail, migration 0037), replicated,
// and named through the replicated users list, so every desktop names the same person. Real PostgreSQL, manual
// replicators, no mail sent (nothing listens on port 9 and no scheduler runs).
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'
import { storeCtx } from './inboxFixtures'
import { markContactIfActive } from '../src/main/engine/repos/suppressions'
import { ADMIN, STAFF, freshDatabase, joinUrl, teamEngine } from './teamSetup'

const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) await t.ok('team.sync', {})
}
const admin = { email: ADMIN.email, name: ADMIN.displayName }
const staff = { email: STAFF.email, name: STAFF.displayName }

/** Admin desktop A with a business and a sender profile assigned to staff; staff desktop B joined. */
async function twoDesktops() {
  const db = await freshDatabase()
  const a = teamEngine()
  const object = await a.ok('objects.create', { name: 'Who Shop', timezone: 'UTC' })
  const box = await a.ok('mailboxes.create', { objectId: object.id, email: 'desk@who.test', displayName: 'Front desk', minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk', password: 'not-a-real-pw-1' }, imap: null })
  const desk = await a.ok('profiles.create', { objectId: object.id, email: 'desk@who.test', displayName: 'Front desk', transport: { kind: 'smtp', mailboxId: box.id } })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [desk.id] })
  await sync(a)
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  return { a, b, object, desk }
}

describe('who did what, across desktops', () => {
  it('a contact added by staff on B and changed by the admin on A names both on either desktop, with its notes’ and tasks’ authors', async () => {
    const { a, b, object } = await twoDesktops()
    const zoe = await b.ok('contacts.create', { email: 'zoe@client.test', firstName: 'Zoe', primaryObjectId: object.id })
    expect(zoe).toMatchObject({ createdBy: staff, updatedBy: null })
    const note = await b.ok('notes.create', { contactId: zoe.id, bodyHtml: '<p>Called about a booking</p>' })
    const task = await b.ok('tasks.create', { title: 'Send the price list', contactId: zoe.id, dueAt: '2027-01-05T10:00:00Z' })
    await sync(b, a)
    expect(await a.ok('contacts.get', { id: zoe.id })).toMatchObject({ createdBy: staff, updatedBy: null })

    // The admin changes her on A: both desktops say who added her and who changed her last.
    const changed = await a.ok('contacts.update', { id: zoe.id, company: 'Zoe & Co' })
    expect(changed).toMatchObject({ createdBy: staff, updatedBy: admin })
    await sync(a, b)
    for (const t of [a, b]) {
      expect(await t.ok('contacts.get', { id: zoe.id })).toMatchObject({ company: 'Zoe & Co', createdBy: staff, updatedBy: admin })
      expect((await t.ok('contacts.list', { query: 'zoe' })).items[0]).toMatchObject({ createdBy: staff, updatedBy: admin })
      expect(await t.ok('notes.list', { contactId: zoe.id })).toEqual([expect.objectContaining({ id: note.id, authorName: STAFF.displayName })])
      expect((await t.ok('tasks.list', { contactId: zoe.id, status: 'all', limit: 10 })).items).toEqual([expect.objectContaining({ id: task.id, createdByName: STAFF.displayName })])
    }

    // Staff changes her back: the last change is B's again, everywhere.
    await b.ok('contacts.update', { id: zoe.id, company: 'Zoe Ltd' })
    await sync(b, a)
    expect(await a.ok('contacts.get', { id: zoe.id })).toMatchObject({ company: 'Zoe Ltd', createdBy: staff, updatedBy: staff })
  })

  it('a change nobody made by hand (a bounce marking the contact) clears “last changed by”, on every desktop', async () => {
    const { a, b, object } = await twoDesktops()
    const ann = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    await a.ok('contacts.update', { id: ann.id, lastName: 'Lee' })
    await sync(a, b)
    expect(await b.ok('contacts.get', { id: ann.id })).toMatchObject({ createdBy: admin, updatedBy: admin })
    // What a DSN bounce does to the contact (inbound → recordBounce → markContactIfActive), on A's file.
    const s = storeCtx(a)
    s.ctx.sqlite.transaction(() => markContactIfActive(s.ctx, ann.id, 'bounced', a.clock.now()))()
    await sync(a, b)
    for (const t of [a, b]) expect(await t.ok('contacts.get', { id: ann.id })).toMatchObject({ status: 'bounced', createdBy: admin, updatedBy: null })
  })

  it('an outbox row queued by staff on B says so on A, in the list and the detail', async () => {
    const { a, b, desk } = await twoDesktops()
    const row = await b.ok('mail.send', { profileId: desk.id, to: ['zoe@client.test'], subject: 'Your booking', html: '<p>See you Friday</p>', sendAt: new Date(b.clock.now() + 3_600_000).toISOString() })
    const byStaff = { kind: 'person', ...staff }
    expect((await b.ok('outbox.get', { id: row.id })).queuedBy).toEqual(byStaff)
    await sync(b, a)
    expect((await a.ok('outbox.get', { id: row.id })).queuedBy).toEqual(byStaff)
    expect((await a.ok('outbox.list', {})).items.find((m) => m.id === row.id)?.queuedBy).toEqual(byStaff)
    // The admin's own message says the admin, on B too.
    const mine = await a.ok('mail.send', { profileId: desk.id, to: ['ann@client.test'], subject: 'Invoice', html: '<p>Attached</p>', sendAt: new Date(a.clock.now() + 3_600_000).toISOString() })
    await sync(a, b)
    expect((await b.ok('outbox.list', {})).items.map((m) => [m.subject, m.queuedBy])).toEqual(
      expect.arrayContaining([
        ['Invoice', { kind: 'person', ...admin }],
        ['Your booking', byStaff],
      ]),
    )
    expect(mine.id).not.toBe(row.id)
  })
})

describe('who did what on a solo desktop', () => {
  it('records nobody while nobody is chosen, the chosen user once one is, and names the automation that queued a message', async () => {
    const t = freshEngine({ outbound: { run: false }, inbound: { run: false }, backups: { run: false }, intake: { run: false } })
    const object = await t.ok('objects.create', { name: 'Solo Shop', timezone: 'UTC' })
    const box = await t.ok('mailboxes.create', { objectId: object.id, email: 'me@solo.test', displayName: 'Me', minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'me', password: 'not-a-real-pw-1' }, imap: null })
    const profile = await t.ok('profiles.create', { objectId: object.id, email: 'me@solo.test', displayName: 'Me', transport: { kind: 'smtp', mailboxId: box.id } })
    const later = () => new Date(t.clock.now() + 3_600_000).toISOString()
    // Nobody chosen: nothing to show, and no "by you".
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    expect(ann).toMatchObject({ createdBy: null, updatedBy: null })
    const first = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Hello', html: '<p>Hi</p>', sendAt: later() })
    expect((await t.ok('outbox.get', { id: first.id })).queuedBy).toBeNull()

    // A chosen current user (users.setCurrent) is who adds, changes and queues.
    const ana = await t.ok('users.create', { name: 'Ana Lopez', email: 'ana@solo.test' })
    await t.ok('users.setCurrent', { id: ana.id })
    const byAna = { email: 'ana@solo.test', name: 'Ana Lopez' }
    expect(await t.ok('contacts.update', { id: ann.id, company: 'Acme' })).toMatchObject({ createdBy: null, updatedBy: byAna })
    expect((await t.ok('contacts.create', { email: 'bo@client.test', primaryObjectId: object.id })).createdBy).toEqual(byAna)
    const second = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Again', html: '<p>Hi</p>', sendAt: later() })
    expect((await t.ok('outbox.get', { id: second.id })).queuedBy).toEqual({ kind: 'person', ...byAna })

    // A sequence's step is the sequence's, by name, not the person at the desk.
    const seq = await t.ok('sequences.create', { name: 'Spring re-booking', objectId: object.id, steps: [{ subject: 'Spring is here', bodyHtml: '<p>Book now</p>', wait: { value: 0, unit: 'days' } }], mailboxIds: [box.id] })
    await t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    t.engine.automation.runDue()
    const step = (await t.ok('outbox.list', {})).items.find((m) => m.source === 'sequence')
    expect(step?.queuedBy).toEqual({ kind: 'sequence', id: seq.id, name: 'Spring re-booking' })
  })
})
