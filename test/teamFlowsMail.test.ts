// Issue 22 item 4 for flows, against real PostgreSQL, Postfix and Dovecot: two engines on one workspace, both
// automation runners and both outbox schedulers running, leads whose wait ends at the same moment on both desktops.
// Each lead's email must reach Dovecot exactly once (counted by subject in the recipient's mailbox). This file's
// users: ulf sends, vic receives (each lead is a plus-address of vic: its own contact, the same mailbox).
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, waitFor } from './mail/servers'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, stepClaimsLike, withFile } from './teamSetup'

const HOUR = 3_600_000
const ulf = MAIL.users.ulf
const vic = MAIL.users.vic
const smtp = { host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: ulf.email, password: ulf.password }
const run = Math.random().toString(36).slice(2, 8)
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } }) as never

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('ulf'), resetMailbox('vic')])
}, 600_000)

/** A desktop whose runner, scheduler and replicator all run by themselves (on its own test clock). */
const desk = () =>
  freshEngine({
    team: { pollMs: 400, localMs: 40 },
    outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0 },
    inbound: { run: false },
    backups: { run: false },
    intake: { run: false },
  })

async function twoDesks() {
  const db = await freshDatabase()
  const a = desk()
  const object = await a.ok('objects.create', { name: 'Ulf Studio', postalAddress: '4 Quay Street, Springfield', timezone: 'Europe/London' })
  const mailbox = await a.ok('mailboxes.create', { objectId: object.id, email: ulf.email, displayName: 'Ulf', dailyCapacity: 10_000, minGapSeconds: 0, smtp, imap: null })
  const profile = await a.ok('profiles.create', { objectId: object.id, email: ulf.email, displayName: 'Ulf Studio', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  await a.ok('team.sync', {})
  const b = desk()
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  // The mailbox arrived without its password (it never leaves a desktop): B's user types it once.
  await b.ok('mailboxes.update', { id: mailbox.id, smtp })
  return { db, a, b, object }
}

const leadsOf = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT id, status, current_node AS node, step_no AS stepNo FROM flow_leads ORDER BY id').all()) as Array<{ id: number; status: string; node: string; stepNo: number }>
const sentRows = (t: TestEngine) => withFile(t, (f) => f.prepare("SELECT count(*) AS n FROM outbound_messages WHERE status = 'sent'").get() as { n: number }).n

describe('team flows: once across desktops, at Dovecot', () => {
  it('12 leads whose wait ends at once on both desktops each get their email exactly once; both desktops agree', async () => {
    const { db, a, b, object } = await twoDesks()
    const N = 12
    const contactIds: number[] = []
    for (let i = 0; i < N; i++) contactIds.push((await a.ok('contacts.create', { email: vic.email.replace('@', `+${run}${i}@`), firstName: `V${i}`, primaryObjectId: object.id })).id)
    const flow = await a.ok('flows.create', {
      name: 'Hello in an hour',
      objectId: object.id,
      trigger: { type: 'manual' },
      graph: {
        nodes: [node('start', 'start'), node('hour', 'wait', { duration: { value: 1, unit: 'hours' } }), node('hello', 'sendEmail', { subject: `Hello ${run} {{contact.first_name}}`, html: '<p>Hello</p>' }), node('end', 'end')],
        edges: [
          { from: 'start', to: 'hour' },
          { from: 'hour', to: 'hello' },
          { from: 'hello', to: 'end' },
        ],
      } as never,
    })
    await a.ok('flows.activate', { id: flow.id })
    expect(await a.ok('flows.enroll', { flowId: flow.id, contactIds })).toMatchObject({ enrolled: N })
    // A's runner moves its new leads to the wait (or, when A pushed them first, whichever desktop wins each first
    // step does); both desktops then hold all N leads, waiting.
    const waiting = (t: TestEngine) => leadsOf(t).filter((l) => l.status === 'waiting' && l.node === 'hour').length === N
    await waitFor(() => waiting(a) && waiting(b), { timeoutMs: 30_000, message: 'both desktops have the waiting leads' })
    expect(leadsOf(b)).toEqual(leadsOf(a))

    // The wait ends on both at the same moment (both test clocks move in one synchronous step), and both runners
    // and schedulers look on the same turn of the event loop.
    for (const t of [a, b]) t.clock.advance(HOUR)
    for (const t of [a, b]) (t.engine.automation.wake(), t.engine.outbound.scheduler.wake())
    await waitFor(() => [a, b].every((t) => leadsOf(t).every((l) => l.status === 'completed') && sentRows(t) === N), {
      timeoutMs: 120_000,
      intervalMs: 200,
      message: 'every lead completed and its email sent, as seen by both desktops',
    })
    const got = await waitFor(async () => {
      const m = (await fetchMessages('vic')).filter((x) => x.subject.startsWith(`Hello ${run} `))
      return m.length >= N ? m : undefined
    }, { timeoutMs: 60_000, intervalMs: 300, message: 'all mail at Dovecot' })
    const perSubject = new Map<string, number>()
    for (const m of got) perSubject.set(m.subject, (perSubject.get(m.subject) ?? 0) + 1)
    expect([...perSubject.keys()].sort()).toEqual(contactIds.map((_, i) => `Hello ${run} V${i}`).sort())
    expect([...perSubject.values()].every((n) => n === 1)).toBe(true)
    // One outbox row per lead on each desktop (no desktop queued a second one), the same rows on both.
    for (const t of [a, b]) expect(withFile(t, (f) => f.prepare('SELECT count(*) AS n FROM outbound_messages').get())).toEqual({ n: N })
    await waitFor(async () => (await a.ok('team.status', {})).pendingOps === 0 && (await b.ok('team.status', {})).pendingOps === 0, { timeoutMs: 30_000 })
    await waitFor(() => JSON.stringify(canonicalDump(a)) === JSON.stringify(canonicalDump(b)), { timeoutMs: 30_000, message: 'both desktops converge' })
    expect(await b.ok('flows.stats', { id: flow.id })).toEqual(await a.ok('flows.stats', { id: flow.id }))
    // Each lead's step after the wait went through a claim (the lead was shared by then): one pinned claim per lead
    // for that step. Its first step (start → wait) was A's own if A moved it before pushing it (its push then pinned
    // that step to A), or claimed if the lead reached PostgreSQL first.
    const claims = await stepClaimsLike(db.url, 'flow:%')
    const ids = leadsOf(a).map((l) => l.id)
    expect(claims.filter((c) => c.tbl === 'flow:1').map((c) => Number(c.row_id))).toEqual(ids)
    expect(claims.filter((c) => c.tbl === 'flow:0').map((c) => Number(c.row_id))).toEqual(ids)
    expect(claims.every((c) => c.state === 'pinned')).toBe(true)
    expect(claims).toHaveLength(2 * N)
  }, 240_000)
})
