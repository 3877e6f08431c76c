// Issue 22 (team-seq): sequences and autoresponders replicate, and a due step is done by one desktop. Real
// PostgreSQL; the replicators move ops only on team.sync, so "offline" is "not synced" and each test orders the
// pushes itself; the runners turn only when a test calls runDue (outbound.run false), so both can be due at once.
// No mail server: nothing here sends (test/teamAutomation.test.ts counts deliveries at Dovecot).
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'
import { waitFor } from './support/waitFor'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, pgPort, pgProxy, teamEngine, withFile } from './teamSetup'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const SMTP = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'desk@shop.test', password: 'desk-secret-pw' }

async function twoDesks(opts: { contacts?: number; leaseMs?: number; bPort?: number } = {}) {
  const db = await freshDatabase()
  const team = { manual: true, stepClaims: { leaseMs: opts.leaseMs } }
  const a = teamEngine(team)
  const shop = await a.ok('objects.create', { name: 'Shop', timezone: 'UTC' })
  const mailbox = await a.ok('mailboxes.create', { objectId: shop.id, email: SMTP.user, displayName: 'Desk', minGapSeconds: 0, dailyCapacity: 10_000, smtp: SMTP, imap: null })
  const profile = await a.ok('profiles.create', { objectId: shop.id, email: SMTP.user, displayName: 'Desk', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const seq = await a.ok('sequences.create', {
    name: 'Onboarding',
    objectId: shop.id,
    mailboxIds: [mailbox.id],
    steps: [
      { subject: 'One {{contact.first_name}}', bodyHtml: '<p>1</p>', wait: { value: 1, unit: 'hours' } },
      { subject: 'Two {{contact.first_name}}', bodyHtml: '<p>2</p>', wait: { value: 1, unit: 'days' } },
    ],
  })
  const ids: number[] = []
  for (let i = 0; i < (opts.contacts ?? 0); i++) ids.push((await a.ok('contacts.create', { email: `c${i}@client.test`, firstName: `C${i}`, primaryObjectId: shop.id })).id)
  if (ids.length) await a.ok('sequences.enroll', { sequenceId: seq.id, contactIds: ids })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  await a.ok('team.sync', {})
  const b = teamEngine(team)
  await b.ok('team.join', { databaseUrl: joinUrl(db, opts.bPort), email: STAFF.email, password: STAFF.password })
  return { db, a, b, shop, mailbox, profile, seq, ids }
}

const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) expect(await t.ok('team.sync', {})).toMatchObject({ pendingOps: 0 })
}

/** The enrolments whose step `position` this desktop turned into an outbox row. */
const stepsMadeOn = (t: TestEngine, position: number) =>
  new Set(withFile(t, (f) => f.prepare('SELECT sequence_contact_id AS sc FROM sequence_messages WHERE step_position = ?').pluck().all(position)) as number[])

async function stepClaims(dbUrl: string) {
  const c = new pg.Client({ connectionString: dbUrl })
  await c.connect()
  try {
    return (await c.query<{ tbl: string; row_id: string; device_id: number; state: string }>("SELECT tbl, row_id, device_id, state FROM claims WHERE tbl LIKE 'seq:%' ORDER BY row_id, tbl")).rows
  } finally {
    await c.end()
  }
}

describe('team sequences', () => {
  it('both runners due at once: each enrolment’s step is done by one desktop; one that did it and has not pushed is never redone, lease or not', async () => {
    // 90 s in all: its wait for every first step alone may use 30 s on a loaded CI machine.
    // A lease of 50 ms: a step's claim is pinned to its winner, so even a lease long run out hands nothing over.
    const N = 20
    const { db, a, b, seq } = await twoDesks({ contacts: N, leaseMs: 50 })
    expect((await b.ok('sequences.get', { id: seq.id })).steps.map((s) => s.subject)).toEqual(['One {{contact.first_name}}', 'Two {{contact.first_name}}'])
    for (const t of [a, b]) await t.ok('clock.advance', { ms: HOUR })
    // Both runners turn again and again; each claims in the background and does what it won.
    await waitFor(
      () => {
        a.engine.automation.runDue()
        b.engine.automation.runDue()
        return stepsMadeOn(a, 1).size + stepsMadeOn(b, 1).size === N
      },
      { timeoutMs: 30_000, intervalMs: 20, message: 'every step 1 made on one desktop or the other' },
    )
    const onA = stepsMadeOn(a, 1)
    const onB = stepsMadeOn(b, 1)
    expect([...onA].filter((id) => onB.has(id))).toEqual([])
    // Neither has pushed: each still shows the other's steps due. Days pass on B; its runner keeps turning.
    await b.ok('clock.advance', { ms: 2 * HOUR })
    for (let i = 0; i < 20; i++) {
      b.engine.automation.runDue()
      await b.engine.team.claimsSettled()
    }
    expect(stepsMadeOn(b, 1)).toEqual(onB)
    const claims = await stepClaims(db.url)
    expect(claims).toHaveLength(N)
    expect(claims.every((c) => c.state === 'pinned' && c.tbl.startsWith('seq:1:'))).toBe(true)
    // Now both push and pull: every desktop has each step's one outbox row, and the two agree.
    await sync(a, b, a)
    for (const t of [a, b]) {
      expect(stepsMadeOn(t, 1).size).toBe(N)
      const rows = withFile(t, (f) => f.prepare("SELECT count(*) AS n FROM outbound_messages WHERE source = 'sequence'").get()) as { n: number }
      expect(rows.n).toBe(N)
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  }, 90_000)

  it('an enrolment made here and not pushed is this desktop’s alone: it goes while PostgreSQL is unknown, and no claim is asked', async () => {
    const { db, a, b, seq, shop } = await twoDesks()
    const cid = (await b.ok('contacts.create', { email: 'solo@client.test', firstName: 'Solo', primaryObjectId: shop.id })).id
    await b.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [cid] })
    await b.ok('clock.advance', { ms: HOUR })
    expect(b.engine.automation.runDue()).toBeGreaterThan(0)
    expect(stepsMadeOn(b, 1).size).toBe(1)
    expect(await stepClaims(db.url)).toEqual([])
    await sync(b, a)
    expect(stepsMadeOn(a, 1).size).toBe(1)
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  })

  it('offline edits of one sequence on both desktops converge to one step per position; a reply seen on both is recorded once and stops the enrolment on both', async () => {
    const { a, b, seq, ids, shop } = await twoDesks({ contacts: 1 })
    const ar = await a.ok('autoresponders.create', { name: 'Hello', objectId: shop.id, trigger: { type: 'CONTACT_CREATED' }, actions: [{ subject: 'H1', bodyHtml: '<p>h</p>' }] })
    await sync(a, b)
    // Apart: A renames the sequence and rewrites its steps; B rewrites them differently. Both rewrite the autoresponder's actions.
    await a.ok('sequences.update', { id: seq.id, name: 'Onboarding (A)', steps: [{ subject: 'A1', bodyHtml: '<p>a1</p>' }, { subject: 'A2', bodyHtml: '<p>a2</p>' }, { subject: 'A3', bodyHtml: '<p>a3</p>' }] })
    await b.ok('sequences.update', { id: seq.id, steps: [{ subject: 'B1', bodyHtml: '<p>b1</p>' }, { subject: 'B2', bodyHtml: '<p>b2</p>' }] })
    await a.ok('autoresponders.update', { id: ar.id, actions: [{ subject: 'HA1', bodyHtml: '<p>a</p>' }] })
    await b.ok('autoresponders.update', { id: ar.id, actions: [{ subject: 'HB1', bodyHtml: '<p>b</p>' }, { subject: 'HB2', bodyHtml: '<p>b</p>' }] })
    await sync(a, b, a, b)
    // One action per position, not both sets: A's first (pushed first), B's second.
    for (const t of [a, b]) expect((await t.ok('autoresponders.list', {}))[0]!.actions.map((x) => x.subject)).toEqual(['HA1', 'HB2'])
    const onA = await a.ok('sequences.get', { id: seq.id })
    expect(onA.name).toBe('Onboarding (A)')
    // A pushed first: its steps stand at positions 1 and 2, B's copies are aliases of them; A's third stays.
    expect(onA.steps.map((s) => s.subject)).toEqual(['A1', 'A2', 'A3'])
    expect(await b.ok('sequences.get', { id: seq.id })).toEqual(onA)
    expect(canonicalDump(b)).toEqual(canonicalDump(a))

    // Step 1 goes out (made on A, where the enrolment's due step is claimed); both desktops then see the reply.
    await a.ok('clock.advance', { ms: HOUR })
    await waitFor(() => (a.engine.automation.runDue(), stepsMadeOn(a, 1).size === 1), { timeoutMs: 10_000, intervalMs: 20 })
    await sync(a, b)
    const outId = withFile(a, (f) => f.prepare("SELECT id FROM outbound_messages WHERE source = 'sequence'").pluck().get()) as number
    for (const t of [a, b]) {
      // What the inbound store does with a reply: the event keyed by its provider id, then the hook that stops the sequence.
      withFile(t, (f) => f.prepare("INSERT OR IGNORE INTO message_events (outbound_id, type, detail, provider_event_id, at) VALUES (?, 'replied', 'message 1', ?, 1)").run(outId, `replied:${outId}`))
      t.engine.hooks.emit('outbound.replied', { outboundId: outId, contactId: ids[0], messageId: 1 })
    }
    await sync(a, b, a)
    for (const t of [a, b]) {
      const replied = withFile(t, (f) => f.prepare("SELECT provider_event_id AS p FROM message_events WHERE outbound_id = ? AND type = 'replied'").all(outId)) as Array<{ p: string | null }>
      expect(replied).toEqual([{ p: `replied:${outId}` }])
      expect((await t.ok('sequences.contacts', { sequenceId: seq.id, limit: 10 })).items.map((c) => c.status)).toEqual(['replied'])
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  })

  it('a date trigger due on both desktops fires once: one wins the firing’s claim, the other drops its own; leaving stops the shared enrolments here', async () => {
    const { db, a, b, seq, shop, ids } = await twoDesks({ contacts: 3 })
    const ar = await a.ok('autoresponders.create', { name: 'Day one', objectId: shop.id, trigger: { type: 'DATE_BASED', field: 'createdAt', offsetDays: 1 }, actions: [{ subject: 'A day with us', bodyHtml: '<p>1</p>' }] })
    await sync(a, b)
    for (const t of [a, b]) await t.ok('clock.advance', { ms: DAY })
    const pending = (t: TestEngine) => (withFile(t, (f) => f.prepare('SELECT count(*) AS n FROM team_pending_firings').get()) as { n: number }).n
    await waitFor(
      () => {
        a.engine.automation.runDue()
        b.engine.automation.runDue()
        return pending(a) === 0 && pending(b) === 0
      },
      { timeoutMs: 20_000, intervalMs: 20, message: 'every firing fired here or dropped' },
    )
    const execs = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT contact_id FROM autoresponder_executions WHERE autoresponder_id = ?').pluck().all(ar.id)) as number[]
    expect([...execs(a), ...execs(b)].sort()).toEqual([...ids].sort())
    await sync(a, b, a)
    for (const t of [a, b]) expect(execs(t).sort()).toEqual([...ids].sort())
    const c = new pg.Client({ connectionString: db.url })
    await c.connect()
    expect((await c.query("SELECT count(*)::int AS n FROM claims WHERE tbl LIKE 'ar:%' AND state = 'pinned'")).rows[0].n).toBe(3)
    await c.end()

    // B leaves: the enrolments the workspace shares stop here (A runs them), with the reason.
    expect(await b.ok('team.leave', {})).toMatchObject({ keptHere: 0 })
    expect((await b.ok('sequences.contacts', { sequenceId: seq.id })).items.map((x) => [x.status, x.lastError])).toEqual(ids.map(() => ['paused', 'Left the workspace: its other desktops run this sequence']))
    expect((await a.ok('sequences.contacts', { sequenceId: seq.id })).items.map((x) => x.status)).toEqual(ids.map(() => 'active'))
  })

  it('a desktop that won steps and closed before doing them takes them back when it opens again; meanwhile nobody else does them', async () => {
    const { db, a, b } = await twoDesks({ contacts: 4 })
    await a.ok('clock.advance', { ms: HOUR })
    // One turn: A asks for the four due steps' claims in the background and wins them, then closes before its next turn.
    a.engine.automation.runDue()
    await waitFor(async () => (await stepClaims(db.url)).length === 4, { timeoutMs: 10_000, intervalMs: 20, message: 'A won the claims' })
    expect(stepsMadeOn(a, 1).size).toBe(0)
    await a.engine.close()
    await b.ok('clock.advance', { ms: DAY })
    for (let i = 0; i < 10; i++) {
      b.engine.automation.runDue()
      await b.engine.team.claimsSettled()
    }
    expect(stepsMadeOn(b, 1).size).toBe(0)
    // A opens again on its file: its SQLite still shows the steps due (nothing was committed), and the claims are its own.
    const again = freshEngine({ dataDir: a.dataDir, team: { manual: true }, outbound: { run: false }, inbound: { run: false }, backups: { run: false }, intake: { run: false } })
    await again.ok('clock.advance', { ms: HOUR })
    await waitFor(() => (again.engine.automation.runDue(), stepsMadeOn(again, 1).size === 4), { timeoutMs: 10_000, intervalMs: 20, message: 'A did its steps after the restart' })
    await sync(again, b)
    expect(stepsMadeOn(b, 1).size).toBe(4)
    expect(new Set((await stepClaims(db.url)).map((c) => c.device_id)).size).toBe(1)
  })

  it('PostgreSQL unreachable: shared steps and firings wait on that desktop (late beats twice) while the other does them; back online, nothing twice', async () => {
    const proxy = await pgProxy(pgPort())
    const { a, b, ids, shop } = await twoDesks({ contacts: 5, bPort: proxy.port })
    await a.ok('autoresponders.create', { name: 'Tagged', objectId: shop.id, trigger: { type: 'CONTACT_CREATED' }, actions: [{ subject: 'Hi', bodyHtml: '<p>hi</p>' }] })
    await sync(a, b)
    await proxy.close()
    for (const t of [a, b]) await t.ok('clock.advance', { ms: HOUR })
    // B, offline: a contact made here fires its autoresponder only once a claim says so; the shared steps wait.
    const solo = await b.ok('contacts.create', { email: 'offline@client.test', firstName: 'Off', primaryObjectId: shop.id })
    for (let i = 0; i < 10; i++) {
      b.engine.automation.runDue()
      await b.engine.team.claimsSettled()
    }
    expect(stepsMadeOn(b, 1).size).toBe(0)
    expect((withFile(b, (f) => f.prepare('SELECT count(*) AS n FROM team_pending_firings').get()) as { n: number }).n).toBe(1)
    expect((await b.ok('team.status', {})).state).not.toBe('synced')
    // A, online, does every shared step.
    await waitFor(() => (a.engine.automation.runDue(), stepsMadeOn(a, 1).size === ids.length), { timeoutMs: 10_000, intervalMs: 20 })
    await sync(a)
    await proxy.open()
    await waitFor(async () => (await b.call('team.sync', {})).ok, { timeoutMs: 10_000, intervalMs: 100 })
    // Back: B pulled A's steps (none left due here) and fires its own contact's autoresponder once its claim is won.
    await waitFor(() => (b.engine.automation.runDue(), (withFile(b, (f) => f.prepare('SELECT count(*) AS n FROM autoresponder_executions WHERE contact_id = ?').get(solo.id)) as { n: number }).n === 1), {
      timeoutMs: 10_000,
      intervalMs: 20,
      message: 'the firing went once back online',
    })
    expect(stepsMadeOn(b, 1).size).toBe(ids.length)
    await sync(b, a)
    expect(stepsMadeOn(a, 1).size).toBe(ids.length)
    expect(withFile(a, (f) => f.prepare("SELECT count(*) AS n FROM outbound_messages WHERE source = 'sequence'").get())).toEqual({ n: ids.length })
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
    await proxy.close()
  })

  it('a claim won on a stale view waits for the pull: a pause pushed by the other desktop just before is seen, and the step is not done', async () => {
    const { db, a, b, seq } = await twoDesks({ contacts: 2 })
    await b.ok('clock.advance', { ms: HOUR })
    // A pauses the sequence and pushes; B has not pulled yet when its runner finds the steps due.
    await a.ok('sequences.pause', { id: seq.id })
    await sync(a)
    b.engine.automation.runDue()
    await waitFor(async () => (await stepClaims(db.url)).length === 2, { timeoutMs: 10_000, intervalMs: 20, message: 'B won both claims' })
    for (let i = 0; i < 10; i++) {
      b.engine.automation.runDue()
      await b.engine.team.claimsSettled()
    }
    expect(stepsMadeOn(b, 1).size).toBe(0)
    // Pulled: paused here too, nothing due, nothing done.
    await sync(b)
    expect(b.engine.automation.runDue()).toBe(0)
    expect((await b.ok('sequences.get', { id: seq.id })).status).toBe('paused')
    expect(stepsMadeOn(b, 1).size).toBe(0)
  })
})
