// Issue 20, defect 1: a hold, a release, a retry or a reconnect never makes a row go before its time.
// Every way into and out of `held` (auth, offline, capacity, window, paused, the user's Retry), each with a
// scheduled row beside a due one, on the injectable clock and a scripted transport.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HOLD_BATCH } from '../src/main/engine/outbound/claim'
import { releaseAt } from '../src/main/engine/outbound/holds'
import { freshEngine, type TestEngine } from './helpers'
import { stubSender } from './outbound/stubSender'

const HOUR = 3600_000
const smtpOf = (password: string) => ({ host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'hello@eve.test', password })

async function setup(opts: { cap?: number; windows?: Map<number, number> } = {}) {
  const stub = stubSender()
  const windows = opts.windows ?? new Map<number, number>()
  const t = freshEngine({
    outbound: {
      undoMs: 0,
      probeMs: 60_000,
      eventsPollMs: 0,
      scheduler: {
        random: () => 0.5,
        // Rows given a window here may only leave from that instant on (what a sequence's sending window does).
        sendWindows: (rows, at) => new Map(rows.flatMap((r) => (windows.has(r.id) ? [[r.id, Math.max(at, windows.get(r.id)!)] as [number, number]] : []))),
      },
      wrapSender: (kind, real) => (kind === 'smtp' ? stub.sender(real) : real),
    },
  })
  const object = await t.ok('objects.create', { name: 'Eve Beauty', postalAddress: '1 Main St', timezone: 'UTC' })
  const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', dailyCapacity: opts.cap ?? 100, minGapSeconds: 0, smtp: smtpOf('pw') })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const send = (to: string, sendAt?: number) =>
    t.ok('mail.send', { profileId: profile.id, to: [to], subject: 'Hello', html: '<p>Hi</p>', ...(sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}) })
  const idle = () => t.engine.outbound.scheduler.idle()
  const row = (id: number) => t.ok('outbox.get', { id })
  const sentIds = () => stub.sent.map((r) => r.id)
  const advance = async (ms: number) => {
    await t.ok('clock.advance', { ms })
    await idle()
  }
  return { t, stub, mailbox, send, idle, row, sentIds, advance, windows }
}

/** Direct pokes: what an older build (or another writer) left in the database. */
function poke(t: TestEngine, sql: string, ...params: unknown[]): void {
  const db = new Database(join(t.dataDir, 'switchboard.db'))
  db.prepare(sql).run(...params)
  db.close()
}

describe('a scheduled message through holds', () => {
  it('the reported case: an auth hold on its mailbox and the password fix do not send a message scheduled for tomorrow', async () => {
    const { t, stub, mailbox, send, idle, row, sentIds, advance } = await setup()
    const tomorrow9 = Date.UTC(2026, 0, 6, 9, 0, 0)
    const scheduled = await send('later@client.test', tomorrow9)
    // Another message fails, the user presses Retry, and that retry meets the broken password.
    stub.script = ['permanent', 'auth']
    const other = await send('now@client.test')
    await idle()
    expect((await row(other.id)).status).toBe('failed')
    await t.ok('outbox.retry', { id: other.id })
    await idle()
    expect(await row(other.id)).toMatchObject({ status: 'held', statusReason: 'auth' })
    expect((await t.ok('mailboxes.list', {}))[0]!.status).toBe('auth_error')
    // The scheduled one stays scheduled: not held, still due tomorrow.
    expect(await row(scheduled.id)).toMatchObject({ status: 'queued', scheduledFor: new Date(tomorrow9).toISOString(), nextAttemptAt: new Date(tomorrow9).toISOString() })

    await t.ok('mailboxes.update', { id: mailbox.id, smtp: smtpOf('fixed') })
    await idle()
    expect(sentIds()).toEqual([other.id])
    expect(await row(scheduled.id)).toMatchObject({ status: 'queued', nextAttemptAt: new Date(tomorrow9).toISOString() })
    await advance(tomorrow9 - t.clock.now() - 1)
    expect(sentIds()).toEqual([other.id])
    await advance(1)
    expect(sentIds()).toEqual([other.id, scheduled.id])
  })

  it('a scheduled row that comes due during an auth hold is held then, and goes when the password is fixed', async () => {
    const { t, stub, mailbox, send, idle, row, sentIds, advance } = await setup()
    stub.script = ['auth']
    const now = await send('now@client.test')
    const soon = await send('soon@client.test', t.clock.now() + HOUR)
    await idle()
    expect((await row(soon.id)).status).toBe('queued')
    await advance(HOUR)
    expect(await row(soon.id)).toMatchObject({ status: 'held', statusReason: 'auth', attempts: 0 })
    await t.ok('mailboxes.update', { id: mailbox.id, smtp: smtpOf('fixed') })
    await idle()
    expect(sentIds().sort()).toEqual([now.id, soon.id].sort())
  })

  it('rows an older build held for auth with no time of their own are released at their scheduled time, not at once', async () => {
    const { t, mailbox, send, idle, row, sentIds, advance } = await setup()
    const at = t.clock.now() + 5 * HOUR
    const m = await send('later@client.test', at)
    poke(t, "UPDATE outbound_messages SET status = 'held', status_reason = 'auth', next_attempt_at = NULL WHERE id = ?", m.id)
    poke(t, "UPDATE mailboxes SET status = 'auth_error', status_reason = 'old' WHERE id = ?", mailbox.id)
    await t.ok('mailboxes.update', { id: mailbox.id, smtp: smtpOf('fixed') })
    await idle()
    expect(await row(m.id)).toMatchObject({ status: 'queued', nextAttemptAt: new Date(at).toISOString() })
    expect(sentIds()).toEqual([])
    await advance(5 * HOUR)
    expect(sentIds()).toEqual([m.id])
  })

  it('offline: a reconnect sends what was due and leaves the scheduled row for its time', async () => {
    const { t, send, idle, row, sentIds, advance } = await setup()
    t.engine.outbound.setHostOnline(false)
    const due = await send('due@client.test')
    const later = await send('later@client.test', t.clock.now() + 2 * HOUR)
    await idle()
    expect(await row(due.id)).toMatchObject({ status: 'held', statusReason: 'offline' })
    expect((await row(later.id)).status).toBe('queued')
    t.engine.outbound.setHostOnline(true)
    await idle()
    expect(sentIds()).toEqual([due.id])
    await advance(HOUR)
    // Due while offline: held then, sent on reconnect.
    t.engine.outbound.setHostOnline(false)
    await advance(HOUR)
    expect(await row(later.id)).toMatchObject({ status: 'held', statusReason: 'offline', attempts: 0 })
    t.engine.outbound.setHostOnline(true)
    await idle()
    expect(sentIds()).toEqual([due.id, later.id])
  })

  it('offline: a row held with a retry time of its own keeps it through the reconnect', async () => {
    const { t, send, idle, row, sentIds, advance } = await setup()
    const m = await send('x@client.test', t.clock.now() + 10 * 60_000)
    const retryAt = t.clock.now() + 30 * 60_000
    // Held offline while its next attempt was still half an hour away (another writer, or an older build).
    poke(t, "UPDATE outbound_messages SET status = 'held', status_reason = 'offline', next_attempt_at = ? WHERE id = ?", retryAt, m.id)
    t.engine.outbound.setHostOnline(false)
    t.engine.outbound.setHostOnline(true)
    await idle()
    expect(await row(m.id)).toMatchObject({ status: 'queued', nextAttemptAt: new Date(retryAt).toISOString() })
    await advance(30 * 60_000 - 1)
    expect(sentIds()).toEqual([])
    await advance(1)
    expect(sentIds()).toEqual([m.id])
  })

  it('capacity: a scheduled row that meets the cap waits for the next day; capacity coming back early does not make a later row due', async () => {
    const { t, stub, send, idle, row, sentIds, advance } = await setup({ cap: 1 })
    const first = await send('a@client.test')
    await idle()
    const later = await send('later@client.test', t.clock.now() + 2 * HOUR)
    const capped = await send('b@client.test')
    await idle()
    expect(await row(capped.id)).toMatchObject({ status: 'held', statusReason: 'capacity' })
    // Moving the scheduled row into a capacity hold by hand, as if it had been due: an early release must still respect its time.
    poke(t, "UPDATE outbound_messages SET status = 'held', status_reason = 'capacity', next_attempt_at = ? WHERE id = ?", Date.UTC(2026, 0, 6), later.id)
    // A send that does not leave gives its slot back, which releases the capacity holds (the count is
    // cleared by hand so that send gets a slot at all).
    stub.script = ['permanent']
    poke(t, 'DELETE FROM mailbox_daily_counts')
    const failing = await send('c@client.test')
    await idle()
    expect((await row(failing.id)).status).toBe('failed')
    expect(sentIds()).toContain(capped.id)
    expect(sentIds()).toContain(first.id)
    expect((await row(later.id)).status).toBe('queued')
    expect(Date.parse((await row(later.id)).nextAttemptAt!)).toBeGreaterThanOrEqual(Date.parse(later.scheduledFor))
    expect(sentIds()).not.toContain(later.id)
    // At its time the cap (taken by the released row) holds it again, until the next day.
    await advance(2 * HOUR)
    expect(await row(later.id)).toMatchObject({ status: 'held', statusReason: 'capacity', nextAttemptAt: '2026-01-06T00:00:00.000Z' })
    await advance(Date.UTC(2026, 0, 6) - t.clock.now())
    expect(sentIds()).toContain(later.id)
  })

  it('capacity: 1,201 rows due at once meet the cap a batch per turn, never all in one transaction, and none goes early or twice', async () => {
    const { t, send, idle, row, sentIds, advance } = await setup({ cap: 1 })
    const at = t.clock.now() + HOUR
    const ids: number[] = []
    for (let i = 0; i < 1201; i++) ids.push((await send(`r${i}@client.test`, at)).id)
    await idle()
    // One turn's changes go out as one outbox.changed: a turn that held every due row at once was one event of 1,200 ids.
    const turnSizes = (from: number) => t.events.slice(from).filter((e) => e.event === 'outbox.changed').map((e) => (e.payload as { ids: number[] }).ids.length)
    const from = t.events.length
    await advance(HOUR)
    expect(Math.max(...turnSizes(from))).toBeLessThanOrEqual(HOLD_BATCH + 1)
    expect(sentIds()).toEqual([ids[0]])
    expect((await t.ok('outbox.list', { limit: 1 })).counts).toMatchObject({ held: 1200 })
    for (const id of [ids[1]!, ids[600]!, ids[1200]!]) expect(await row(id)).toMatchObject({ status: 'held', statusReason: 'capacity', nextAttemptAt: '2026-01-06T00:00:00.000Z' })
    // The next day they are released a batch per turn too (releases and new holds share a turn's batch):
    // the cap of 1 lets the oldest go, the rest wait again for the day after.
    const from2 = t.events.length
    await advance(Date.UTC(2026, 0, 6) - t.clock.now())
    expect(Math.max(...turnSizes(from2))).toBeLessThanOrEqual(HOLD_BATCH + 1)
    expect(sentIds()).toEqual([ids[0], ids[1]])
    expect((await t.ok('outbox.list', { limit: 1 })).counts).toMatchObject({ held: 1199 })
    expect(await row(ids[1200]!)).toMatchObject({ status: 'held', statusReason: 'capacity', nextAttemptAt: '2026-01-07T00:00:00.000Z' })
  })

  it('capacity: the timed hold ends at the next local day', async () => {
    const { t, send, idle, row, sentIds, advance } = await setup({ cap: 1 })
    await send('a@client.test')
    await idle()
    const later = await send('later@client.test', t.clock.now() + 2 * HOUR)
    await advance(2 * HOUR)
    expect(await row(later.id)).toMatchObject({ status: 'held', statusReason: 'capacity', nextAttemptAt: '2026-01-06T00:00:00.000Z' })
    await advance(Date.UTC(2026, 0, 6) - t.clock.now() - 1)
    expect(sentIds()).toHaveLength(1)
    await advance(1)
    expect(sentIds()).toContain(later.id)
  })

  it('window: a row outside its sending window waits for the opening, and a scheduled row for its own time', async () => {
    const { t, send, idle, row, sentIds, advance, windows } = await setup()
    const a = await send('a@client.test')
    const b = await send('b@client.test', t.clock.now() + 3 * HOUR)
    windows.set(a.id, t.clock.now() + HOUR)
    windows.set(b.id, t.clock.now() + HOUR)
    await idle()
    expect(await row(a.id)).toMatchObject({ status: 'held', statusReason: 'window' })
    expect((await row(b.id)).status).toBe('queued')
    await advance(HOUR)
    expect(sentIds()).toEqual([a.id])
    await advance(2 * HOUR - 1)
    expect(sentIds()).toEqual([a.id])
    await advance(1)
    expect(sentIds()).toEqual([a.id, b.id])
  })

  it('paused: resuming the mailbox sends what was due and leaves the scheduled row for its time', async () => {
    const { t, mailbox, send, idle, row, sentIds, advance } = await setup()
    await t.ok('mailboxes.update', { id: mailbox.id, status: 'paused' })
    const due = await send('due@client.test')
    const later = await send('later@client.test', t.clock.now() + HOUR)
    await idle()
    expect(await row(due.id)).toMatchObject({ status: 'held', statusReason: 'paused' })
    expect((await row(later.id)).status).toBe('queued')
    await t.ok('mailboxes.update', { id: mailbox.id, status: 'active' })
    await idle()
    expect(sentIds()).toEqual([due.id])
    await advance(HOUR - 1)
    expect(sentIds()).toEqual([due.id])
    await advance(1)
    expect(sentIds()).toEqual([due.id, later.id])
  })

  it('Retry on a cancelled scheduled message keeps its time', async () => {
    const { t, send, row, sentIds, advance } = await setup()
    const at = t.clock.now() + HOUR
    const m = await send('x@client.test', at)
    await t.ok('outbox.cancel', { id: m.id })
    expect(await t.ok('outbox.retry', { id: m.id })).toMatchObject({ status: 'queued', nextAttemptAt: new Date(at).toISOString() })
    await advance(HOUR - 1)
    expect(sentIds()).toEqual([])
    expect((await row(m.id)).status).toBe('queued')
    await advance(1)
    expect(sentIds()).toEqual([m.id])
  })
})

describe('releaseAt', () => {
  const base = { status: 'held' as const, scheduledFor: 1000, undoUntil: null, nextAttemptAt: null }
  it('never goes before the row was scheduled, its undo window, or the time an untimed hold kept', () => {
    expect(releaseAt({ ...base, statusReason: 'auth' }, 500)).toBe(1000)
    expect(releaseAt({ ...base, statusReason: 'auth' }, 2000)).toBe(2000)
    expect(releaseAt({ ...base, statusReason: 'offline', undoUntil: 3000 }, 2000)).toBe(3000)
    expect(releaseAt({ ...base, statusReason: 'offline', nextAttemptAt: 4000 }, 2000)).toBe(4000)
    expect(releaseAt({ ...base, statusReason: 'paused', nextAttemptAt: 4000 }, 2000)).toBe(4000)
    // A timed hold's next_attempt_at is the hold's end: released early, the row may go now.
    expect(releaseAt({ ...base, statusReason: 'capacity', nextAttemptAt: 9000 }, 2000)).toBe(2000)
    expect(releaseAt({ ...base, statusReason: 'window', nextAttemptAt: 9000 }, 2000)).toBe(2000)
  })
})
