// mail.send and mail.sendMany idempotency keys (issue 18, seed 004): unique per business, the second call
// returns the first result with idempotencyReused and queues nothing.
import { describe, expect, it } from 'vitest'
import { addBusiness, automationEngine } from './automationSetup'

describe('idempotency keys', () => {
  it('mail.send: the same key in one business is one row, even while it waits; another business may reuse the key', async () => {
    const b = await automationEngine()
    const { t, profileId } = b
    const at = new Date(Date.now() + 86_400_000 * 400).toISOString()
    const input = { profileId, to: ['ann@client.test'], subject: 'Invoice', html: '<p>x</p>', idempotencyKey: 'k-1', sendAt: at }
    const first = await t.ok('mail.send', input)
    expect(first.idempotencyReused).toBe(false)
    const again = await t.ok('mail.send', { ...input, subject: 'Changed', to: ['bo@client.test'] })
    expect(again).toMatchObject({ id: first.id, subject: 'Invoice', idempotencyReused: true })
    expect((await t.ok('outbox.list', {})).items).toHaveLength(1)
    // Sent together (a double click): both answer with the one row.
    const [x, y] = await Promise.all([t.ok('mail.send', { ...input, idempotencyKey: 'k-2' }), t.ok('mail.send', { ...input, idempotencyKey: 'k-2' })])
    expect(x.id).toBe(y.id)
    expect([x.idempotencyReused, y.idempotencyReused].sort()).toEqual([false, true])
    // Per business: the other business's k-1 is its own message.
    const other = await addBusiness(t, 'Other Biz', 'desk@other.test')
    const theirs = await t.ok('mail.send', { ...input, profileId: other.profileId })
    expect(theirs.id).not.toBe(first.id)
    expect(theirs.idempotencyReused).toBe(false)
    expect((await t.ok('outbox.list', {})).items).toHaveLength(3)
    // Without a key nothing is deduplicated and no flag is set.
    const plain = await t.ok('mail.send', { profileId, to: ['ann@client.test'], subject: 'Invoice', html: '<p>x</p>' })
    expect(plain.idempotencyReused).toBeUndefined()
    expect(await t.err('mail.send', { ...input, idempotencyKey: '  ' })).toMatchObject({ code: 'VALIDATION', field: 'idempotencyKey' })
    // A template of another business cannot be named on a message of this one.
    const theirTpl = await t.ok('templates.create', { objectId: other.objectId, name: 'Theirs', subject: 'Hi', html: '<p>x</p>' })
    expect(await t.err('mail.send', { profileId, to: ['ann@client.test'], subject: 'x', html: '<p>x</p>', templateId: theirTpl.id })).toMatchObject({ code: 'VALIDATION', field: 'templateId' })
  })

  it('mail.sendMany: the same key returns the same job and queues nothing more', async () => {
    const { t, profileId, objectId } = await automationEngine()
    const tpl = await t.ok('templates.create', { objectId, name: 'News', subject: 'News for {{default contact.first_name "you"}}', html: '<p>Hello</p>' })
    const input = { profileId, templateId: tpl.id, idempotencyKey: 'news-1', recipients: [{ email: 'a@list.test' }, { email: 'b@list.test' }] }
    const [j1, j2] = await Promise.all([t.ok('mail.sendMany', input), t.ok('mail.sendMany', { ...input, recipients: [{ email: 'c@list.test' }] })])
    expect(j2.id).toBe(j1.id)
    expect(j1).toMatchObject({ requested: 2, queued: 2, idempotencyReused: false })
    expect(j2.idempotencyReused).toBe(true)
    const j3 = await t.ok('mail.sendMany', input)
    expect(j3).toMatchObject({ id: j1.id, idempotencyReused: true })
    expect((await t.ok('outbox.list', {})).items.map((i) => i.to[0]).sort()).toEqual(['a@list.test', 'b@list.test'])
    expect(await t.ok('bulk.list', {})).toHaveLength(1)
  })
})
