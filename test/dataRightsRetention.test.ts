// Retention (issue 18): "delete mail older than N months" per business, off by default, run daily by the engine on
// its clock: only that business's local mail goes, once a day, with an audit line of counts. Also audit.list paging.
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, inboxRef, msg, storeCtx } from './inboxFixtures'

const DAY = 86_400_000

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('mail retention', () => {
  it('is off by default, then deletes only that business’s mail older than N months, once a day, with an audit line', async () => {
    const t = freshEngine({ outbound: { eventsPollMs: 0 }, inbound: { run: false } })
    const { ctx } = storeCtx(t)
    const smtp = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'x', password: 'pw' }
    const eve = await t.ok('objects.create', { name: 'Eve' })
    const bloom = await t.ok('objects.create', { name: 'Bloom' })
    const mbEve = await t.ok('mailboxes.create', { objectId: eve.id, email: 'hello@eve.test', smtp })
    const mbBloom = await t.ok('mailboxes.create', { objectId: bloom.id, email: 'hello@bloom.test', smtp })
    const now = t.clock.now()
    const at = (daysAgo: number) => now - daysAgo * DAY
    storeMessages(ctx, inboxRef(mbEve.id), [
      msg({ date: at(100), subject: 'old eve', from: addr('a@client.test') }),
      msg({ date: at(10), subject: 'new eve', from: addr('a@client.test') }),
    ])
    storeMessages(ctx, inboxRef(mbBloom.id), [msg({ date: at(100), subject: 'old bloom', from: addr('b@client.test') })])
    const subjects = () => (ctx.sqlite.prepare('SELECT subject FROM messages ORDER BY subject').pluck().all() as string[]).join(',')

    expect(await t.ok('retention.get', { objectId: eve.id })).toEqual({ objectId: eve.id, months: null, lastRunAt: null })
    await t.ok('clock.advance', { ms: 2 * DAY })
    await new Promise((r) => setTimeout(r, 50))
    expect(subjects()).toBe('new eve,old bloom,old eve')

    expect(await t.err('retention.set', { objectId: eve.id, months: 0 })).toMatchObject({ code: 'VALIDATION', field: 'months' })
    await t.ok('retention.set', { objectId: eve.id, months: 3 })
    await t.ok('clock.advance', { ms: 1000 })
    await until(() => subjects() === 'new eve,old bloom')
    const run = (await t.ok('audit.list', { objectId: eve.id })).items
    expect(run.map((a) => a.action)).toEqual(['retention.run', 'settings.change'])
    expect(run[0]!.detail).toMatchObject({ months: 3, messages: 1, threads: 1 })
    expect(run[1]!.detail).toEqual({ setting: 'retention.months', from: null, to: 3 })

    // Once a day: mail that turns old the next hour waits for tomorrow's pass.
    storeMessages(ctx, inboxRef(mbEve.id), [msg({ date: retentionEdge(t.clock.now()) + 3_600_000, subject: 'edge eve', from: addr('a@client.test') })])
    await t.ok('clock.advance', { ms: 2 * 3_600_000 })
    await new Promise((r) => setTimeout(r, 50))
    expect(subjects()).toContain('edge eve')
    await t.ok('clock.advance', { ms: DAY })
    await until(() => !subjects().includes('edge eve'))
    expect((await t.ok('retention.get', { objectId: eve.id })).lastRunAt).toBe(new Date(t.clock.now()).toISOString())
  })

  it('pages the audit log with the shared cursor', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0 }, inbound: { run: false } })
    const o = await t.ok('objects.create', { name: 'Eve' })
    for (const m of [1, 2, 3]) await t.ok('retention.set', { objectId: o.id, months: m })
    const first = await t.ok('audit.list', { limit: 2 })
    expect(first.items.map((a) => a.detail.to)).toEqual([3, 2])
    const second = await t.ok('audit.list', { limit: 2, cursor: first.nextCursor! })
    expect(second).toMatchObject({ nextCursor: null })
    expect(second.items.map((a) => a.detail.to)).toEqual([1])
    expect(await t.err('audit.list', { cursor: 'nonsense' })).toMatchObject({ code: 'VALIDATION', field: 'cursor' })
  })
})

/** Three calendar months before `now` (the cut of a 3-month setting). */
function retentionEdge(now: number): number {
  const d = new Date(now)
  d.setUTCMonth(d.getUTCMonth() - 3)
  return d.getTime()
}

describe('settings audit', () => {
  it('records a business settings change by field name, without the values', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0 }, inbound: { run: false } })
    const o = await t.ok('objects.create', { name: 'Eve' })
    await t.ok('objects.update', { id: o.id, postalAddress: '2 Side St', name: 'Eve Beauty' })
    const [line] = (await t.ok('audit.list', { objectId: o.id })).items
    expect(line).toMatchObject({ action: 'settings.change', detail: { setting: 'business', fields: ['name', 'postalAddress'] } })
    expect(JSON.stringify(line)).not.toContain('Side St')
  })
})

describe('consent on the contact page', () => {
  it('shows the answer per channel with history, and a change by staff is recorded as manual and audited', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0 }, inbound: { run: false } })
    const o = await t.ok('objects.create', { name: 'Eve' })
    const c = await t.ok('contacts.create', { email: 'cara@client.test', primaryObjectId: o.id })
    expect(await t.ok('contacts.consent', { id: c.id })).toEqual({ current: [], history: [] })
    await t.ok('contacts.setConsent', { id: c.id, channel: 'sms', status: 'granted' })
    await t.ok('contacts.setConsent', { id: c.id, channel: 'sms', status: 'granted' })
    const r = await t.ok('contacts.setConsent', { id: c.id, channel: 'sms', status: 'revoked' })
    expect(r.current).toMatchObject([{ channel: 'sms', status: 'revoked', source: 'manual' }])
    expect(r.history.map((h) => h.status)).toEqual(['granted', 'revoked'])
    const audit = (await t.ok('audit.list', { objectId: o.id })).items.filter((a) => a.action === 'consent.change')
    expect(audit.map((a) => a.detail)).toEqual([{ contactId: c.id, channel: 'sms', status: 'revoked' }, { contactId: c.id, channel: 'sms', status: 'granted' }])
    expect(await t.err('contacts.setConsent', { id: c.id, channel: 'fax', status: 'granted' })).toMatchObject({ code: 'VALIDATION', field: 'channel' })
  })
})
