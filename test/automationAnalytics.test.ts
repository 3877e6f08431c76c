// analytics.summary / analytics.funnel from the outbox's event log; CSV import enrolment; and the
// firing's single transaction (a failure later in the same transaction leaves no execution behind).
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { automationEngine } from './automationSetup'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('analytics', () => {
  it('counts sent, failed, skipped, replied, bounced, opened and clicked per local day of the object', async () => {
    const b = await automationEngine() // clock: Mon 2026-01-05 09:00 UTC = 04:00 New York
    const send = (to: string) => b.t.ok('mail.send', { profileId: b.profileId, to: [to], subject: 's', html: '<p>h</p>' })
    const a = await send('a@client.test')
    const c = await send('c@client.test')
    const oneToOne = await send('friend@client.test') // stays one-to-one mail: never counted
    await b.idle()
    b.stub.script = ['permanent']
    const f = await send('fail@client.test')
    await b.idle()
    await b.t.ok('contacts.create', { email: 'gone@client.test', primaryObjectId: b.objectId })
    const db = new Database(join(b.t.dataDir, 'switchboard.db'))
    db.prepare("INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (NULL, 'gone@client.test', 'manual', 0)").run()
    const g = await send('gone@client.test')
    // The dashboard charts automated mail: these stand for sequence steps (the event log is the same).
    db.prepare("UPDATE outbound_messages SET source = 'sequence' WHERE id IN (?, ?, ?, ?)").run(a.id, c.id, f.id, g.id)
    expect(oneToOne.source).toBe('compose')
    // Next local day: an open and a click on a, a reply to c, a bounce on a.
    await b.advance(DAY)
    const at = b.t.clock.now()
    const ev = db.prepare('INSERT INTO message_events (outbound_id, type, detail, at) VALUES (?, ?, NULL, ?)')
    ev.run(a.id, 'opened', at)
    ev.run(a.id, 'opened', at + 1000) // a second open of the same message counts once
    ev.run(a.id, 'clicked', at)
    db.close()
    b.t.engine.hooks.emit('outbound.replied', { outboundId: c.id, contactId: null, messageId: 1 })
    b.t.engine.hooks.emit('outbound.bounced', { outboundId: a.id, contactId: null, email: 'a@client.test' })
    const s = await b.t.ok('analytics.summary', { objectId: b.objectId, from: '2026-01-04T05:00:00Z', to: '2026-01-07T05:00:00Z', groupBy: 'day' })
    expect(s.buckets.map((x) => x.at)).toEqual(['2026-01-04T05:00:00.000Z', '2026-01-05T05:00:00.000Z', '2026-01-06T05:00:00.000Z'])
    // 09:00 UTC is 04:00 on the 5th in New York: the second bucket.
    expect(s.buckets[1]).toMatchObject({ sent: 2, failed: 1, skipped: 1, replied: 0, opened: 0 })
    expect(s.buckets[2]).toMatchObject({ sent: 0, replied: 1, bounced: 1, opened: 1, clicked: 1 })
    expect(s.totals).toEqual({ sent: 2, failed: 1, skipped: 1, replied: 1, bounced: 1, opened: 1, clicked: 1 })
    const hourly = await b.t.ok('analytics.summary', { objectId: b.objectId, from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z', groupBy: 'hour' })
    expect(hourly.buckets).toHaveLength(24)
    expect(hourly.buckets[9]).toMatchObject({ at: '2026-01-05T09:00:00.000Z', sent: 2, failed: 1 })
    // A zone half an hour off UTC buckets on its own hour edges.
    const india = await b.t.ok('objects.create', { name: 'Mumbai Branch', timezone: 'Asia/Kolkata' })
    const ist = await b.t.ok('analytics.summary', { objectId: india.id, from: '2026-01-05T00:00:00Z', to: '2026-01-05T03:00:00Z', groupBy: 'hour' })
    expect(ist.buckets.map((x) => x.at)).toEqual(['2026-01-04T23:30:00.000Z', '2026-01-05T00:30:00.000Z', '2026-01-05T01:30:00.000Z', '2026-01-05T02:30:00.000Z'])
    expect(await b.t.err('analytics.summary', { from: '2026-01-05T00:00:00Z', to: '2026-01-04T00:00:00Z' })).toMatchObject({ code: 'VALIDATION', field: 'to' })
    expect(await b.t.err('analytics.summary', { objectId: 999, from: '2026-01-04T00:00:00Z', to: '2026-01-05T00:00:00Z' })).toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('CSV import into a sequence', () => {
  it('enrols imported contacts once, however often the file is imported', async () => {
    const b = await automationEngine()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps: [{ subject: 'Hi', bodyHtml: '<p>x</p>' }], mailboxIds: [b.mailboxId] })
    const csv = 'email,first name\nann@client.test,Ann\nbob@client.test,Bob\n'
    expect(await b.t.ok('contacts.import', { csv, objectId: b.objectId, sequenceId: seq.id })).toMatchObject({ imported: 2, enrolled: 2 })
    expect(await b.t.ok('contacts.import', { csv, objectId: b.objectId, sequenceId: seq.id })).toMatchObject({ updated: 2, enrolled: 0 })
    await b.idle()
    expect(b.stub.sent.map((r) => r.toJson).sort()).toEqual(['["ann@client.test"]', '["bob@client.test"]'])
    expect(await b.t.err('contacts.import', { csv, objectId: b.objectId, sequenceId: 999 })).toMatchObject({ code: 'NOT_FOUND', field: 'sequenceId' })
  })
})

describe('one transaction per firing', () => {
  it('when the causing transaction fails, neither the execution nor the outbound row remains', async () => {
    const b = await automationEngine()
    const a = await b.t.ok('autoresponders.create', { name: 'Welcome', trigger: { type: 'CONTACT_CREATED' }, actions: [{ subject: 'Hi', bodyHtml: '<p>x</p>' }] })
    // A later listener of the same hook throws: the contact, the execution and the row roll back together.
    const off = b.t.engine.hooks.on('contacts.created', () => {
      throw new Error('boom')
    })
    expect((await b.t.err('contacts.create', { email: 'ann@client.test', primaryObjectId: b.objectId })).code).toBe('INTERNAL')
    off()
    expect(await b.t.ok('autoresponders.executions', { autoresponderId: a.id })).toEqual([])
    expect((await b.t.ok('outbox.list', {})).items).toEqual([])
    expect((await b.t.ok('contacts.list', {})).total).toBe(0)
    await b.t.ok('contacts.create', { email: 'ann@client.test', primaryObjectId: b.objectId })
    expect(await b.t.ok('autoresponders.executions', { autoresponderId: a.id })).toHaveLength(1)
  })
})
