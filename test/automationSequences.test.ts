// Sequences (seed 002) on the test clock: enrolment, rotation, threading, scheduling of the next step in
// the transaction that records the current one, stop on reply/bounce/unsubscribe, 3 failures, pause and
// resume, sending windows and the daily cap.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { windowsAllow } from '../src/main/engine/automation/sequenceRun'
import type { Ctx } from '../src/main/engine/context'
import { addBusiness, automationEngine, type Biz } from './automationSetup'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const steps = [
  { subject: 'Hello {{contact.first_name}}', bodyHtml: '<p>Step one for {{contact.first_name}}</p>', wait: { value: 0, unit: 'days' as const } },
  { subject: 'Following up', bodyHtml: '<p>Step two</p>', wait: { value: 2, unit: 'days' as const } },
  { subject: 'Last note', bodyHtml: '<p>Step three</p>', wait: { value: 3, unit: 'days' as const } },
]

async function withSequence(b: Biz, extra: Record<string, unknown> = {}, mailboxIds = [b.mailboxId]) {
  return b.t.ok('sequences.create', { name: 'Follow-up', objectId: b.objectId, steps, mailboxIds, ...extra })
}
const contact = (b: Biz, email: string, extra: Record<string, unknown> = {}) => b.t.ok('contacts.create', { email, firstName: email.split('@')[0], primaryObjectId: b.objectId, ...extra })
const members = async (b: Biz, sequenceId: number) => (await b.t.ok('sequences.contacts', { sequenceId })).items
const headers = (b: Biz, i: number) => JSON.parse(b.stub.sent[i]!.headersJson) as Record<string, string>

describe('sequences', () => {
  it('refuses a mailbox of another business or without a profile, and unknown template variables', async () => {
    const b = await automationEngine()
    const other = await addBusiness(b.t, 'Other', 'x@other.test')
    expect(await b.t.err('sequences.create', { name: 'S', objectId: b.objectId, steps, mailboxIds: [other.mailboxId] })).toMatchObject({ code: 'VALIDATION', field: 'mailboxIds.0' })
    expect(
      await b.t.err('sequences.create', { name: 'S', objectId: b.objectId, steps: [steps[0], { subject: 'x', bodyHtml: '{{contact.nickname}}' }], mailboxIds: [b.mailboxId] }),
    ).toMatchObject({ code: 'VALIDATION', field: 'steps.1.bodyHtml' })
  })

  it('enrols by selection and by tag, idempotently, skipping other businesses and email-less contacts', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b)
    const tag = await b.t.ok('tags.create', { name: 'Leads' })
    const a = await contact(b, 'a@client.test')
    const c2 = await contact(b, 'b@client.test')
    const other = await addBusiness(b.t, 'Other', 'x@other.test')
    const foreign = await b.t.ok('contacts.create', { email: 'f@client.test', primaryObjectId: other.objectId })
    const noEmail = await b.t.ok('contacts.create', { firstName: 'Phone only', phone: '+1 555 555 0100', primaryObjectId: b.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [a.id, c2.id], tagId: tag.id })
    expect(await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [a.id, foreign.id, noEmail.id] })).toEqual({ enrolled: 1, alreadyEnrolled: 0, skipped: 2 })
    expect(await b.t.ok('sequences.enroll', { sequenceId: seq.id, tagId: tag.id })).toEqual({ enrolled: 1, alreadyEnrolled: 1, skipped: 0 })
    expect(await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [a.id, c2.id], tagId: tag.id })).toEqual({ enrolled: 0, alreadyEnrolled: 2, skipped: 0 })
    expect(await b.t.err('sequences.enroll', { sequenceId: seq.id, contactIds: [999] })).toMatchObject({ code: 'NOT_FOUND', field: 'contactIds' })
    expect((await b.t.ok('sequences.get', { id: seq.id })).counts).toEqual({ active: 2 })
  })

  it('rotates mailboxes across contacts, keeps each contact on its first mailbox, threads follow-ups, schedules each next step when the last is sent', async () => {
    const b = await automationEngine()
    const m2 = await b.t.ok('mailboxes.create', { objectId: b.objectId, email: 'two@eve.test', dailyCapacity: 100, minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'two', password: 'pw' } })
    await b.t.ok('profiles.create', { objectId: b.objectId, email: 'two@eve.test', displayName: 'Two', transport: { kind: 'smtp', mailboxId: m2.id } })
    const seq = await withSequence(b, {}, [b.mailboxId, m2.id])
    const people = [await contact(b, 'a@client.test'), await contact(b, 'b@client.test'), await contact(b, 'c@client.test')]
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: people.map((p) => p.id) })
    await b.idle()
    expect(b.stub.sent.map((r) => `${r.toJson} ${r.fromEmail}`)).toEqual(['["a@client.test"] hello@eve.test', '["b@client.test"] two@eve.test', '["c@client.test"] hello@eve.test'])
    const firstIds = new Map(b.stub.sent.map((r) => [r.toJson, r.messageId]))
    const firstFrom = new Map(b.stub.sent.map((r) => [r.toJson, r.fromEmail]))
    expect(headers(b, 0)).toEqual({ 'List-Unsubscribe': '<mailto:hello@eve.test?subject=unsubscribe%20a%40client.test>' })
    const sentAt = b.t.clock.now()
    for (const m of await members(b, seq.id)) expect(m).toMatchObject({ status: 'active', currentStep: 2, nextStepAt: new Date(sentAt + 2 * DAY).toISOString() })
    await b.advance(2 * DAY - 1)
    expect(b.stub.sent).toHaveLength(3)
    await b.advance(1)
    expect(b.stub.sent.slice(3).map((r) => r.subject)).toEqual(['Following up', 'Following up', 'Following up'])
    for (const r of b.stub.sent.slice(3)) {
      const h = JSON.parse(r.headersJson) as Record<string, string>
      expect(h['In-Reply-To']).toBe(firstIds.get(r.toJson))
      expect(h['References']).toBe(firstIds.get(r.toJson))
      expect(r.fromEmail).toBe(firstFrom.get(r.toJson))
    }
    await b.advance(3 * DAY)
    expect(b.stub.sent).toHaveLength(9)
    expect((await members(b, seq.id)).map((m) => m.status)).toEqual(['completed', 'completed', 'completed'])
    const f = await b.t.ok('analytics.funnel', { sequenceId: seq.id })
    expect(f).toMatchObject({ enrolled: 3, steps: [{ position: 1, sent: 3 }, { position: 2, sent: 3 }, { position: 3, sent: 3 }] })
  })

  it('a reply stops the contact: step 2 is never sent; without a reply it is', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b)
    const ann = await contact(b, 'ann@client.test')
    const bob = await contact(b, 'bob@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id, bob.id] })
    await b.idle()
    const annStep1 = (await b.t.ok('outbox.list', {})).items.find((m) => m.to[0] === 'ann@client.test')!
    b.t.engine.hooks.emit('outbound.replied', { outboundId: annStep1.id, contactId: ann.id, messageId: 1 })
    await b.advance(2 * DAY)
    expect(b.stub.sent.map((r) => `${r.toJson} ${r.subject}`)).toEqual(['["ann@client.test"] Hello ann', '["bob@client.test"] Hello bob', '["bob@client.test"] Following up'])
    const byEmail = Object.fromEntries((await members(b, seq.id)).map((m) => [m.email, m]))
    expect(byEmail['ann@client.test']).toMatchObject({ status: 'replied', currentStep: 2, nextStepAt: null })
    expect(byEmail['bob@client.test']).toMatchObject({ status: 'active', currentStep: 3 })
    expect((await b.t.ok('analytics.funnel', { sequenceId: seq.id })).steps[0]).toMatchObject({ sent: 2, replied: 1 })
    // A reply to a message that no longer exists stops nothing and throws nothing.
    b.t.engine.hooks.emit('outbound.replied', { outboundId: 9999, contactId: null, messageId: 2 })
    b.t.engine.hooks.emit('outbound.bounced', { outboundId: 9999, contactId: null, email: 'x@client.test' })
  })

  it('a reply while the next step waits in the outbox cancels it', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b)
    const ann = await contact(b, 'ann@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    await b.idle()
    // The mailbox is paused: step 2 is written into the outbox when due, and held there.
    await b.t.ok('mailboxes.update', { id: b.mailboxId, status: 'paused' })
    await b.advance(2 * DAY)
    const list = (await b.t.ok('outbox.list', {})).items
    const step2 = list.find((m) => m.subject === 'Following up')!
    expect(step2).toMatchObject({ status: 'held', statusReason: 'paused' })
    b.t.engine.hooks.emit('outbound.replied', { outboundId: list.find((m) => m.subject === 'Hello ann')!.id, contactId: ann.id, messageId: 7 })
    expect(await b.t.ok('outbox.get', { id: step2.id })).toMatchObject({ status: 'cancelled' })
    await b.t.ok('mailboxes.update', { id: b.mailboxId, status: 'active' })
    await b.advance(DAY)
    expect(b.stub.sent).toHaveLength(1)
  })

  it('a bounce or an unsubscribe stops the contact', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b)
    const ann = await contact(b, 'ann@client.test')
    const bob = await contact(b, 'bob@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id, bob.id] })
    await b.idle()
    const annRow = (await b.t.ok('outbox.list', {})).items.find((m) => m.to[0] === 'ann@client.test')!
    b.t.engine.hooks.emit('outbound.bounced', { outboundId: annRow.id, contactId: ann.id, email: 'ann@client.test' })
    b.t.engine.hooks.emit('contacts.unsubscribed', { contactId: bob.id, reason: 'unsubscribed' })
    await b.advance(2 * DAY)
    expect(b.stub.sent).toHaveLength(2)
    const byEmail = Object.fromEntries((await members(b, seq.id)).map((m) => [m.email, m.status]))
    expect(byEmail).toEqual({ 'ann@client.test': 'bounced', 'bob@client.test': 'unsubscribed' })
  })

  it('after 3 failed attempts the message fails for good and the sequence contact is bounced', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b)
    const ann = await contact(b, 'ann@client.test')
    b.stub.script = ['transient', 'transient', 'transient']
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    await b.idle()
    await b.advance(60_000 * 1.2)
    await b.advance(60_000 * 6)
    const [row] = (await b.t.ok('outbox.list', {})).items
    expect(row).toMatchObject({ status: 'failed', attempts: 3, maxAttempts: 3 })
    const [m] = await members(b, seq.id)
    expect(m).toMatchObject({ status: 'bounced' })
    expect(m!.lastError).toBe('permanent_failure: scripted transient')
    await b.advance(3 * DAY)
    expect(b.stub.sent).toHaveLength(0)
  })

  it('pauses and resumes a whole sequence and single contacts', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b)
    const ann = await contact(b, 'ann@client.test')
    const bob = await contact(b, 'bob@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id, bob.id] })
    await b.idle()
    expect((await b.t.ok('sequences.pause', { id: seq.id })).status).toBe('paused')
    await b.advance(3 * DAY)
    expect(b.stub.sent).toHaveLength(2)
    await b.t.ok('sequences.pause', { id: seq.id, contactIds: [bob.id] })
    expect((await b.t.ok('sequences.resume', { id: seq.id })).status).toBe('active')
    await b.idle()
    expect(b.stub.sent.map((r) => `${r.toJson} ${r.subject}`).slice(2)).toEqual(['["ann@client.test"] Following up'])
    const s = await b.t.ok('sequences.resume', { id: seq.id, contactIds: [bob.id] })
    expect(s.counts).toEqual({ active: 2 })
    await b.idle()
    expect(b.stub.sent.map((r) => `${r.toJson} ${r.subject}`).slice(3)).toEqual(['["bob@client.test"] Following up'])
  })

  it('a step a contact cannot fill is skipped with the reason, never sent blank', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b, { steps: [{ subject: 'Hi', bodyHtml: '<p>Your code {{contact.fields.code}}</p>' }] })
    const ann = await contact(b, 'ann@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    await b.idle()
    expect(b.stub.sent).toHaveLength(0)
    const [m] = await members(b, seq.id)
    expect(m!.status).toBe('failed')
    expect(m!.lastError).toMatch(/^Step 1 skipped: The template uses \{\{contact\.fields\.code\}\}/)
  })
})

describe('sending windows and the daily cap', () => {
  // The test clock starts Monday 2026-01-05 09:00 UTC = 04:00 in New York.
  const window = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 }
  const nyNine = Date.UTC(2026, 0, 5, 14) // Monday 09:00 New York

  it('a step due outside the window goes at the window’s next opening, in the contact’s zone (else the object’s)', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b, { window })
    const ny = await contact(b, 'ny@client.test')
    const tokyo = await contact(b, 'tokyo@client.test', { timezone: 'Asia/Tokyo' }) // 18:00 Monday in Tokyo: closed
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ny.id, tokyo.id] })
    await b.idle()
    expect(b.stub.sent).toHaveLength(0)
    const rows = (await b.t.ok('outbox.list', {})).items
    const at = Object.fromEntries(rows.map((r) => [r.to[0], Date.parse(r.scheduledFor)]))
    expect(at['ny@client.test']).toBe(nyNine)
    expect(at['tokyo@client.test']).toBe(Date.UTC(2026, 0, 6, 0)) // Tuesday 09:00 Tokyo
    await b.advance(nyNine - b.t.clock.now() - 1)
    expect(b.stub.sent).toHaveLength(0)
    await b.advance(1)
    expect(b.stub.sent.map((r) => r.toJson)).toEqual(['["ny@client.test"]'])
    await b.advance(Date.UTC(2026, 0, 6, 0) - b.t.clock.now())
    expect(b.stub.sent.map((r) => r.toJson)).toEqual(['["ny@client.test"]', '["tokyo@client.test"]'])
  })

  it('a claim asks for the windows of its whole batch at once: each row in its contact’s zone, others absent', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b, { window })
    const ny = await contact(b, 'ny@client.test')
    const tokyo = await contact(b, 'tokyo@client.test', { timezone: 'Asia/Tokyo' })
    const ny2 = await contact(b, 'ny2@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ny.id, tokyo.id, ny2.id] })
    await b.idle()
    const composed = await b.t.ok('mail.send', { profileId: b.profileId, to: ['walk-in@client.test'], subject: 'Hi', html: '<p>Hi</p>', sendAt: new Date(nyNine).toISOString() })
    const db = new Database(join(b.t.dataDir, 'switchboard.db'), { readonly: true })
    try {
      const rows = db.prepare('SELECT id, source, contact_id AS contactId, to_json AS toJson FROM outbound_messages').all() as Array<{ id: number; source: string; contactId: number | null; toJson: string }>
      const at = Date.UTC(2026, 0, 5, 15) // Monday 10:00 in New York, Tuesday 00:00 in Tokyo
      const opens = windowsAllow({ sqlite: db } as unknown as Ctx, rows as never, at)
      expect(Object.fromEntries([...opens].map(([id, t]) => [rows.find((r) => r.id === id)!.toJson, t]))).toEqual({
        '["ny@client.test"]': at,
        '["ny2@client.test"]': at,
        '["tokyo@client.test"]': Date.UTC(2026, 0, 6, 0), // Tuesday 09:00 in Tokyo
      })
      expect(opens.has(composed.id)).toBe(false)
    } finally {
      db.close()
    }
  })

  it('a row that becomes due outside its window (a retry) is held with reason window until it opens', async () => {
    const b = await automationEngine({ start: Date.UTC(2026, 0, 5, 21, 59) }) // 16:59 New York
    const seq = await withSequence(b, { window })
    const ny = await contact(b, 'ny@client.test')
    b.stub.script = ['transient']
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ny.id] })
    await b.idle()
    await b.advance(2 * 60_000) // the retry is due at 17:00.2, after the window closed
    const [row] = (await b.t.ok('outbox.list', {})).items
    expect(row).toMatchObject({ status: 'held', statusReason: 'window', nextAttemptAt: new Date(Date.UTC(2026, 0, 6, 14)).toISOString() })
    await b.advance(Date.UTC(2026, 0, 6, 14) - b.t.clock.now())
    expect(b.stub.sent).toHaveLength(1)
  })

  it('steps beyond a mailbox’s cap wait for its next day instead of piling up in the outbox, then for the window', async () => {
    const b = await automationEngine({ start: Date.UTC(2026, 0, 5, 15), cap: 1 }) // 10:00 New York
    const seq = await withSequence(b, { window })
    const a = await contact(b, 'a@client.test')
    const c = await contact(b, 'c@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [a.id, c.id] })
    await b.idle()
    expect(b.stub.sent.map((r) => r.toJson)).toEqual(['["a@client.test"]'])
    expect((await b.t.ok('outbox.list', {})).items).toHaveLength(1)
    const later = (await members(b, seq.id)).find((m) => m.email === 'c@client.test')!
    expect(later).toMatchObject({ status: 'active', currentStep: 1, nextStepAt: '2026-01-06T05:00:00.000Z' }) // New York's midnight
    await b.advance(Date.UTC(2026, 0, 6, 5, 1) - b.t.clock.now())
    const row = (await b.t.ok('outbox.list', {})).items.find((m) => m.to[0] === 'c@client.test')!
    expect(row).toMatchObject({ status: 'queued', scheduledFor: new Date(nyNine + DAY).toISOString() })
    expect(b.stub.sent).toHaveLength(1)
    await b.advance(nyNine + DAY - b.t.clock.now())
    expect(b.stub.sent).toHaveLength(2)
  })

  it('a step the cap stops at send time is held until its window opens the next day, not until midnight', async () => {
    const b = await automationEngine({ cap: 1 }) // 04:00 New York: the step is written for 09:00
    const seq = await withSequence(b, { window })
    const a = await contact(b, 'a@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [a.id] })
    await b.idle()
    // A message written by hand uses the day's only slot first.
    await b.t.ok('mail.send', { profileId: b.profileId, to: ['boss@client.test'], subject: 'By hand', html: '<p>x</p>' })
    await b.idle()
    await b.advance(nyNine - b.t.clock.now())
    const held = (await b.t.ok('outbox.list', { status: 'held' })).items[0]!
    expect(held).toMatchObject({ statusReason: 'capacity', nextAttemptAt: new Date(nyNine + DAY).toISOString() })
    await b.advance(Date.UTC(2026, 0, 6, 5, 1) - b.t.clock.now()) // just after midnight New York
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['By hand'])
    await b.advance(nyNine + DAY - b.t.clock.now())
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['By hand', 'Hello a'])
  })
})

describe('the runner on its own', () => {
  it('sends step 1 after an enrolment and step 2 after the clock passes the wait, with no one calling it', async () => {
    const b = await automationEngine()
    const seq = await withSequence(b)
    const ann = await contact(b, 'ann@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    const until = async (n: number) => {
      for (let i = 0; i < 100 && b.stub.sent.length < n; i++) {
        await b.t.engine.outbound.scheduler.idle()
        await new Promise((r) => setTimeout(r, 20))
      }
      return b.stub.sent.map((r) => r.subject)
    }
    expect(await until(1)).toEqual(['Hello ann'])
    await b.t.ok('clock.advance', { ms: 2 * DAY })
    expect(await until(2)).toEqual(['Hello ann', 'Following up'])
    // A step with no wait is due the moment the one before is sent: the send itself wakes the runner.
    const quick = await b.t.ok('sequences.create', { name: 'Quick', objectId: b.objectId, steps: [steps[0], { ...steps[1], wait: { value: 0, unit: 'minutes' } }], mailboxIds: [b.mailboxId] })
    await b.t.ok('sequences.enroll', { sequenceId: quick.id, contactIds: [ann.id] })
    expect(await until(4)).toEqual(['Hello ann', 'Following up', 'Hello ann', 'Following up'])
    expect(b.t.events.some((e) => e.event === 'automation.changed')).toBe(true)
  })

  it('an autoresponder queued by tagging goes out without anyone waking the sender', async () => {
    const b = await automationEngine()
    const ann = await contact(b, 'ann@client.test')
    const tag = await b.t.ok('tags.create', { name: 'Holiday form' })
    await b.t.ok('autoresponders.create', { name: 'Hi', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'Tagged', bodyHtml: '<p>x</p>' }] })
    await b.t.engine.outbound.scheduler.idle()
    await new Promise((r) => setTimeout(r, 50))
    await b.t.ok('contacts.addTag', { contactIds: [ann.id], tagId: tag.id })
    for (let i = 0; i < 100 && b.stub.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Tagged'])
  })
})
