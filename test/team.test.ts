// Issue 22: two desktops on one team workspace, through the contract, on a real PostgreSQL.
import { describe, expect, it } from 'vitest'
import { waitFor } from './support/waitFor'
import pg from 'pg'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, pgProxy, pgPort, teamEngine, withFile } from './teamSetup'
import type { TestEngine } from './helpers'

/** Desktop A with a business, a contact and a note, made into a workspace; desktop B joined as staff. */
async function twoDesktops(opts: { bPort?: number } = {}) {
  const db = await freshDatabase()
  const a = teamEngine()
  const o = await a.ok('objects.create', { name: 'Eve Beauty', timezone: 'Europe/London' })
  const ava = await a.ok('contacts.create', { email: 'ava@x.co', firstName: 'Ava', lastName: 'Nguyen', primaryObjectId: o.id })
  await a.ok('notes.create', { contactId: ava.id, bodyHtml: '<p>Met at the fair</p>' })
  const { workspaceId } = await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
  await a.ok('team.sync', {})
  const b = teamEngine()
  const joined = await b.ok('team.join', { databaseUrl: joinUrl(db, opts.bPort), email: STAFF.email, password: STAFF.password })
  expect(joined.workspaceId).toBe(workspaceId)
  return { db, a, b, o, ava, workspaceId }
}

const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) await t.ok('team.sync', {})
}

describe('team workspace', () => {
  it('creates, joins and shows each desktop the other’s contact edits and notes, with the same ids', async () => {
    const { a, b, ava } = await twoDesktops()
    // B downloaded A's data: the same contact under the same id, its note, and both members.
    expect(await b.ok('contacts.get', { id: ava.id })).toMatchObject({ email: 'ava@x.co', firstName: 'Ava', lastName: 'Nguyen' })
    expect((await b.ok('notes.list', { contactId: ava.id })).map((n) => n.bodyText)).toEqual(['Met at the fair'])
    // Rows that arrive are searchable like rows typed here (the contact index is kept by the repo, not a trigger).
    expect((await b.ok('contacts.list', { query: 'nguyen' })).items.map((c) => c.id)).toEqual([ava.id])
    expect((await b.ok('notes.list', { query: 'fair' })).map((n) => n.contactId)).toEqual([ava.id])
    expect((await b.ok('users.list', {})).map((u) => u.email).sort()).toEqual([ADMIN.email, STAFF.email])
    expect(await b.ok('team.status', {})).toMatchObject({ state: 'synced', pendingOps: 0, user: { email: STAFF.email, role: 'staff' } })

    // B edits the contact and writes a note (authored by B's user); A sees both.
    await b.ok('contacts.update', { id: ava.id, lastName: 'Nguyen-Smith', company: 'Acme' })
    const note = await b.ok('notes.create', { contactId: ava.id, bodyHtml: '<p>Wants a quote</p>' })
    expect(note.id).toBeGreaterThanOrEqual(2 ** 32) // from B's id block, never a number A could also hand out
    expect((await b.ok('team.status', {})).pendingOps).toBeGreaterThan(0)
    await sync(b, a)
    expect(await a.ok('contacts.get', { id: ava.id })).toMatchObject({ lastName: 'Nguyen-Smith', company: 'Acme' })
    expect(await a.ok('notes.list', { contactId: ava.id })).toEqual(expect.arrayContaining([expect.objectContaining({ id: note.id, bodyText: 'Wants a quote', authorName: STAFF.displayName })]))

    // A's new contact, tag and task reach B.
    const tag = await a.ok('tags.create', { name: 'VIP' })
    const ben = await a.ok('contacts.create', { email: 'ben@x.co', firstName: 'Ben' })
    await a.ok('contacts.addTag', { contactIds: [ben.id], tagId: tag.id })
    const task = await a.ok('tasks.create', { title: 'Call Ben', contactId: ben.id, dueAt: '2027-01-05T10:00:00Z' })
    expect(ben.id).not.toBe(note.id)
    await sync(a, b)
    expect((await b.ok('contacts.get', { id: ben.id })).tags.map((x) => x.id)).toEqual([tag.id])
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
    expect(canonicalDump(b).tasks).toEqual([expect.objectContaining({ id: task.id, title: 'Call Ben' })])
  })

  it('pushes and pulls by itself: LISTEN/NOTIFY wakes the other desktop', async () => {
    const db = await freshDatabase()
    const a = teamEngine({ pollMs: 60_000, localMs: 50 })
    await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
    const b = teamEngine({ pollMs: 60_000, localMs: 50 })
    await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
    const c = await a.ok('contacts.create', { email: 'cy@x.co', firstName: 'Cy' })
    // No team.sync and a one-minute poll: only the local queue watch (A) and the notification (B) can do it.
    await waitFor(async () => (await b.call('contacts.get', { id: c.id })).ok, { timeoutMs: 20_000, message: 'B sees A’s contact' })
    await waitFor(async () => (await a.ok('team.status', {})).state === 'synced', { timeoutMs: 20_000 })
    expect(b.events.some((e) => e.event === 'contacts.changed')).toBe(true)
  })

  it('pushes a write made through the contract at once, without waiting for the look at the local queue', async () => {
    const db = await freshDatabase()
    // An hour between looks at the queue and between full cycles: only the write's own nudge can push it.
    const a = teamEngine({ pollMs: 3_600_000, localMs: 3_600_000 })
    await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
    const b = teamEngine({ pollMs: 3_600_000, localMs: 3_600_000 })
    await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
    await waitFor(async () => (await a.ok('team.status', {})).pendingOps === 0, { timeoutMs: 20_000, message: 'A pushed its set-up' })
    const c = await a.ok('contacts.create', { email: 'dee@x.co', firstName: 'Dee' })
    await waitFor(async () => (await b.call('contacts.get', { id: c.id })).ok, { timeoutMs: 20_000, message: 'B sees A’s contact' })
  })

  it('keeps writing offline and converges after reconnect, pushing the offline changes in order', async () => {
    const proxy = await pgProxy(pgPort())
    const { a, b, ava } = await twoDesktops({ bPort: proxy.port })
    await proxy.close()
    // B is offline: its writes succeed locally and wait.
    await b.ok('contacts.update', { id: ava.id, firstName: 'Avery' })
    await b.ok('contacts.update', { id: ava.id, firstName: 'Ava-Marie' }) // the later one must win
    const offlineNote = await b.ok('notes.create', { contactId: ava.id, bodyHtml: '<p>Written on the train</p>' })
    const dan = await b.ok('contacts.create', { email: 'dan@x.co', firstName: 'Dan' })
    const st = await b.ok('team.sync', {})
    expect(st).toMatchObject({ state: 'offline', pendingOps: expect.any(Number) })
    expect(st.pendingOps).toBeGreaterThanOrEqual(4)
    expect(st.problem).toMatch(/PostgreSQL/)
    expect((await b.ok('contacts.get', { id: ava.id })).firstName).toBe('Ava-Marie')
    // Meanwhile A changes another field of the same contact and adds a contact.
    await a.ok('contacts.update', { id: ava.id, company: 'Fair Co' })
    const eli = await a.ok('contacts.create', { email: 'eli@x.co', firstName: 'Eli' })
    await sync(a)
    // Back online: B pushes in order and pulls A's changes; A pulls B's.
    await proxy.open()
    expect(await b.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0 })
    await sync(a)
    for (const t of [a, b]) {
      expect(await t.ok('contacts.get', { id: ava.id })).toMatchObject({ firstName: 'Ava-Marie', company: 'Fair Co' })
      expect((await t.ok('notes.list', { contactId: ava.id })).map((n) => n.id)).toContain(offlineNote.id)
      expect((await t.ok('contacts.get', { id: dan.id })).email).toBe('dan@x.co')
      expect((await t.ok('contacts.get', { id: eli.id })).email).toBe('eli@x.co')
    }
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
  })

  it('concurrent edits of one field end with the same value on both desktops (the later push wins)', async () => {
    const { a, b, ava } = await twoDesktops()
    await a.ok('contacts.update', { id: ava.id, lastName: 'From A' })
    await b.ok('contacts.update', { id: ava.id, lastName: 'From B', company: 'B Co' })
    await sync(a) // A's op gets the lower position
    await sync(b) // B pushes (higher position), then pulls A's: B keeps its own value
    await sync(a) // A pulls B's and takes it
    for (const t of [a, b]) expect(await t.ok('contacts.get', { id: ava.id })).toMatchObject({ lastName: 'From B', company: 'B Co' })
    // The other order: B first, then A.
    await b.ok('contacts.update', { id: ava.id, lastName: 'Again B' })
    await a.ok('contacts.update', { id: ava.id, lastName: 'Again A' })
    await sync(b, a, b)
    for (const t of [a, b]) expect((await t.ok('contacts.get', { id: ava.id })).lastName).toBe('Again A')
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
  })

  it('a delete beats a later update', async () => {
    const { a, b, ava } = await twoDesktops()
    await a.ok('contacts.delete', { ids: [ava.id] })
    await sync(a) // the delete is in PostgreSQL first
    await b.ok('contacts.update', { id: ava.id, firstName: 'Still here?' }) // B has not pulled: updates later
    await b.ok('notes.create', { contactId: ava.id, bodyHtml: '<p>Late note</p>' })
    await sync(b, a)
    for (const t of [a, b]) {
      expect(await t.err('contacts.get', { id: ava.id })).toMatchObject({ code: 'NOT_FOUND' })
      expect(canonicalDump(t).contact_notes).toEqual([])
    }
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
  })

  it('the same ops pushed twice are stored and applied once', async () => {
    const { db, a, b, ava } = await twoDesktops()
    await a.ok('notes.create', { contactId: ava.id, bodyHtml: '<p>Once only</p>' })
    await a.ok('contacts.update', { id: ava.id, firstName: 'Ava once' })
    // Keep a copy of the queued ops, push them, then put them back as if the acknowledgement was lost.
    const queued = withFile(a, (f) => f.prepare('SELECT id, tbl, row_key, kind, fields, user_email, at FROM team_ops ORDER BY seq').all()) as Array<Record<string, unknown>>
    expect(queued.length).toBe(2)
    await sync(a)
    const count = async () => {
      const c = new pg.Client({ connectionString: db.url })
      await c.connect()
      const n = Number((await c.query('SELECT count(*) AS n FROM ops')).rows[0].n)
      await c.end()
      return n
    }
    const before = await count()
    withFile(a, (f) => {
      const ins = f.prepare('INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES (@id, @tbl, @row_key, @kind, @fields, @user_email, @at)')
      for (const q of queued) ins.run(q)
    })
    expect((await a.ok('team.status', {})).pendingOps).toBe(2)
    expect(await a.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0 })
    expect(await count()).toBe(before)
    await sync(b)
    expect((await b.ok('notes.list', { contactId: ava.id })).filter((n) => n.bodyText === 'Once only')).toHaveLength(1)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
  })
})
