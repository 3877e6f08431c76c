// Issue 22 item 1's last lifecycle steps: a desktop leaves its team workspace (team.leave) and an admin removes a
// member (team.users.remove). Real PostgreSQL, two engines (manual replicators: ops move only on team.sync; the
// claim rounds run by themselves), and Mailgun's contract-faithful fake as the one place messages arrive, so a
// message sent twice from either desktop would show as two deliveries there.
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine, type TestEngine } from './helpers'
import { waitFor } from './support/waitFor'
import { asRole, loginRoleName } from '../src/main/engine/team/pg'
import { ADMIN, STAFF, freshDatabase, joinUrl, pgPort, pgProxy, withFile } from './teamSetup'

const KEY = 'key-team-leave-0123456789'
const DOMAIN = 'mg.leave.test'
const HOUR = 3_600_000
const LEFT = 'Left the workspace: another desktop sends this'
let fake: FakeMailgun

beforeEach(async () => {
  fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })
})
afterEach(async () => {
  await fake.close()
})

/** A desktop; `sending`: its scheduler runs (on its own test clock) and sends through the fake. */
const desk = (sending = false) =>
  freshEngine({
    team: { manual: true, claims: { lostRetryMs: 50 } },
    outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, run: sending },
    inbound: { run: false },
    backups: { run: false },
    intake: { run: false },
  })

/** Admin desktop A (a business sending through Mailgun, one contact) made a workspace; staff desktop B joined. */
async function twoDesks(opts: { sending?: boolean; bPort?: number } = {}) {
  const db = await freshDatabase()
  const a = desk(opts.sending)
  const object = await a.ok('objects.create', { name: 'Leave Shop', timezone: 'UTC' })
  await a.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  const profile = await a.ok('profiles.create', { objectId: object.id, email: 'desk@leave.test', displayName: 'Front desk', transport: { kind: 'mailgun' } })
  const ava = await a.ok('contacts.create', { email: 'ava@client.test', firstName: 'Ava', primaryObjectId: object.id })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  await a.ok('team.sync', {})
  const b = desk(opts.sending)
  await b.ok('team.join', { databaseUrl: joinUrl(db, opts.bPort), email: STAFF.email, password: STAFF.password })
  // The API key never leaves a desktop: B's user types it once.
  await b.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  await b.ok('team.sync', {})
  return { db, a, b, object, profile, ava }
}

const later = (t: TestEngine) => new Date(t.clock.now() + HOUR - 1000).toISOString()
const queue = (t: TestEngine, profileId: number, subject: string) => t.ok('mail.send', { profileId, to: ['zoe@client.test'], subject, html: `<p>${subject}</p>`, sendAt: later(t) })
/** Copies of a message that reached Mailgun, by its Message-ID. */
const deliveries = (messageId: string) => fake.sent.filter((m) => m.fields['h:Message-Id']?.[0] === messageId).length
const teamRows = (t: TestEngine) =>
  withFile(t, (f) => ({
    state: (f.prepare('SELECT count(*) AS n FROM team_state').get() as { n: number }).n,
    ops: (f.prepare('SELECT count(*) AS n FROM team_ops').get() as { n: number }).n,
    assignments: (f.prepare('SELECT count(*) AS n FROM team_assignments').get() as { n: number }).n,
  }))
/** Every due row handled: the clock is past the send time and the scheduler has nothing left to do. */
async function runDue(t: TestEngine) {
  await t.ok('clock.advance', { ms: HOUR })
  t.engine.outbound.scheduler.wake()
  await t.engine.outbound.scheduler.idle()
}

async function superuser<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}
const claimOf = (url: string, rowId: number) =>
  superuser(url, async (c) => (await c.query<{ device_id: number; state: string }>('SELECT device_id, state FROM claims WHERE row_id = $1', [rowId])).rows[0])
const deviceOf = (t: TestEngine) => withFile(t, (f) => (f.prepare('SELECT device_id AS d FROM team_state').get() as { d: number }).d)

describe('team.leave', () => {
  it('with nothing waiting: the desktop is solo again with all its data, its later writes stay here, the other desktop carries on', async () => {
    const { a, b, ava } = await twoDesks()
    const note = await b.ok('notes.create', { contactId: ava.id, bodyHtml: '<p>From B before leaving</p>' })
    await b.ok('team.sync', {})
    expect(await b.ok('team.leave', {})).toEqual({ withdrawn: 0, keptHere: 0 })
    expect(await b.ok('team.status', {})).toMatchObject({ state: 'solo', pendingOps: 0, user: null, workspaceId: null })
    expect(teamRows(b)).toEqual({ state: 0, ops: 0, assignments: 0 })
    expect(b.events).toContainEqual(expect.objectContaining({ event: 'team.status', payload: expect.objectContaining({ state: 'solo' }) }))
    // Its own copy: everything it had stays.
    expect(await b.ok('contacts.get', { id: ava.id })).toMatchObject({ email: 'ava@client.test', firstName: 'Ava' })
    expect((await b.ok('notes.list', { contactId: ava.id })).map((n) => n.id)).toContain(note.id)
    // Writes from now on are this desktop's alone: nothing is captured, and sync says it is not in a workspace.
    await b.ok('contacts.update', { id: ava.id, company: 'Solo Co' })
    const ben = await b.ok('contacts.create', { email: 'ben@client.test', firstName: 'Ben' })
    expect(teamRows(b).ops).toBe(0)
    expect(await b.err('team.sync', {})).toMatchObject({ code: 'CONFLICT' })
    expect(await b.err('team.leave', {})).toMatchObject({ code: 'CONFLICT', message: 'This desktop is not in a team workspace' })

    // A is unaffected: it writes and syncs as before, and none of B's later writes reach it, nor A's reach B.
    await a.ok('contacts.update', { id: ava.id, lastName: 'Nguyen' })
    expect(await a.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0 })
    expect(await a.ok('contacts.get', { id: ava.id })).toMatchObject({ company: '', lastName: 'Nguyen' })
    expect((await a.call('contacts.get', { id: ben.id })).ok).toBe(false)
    expect((await a.ok('notes.list', { contactId: ava.id })).map((n) => n.id)).toContain(note.id)
    expect(await b.ok('contacts.get', { id: ava.id })).toMatchObject({ company: 'Solo Co', lastName: '' })
  })

  it('refuses while changes cannot reach PostgreSQL (CONFLICT with the count); forced, it leaves: shared rows withdrawn here, its own unpushed row sent once', async () => {
    const proxy = await pgProxy(pgPort())
    const { a, b, ava, profile } = await twoDesks({ sending: true, bPort: proxy.port })
    // A shared row B holds a copy of, due later.
    const shared = await queue(a, profile.id, 'Shared offer')
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    expect((await b.ok('outbox.get', { id: shared.id })).status).toBe('queued')

    await proxy.close()
    await b.ok('contacts.update', { id: ava.id, company: 'Written offline' })
    const own = await queue(b, profile.id, 'Queued offline on B')
    const pending = teamRows(b).ops
    expect(pending).toBeGreaterThanOrEqual(3) // the contact, the row and its queued event
    expect(await b.err('team.leave', {})).toEqual({
      code: 'CONFLICT',
      message: `${pending} changes made on this computer have not reached the workspace yet. Connect and sync first, or leave anyway and they stay on this computer only.`,
    })
    // Still in the workspace, nothing dropped.
    expect(await b.ok('team.status', {})).toMatchObject({ state: 'offline', pendingOps: pending })
    expect((await b.ok('outbox.get', { id: shared.id })).status).toBe('queued')

    expect(await b.ok('team.leave', { force: true })).toEqual({ withdrawn: 1, keptHere: pending })
    expect(await b.ok('team.status', {})).toMatchObject({ state: 'solo', pendingOps: 0 })
    expect(await b.ok('outbox.get', { id: shared.id })).toMatchObject({ status: 'cancelled', statusReason: LEFT })
    expect((await b.ok('outbox.get', { id: shared.id })).events.map((e) => e.type)).toEqual(['queued', 'cancelled'])
    expect((await b.ok('contacts.get', { id: ava.id })).company).toBe('Written offline')

    // Both due now: B sends its own row and not the shared one; A sends the shared one; each once.
    await proxy.open()
    await runDue(b)
    await runDue(a)
    await waitFor(() => deliveries(shared.messageId) === 1, { timeoutMs: 20_000, message: 'A sent the shared row' })
    expect(deliveries(own.messageId)).toBe(1)
    expect(deliveries(shared.messageId)).toBe(1)
    expect((await b.ok('outbox.get', { id: own.id })).status).toBe('sent')
    // B's offline changes stayed on B.
    await a.ok('team.sync', {})
    expect((await a.ok('contacts.get', { id: ava.id })).company).toBe('')
    expect((await a.call('outbox.get', { id: own.id })).ok).toBe(false)
    await proxy.close()
  })

  it('gives back its leases: a shared row it had claimed is sent by the other desktop at once, exactly once', async () => {
    const { db, a, b, profile } = await twoDesks({ sending: true })
    const row = await queue(a, profile.id, 'Claimed by B')
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    // B's scheduler won the row's claim a moment ago (a lease of an hour in PostgreSQL), and has not sent it yet.
    await superuser(db.url, (c) => c.query("UPDATE claims SET device_id = $1, state = 'leased', lease_until = now() + interval '1 hour' WHERE row_id = $2", [deviceOf(b), row.id]))
    // Due on A: it may not send while B holds the lease.
    await runDue(a)
    await runDue(a)
    expect(deliveries(row.messageId)).toBe(0)
    expect((await a.ok('outbox.get', { id: row.id })).status).toBe('queued')

    expect(await b.ok('team.leave', {})).toEqual({ withdrawn: 1, keptHere: 0 })
    // Released (or already taken by A, whose scheduler keeps asking).
    const given = await claimOf(db.url, row.id)
    expect(given.state === 'released' || given.device_id === deviceOf(a)).toBe(true)
    // A takes it at once (not an hour later) and sends it; B, solo and due too, does not.
    await waitFor(
      async () => {
        a.engine.outbound.scheduler.wake()
        await a.engine.outbound.scheduler.idle()
        return deliveries(row.messageId) === 1
      },
      { timeoutMs: 20_000, message: 'A sent the row B gave back' },
    )
    await runDue(b)
    expect(await b.ok('outbox.get', { id: row.id })).toMatchObject({ status: 'cancelled', statusReason: LEFT })
    expect((await a.ok('outbox.get', { id: row.id })).status).toBe('sent')
    await a.ok('team.sync', {})
    expect(await claimOf(db.url, row.id)).toMatchObject({ state: 'done', device_id: deviceOf(a) })
    expect(fake.sent).toHaveLength(1)
  })
})

describe('team.users.remove', () => {
  it('an admin removes a staff member: their role can no longer sign in, their leases are released, their desktop says removed and may then leave', async () => {
    const { db, a, b, ava, profile } = await twoDesks()
    const staffRole = loginRoleName(db.name, STAFF.email)
    try {
      const row = await queue(a, profile.id, 'Leased by B')
      await a.ok('team.sync', {})
      await b.ok('team.sync', {})
      await superuser(db.url, (c) => c.query("UPDATE claims SET device_id = $1, state = 'leased', lease_until = now() + interval '1 hour' WHERE row_id = $2", [deviceOf(b), row.id]))
      // B's replicator keeps its connection open between syncs: the removal ends it.
      const sessions = () => superuser(db.url, async (c) => Number((await c.query('SELECT count(*) AS n FROM pg_stat_activity WHERE usename = $1', [staffRole])).rows[0].n))
      expect(await sessions()).toBeGreaterThan(0)

      // Only an admin removes, and not themselves.
      expect(await b.err('team.users.remove', { email: ADMIN.email })).toMatchObject({ code: 'FORBIDDEN' })
      expect(await a.err('team.users.remove', { email: ADMIN.email })).toMatchObject({ code: 'VALIDATION', field: 'email' })
      expect(await a.err('team.users.remove', { email: 'nobody@client.test' })).toMatchObject({ code: 'NOT_FOUND', field: 'email' })

      expect(await a.ok('team.users.remove', { email: STAFF.email })).toEqual({ email: STAFF.email })
      expect((await a.ok('team.users.list', {})).map((u) => u.email)).toEqual([ADMIN.email])
      // The admin's own copy of the assignments forgets theirs at once.
      expect(withFile(a, (f) => f.prepare('SELECT email FROM team_assignments').all())).toEqual([])
      expect(await claimOf(db.url, row.id)).toMatchObject({ state: 'released' })
      await waitFor(async () => (await sessions()) === 0, { timeoutMs: 10_000, message: 'B’s sessions ended' })
      // psql with B's own password is turned away at the door.
      const staff = new pg.Client({ connectionString: asRole(joinUrl(db), staffRole, STAFF.password) })
      const refused = await staff.connect().then(
        () => 'connected',
        (e: { code?: string }) => e.code,
      )
      await staff.end().catch(() => undefined)
      expect(['28000', '28P01']).toContain(refused)

      // B learns it on its next sync; its writes stay here.
      expect(await b.ok('team.sync', {})).toMatchObject({ state: 'removed', problem: expect.stringMatching(/removed you from this workspace/) })
      await b.ok('contacts.update', { id: ava.id, company: 'After removal' })
      expect(await b.ok('team.status', {})).toMatchObject({ state: 'removed', pendingOps: expect.any(Number) })
      expect((await b.ok('team.status', {})).pendingOps).toBeGreaterThan(0)
      // Leaving needs no force: those changes can never reach the workspace.
      expect(await b.ok('team.leave', {})).toMatchObject({ keptHere: expect.any(Number) })
      expect(await b.ok('team.status', {})).toMatchObject({ state: 'solo' })
      expect((await b.ok('contacts.get', { id: ava.id })).company).toBe('After removal')
      expect(await b.ok('outbox.get', { id: row.id })).toMatchObject({ status: 'cancelled', statusReason: LEFT })

      // The admin may let the same person in again, with a new password.
      await a.ok('team.users.create', { ...STAFF, password: 'ivy-team-pw-2', role: 'staff', profileIds: [] })
      const back = new pg.Client({ connectionString: asRole(joinUrl(db), staffRole, 'ivy-team-pw-2') })
      await back.connect()
      expect((await back.query('SELECT count(*) AS n FROM team_users')).rows[0].n).toBe('2')
      await back.end()
    } finally {
      // The role outlives its team_users row if the test stopped half-way (teamSetup drops only listed ones).
      await superuser(db.url, async (c) => {
        if ((await c.query('SELECT 1 FROM team_users WHERE role_name = $1', [staffRole])).rowCount === 0) await c.query(`DROP ROLE IF EXISTS "${staffRole}"`)
      })
    }
  })
})
