// Issue 22 item 6: PostgreSQL restarted mid-run with nothing lost. Two desktops replicate writes and send from
// one shared SMTP mailbox while their PostgreSQL is stopped cleanly and, later, crashes (immediate shutdown);
// writes made meanwhile are kept and pushed on reconnect, the two converge to the same canonical dump, and
// every message reaches Dovecot exactly once. Restarting the shared cluster would cut every other test's
// connections, so this one runs a private cluster (scripts/pg.sh on a free port under /tmp).
// Also here: a push of an older outbox status never releases a claim its desktop is using (found by the
// SIGKILL test, test/mail/teamKill.test.ts). kit sends, quy receives (this file's users).
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'
import { ensureMailServers, MAIL, messageIds, resetMailbox, waitFor } from './mail/servers'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, pgPort, pgProxy, withFile } from './teamSetup'
import { privateCluster, type PrivateCluster } from './support/pgCluster'
import { SendFailure } from '../src/main/engine/outbound/failure'
import type { Sender } from '../src/main/engine/outbound/transport'

const HOUR = 3_600_000
const kit = MAIL.users.kit
const quy = MAIL.users.quy
const smtp = { host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: kit.email, password: kit.password }

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox('quy')
}, 600_000)

type DeskOptions = { manual?: boolean; sending?: boolean; wrapSender?: (kind: 'smtp' | 'mailgun' | 'twilio', real: Sender) => Sender }
const desk = (o: DeskOptions = {}) =>
  freshEngine({
    team: o.manual ? { manual: true } : { pollMs: 300, localMs: 40, queryTimeoutMs: 2000, connectTimeoutMs: 2000 },
    outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0, run: o.sending ?? true, wrapSender: o.wrapSender },
    inbound: { run: false },
    backups: { run: false },
    intake: { run: false },
  })

/** A on `url` (superuser) makes the business, kit's mailbox and the workspace; B joins as staff and types kit's password. */
async function twoDesks(db: { url: string; name: string; port: number }, minGapSeconds: number, a: TestEngine, b: TestEngine, bPort = db.port) {
  const object = await a.ok('objects.create', { name: 'Kit Studio', timezone: 'Europe/London' })
  const mailbox = await a.ok('mailboxes.create', { objectId: object.id, email: kit.email, displayName: 'Kit', dailyCapacity: 10_000, minGapSeconds, smtp, imap: null })
  const profile = await a.ok('profiles.create', { objectId: object.id, email: kit.email, displayName: 'Kit Studio', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  await a.ok('team.sync', {})
  await b.ok('team.join', { databaseUrl: joinUrl(db, bPort), email: STAFF.email, password: STAFF.password })
  await b.ok('mailboxes.update', { id: mailbox.id, smtp })
  return { object, profile }
}

const rowsOf = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT id, message_id AS messageId, status FROM outbound_messages ORDER BY id').all()) as Array<{ id: number; messageId: string; status: string }>
const statusOf = (t: TestEngine, messageId: string) => rowsOf(t).find((r) => r.messageId === messageId)?.status
const sentOn = (t: TestEngine) => new Set(rowsOf(t).filter((r) => r.status === 'sent').map((r) => r.messageId))

async function queue(t: TestEngine, profileId: number, n: number, tag: string, sendAt?: number) {
  const out: string[] = []
  for (let i = 0; i < n; i++)
    out.push((await t.ok('mail.send', { profileId, to: [quy.email], subject: `${tag} ${i}`, html: `<p>${tag} ${i}</p>`, ...(sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}) })).messageId)
  return out
}

/** Each of `ids` with the number of copies at quy's Dovecot, once all of them arrived. */
async function copiesAtDovecot(ids: string[]): Promise<Map<string, number>> {
  return waitFor(async () => {
    const m = new Map<string, number>()
    for (const id of await messageIds('quy')) m.set(id, (m.get(id) ?? 0) + 1)
    return ids.every((id) => m.has(id)) ? m : undefined
  }, { timeoutMs: 60_000, intervalMs: 250, message: 'every message at Dovecot' })
}

async function claimRows(url: string) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query<{ row_id: string; device_id: number; state: string; outcome: string | null; updated_at: Date }>("SELECT row_id, device_id, state, outcome, updated_at FROM claims WHERE tbl = 'outbound_messages' ORDER BY row_id")).rows
  } finally {
    await c.end()
  }
}

describe('team outbox claims', () => {
  it('a push of an older status (a failed attempt) never releases the claim of a row its desktop is sending again', async () => {
    // B's first attempt fails (a dropped connection); its retry is held in flight until the test lets it go.
    let attempts = 0
    let letGo!: () => void
    const held = new Promise<void>((r) => (letGo = r))
    const retryStarted = { on: false }
    const wrapB = (kind: 'smtp' | 'mailgun' | 'twilio', real: Sender): Sender =>
      kind !== 'smtp'
        ? real
        : {
            ...real,
            send: async (row) => {
              if (++attempts === 1) throw new SendFailure('transient', 'Connection reset by the server (test)')
              retryStarted.on = true
              await held
              return real.send(row)
            },
          }
    // Closing B waits for its sends in flight: a failed assertion must not leave the retry held.
    try {
      const db = await freshDatabase()
      const a = desk({ manual: true })
      const b = desk({ manual: true, wrapSender: wrapB })
      const { profile } = await twoDesks(db, 0, a, b)
      // X is due in an hour; Y, A's sentinel, in three (only A's clock goes that far).
      const [x] = await queue(a, profile.id, 1, 'Retry', a.clock.now() + HOUR)
      const [y] = await queue(a, profile.id, 1, 'Sentinel', a.clock.now() + 3 * HOUR)
      await a.ok('team.sync', {})
      await b.ok('team.sync', {})
      // B claims X and its attempt fails: retry_wait, a change B has not pushed yet.
      await b.ok('clock.advance', { ms: HOUR })
      b.engine.outbound.scheduler.wake()
      await waitFor(() => statusOf(b, x) === 'retry_wait', { timeoutMs: 30_000, message: 'the first attempt failed' })
      // The backoff is over: B claims X again (its own lease) and sends it.
      await b.ok('clock.advance', { ms: 30 * 60_000 })
      await waitFor(() => {
        b.engine.outbound.scheduler.wake()
        return retryStarted.on
      }, { timeoutMs: 30_000, intervalMs: 100, message: 'the retry under way' })
      expect(statusOf(b, x)).toBe('sending')
      // Now B pushes the failed attempt; A pulls it and, with its clock past both, asks for X and Y in one round.
      await b.ok('team.sync', {})
      await a.ok('team.sync', {})
      await a.ok('clock.advance', { ms: 3 * HOUR })
      a.engine.outbound.scheduler.wake()
      await waitFor(() => sentOn(a).has(y), { timeoutMs: 30_000, message: 'A sends its sentinel (the round that asked for X too is over)' })
      await a.engine.outbound.scheduler.idle()
      expect(statusOf(a, x)).toBe('retry_wait')
      letGo()
      await waitFor(() => sentOn(b).has(x), { timeoutMs: 30_000, message: 'B’s retry sent' })
      await b.ok('team.sync', {})
      await a.ok('team.sync', {})
      expect(statusOf(a, x)).toBe('sent')
      const got = await copiesAtDovecot([x, y])
      expect([got.get(x), got.get(y)]).toEqual([1, 1])
      expect((await claimRows(db.url)).map((c) => [c.state, c.outcome])).toEqual([['done', 'sent'], ['done', 'sent']])
    } finally {
      letGo()
    }
  }, 120_000)
})

describe('team outbox claims: a late answer', () => {
  it('a claim won by a round whose answer arrives after its desktop pushed the row’s release is not used', async () => {
    // B reaches PostgreSQL through a proxy that can hold back the answers of its newest connection (its claims).
    const proxy = await pgProxy(pgPort())
    let attempts = 0
    const wrapB = (kind: 'smtp' | 'mailgun' | 'twilio', real: Sender): Sender =>
      kind !== 'smtp' ? real : { ...real, send: async (row) => (++attempts === 1 ? Promise.reject(new SendFailure('transient', 'Connection reset by the server (test)')) : real.send(row)) }
    const db = await freshDatabase()
    const a = desk({ manual: true })
    const b = desk({ manual: true, wrapSender: wrapB })
    const { profile } = await twoDesks(db, 0, a, b, proxy.port)
    const [x] = await queue(a, profile.id, 1, 'Late', a.clock.now() + HOUR)
    const [z] = await queue(a, profile.id, 1, 'Beside', a.clock.now() + HOUR + 10 * 60_000)
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    // B claims X (its claims connection opens now, the proxy's newest) and the attempt fails: retry_wait, not pushed.
    await b.ok('clock.advance', { ms: HOUR })
    b.engine.outbound.scheduler.wake()
    await waitFor(() => statusOf(b, x) === 'retry_wait', { timeoutMs: 30_000, message: 'the first attempt failed' })
    const idOf = (m: string) => rowsOf(b).find((r) => r.messageId === m)!.id
    const claimOf = async (m: string) => (await claimRows(db.url)).find((c) => Number(c.row_id) === idOf(m))!
    const bDevice = (await claimOf(x)).device_id
    const before = (await claimOf(x)).updated_at
    let held = true
    const letThrough = proxy.holdReplies()
    const release = () => {
      if (held) letThrough()
      held = false
    }
    try {
      // The backoff is over: B asks for X and Z in one round, which runs in PostgreSQL (both B's now) while its
      // answer waits in the proxy.
      await b.ok('clock.advance', { ms: 30 * 60_000 })
      await waitFor(async () => {
        b.engine.outbound.scheduler.wake()
        const [cx, cz] = [await claimOf(x), await claimOf(z)]
        return cz.device_id === bDevice && cz.state === 'leased' && cx.updated_at.getTime() > before.getTime()
      }, { timeoutMs: 30_000, intervalMs: 100, message: 'B’s round ran in PostgreSQL' })
      // Meanwhile B pushes the failed attempt, which gives X back; A takes X and sends it.
      await b.ok('team.sync', {})
      expect((await claimOf(x)).state).toBe('released')
      await a.ok('team.sync', {})
      await a.ok('clock.advance', { ms: 3 * HOUR })
      a.engine.outbound.scheduler.wake()
      await waitFor(() => {
        a.engine.outbound.scheduler.wake()
        return sentOn(a).has(x)
      }, { timeoutMs: 30_000, intervalMs: 250, message: 'A sends X' })
      // The round's answer reaches B at last: Z is B's to send, X no longer.
      release()
      await waitFor(() => sentOn(b).has(z), { timeoutMs: 30_000, message: 'B sends Z, won in the same round' })
      await b.engine.outbound.scheduler.idle()
      expect(statusOf(b, x)).toBe('retry_wait')
    } finally {
      release()
    }
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    await a.ok('team.sync', {})
    expect([statusOf(a, x), statusOf(b, x), statusOf(a, z), statusOf(b, z)]).toEqual(['sent', 'sent', 'sent', 'sent'])
    const got = await copiesAtDovecot([x, z])
    expect([got.get(x), got.get(z)]).toEqual([1, 1])
  }, 120_000)
})

describe('PostgreSQL restarted mid-run', () => {
  let cluster: PrivateCluster
  beforeAll(async () => {
    cluster = await privateCluster()
  }, 180_000)
  afterAll(() => cluster?.remove())

  it('writes made while it is down are kept and pushed, both desktops converge, nothing is sent twice and nothing is lost', async () => {
    const admin = new pg.Client({ connectionString: cluster.url })
    await admin.connect()
    await admin.query('CREATE DATABASE sb')
    await admin.end()
    const url = new URL(cluster.url)
    url.pathname = '/sb'
    const db = { url: url.toString(), name: 'sb', port: cluster.port }
    const a = desk()
    const b = desk()
    // A minute between two messages from one desktop: each clock step lets each desktop send one, so the run
    // is still going when PostgreSQL goes away.
    const { object, profile } = await twoDesks(db, 60, a, b)
    const desks = [a, b]
    const names = ['a', 'b']

    // Every write made through the contract, as it must end up on both desktops.
    const contacts = new Map<string, { firstName: string; lastName: string }>()
    const notes: string[] = []
    const made = new Map<TestEngine, Array<{ id: number; email: string }>>(desks.map((t) => [t, []]))
    let n = 0
    const write = async (t: TestEngine, count = 3) => {
      const who = names[desks.indexOf(t)]
      for (let i = 0; i < count; i++) {
        const email = `w${who}${n++}@restart.test`
        const c = await t.ok('contacts.create', { email, firstName: `F${n}`, primaryObjectId: object.id })
        contacts.set(email, { firstName: `F${n}`, lastName: '' })
        made.get(t)!.push({ id: c.id, email })
        // Each desktop changes only its own contacts, so each field's last value is known here.
        const own = made.get(t)!
        const { id, email: ownEmail } = own[n % own.length]
        await t.ok('contacts.update', { id, lastName: `L${n}` })
        contacts.get(ownEmail)!.lastName = `L${n}`
        const body = `<p>note ${who} ${n}</p>`
        await t.ok('notes.create', { contactId: id, bodyHtml: body })
        notes.push(body)
      }
    }
    const step = async () => {
      for (const t of desks) await t.ok('clock.advance', { ms: 61_000 })
      for (const t of desks) t.engine.outbound.scheduler.wake()
      await Promise.all(desks.map((t) => t.engine.outbound.scheduler.idle()))
    }
    const status = (t: TestEngine) => t.ok('team.status', {})
    const sentAnywhere = () => new Set([...sentOn(a), ...sentOn(b)])

    const ids = [...(await queue(a, profile.id, 8, 'PgA', a.clock.now() + HOUR)), ...(await queue(b, profile.id, 8, 'PgB', b.clock.now() + HOUR))]
    await write(a)
    await write(b)
    await waitFor(async () => rowsOf(a).length === 16 && rowsOf(b).length === 16 && (await status(a)).pendingOps === 0 && (await status(b)).pendingOps === 0, { timeoutMs: 30_000, message: 'both desktops have every row' })
    for (const t of desks) await t.ok('clock.advance', { ms: HOUR })
    await waitFor(async () => {
      await step()
      return sentAnywhere().size >= 2
    }, { timeoutMs: 30_000, intervalMs: 50, message: 'the first messages sent' })

    // 1. A clean stop: PostgreSQL closes every connection and refuses new ones, with shared rows still to send.
    expect(sentAnywhere().size).toBeLessThan(16)
    cluster.stop('fast')
    await write(a)
    await write(b)
    // Messages written now were never shared: each is its desktop's alone, and goes.
    const offline = [...(await queue(a, profile.id, 2, 'OffA')), ...(await queue(b, profile.id, 2, 'OffB'))]
    ids.push(...offline)
    await waitFor(async () => (await status(a)).state === 'offline' && (await status(b)).state === 'offline', { timeoutMs: 30_000, message: 'both show offline' })
    for (let i = 0; i < 3; i++) await step()
    await waitFor(async () => {
      await step()
      return offline.every((m) => sentAnywhere().has(m))
    }, { timeoutMs: 60_000, intervalMs: 50, message: 'the offline messages sent by their desktops' })
    for (const t of desks) expect((await status(t)).pendingOps).toBeGreaterThan(0)
    cluster.start()
    await waitFor(async () => (await status(a)).state !== 'offline' && (await status(b)).state !== 'offline', { timeoutMs: 30_000, message: 'both back online' })
    await step()
    await write(a)
    await write(b)

    // 2. A crash in the middle of pushes: a burst of writes, and PostgreSQL dies without a word (immediate).
    await write(a, 6)
    await write(b, 6)
    const unsent = ids.filter((m) => !sentAnywhere().has(m))
    expect(unsent.length).toBeGreaterThan(0)
    cluster.stop('immediate')
    await write(a)
    await write(b)
    const crashed = [...(await queue(a, profile.id, 2, 'CrashA')), ...(await queue(b, profile.id, 2, 'CrashB'))]
    ids.push(...crashed)
    await step()
    cluster.start()

    // Both converge: every row sent as both see it, nothing waiting, the same canonical dump.
    await waitFor(async () => {
      await step()
      const [sa, sb] = [sentOn(a), sentOn(b)]
      return ids.every((m) => sa.has(m) && sb.has(m)) && (await status(a)).pendingOps === 0 && (await status(b)).pendingOps === 0
    }, { timeoutMs: 120_000, intervalMs: 100, message: 'every row sent as both desktops see it, every change pushed' })
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    await a.ok('team.sync', {})
    const dumpA = canonicalDump(a)
    expect(canonicalDump(b)).toEqual(dumpA)

    // Nothing lost: every contact with its last values, every note once.
    const dumped = new Map((dumpA.contacts as Array<{ email: string; first_name: string; last_name: string | null }>).map((c) => [c.email, c]))
    for (const [email, v] of contacts) expect([email, dumped.get(email)?.first_name, dumped.get(email)?.last_name || '']).toEqual([email, v.firstName, v.lastName])
    const bodies = (dumpA.contact_notes as Array<{ body_html: string }>).map((x) => x.body_html)
    expect(notes.filter((x) => bodies.filter((y) => y === x).length !== 1)).toEqual([])
    // Nothing twice: each message once at Dovecot, each claim done with the outcome sent.
    const got = await copiesAtDovecot(ids)
    expect(ids.filter((m) => got.get(m) !== 1)).toEqual([])
    const claims = await claimRows(db.url)
    expect(claims).toHaveLength(ids.length)
    expect(claims.filter((c) => c.state !== 'done' || c.outcome !== 'sent')).toEqual([])
  }, 240_000)
})
