// Issue 22 (team-seq): sequences and autoresponders replicate, and a due step is done by one desktop. Real
// PostgreSQL; the replicators move ops only on team.sync, so "offline" is "not synced" and each test orders the
// pushes itself; the runners turn only when a test calls runDue (outbound.run false), so both can be due at once.
// No mail server: nothing here sends (test/teamAutomation.test.ts counts deliveries at Dovecot).
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { TestEngine } from './helpers'
import { waitFor } from './support/waitFor'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, teamEngine, withFile } from './teamSetup'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const SMTP = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'desk@shop.test', password: 'desk-secret-pw' }

async function twoDesks(opts: { contacts?: number; leaseMs?: number } = {}) {
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
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
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
      await new Promise((r) => setTimeout(r, 10))
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
  })

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
    const { a, b, seq, ids } = await twoDesks({ contacts: 1 })
    // Apart: A renames it and rewrites its steps; B rewrites them differently and changes the mailboxes' order.
    await a.ok('sequences.update', { id: seq.id, name: 'Onboarding (A)', steps: [{ subject: 'A1', bodyHtml: '<p>a1</p>' }, { subject: 'A2', bodyHtml: '<p>a2</p>' }, { subject: 'A3', bodyHtml: '<p>a3</p>' }] })
    await b.ok('sequences.update', { id: seq.id, steps: [{ subject: 'B1', bodyHtml: '<p>b1</p>' }, { subject: 'B2', bodyHtml: '<p>b2</p>' }] })
    await sync(a, b, a, b)
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
})
