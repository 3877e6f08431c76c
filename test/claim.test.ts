// The claim's own verdicts on rows that cannot go, reached through the real scheduler: it holds or fails
// them itself (outbound/outcome.ts), with no call back into the scheduler.
import { describe, expect, it } from 'vitest'
import { freshEngine } from './helpers'
import { count } from './outbound/db'
import { stubSender } from './outbound/stubSender'

const smtp = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'hello@eve.test', password: 'pw' }

describe('claim', () => {
  it('fails a scheduled row whose mailbox was deleted meanwhile, with a dead letter, and sends nothing', async () => {
    const stub = stubSender()
    const t = freshEngine({ outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0, wrapSender: (kind, real) => (kind === 'smtp' ? stub.sender(real) : real) } })
    const object = await t.ok('objects.create', { name: 'Eve Beauty', postalAddress: '1 Main St', timezone: 'America/New_York' })
    const old = await t.ok('mailboxes.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', dailyCapacity: 100, minGapSeconds: 0, smtp })
    const other = await t.ok('mailboxes.create', { objectId: object.id, email: 'desk@eve.test', displayName: 'Desk', dailyCapacity: 100, minGapSeconds: 0, smtp: { ...smtp, user: 'desk@eve.test' } })
    const profile = await t.ok('profiles.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', transport: { kind: 'smtp', mailboxId: old.id } })
    const m = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Later', html: '<p>Hi</p>', sendAt: new Date(t.clock.now() + 3_600_000).toISOString() })
    // The profile moves to another mailbox and the old one is deleted: the scheduled row keeps no mailbox.
    await t.ok('profiles.update', { id: profile.id, transport: { kind: 'smtp', mailboxId: other.id } })
    await t.ok('mailboxes.delete', { id: old.id })
    await t.ok('clock.advance', { ms: 3_600_000 })
    await t.engine.outbound.scheduler.idle()
    const r = await t.ok('outbox.get', { id: m.id })
    expect(r).toMatchObject({ status: 'failed', errorKind: 'permanent', lastError: 'The mailbox was deleted' })
    expect(r.events.map((e) => e.type)).toEqual(['queued', 'failed'])
    expect(count(t, 'dead_letters').n).toBe(1)
    expect(stub.sent).toEqual([])
    expect(t.events.some((e) => e.event === 'outbox.changed' && e.payload.ids.includes(m.id))).toBe(true)
  })
})
