// Issue 22 item 4 for automation: a sequence step and an autoresponder's message are sent once however many
// desktops run their automation at the same moment. Two real engines (two SQLite files), one real PostgreSQL,
// real Postfix and Dovecot: rae sends (and receives the web-form mail), sid receives, tom fills in the form
// (this file's users). Deliveries are counted at sid's Dovecot.
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, smtpTransport, waitFor } from './mail/servers'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, withFile } from './teamSetup'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const rae = MAIL.users.rae
const sid = MAIL.users.sid
const tom = MAIL.users.tom
const smtp = { host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: rae.email, password: rae.password }
const imap = { host: MAIL.host, port: MAIL.ports.imap, secure: 'none' as const, user: rae.email, password: rae.password }

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('rae'), resetMailbox('sid'), resetMailbox('tom')])
}, 600_000)

/** A desktop whose scheduler and automation runner run; `sync` its IMAP sync; `manual` a replicator moved by team.sync. */
const desk = (o: { manual?: boolean; imap?: boolean; run?: boolean } = {}) =>
  freshEngine({
    start: Date.now(),
    team: o.manual ? { manual: true } : { pollMs: 400, localMs: 40, queryTimeoutMs: 5000 },
    outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0, run: o.run ?? true },
    inbound: { run: o.imap ?? false },
    backups: { run: false },
    intake: { run: false },
  })

async function twoDesks(o: { manual?: boolean; imap?: boolean; aRuns?: boolean; setup?: (a: TestEngine, objectId: number, mailboxId: number) => Promise<void> }) {
  const db = await freshDatabase()
  const a = desk({ manual: o.manual, imap: o.imap, run: o.aRuns })
  const object = await a.ok('objects.create', { name: 'Rae Studio', timezone: 'UTC' })
  const mailbox = await a.ok('mailboxes.create', { objectId: object.id, email: rae.email, displayName: 'Rae', dailyCapacity: 10_000, minGapSeconds: 0, smtp, imap: o.imap ? imap : null })
  const profile = await a.ok('profiles.create', { objectId: object.id, email: rae.email, displayName: 'Rae Studio', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await o.setup?.(a, object.id, mailbox.id)
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  await a.ok('team.sync', {})
  const b = desk({ manual: o.manual, imap: o.imap })
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  // The passwords never leave a desktop: B's user types them once.
  await b.ok('mailboxes.update', { id: mailbox.id, smtp, ...(o.imap ? { imap } : {}) })
  return { db, a, b, object, mailbox, profile }
}

/** Subjects at sid's Dovecot, with how many copies of each arrived. */
async function copiesAtSid(prefix: string): Promise<Map<string, number>> {
  const m = new Map<string, number>()
  for (const msg of await fetchMessages('sid')) if (msg.subject.startsWith(prefix)) m.set(msg.subject, (m.get(msg.subject) ?? 0) + 1)
  return m
}

const sentRows = (t: TestEngine, source: string) =>
  withFile(t, (f) => f.prepare("SELECT id, subject FROM outbound_messages WHERE source = ? AND status = 'sent' ORDER BY id").all(source)) as Array<{ id: number; subject: string }>

async function claimRows(dbUrl: string, like: string) {
  const c = new pg.Client({ connectionString: dbUrl })
  await c.connect()
  try {
    return (await c.query<{ tbl: string; device_id: number; state: string }>('SELECT tbl, device_id, state FROM claims WHERE tbl LIKE $1', [like])).rows
  } finally {
    await c.end()
  }
}

describe('team automation: once across desktops', () => {
  it('a sequence made and enrolled on A runs from B (A’s runner is off); then with both runners due at once, every step of every enrolment reaches Dovecot once', async () => {
    const N = 12
    const steps = [
      { subject: 'Seq one {{contact.first_name}}', bodyHtml: '<p>1</p>', wait: { value: 1, unit: 'hours' as const } },
      { subject: 'Seq two {{contact.first_name}}', bodyHtml: '<p>2</p>', wait: { value: 1, unit: 'days' as const } },
    ]
    // First a desktop whose own runner is off: everything A's sequence sends is sent by B.
    const off = await twoDesks({ aRuns: false })
    const seq0 = await off.a.ok('sequences.create', { name: 'From A', objectId: off.object.id, mailboxIds: [off.mailbox.id], steps: [{ subject: 'Solo step {{contact.first_name}}', bodyHtml: '<p>s</p>' }] })
    const c0 = await off.a.ok('contacts.create', { email: 'sid+solo@example.test', firstName: 'Solo', primaryObjectId: off.object.id })
    await off.a.ok('sequences.enroll', { sequenceId: seq0.id, contactIds: [c0.id] })
    await waitFor(() => sentRows(off.b, 'sequence').length === 1, { timeoutMs: 60_000, message: 'B sent the step of A’s sequence' })
    await waitFor(async () => (await copiesAtSid('Solo step')).get('Solo step Solo') === 1, { timeoutMs: 60_000, message: 'at Dovecot' })
    await waitFor(async () => (await off.a.ok('sequences.contacts', { sequenceId: seq0.id })).items[0]?.status === 'completed', { timeoutMs: 30_000, message: 'A sees it completed' })

    // Now both runners run: N enrolments made on A, shared with B before they are due.
    const { db, a, b, object, mailbox } = await twoDesks({})
    const seq = await a.ok('sequences.create', { name: 'Race', objectId: object.id, mailboxIds: [mailbox.id], steps })
    const ids: number[] = []
    for (let i = 0; i < N; i++) ids.push((await a.ok('contacts.create', { email: `sid+r${i}@example.test`, firstName: `R${i}`, primaryObjectId: object.id })).id)
    await a.ok('sequences.enroll', { sequenceId: seq.id, contactIds: ids })
    await waitFor(async () => (await b.ok('sequences.contacts', { sequenceId: seq.id })).total === N && (await a.ok('team.status', {})).pendingOps === 0, { timeoutMs: 30_000, message: 'B has the enrolments' })
    const expected = (n: 'one' | 'two') => ids.map((_, i) => `Seq ${n} R${i}`)
    for (const n of ['one', 'two'] as const) {
      // Due on both at the same moment.
      for (const t of [a, b]) await t.ok('clock.advance', { ms: n === 'one' ? HOUR : DAY })
      for (const t of [a, b]) t.engine.automation.wake()
      const got = await waitFor(async () => {
        const m = await copiesAtSid(`Seq ${n}`)
        return expected(n).every((s) => m.has(s)) ? m : undefined
      }, { timeoutMs: 120_000, intervalMs: 300, message: `every step ${n} at Dovecot` })
      expect([...got.entries()].filter(([, k]) => k > 1)).toEqual([])
      expect(expected(n).map((s) => got.get(s))).toEqual(expected(n).map(() => 1))
      // A message reaches Dovecot before its desktop records the server's answer, and that record schedules the
      // next step (sent + its wait, on the engine's clock): the clock moves on only once both desktops have every
      // step recorded sent, or a step recorded after the advance would fall due a day after the test's clock.
      const sentSoFar = (n === 'one' ? 1 : 2) * N
      await waitFor(async () => sentRows(a, 'sequence').length === sentSoFar && sentRows(b, 'sequence').length === sentSoFar && (await a.ok('team.status', {})).pendingOps === 0 && (await b.ok('team.status', {})).pendingOps === 0, { timeoutMs: 30_000, message: `both desktops record every step ${n} sent` })
    }
    // Both desktops end with the same enrolments, one outbox row per step, all sent (the loop's last wait saw
    // every row sent on both, nothing left to push).
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    expect((await a.ok('sequences.contacts', { sequenceId: seq.id })).items.map((c) => c.status)).toEqual(ids.map(() => 'completed'))
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
    const claims = await claimRows(db.url, 'seq:%')
    expect(claims).toHaveLength(2 * N)
    expect(claims.every((c) => c.state === 'pinned')).toBe(true)
  }, 400_000)

  it('a web-form mail both desktops sync makes one contact and one autoresponder message of each kind at Dovecot', async () => {
    const { a, b, mailbox } = await twoDesks({
      manual: true,
      imap: true,
      setup: async (a, objectId) => {
        const tag = await a.ok('tags.create', { name: 'Web lead' })
        await a.ok('intake.rules.create', { objectId, name: 'Site form', fromMatch: tom.email, subjectMatch: 'Website form', tagIds: [tag.id] })
        await a.ok('autoresponders.create', { name: 'Welcome', objectId, trigger: { type: 'CONTACT_CREATED' }, actions: [{ subject: 'AR welcome {{contact.first_name}}', bodyHtml: '<p>Welcome</p>' }] })
        await a.ok('autoresponders.create', { name: 'Thanks', objectId, trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'AR thanks {{contact.first_name}}', bodyHtml: '<p>Thanks</p>' }] })
      },
    })
    await b.ok('team.sync', {})
    expect(await b.ok('autoresponders.list', {})).toHaveLength(2)
    // tom's form lands in rae's inbox; both desktops sync it before either has heard of the other's contact.
    const mailer = smtpTransport('tom')
    await mailer.sendMail({ from: tom.email, to: rae.email, subject: 'Website form: new enquiry', text: ['Name: Sid Form', `Email: sid+form@example.test`, 'Message: hello'].join('\n') })
    mailer.close()
    const contactOn = async (t: TestEngine) => (await t.ok('contacts.list', { query: 'sid+form@example.test' })).items
    for (const t of [a, b]) {
      await waitFor(async () => {
        await t.engine.inbound.sync.syncNow(mailbox.id)
        return (await contactOn(t)).length === 1
      }, { timeoutMs: 60_000, intervalMs: 500, message: 'the form became a contact' })
    }
    const [ca] = await contactOn(a)
    const [cb] = await contactOn(b)
    expect(ca!.id).not.toBe(cb!.id) // made apart
    // Each desktop asked for the two firings' claims; one desktop fires each, the other drops its own.
    const pending = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT count(*) AS n FROM team_pending_firings').get() as { n: number }).n
    // A won claim is used once its desktop has pulled what PostgreSQL had when it was won (stepClaims.ts): these
    // desktops replicate by hand, so they sync while they wait.
    await waitFor(
      async () => {
        for (const t of [a, b]) await t.ok('team.sync', {})
        return pending(a) === 0 && pending(b) === 0
      },
      { timeoutMs: 30_000, intervalMs: 100, message: 'every waiting firing fired or dropped' },
    )
    const got = await waitFor(async () => {
      const m = await copiesAtSid('AR ')
      return m.has('AR welcome Sid') && m.has('AR thanks Sid') ? m : undefined
    }, { timeoutMs: 60_000, intervalMs: 300, message: 'both autoresponder messages at Dovecot' })
    // Now they meet: one contact (the two copies merged), one execution and one sent message per autoresponder.
    // A message can reach Dovecot before its desktop has recorded the server's answer (the scheduler's next turn),
    // so they sync until both desktops see both rows sent.
    const sentSubjects = (t: TestEngine) => sentRows(t, 'autoresponder').map((r) => r.subject).sort()
    await waitFor(
      async () => {
        for (const t of [a, b]) await t.ok('team.sync', {})
        return [a, b].every((t) => sentSubjects(t).length === 2)
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'both desktops see both sent' },
    )
    for (const t of [a, b]) await t.ok('team.sync', {})
    for (const t of [a, b]) {
      expect(await contactOn(t)).toHaveLength(1)
      const ex = withFile(t, (f) => f.prepare("SELECT e.status FROM autoresponder_executions e JOIN contacts c ON c.id = e.contact_id WHERE c.email = 'sid+form@example.test'").pluck().all())
      expect(ex).toHaveLength(2)
      expect(sentSubjects(t)).toEqual(['AR thanks Sid', 'AR welcome Sid'])
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
    // Nothing arrived late: still one of each.
    expect([...(await copiesAtSid('AR ')).entries()].sort()).toEqual([...got.entries()].sort())
    expect([...got.values()]).toEqual([1, 1])
  }, 300_000)
})
