// Issue 22 item 5: a staff member sends only from the sender profiles assigned to them. The engine refuses it
// (FORBIDDEN) at every contract method where a person queues mail from a profile (a retry included), from a local copy of the
// assignments that each sync refreshes; PostgreSQL's row-level security refuses it in the shared log even to
// someone with psql and the staff member's own login. Real PostgreSQL, manual replicators, no mail sent.
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { TestEngine } from './helpers'
import { storeMessages } from '../src/main/engine/inbound/store'
import { addr, inboxRef, msg, storeCtx } from './inboxFixtures'
import { asRole, loginRoleName } from '../src/main/engine/team/pg'
import { ADMIN, STAFF, freshDatabase, joinUrl, teamEngine, withFile } from './teamSetup'

const FORBIDDEN_WORDS = (address: string) => `You may not send from ${address}: ask an admin of the workspace to assign this sender to you.`

/** Admin desktop A with one business and two sender profiles; staff desktop B joined, assigned `desk` only. */
async function setup() {
  const db = await freshDatabase()
  const a = teamEngine()
  const object = await a.ok('objects.create', { name: 'Perm Shop', timezone: 'UTC' })
  // Nothing listens on port 9: no scheduler runs in these engines anyway.
  const box = (email: string) => a.ok('mailboxes.create', { objectId: object.id, email, displayName: email, minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: email, password: 'not-a-real-pw-1' }, imap: null })
  const deskBox = await box('desk@perm.test')
  const bossBox = await box('boss@perm.test')
  const desk = await a.ok('profiles.create', { objectId: object.id, email: 'desk@perm.test', displayName: 'Front desk', transport: { kind: 'smtp', mailboxId: deskBox.id } })
  const boss = await a.ok('profiles.create', { objectId: object.id, email: 'boss@perm.test', displayName: 'The owner', transport: { kind: 'smtp', mailboxId: bossBox.id } })
  const ann = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [desk.id] })
  await a.ok('team.sync', {})
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  return { db, a, b, object, desk, boss, ann, bossBox, deskBox }
}

/** A flow that mails one offer from `profileId`, then ends. */
const offerGraph = (profileId: number) => ({
  nodes: [
    { id: 'start', type: 'start' as const, config: {}, position: { x: 0, y: 0 } },
    { id: 'offer', type: 'sendEmail' as const, config: { subject: 'Offer', html: '<p>Offer</p>', profileId }, position: { x: 0, y: 100 } },
    { id: 'done', type: 'end' as const, config: {}, position: { x: 0, y: 200 } },
  ],
  edges: [
    { from: 'start', to: 'offer' },
    { from: 'offer', to: 'done' },
  ],
})
const mail = (profileId: number, subject = 'Hello') => ({ profileId, to: ['zoe@client.test'], subject, html: '<p>Hi</p>' })
const outboxRows = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT id, profile_id AS profileId, status FROM outbound_messages ORDER BY id').all()) as Array<{ id: number; profileId: number; status: string }>
const queuedOps = (t: TestEngine) => withFile(t, (f) => f.prepare("SELECT kind, fields FROM team_ops WHERE tbl = 'outbound_messages'").all()) as Array<{ kind: string; fields: string }>

async function sharedOutboxProfiles(url: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const r = await c.query<{ p: string }>("SELECT fields->>'profile_id' AS p FROM ops WHERE tbl = 'outbound_messages' AND kind = 'insert' ORDER BY position")
    return r.rows.map((x) => Number(x.p))
  } finally {
    await c.end()
  }
}

/** A client logged in as a member's own PostgreSQL role (what psql with their password would be). */
async function asMember(db: { name: string; port: number }, who: { email: string; password: string }): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: asRole(joinUrl(db), loginRoleName(db.name, who.email), who.password) })
  await c.connect()
  return c
}

const insertOp = (c: pg.Client, tbl: string, kind: string, fields: Record<string, unknown>) =>
  c.query("INSERT INTO ops (id, device_id, user_email, tbl, row_key, kind, fields, at) VALUES (gen_random_uuid(), 1, 'x@y.z', $1, '4294967999', $2, $3::jsonb, 0)", [tbl, kind, JSON.stringify(fields)])
const pgCode = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: string }) => e.code ?? String(e))

describe('team permissions: staff send only from their assigned profiles', () => {
  it('refuses mail.send from an unassigned profile with FORBIDDEN and queues nothing; the assigned one queues and reaches PostgreSQL', async () => {
    const { db, a, b, desk, boss } = await setup()
    // Right after joining, before any further sync: the assignments came with the join.
    const refused = await b.err('mail.send', mail(boss.id))
    expect(refused).toEqual({ code: 'FORBIDDEN', message: FORBIDDEN_WORDS('boss@perm.test'), field: 'profileId' })
    expect(outboxRows(b)).toEqual([])
    expect(queuedOps(b)).toEqual([])
    // A draft written from it is kept (the words are the person's), but sending it is refused too.
    const draft = await b.ok('drafts.save', { profileId: boss.id, to: ['zoe@client.test'], subject: 'Draft', html: '<p>Kept</p>' })
    expect(await b.err('drafts.send', { draftId: draft.id })).toMatchObject({ code: 'FORBIDDEN', field: 'profileId' })
    expect((await b.ok('drafts.get', { id: draft.id })).html).toContain('Kept')
    expect(outboxRows(b)).toEqual([])

    const ok = await b.ok('mail.send', mail(desk.id))
    expect(ok.status).toBe('queued')
    expect(outboxRows(b)).toEqual([expect.objectContaining({ id: ok.id, profileId: desk.id, status: 'queued' })])
    expect(queuedOps(b).map((o) => o.kind)).toEqual(['insert'])
    expect(await b.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0 })
    expect(await sharedOutboxProfiles(db.url)).toEqual([desk.id])

    // The admin may send from either; their desktop and their push are unaffected.
    await a.ok('mail.send', mail(boss.id, 'From the owner'))
    expect(await a.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0 })
    expect(await sharedOutboxProfiles(db.url)).toEqual([desk.id, boss.id])
  })

  it('refuses the other ways a person queues mail: communications.send by email, a sequence through an unassigned sender’s mailbox, starting a flow', async () => {
    const { b, object, boss, desk, ann, bossBox, deskBox } = await setup()
    const steps = [{ subject: 'Hello', bodyHtml: '<p>Hello</p>', wait: { value: 0, unit: 'days' as const } }]
    expect(await b.err('sequences.create', { name: 'Follow-up', objectId: object.id, steps, mailboxIds: [deskBox.id, bossBox.id] })).toMatchObject({
      code: 'FORBIDDEN',
      field: 'mailboxIds.1',
      message: FORBIDDEN_WORDS('boss@perm.test'),
    })
    expect(await b.ok('sequences.list', {})).toEqual([])
    await b.ok('sequences.create', { name: 'Follow-up', objectId: object.id, steps, mailboxIds: [deskBox.id] })
    expect(await b.err('communications.send', { contactId: ann.id, urgency: 'normal', channels: ['email'], email: { subject: 'Hi', html: '<p>Hi</p>', profileId: boss.id } })).toMatchObject({
      code: 'FORBIDDEN',
      field: 'email.profileId',
    })
    expect(outboxRows(b)).toEqual([])
    const flow = await b.ok('flows.create', { name: 'Offer', objectId: object.id, trigger: { type: 'manual' }, graph: offerGraph(boss.id) })
    expect(await b.err('flows.activate', { id: flow.id })).toMatchObject({ code: 'FORBIDDEN', field: 'graph.nodes.offer', message: FORBIDDEN_WORDS('boss@perm.test') })
    expect((await b.ok('flows.get', { id: flow.id })).status).toBe('draft')
    await b.ok('flows.update', { id: flow.id, graph: offerGraph(desk.id) })
    expect((await b.ok('flows.activate', { id: flow.id })).status).toBe('active')
  })

  it('refuses enrolling contacts (by hand or with an import) in an admin’s sequence through an unassigned sender, and resuming an admin’s flow that sends as one', async () => {
    const { a, b, object, boss, ann, bossBox } = await setup()
    const steps = [{ subject: 'Hello', bodyHtml: '<p>Hello</p>', wait: { value: 1, unit: 'days' as const } }]
    const seq = await a.ok('sequences.create', { name: 'Owner follow-up', objectId: object.id, steps, mailboxIds: [bossBox.id] })
    const flow = await a.ok('flows.create', { name: 'Owner offer', objectId: object.id, trigger: { type: 'manual' }, graph: offerGraph(boss.id) })
    await a.ok('flows.activate', { id: flow.id })
    await a.ok('flows.pause', { id: flow.id })
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    expect(await b.err('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })).toEqual({ code: 'FORBIDDEN', field: 'sequenceId', message: FORBIDDEN_WORDS('boss@perm.test') })
    expect(await b.err('contacts.import', { csv: 'email\nnew.person@client.test', objectId: object.id, tagIds: [], sequenceId: seq.id })).toMatchObject({ code: 'FORBIDDEN', field: 'sequenceId' })
    expect((await b.ok('contacts.list', { query: 'new.person' })).items).toEqual([]) // the refused import wrote nothing
    expect(await b.err('flows.resume', { id: flow.id })).toEqual({ code: 'FORBIDDEN', field: 'graph.nodes.offer', message: FORBIDDEN_WORDS('boss@perm.test') })
    expect((await b.ok('flows.get', { id: flow.id })).status).toBe('paused')
    expect((await b.ok('sequences.get', { id: seq.id })).counts).toEqual({})
    // The admin may do both.
    expect(await a.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })).toMatchObject({ enrolled: 1 })
    expect((await a.ok('flows.resume', { id: flow.id })).status).toBe('active')
  })

  it('refuses a reply from the mailbox’s own (unassigned) sender and a bulk send from it; a reply from an assigned one goes', async () => {
    const { b, object, boss, desk, bossBox } = await setup()
    // Mail that arrived on this desktop in the owner's mailbox (the inbox is each desktop's own).
    const s = storeCtx(b)
    storeMessages(s.ctx, inboxRef(bossBox.id), [msg({ uid: 1, messageId: '<q@client.test>', subject: 'Booking', from: addr('ann@client.test', 'Ann'), to: [addr('boss@perm.test')] })])
    const messageId = (s.ctx.sqlite.prepare('SELECT id FROM messages WHERE uid = 1').get() as { id: number }).id
    // The default sender of a reply is the mailbox's own profile: not this staff member's.
    expect(await b.err('messages.reply', { messageId, mode: 'reply', html: '<p>Thanks</p>' })).toMatchObject({ code: 'FORBIDDEN', field: 'profileId', message: FORBIDDEN_WORDS('boss@perm.test') })
    expect(outboxRows(b)).toEqual([])
    const reply = await b.ok('messages.reply', { messageId, mode: 'reply', html: '<p>Thanks</p>', profileId: desk.id })
    expect(reply).toMatchObject({ profileId: desk.id, subject: 'Re: Booking', to: ['ann@client.test'] })

    const tpl = await b.ok('templates.create', { objectId: object.id, name: 'News', subject: 'News', html: '<p>News</p>' })
    expect(await b.err('mail.sendMany', { profileId: boss.id, templateId: tpl.id, recipients: [{ email: 'zoe@client.test' }], idempotencyKey: 'news-1' })).toMatchObject({ code: 'FORBIDDEN', field: 'profileId' })
    expect(outboxRows(b).map((r) => r.id)).toEqual([reply.id])
  })

  it('refuses a retry of a message from an unassigned sender (it would send it again), and retries one from an assigned sender', async () => {
    const { a, b, boss, desk } = await setup()
    const fromBoss = await a.ok('mail.send', mail(boss.id, 'From the owner'))
    const fromDesk = await a.ok('mail.send', mail(desk.id, 'From the desk'))
    for (const m of [fromBoss, fromDesk]) await a.ok('outbox.cancel', { id: m.id })
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    expect((await b.ok('outbox.get', { id: fromBoss.id })).status).toBe('cancelled')
    expect(await b.err('outbox.retry', { id: fromBoss.id })).toEqual({ code: 'FORBIDDEN', field: 'id', message: FORBIDDEN_WORDS('boss@perm.test') })
    expect((await b.ok('outbox.get', { id: fromBoss.id })).status).toBe('cancelled')
    expect((await b.ok('outbox.retry', { id: fromDesk.id })).status).toBe('queued')
    // The admin may retry the owner's message.
    expect((await a.ok('outbox.retry', { id: fromBoss.id })).status).toBe('queued')
  })

  it('tells the composer which senders the person at this desktop may use (staff: the assigned ones; admins: all)', async () => {
    const { a, b, desk, boss } = await setup()
    const mayUse = async (t: TestEngine) => Object.fromEntries((await t.ok('profiles.list', {})).map((p) => [p.email, p.mayUse]))
    expect(await mayUse(b)).toEqual({ 'desk@perm.test': true, 'boss@perm.test': false })
    expect(await mayUse(a)).toEqual({ 'desk@perm.test': true, 'boss@perm.test': true })
    // The staff member at this desktop is offered what the workspace assigned to them, not this desktop's own list.
    const ivy = (await b.ok('users.list', {})).find((u) => u.email === STAFF.email)!
    expect(ivy.profileIds).toEqual([desk.id])
    expect((await b.ok('app.info', {})).currentUserId).toBe(ivy.id)
    await a.ok('team.users.setProfiles', { email: STAFF.email, profileIds: [boss.id] })
    await b.ok('team.sync', {})
    expect(await mayUse(b)).toEqual({ 'desk@perm.test': false, 'boss@perm.test': true })
    expect((await b.ok('users.list', {})).find((u) => u.email === STAFF.email)!.profileIds).toEqual([boss.id])
  })

  it('learns within one sync when an admin assigns a profile (or takes it away)', async () => {
    const { a, b, desk, boss } = await setup()
    expect(await a.ok('team.users.setProfiles', { email: STAFF.email, profileIds: [desk.id, boss.id] })).toEqual({ email: STAFF.email, profileIds: [desk.id, boss.id] })
    // B has not synced: its copy still says no (offline it keeps the last word it had).
    expect((await b.err('mail.send', mail(boss.id))).code).toBe('FORBIDDEN')
    await b.ok('team.sync', {})
    const sent = await b.ok('mail.send', mail(boss.id))
    expect(sent.status).toBe('queued')
    expect(await b.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0 })
    expect(b.events).toContainEqual(expect.objectContaining({ event: 'objects.changed' })) // the composer reloads its senders

    await a.ok('team.users.setProfiles', { email: STAFF.email, profileIds: [desk.id] })
    await b.ok('team.sync', {})
    expect((await b.err('mail.send', mail(boss.id))).code).toBe('FORBIDDEN')
    expect((await b.ok('mail.send', mail(desk.id))).status).toBe('queued')
    // Only an admin chooses who sends from what.
    expect(await b.err('team.users.setProfiles', { email: STAFF.email, profileIds: [boss.id] })).toMatchObject({ code: 'FORBIDDEN' })
  })

  it('a row queued while allowed, whose sender was taken away before the push, stays on that desktop withdrawn and does not block the rest', async () => {
    const { db, a, b, desk, boss, ann } = await setup()
    await a.ok('team.users.setProfiles', { email: STAFF.email, profileIds: [desk.id, boss.id] })
    await b.ok('team.sync', {})
    // B queues from boss while allowed, and edits a contact; it has not pushed when the admin takes boss away.
    const row = await b.ok('mail.send', { ...mail(boss.id, 'Queued while allowed'), sendAt: new Date(b.clock.now() + 3_600_000).toISOString() })
    await b.ok('contacts.update', { id: ann.id, company: 'Ann Co' })
    await a.ok('team.users.setProfiles', { email: STAFF.email, profileIds: [desk.id] })
    // PostgreSQL refuses the row; B sets it aside and pushes the rest instead of stalling offline.
    expect(await b.ok('team.sync', {})).toMatchObject({ state: 'synced', pendingOps: 0, problem: null })
    expect(await b.ok('outbox.get', { id: row.id })).toMatchObject({ status: 'cancelled', statusReason: expect.stringMatching(/no longer send from boss@perm\.test/) })
    expect(await sharedOutboxProfiles(db.url)).toEqual([])
    await a.ok('team.sync', {})
    expect((await a.ok('contacts.get', { id: ann.id })).company).toBe('Ann Co')
    expect(await a.err('outbox.get', { id: row.id })).toMatchObject({ code: 'NOT_FOUND' })
    expect(b.events).toContainEqual(expect.objectContaining({ event: 'outbox.changed', payload: { ids: [row.id] } }))
  })

  it('PostgreSQL refuses an outbox op from an unassigned profile to the staff member’s own role (RLS), accepts an assigned one, and lets an admin', async () => {
    const { db, desk, boss } = await setup()
    const staff = await asMember(db, STAFF)
    const admin = await asMember(db, ADMIN)
    try {
      expect(await pgCode(insertOp(staff, 'outbound_messages', 'insert', { profile_id: boss.id, subject: 'Sneaky' }))).toBe('42501')
      expect(await pgCode(insertOp(staff, 'outbound_messages', 'update', { profile_id: boss.id }))).toBe('42501')
      expect(await pgCode(insertOp(staff, 'outbound_messages', 'insert', { profile_id: desk.id, subject: 'Fine' }))).toBe('accepted')
      // A status change carries no profile (the scheduler's outcome on a row an admin queued); other tables as before.
      expect(await pgCode(insertOp(staff, 'outbound_messages', 'update', { status: 'sent' }))).toBe('accepted')
      expect(await pgCode(insertOp(staff, 'contacts', 'update', { first_name: 'Zoe' }))).toBe('accepted')
      expect(await pgCode(insertOp(admin, 'outbound_messages', 'insert', { profile_id: boss.id, subject: 'Owner' }))).toBe('accepted')
      // Every member still reads every op.
      expect(Number((await staff.query("SELECT count(*) AS n FROM ops WHERE tbl = 'outbound_messages' AND fields ? 'subject'")).rows[0].n)).toBe(2)
    } finally {
      await staff.end()
      await admin.end()
    }
  })

  it('a staff role cannot assign profiles to itself nor make itself an admin', async () => {
    const { db, boss } = await setup()
    const staff = await asMember(db, STAFF)
    try {
      expect(await pgCode(staff.query('INSERT INTO team_user_profiles (email, profile_id) VALUES ($1, $2)', [STAFF.email, boss.id]))).toBe('42501')
      expect(await pgCode(staff.query("UPDATE team_users SET role = 'admin' WHERE email = $1", [STAFF.email]))).toBe('42501')
      expect(await pgCode(staff.query('DELETE FROM team_user_profiles'))).toBe('42501')
      expect(await pgCode(staff.query('ALTER TABLE ops DISABLE ROW LEVEL SECURITY'))).toBe('42501')
    } finally {
      await staff.end()
    }
  })

  it('a second admin adds staff and assigns their senders, as the first one can', async () => {
    const { db, a, desk, boss } = await setup()
    const second = { email: 'hop@example.test', displayName: 'Hop Admin', password: 'hop-team-pw-1' }
    await a.ok('team.users.create', { ...second, role: 'admin', profileIds: [] })
    await a.ok('team.sync', {})
    const c = teamEngine()
    await c.ok('team.join', { databaseUrl: joinUrl(db), email: second.email, password: second.password })
    const third = { email: 'nat@example.test', displayName: 'Nat Staff', password: 'nat-team-pw-1' }
    await c.ok('team.users.create', { ...third, role: 'staff', profileIds: [desk.id] })
    expect(await c.ok('team.users.setProfiles', { email: third.email, profileIds: [desk.id, boss.id] })).toEqual({ email: third.email, profileIds: [desk.id, boss.id].sort((x, y) => x - y) })
    await c.ok('team.sync', {})
    const d = teamEngine()
    await d.ok('team.join', { databaseUrl: joinUrl(db), email: third.email, password: third.password })
    expect(await d.ok('team.status', {})).toMatchObject({ user: { email: third.email, role: 'staff' } })
    expect((await d.ok('profiles.list', {})).filter((p) => p.mayUse).map((p) => p.id).sort()).toEqual([desk.id, boss.id].sort((x, y) => x - y))
    expect((await a.ok('team.users.list', {})).map((u) => u.email).sort()).toEqual([ADMIN.email, second.email, STAFF.email, third.email].sort())
  })
})
