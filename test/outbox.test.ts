// The outbox state machine with a scripted transport: what happens to a row on each kind of failure,
// capacity and pacing, undo, scheduling, and reconciliation after a crash.
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'
import { count, leaveSending, suppress } from './outbound/db'
import { stubSender, type Stub } from './outbound/stubSender'

const MIN = 60_000

async function setup(opts: { cap?: number; gap?: number; undoMs?: number; dataDir?: string; stub?: Stub } = {}) {
  const stub = opts.stub ?? stubSender()
  const t = freshEngine({
    dataDir: opts.dataDir,
    outbound: { undoMs: opts.undoMs ?? 0, probeMs: 60_000, eventsPollMs: 0, scheduler: { random: () => 0.5 }, wrapSender: (kind, real) => (kind === 'smtp' ? stub.sender(real) : real) },
  })
  const object = await t.ok('objects.create', { name: 'Eve Beauty', postalAddress: '1 Main St', timezone: 'America/New_York' })
  // Port 9 (discard) is closed here: nothing real is ever reached by these tests.
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: 'hello@eve.test',
    displayName: 'Eve',
    dailyCapacity: opts.cap ?? 100,
    minGapSeconds: opts.gap ?? 0,
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'hello@eve.test', password: 'pw' },
  })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve Martin', replyTo: 'desk@eve.test', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const send = (to = 'ann@client.test', extra: Record<string, unknown> = {}) => t.ok('mail.send', { profileId: profile.id, to: [to], subject: 'Hello', html: '<p>Hi <b>Ann</b></p>', ...extra })
  const idle = () => t.engine.outbound.scheduler.idle()
  const row = (id: number) => t.ok('outbox.get', { id })
  return { t, stub, object, mailbox, profile, send, idle, row }
}

const advance = (t: TestEngine, ms: number) => t.ok('clock.advance', { ms })

describe('outbox', () => {
  it('writes the row with its final Message-ID before sending, then sends it once', async () => {
    const { send, idle, row, stub } = await setup()
    const queued = await send()
    expect(queued).toMatchObject({ status: 'queued', attempts: 0, from: 'Eve Martin <hello@eve.test>', replyTo: 'desk@eve.test' })
    expect(queued.messageId).toMatch(/^<[0-9a-f-]{36}@eve\.test>$/)
    await idle()
    const done = await row(queued.id)
    expect(done).toMatchObject({ status: 'sent', attempts: 1, messageId: queued.messageId })
    expect(stub.sent.map((r) => r.messageId)).toEqual([queued.messageId])
    expect(done.text).toBe('Hi Ann')
    expect(done.events.map((e) => e.type)).toEqual(['queued', 'sending', 'sent'])
  })

  it('backs off 1, 5 and 15 minutes on transient failures, then fails with a dead letter', async () => {
    const { t, send, idle, row, stub } = await setup()
    stub.script = ['transient', 'transient', 'transient', 'transient']
    const m = await send()
    await idle()
    let r = await row(m.id)
    expect(r).toMatchObject({ status: 'retry_wait', attempts: 1, errorKind: 'transient' })
    const waits: number[] = []
    for (const step of [1, 5, 15]) {
      r = await row(m.id)
      const wait = Date.parse(r.nextAttemptAt!) - t.clock.now()
      waits.push(wait)
      await advance(t, wait - 1)
      await idle()
      expect((await row(m.id)).attempts).toBe(step === 1 ? 1 : step === 5 ? 2 : 3) // not yet due
      await advance(t, 1)
      await idle()
    }
    expect(waits).toEqual([1 * MIN, 5 * MIN, 15 * MIN])
    r = await row(m.id)
    expect(r).toMatchObject({ status: 'failed', attempts: 4, errorKind: 'transient' })
    expect((await t.ok('outbox.list', { status: 'failed' })).items.map((d) => d.id)).toEqual([m.id])
    expect(count(t, 'dead_letters').n).toBe(1)
    expect(stub.sent).toHaveLength(0)
  })

  it('fails a permanent rejection at once and keeps a dead letter', async () => {
    const { send, idle, row, stub, t } = await setup()
    stub.script = ['permanent']
    const m = await send()
    await idle()
    expect(await row(m.id)).toMatchObject({ status: 'failed', attempts: 1, errorKind: 'permanent', lastError: 'scripted permanent' })
    expect(count(t, 'dead_letters').n).toBe(1)
  })

  it('waits at least as long as a rate limit asks', async () => {
    const { send, idle, row, stub, t } = await setup()
    stub.script = [{ kind: 'rate_limit', retryAfterMs: 2 * 3600_000 }]
    const m = await send()
    await idle()
    const r = await row(m.id)
    expect(r.status).toBe('retry_wait')
    expect(Date.parse(r.nextAttemptAt!) - t.clock.now()).toBe(2 * 3600_000)
  })

  it('holds offline rows without using an attempt, and sends them in queue order when the network is back', async () => {
    const { t, send, idle, row, stub } = await setup()
    t.engine.outbound.setHostOnline(false)
    const ids = []
    for (let i = 0; i < 5; i++) ids.push((await send(`c${i}@client.test`)).id)
    await idle()
    for (const id of ids) expect(await row(id)).toMatchObject({ status: 'held', statusReason: 'offline', attempts: 0 })
    expect(await t.ok('net.status', {})).toMatchObject({ online: false, hostOnline: false, held: 5 })
    t.engine.outbound.setHostOnline(true)
    await idle()
    expect(stub.sent.map((r) => r.id)).toEqual(ids)
    for (const id of ids) expect((await row(id)).attempts).toBe(1)
  })

  it('treats a refused connection as offline: held, no attempt used, server marked unreachable', async () => {
    const { t, send, idle, row, stub } = await setup()
    stub.script = ['offline']
    const m = await send()
    await idle()
    expect(await row(m.id)).toMatchObject({ status: 'held', statusReason: 'offline', attempts: 0 })
    const net = await t.ok('net.status', {})
    expect(net.endpoints).toEqual([expect.objectContaining({ key: 'smtp:127.0.0.1:9', online: false })])
    // A second message for the same server is held without trying.
    const m2 = await send('b@client.test')
    await idle()
    expect(await row(m2.id)).toMatchObject({ status: 'held', attempts: 0 })
    expect(stub.script).toHaveLength(0)
  })

  it('holds every row of a mailbox on an auth failure until its settings change', async () => {
    const { t, send, idle, row, stub, mailbox } = await setup({ undoMs: 0 })
    stub.script = ['auth']
    stub.delayMs = 5
    const a = await send('a@client.test')
    await idle()
    const b = await send('b@client.test')
    await idle()
    for (const id of [a.id, b.id]) expect(await row(id)).toMatchObject({ status: 'held', statusReason: 'auth', attempts: 0 })
    const box = (await t.ok('mailboxes.list', {}))[0]!
    expect(box).toMatchObject({ status: 'auth_error', statusReason: 'scripted auth' })
    expect(await t.err('outbox.retry', { id: a.id })).toMatchObject({ code: 'CONFLICT' })
    await t.ok('mailboxes.update', { id: mailbox.id, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'hello@eve.test', password: 'new' } })
    await idle()
    expect(stub.sent.map((r) => r.id).sort()).toEqual([a.id, b.id].sort())
  })

  it('never sends more than the daily cap, even with sends in flight, and resumes the next local day', async () => {
    const { t, send, idle, row, stub } = await setup({ cap: 7 })
    stub.delayMs = 20
    const ids = []
    for (let i = 0; i < 12; i++) ids.push((await send(`c${i}@client.test`)).id)
    await idle()
    expect(stub.sent).toHaveLength(7)
    expect(stub.maxConcurrent).toBeGreaterThan(1)
    const held = (await t.ok('outbox.list', { status: 'held' })).items
    expect(held).toHaveLength(5)
    expect(new Set(held.map((h) => h.statusReason))).toEqual(new Set(['capacity']))
    // 2026-01-05 09:00 UTC is 04:00 in New York: the cap resets at 05:00 UTC the next day.
    expect(new Set(held.map((h) => h.nextAttemptAt))).toEqual(new Set(['2026-01-06T05:00:00.000Z']))
    expect((await t.ok('mailboxes.list', {}))[0]!.sentToday).toBe(7)
    await advance(t, Date.parse('2026-01-06T05:00:00.000Z') - t.clock.now())
    await idle()
    expect(stub.sent).toHaveLength(12)
    expect((await t.ok('mailboxes.list', {}))[0]!.sentToday).toBe(5)
    for (const id of ids) expect((await row(id)).status).toBe('sent')
  })

  it('gives back the capacity of a send that did not leave', async () => {
    const { t, send, idle, stub } = await setup({ cap: 2 })
    stub.script = ['permanent']
    await send('a@client.test')
    await send('b@client.test')
    await send('c@client.test')
    await idle()
    expect(stub.sent).toHaveLength(2)
    expect((await t.ok('mailboxes.list', {}))[0]!.sentToday).toBe(2)
  })

  it('keeps the minimum gap between sends of a mailbox', async () => {
    const { t, send, idle, stub } = await setup({ gap: 30 })
    await send('a@client.test')
    await send('b@client.test')
    await idle()
    expect(stub.sent).toHaveLength(1)
    await advance(t, 29_000)
    await idle()
    expect(stub.sent).toHaveLength(1)
    await advance(t, 1_000)
    await idle()
    expect(stub.sent).toHaveLength(2)
  })

  it('sends a scheduled message at its time, not before', async () => {
    const { t, send, idle, stub } = await setup()
    const at = new Date(t.clock.now() + 3600_000).toISOString()
    const m = await send('a@client.test', { sendAt: at })
    expect(m.scheduledFor).toBe(at)
    await idle()
    expect(stub.sent).toHaveLength(0)
    await advance(t, 3600_000)
    await idle()
    expect(stub.sent).toHaveLength(1)
  })

  it('pulls a message back to drafts within the undo window, and not after', async () => {
    const { t, idle, row, stub, profile } = await setup({ undoMs: 10_000 })
    const draft = await t.ok('drafts.save', { profileId: profile.id, to: ['ann@client.test'], subject: 'Quote', html: '<p>Price</p>' })
    const m = await t.ok('drafts.send', { draftId: draft.id })
    expect(await t.ok('drafts.list', {})).toEqual([])
    await idle()
    expect(stub.sent).toHaveLength(0)
    const back = await t.ok('outbox.undo', { id: m.id })
    expect(back).toMatchObject({ id: draft.id, subject: 'Quote', to: ['ann@client.test'] })
    expect((await row(m.id)).status).toBe('cancelled')
    const again = await t.ok('drafts.send', { draftId: draft.id })
    await advance(t, 10_000)
    await idle()
    expect(stub.sent.map((r) => r.id)).toEqual([again.id])
    expect(await t.err('outbox.undo', { id: again.id })).toMatchObject({ code: 'CONFLICT' })
    // Once the message left, its draft is gone for good.
    expect(await t.ok('drafts.list', {})).toEqual([])
  })

  it('refuses to send a draft with a bad address, naming the field', async () => {
    const { t, profile } = await setup()
    const d = await t.ok('drafts.save', { profileId: profile.id, to: ['ann@'], subject: 'x', html: 'y' })
    expect(await t.err('drafts.send', { draftId: d.id })).toMatchObject({ code: 'VALIDATION', field: 'to.0', message: 'Not a valid email address' })
    const noProfile = await t.ok('drafts.save', { to: ['ann@client.test'], subject: 'x', html: 'y' })
    expect(await t.err('drafts.send', { draftId: noProfile.id })).toMatchObject({ code: 'VALIDATION', field: 'profileId' })
  })

  it('skips a suppressed recipient with the reason instead of sending', async () => {
    const { t, send, idle, stub } = await setup()
    suppress(t, 'gone@client.test', 'bounced')
    const m = await send('gone@client.test')
    await idle()
    expect(m).toMatchObject({ status: 'skipped', statusReason: 'gone@client.test is suppressed (bounced)' })
    expect(stub.sent).toHaveLength(0)
  })

  it('cancels and retries on request', async () => {
    const { t, send, idle, stub } = await setup()
    stub.script = ['permanent']
    const m = await send()
    await idle()
    const retried = await t.ok('outbox.retry', { id: m.id })
    expect(retried).toMatchObject({ status: 'queued', attempts: 0 })
    await idle()
    expect(stub.sent).toHaveLength(1)
    t.engine.outbound.setHostOnline(false)
    const h = await send('z@client.test')
    await idle()
    expect(await t.ok('outbox.cancel', { id: h.id })).toMatchObject({ status: 'cancelled' })
    expect(await t.err('outbox.cancel', { id: m.id })).toMatchObject({ code: 'CONFLICT' })
  })

  it('lists waiting rows first in the order they leave, then the rest newest first, with open counts and the history as done', async () => {
    const { t, send, idle, stub } = await setup()
    const sent1 = await send('s1@client.test')
    const sent2 = await send('s2@client.test')
    await idle()
    stub.script = ['permanent']
    const failed = await send('f@client.test')
    await idle()
    const later = await send('later@client.test', { sendAt: new Date(t.clock.now() + 2 * 3600_000).toISOString() })
    const sooner = await send('sooner@client.test', { sendAt: new Date(t.clock.now() + 3600_000).toISOString() })
    const cancelled = await send('c@client.test', { sendAt: new Date(t.clock.now() + 3600_000).toISOString() })
    await t.ok('outbox.cancel', { id: cancelled.id })

    const page = await t.ok('outbox.list', {})
    expect(page.items.map((m) => m.id)).toEqual([sooner.id, later.id, cancelled.id, failed.id, sent2.id, sent1.id])
    expect(page.counts).toEqual({ queued: 2, failed: 1, cancelled: 1 })
    expect(page.done).toBe(2)
    expect((await t.ok('outbox.list', { limit: 3 })).items.map((m) => m.id)).toEqual([sooner.id, later.id, cancelled.id])
    expect((await t.ok('outbox.list', { status: 'pending' })).items.map((m) => m.id)).toEqual([sooner.id, later.id])
    expect((await t.ok('outbox.list', { status: 'sent' })).items.map((m) => m.id)).toEqual([sent2.id, sent1.id])
    expect((await t.ok('outbox.list', { status: 'queued', limit: 1 })).items.map((m) => m.id)).toEqual([sooner.id])

    // Another business's outbox is counted apart.
    const other = await t.ok('objects.create', { name: 'Other', timezone: 'UTC' })
    const mine = await t.ok('outbox.list', { objectId: sent1.objectId })
    expect(mine).toMatchObject({ counts: { queued: 2, failed: 1, cancelled: 1 }, done: 2 })
    expect(await t.ok('outbox.list', { objectId: other.id })).toEqual({ items: [], counts: {}, done: 0 })
  })
})

describe('reconciliation after a crash', () => {
  async function crashedRow(wasSent: Stub['wasSent']) {
    const first = await setup()
    first.t.engine.outbound.setHostOnline(false)
    const m = await first.send()
    leaveSending(first.t, m.id, first.t.clock.now())
    await first.t.engine.close()
    const stub = stubSender()
    stub.wasSent = wasSent
    const second = freshEngine({ dataDir: first.t.dataDir, outbound: { undoMs: 0, eventsPollMs: 0, wrapSender: (k, real) => (k === 'smtp' ? stub.sender(real) : real) } })
    // Wait for the reconciler to have asked, then for the loop to settle (an 'unknown' answer keeps it pending).
    for (let i = 0; i < 200 && stub.checks === 0; i++) await new Promise((r) => setTimeout(r, 10))
    if (wasSent !== 'unknown') await second.engine.outbound.scheduler.idle()
    return { second, stub, m }
  }

  it('marks a row found on the server as sent without sending it again', async () => {
    const { second, stub, m } = await crashedRow(true)
    expect(stub.sent).toHaveLength(0)
    const r = await second.ok('outbox.get', { id: m.id })
    expect(r.status).toBe('sent')
    expect(r.events.at(-1)).toMatchObject({ type: 'reconciled' })
  })

  it('sends a row again when it is not on the server', async () => {
    const { second, stub, m } = await crashedRow(false)
    expect(stub.sent.map((r) => r.id)).toEqual([m.id])
    expect((await second.ok('outbox.get', { id: m.id })).events.map((e) => e.type)).toContain('requeued')
  })

  it('leaves the row alone while the server cannot be asked', async () => {
    const { second, stub, m } = await crashedRow('unknown')
    expect(stub.sent).toHaveLength(0)
    expect((await second.ok('outbox.get', { id: m.id })).status).toBe('sending')
  })
})

describe('test clock', () => {
  it('clock.advance exists only on a test clock', async () => {
    const { createEngine } = await import('../src/main/engine')
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const e = createEngine({ host: 'web', dataDir: mkdtempSync(join(tmpdir(), 'sb-clock-')), log: () => {} })
    expect(await e.dispatch('clock.advance', { ms: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'method' } })
    expect(await e.dispatch('app.info', {})).toMatchObject({ ok: true, value: { testClock: false, undoSeconds: 10 } })
    await e.close()
  })
})
