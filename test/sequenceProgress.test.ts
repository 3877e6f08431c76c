// Defect 7 (issue 20): sequence progress from the truth. "Next step: 2 minutes ago" for a contact whose
// step is scheduled tomorrow; "Step 3 of 3" for a contact that replied after step 2; the dashboard's
// automation charts counting one-to-one mail.
import { describe, expect, it } from 'vitest'
import { automationEngine, type Biz } from './automationSetup'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const steps = [
  { subject: 'Hello {{contact.first_name}}', bodyHtml: '<p>Step one</p>', wait: { value: 0, unit: 'days' as const } },
  { subject: 'Following up', bodyHtml: '<p>Step two</p>', wait: { value: 2, unit: 'days' as const } },
  { subject: 'Last note', bodyHtml: '<p>Step three</p>', wait: { value: 3, unit: 'days' as const } },
]
const contact = (b: Biz, email: string, extra: Record<string, unknown> = {}) => b.t.ok('contacts.create', { email, firstName: email.split('@')[0], primaryObjectId: b.objectId, ...extra })
const member = async (b: Biz, sequenceId: number, email: string) => (await b.t.ok('sequences.contacts', { sequenceId })).items.find((m) => m.email === email)!

describe('sequence progress', () => {
  it('a step written to the outbox for tomorrow says tomorrow, not the moment it was written', async () => {
    const b = await automationEngine() // Monday 09:00 UTC = 18:00 in Tokyo, outside 9-17
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps, mailboxIds: [b.mailboxId], window: { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 } })
    const tokyo = await contact(b, 'tokyo@client.test', { timezone: 'Asia/Tokyo' })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [tokyo.id] })
    await b.idle()
    await b.advance(2 * MIN)
    const m = await member(b, seq.id, 'tokyo@client.test')
    expect(m).toMatchObject({ status: 'active', nextStep: 1, nextState: 'scheduled', stepsSent: 0, lastSentStep: null, stoppedReason: null })
    expect(m.nextStepAt).toBe(new Date(Date.UTC(2026, 0, 6, 0)).toISOString()) // Tuesday 09:00 Tokyo
    expect(Date.parse(m.nextStepAt!)).toBeGreaterThan(b.t.clock.now())
  })

  it('between steps: waiting for the next step’s wait; a stop on a reply after step 2 says so, not "step 3 of 3"', async () => {
    const b = await automationEngine()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps, mailboxIds: [b.mailboxId] })
    const ann = await contact(b, 'ann@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    await b.idle()
    const sentAt = b.t.clock.now()
    let m = await member(b, seq.id, 'ann@client.test')
    expect(m).toMatchObject({ status: 'active', stepsSent: 1, lastSentStep: 1, nextStep: 2, nextState: 'waiting' })
    expect(m.nextStepAt).toBe(new Date(sentAt + 2 * DAY).toISOString())

    await b.advance(2 * DAY)
    m = await member(b, seq.id, 'ann@client.test')
    expect(m).toMatchObject({ stepsSent: 2, lastSentStep: 2, nextStep: 3, nextState: 'waiting' })
    const step2 = (await b.t.ok('outbox.list', {})).items.find((r) => r.subject === 'Following up')!
    b.t.engine.hooks.emit('outbound.replied', { outboundId: step2.id, contactId: ann.id, messageId: 1 })
    m = await member(b, seq.id, 'ann@client.test')
    expect(m).toMatchObject({ status: 'replied', stepsSent: 2, lastSentStep: 2, nextStep: null, nextState: null, nextStepAt: null, stoppedReason: 'Replied after step 2' })
  })

  it('a paused sequence says paused; a step held by its mailbox says why', async () => {
    const b = await automationEngine({ cap: 1 })
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps, mailboxIds: [b.mailboxId] })
    const a = await contact(b, 'a@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [a.id] })
    await b.t.ok('sequences.pause', { id: seq.id })
    expect(await member(b, seq.id, 'a@client.test')).toMatchObject({ status: 'active', nextStep: 1, nextState: 'paused' })
    await b.t.ok('sequences.resume', { id: seq.id })
    await b.idle()
    expect(await member(b, seq.id, 'a@client.test')).toMatchObject({ stepsSent: 1, nextState: 'waiting' })

    // Step 2 meets a mailbox whose sign-in fails: held, with the reason, not "due 2 minutes ago".
    b.stub.script = ['auth']
    await b.advance(2 * DAY)
    await b.advance(2 * MIN)
    expect(await member(b, seq.id, 'a@client.test')).toMatchObject({ status: 'active', stepsSent: 1, lastSentStep: 1, nextStep: 2, nextState: 'held', heldReason: 'Mailbox sign-in failed' })
  })

  it('a step held because its mail server does not answer says so in words, not "unreachable"', async () => {
    const b = await automationEngine()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps, mailboxIds: [b.mailboxId] })
    const a = await contact(b, 'a@client.test')
    // The network is up but the server's port refuses: the row is held as 'unreachable' (outbound/holds.ts).
    b.stub.script = [{ kind: 'offline', code: 'CONNECTION_REFUSED' }]
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [a.id] })
    await b.idle()
    const row = (await b.t.ok('outbox.list', {})).items.find((r) => r.subject.startsWith('Hello'))!
    expect(row).toMatchObject({ status: 'held', statusReason: 'unreachable' })
    expect(await member(b, seq.id, 'a@client.test')).toMatchObject({ nextStep: 1, nextState: 'held', heldReason: 'Can’t reach the mail server' })
  })

  it('a failed send is retried: the contact says retrying, at the retry time', async () => {
    const b = await automationEngine()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps, mailboxIds: [b.mailboxId] })
    const a = await contact(b, 'a@client.test')
    b.stub.script = ['transient']
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [a.id] })
    await b.idle()
    const m = await member(b, seq.id, 'a@client.test')
    expect(m).toMatchObject({ nextStep: 1, nextState: 'retrying', stepsSent: 0 })
    expect(Date.parse(m.nextStepAt!)).toBeGreaterThan(b.t.clock.now())
  })
})

describe('the per-contact table pages', () => {
  it('with the one page-cursor format: every contact once across pages, and a bad cursor a clear VALIDATION', async () => {
    const b = await automationEngine()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps, mailboxIds: [b.mailboxId] })
    const ids = []
    for (const e of ['a', 'b', 'c', 'd', 'e']) ids.push((await contact(b, `${e}@client.test`)).id)
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: ids })
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 5; page++) {
      const r = await b.t.ok('sequences.contacts', { sequenceId: seq.id, limit: 2, ...(cursor ? { cursor } : {}) })
      expect(r.total).toBe(5)
      seen.push(...r.items.map((m) => m.email))
      if (!r.nextCursor) break
      cursor = r.nextCursor
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((e) => `${e}@client.test`))
    for (const bad of ['abc', '3', 'WzEsMl0']) // not base64 JSON, the old bare-id format, two keys
      expect(await b.t.err('sequences.contacts', { sequenceId: seq.id, cursor: bad, limit: 2 })).toMatchObject({
        code: 'VALIDATION',
        field: 'cursor',
        message: 'The page cursor is not valid; start again from the first page',
      })
  })
})

describe('dashboard counts automated mail only', () => {
  it('one-to-one mail is not in analytics.summary; autoresponder and sequence mail are', async () => {
    const b = await automationEngine()
    await b.t.ok('mail.send', { profileId: b.profileId, to: ['friend@client.test'], subject: 'Lunch?', html: '<p>Lunch?</p>' })
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps: [steps[0]!], mailboxIds: [b.mailboxId] })
    const ann = await contact(b, 'ann@client.test')
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    const tag = await b.t.ok('tags.create', { name: 'New' })
    await b.t.ok('autoresponders.create', { name: 'Hi', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'Hi', bodyHtml: '<p>Hi</p>' }] })
    await b.t.ok('contacts.addTag', { contactIds: [ann.id], tagId: tag.id })
    await b.idle()
    expect(b.stub.sent).toHaveLength(3)
    const s = await b.t.ok('analytics.summary', { from: '2026-01-04T00:00:00Z', to: '2026-01-07T00:00:00Z' })
    expect(s.totals.sent).toBe(2)
    const byObject = await b.t.ok('analytics.summary', { objectId: b.objectId, from: '2026-01-04T00:00:00Z', to: '2026-01-07T00:00:00Z' })
    expect(byObject.totals.sent).toBe(2)
  })
})
