// SMS and WhatsApp steps in sequences and autoresponders (issue 17 item 7), on the test clock against the fake
// Twilio (texts) and a scripted SMTP transport (mail): each step once at its time, consent and a missing number
// skip a step and the sequence goes on, a reply by text stops it, an autoresponder answers by SMS, the save
// refuses a text step the business cannot send, and a restart mid-sequence sends nothing twice.
import { afterEach, describe, expect, it } from 'vitest'
import { addBusiness } from './automationSetup'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine } from './helpers'
import { stubSender, type Stub } from './outbound/stubSender'

const TOKEN = 'fake-auth-token-0123456789'
const OUR_SMS = '+15555550199'
const OUR_WA = '+15555550198'
const ANN = '+15555550101'
const BO = '+15555550102'
const HOUR = 3_600_000
const DAY = 24 * HOUR

let fake: FakeTwilio | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(o: { dataDir?: string; start?: number; twilio?: boolean; stub?: Stub } = {}) {
  const stub = o.stub ?? stubSender()
  const t = freshEngine({
    dataDir: o.dataDir,
    start: o.start,
    outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0, scheduler: { random: () => 0.5 }, wrapSender: (kind, real) => (kind === 'smtp' ? stub.sender(real) : real) },
    channels: { statusPollMs: 0, inboundPollMs: 0 },
  })
  const idle = async () => {
    for (let i = 0; i < 2; i++) {
      t.engine.automation.runDue()
      await t.engine.outbound.scheduler.idle()
    }
  }
  const advance = async (ms: number) => {
    await t.ok('clock.advance', { ms })
    await idle()
  }
  return { t, stub, idle, advance }
}

async function business(o: { twilio?: boolean } = {}) {
  const e = await setup()
  fake = await startFakeTwilio({ authToken: TOKEN, now: () => e.t.clock.now() })
  const biz = await addBusiness(e.t, 'Eve Beauty', 'hello@eve.test')
  if (o.twilio !== false)
    await e.t.ok('twilio.upsert', { objectId: biz.objectId, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: OUR_SMS, whatsappFrom: OUR_WA, apiBaseUrl: fake.url, smsPerSecond: 100, whatsappPerSecond: 100 })
  const ann = await e.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', phone: ANN, primaryObjectId: biz.objectId })
  return { ...e, ...biz, fake: fake!, ann }
}
type B = Awaited<ReturnType<typeof business>>

const emailStep = (subject: string, days = 0) => ({ subject, bodyHtml: `<p>${subject} {{contact.first_name}}</p>`, wait: { value: days, unit: 'days' as const } })
const smsStep = (body: string, days = 0) => ({ channel: 'sms' as const, body, wait: { value: days, unit: 'days' as const } })
const member = async (b: B, sequenceId: number) => (await b.t.ok('sequences.contacts', { sequenceId })).items[0]!
const textsTo = (b: B, phone: string) => b.fake.sent.filter((s) => s.fields.To === phone || s.fields.To === `whatsapp:${phone}`).map((s) => s.fields.Body ?? `template ${s.fields.ContentSid}`)
/** Someone texts us, and the inbound poll brings it in. */
async function textsIn(b: B, from: string, body: string) {
  b.fake.inbound({ from, to: OUR_SMS, body })
  await b.t.ok('clock.advance', { ms: 1000 })
  await b.t.ok('texts.poll', {})
  await b.idle()
}

describe('text steps in sequences', () => {
  it('an email then an SMS: each goes once, at its time, the SMS with its variables filled', async () => {
    const b = await business()
    const seq = await b.t.ok('sequences.create', { name: 'Welcome', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [emailStep('Hello'), smsStep('Hi {{contact.first_name}}, any questions? — {{object.name}}', 2)] })
    expect(seq.steps.map((s) => [s.channel, s.body])).toEqual([
      ['email', null],
      ['sms', 'Hi {{contact.first_name}}, any questions? — {{object.name}}'],
    ])
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [b.ann.id] })
    await b.idle()
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Hello'])
    expect(b.fake.sent).toHaveLength(0)
    expect(await member(b, seq.id)).toMatchObject({ status: 'active', currentStep: 2, stepsSent: 1 })
    await b.advance(2 * DAY - 1)
    expect(b.fake.sent).toHaveLength(0)
    await b.advance(1)
    expect(b.fake.sent.map((s) => s.fields)).toEqual([{ To: ANN, From: OUR_SMS, Body: 'Hi Ann, any questions? — Eve Beauty' }])
    await b.advance(5 * DAY)
    expect(b.fake.sent).toHaveLength(1)
    expect(b.stub.sent).toHaveLength(1)
    expect(await member(b, seq.id)).toMatchObject({ status: 'completed', stepsSent: 2, lastSentStep: 2 })
    const rows = (await b.t.ok('outbox.list', {})).items
    expect(rows.map((r) => [r.channel, r.source, r.status]).sort()).toEqual([
      ['email', 'sequence', 'sent'],
      ['sms', 'sequence', 'sent'],
    ])
    expect((await b.t.ok('analytics.funnel', { sequenceId: seq.id })).steps.map((s) => s.sent)).toEqual([1, 1])
    // The contact's story shows the text sent with its channel, apart from the mail.
    const story = (await b.t.ok('timeline.list', { contactId: b.ann.id, kinds: ['mail'] })).items
    expect(story.map((i) => [i.type, i.title, i.status])).toEqual([
      ['text_out', 'SMS', 'sent'],
      ['outbound', 'Hello', 'sent'],
    ])
    expect(story[0]!.detail).toBe('Hi Ann, any questions? — Eve Beauty')
  })

  it('a contact opted out of SMS has the SMS step skipped with the reason, and the sequence goes on', async () => {
    const b = await business()
    await textsIn(b, ANN, 'STOP')
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [smsStep('Hi {{contact.first_name}}'), emailStep('Then mail', 1)] })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [b.ann.id] })
    await b.idle()
    const skipped = (await b.t.ok('outbox.list', {})).items.find((r) => r.channel === 'sms')!
    expect(skipped).toMatchObject({ status: 'skipped', source: 'sequence' })
    expect(skipped.statusReason).toMatch(/opted out of SMS \(replied STOP\)/)
    expect(await member(b, seq.id)).toMatchObject({ status: 'active', currentStep: 2 })
    await b.advance(DAY)
    expect(b.fake.sent).toHaveLength(0)
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Then mail'])
    expect(await member(b, seq.id)).toMatchObject({ status: 'completed' })
  })

  it('an opt-out after the SMS was queued withdraws it and the sequence still goes on', async () => {
    const b = await business()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], window: { days: [0, 1, 2, 3, 4, 5, 6], startHour: 9, endHour: 17 }, steps: [smsStep('Hi'), emailStep('Then mail', 1)] })
    // 03:00 in New York: the SMS waits in the outbox for 09:00.
    await b.t.ok('clock.advance', { ms: Date.parse('2026-12-07T08:00:00Z') - b.t.clock.now() })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [b.ann.id] })
    await b.idle()
    const queued = (await b.t.ok('outbox.list', {})).items.find((r) => r.channel === 'sms')!
    expect(queued.status).toBe('queued')
    await textsIn(b, ANN, 'stop')
    expect((await b.t.ok('outbox.get', { id: queued.id })).status).toBe('cancelled')
    expect(await member(b, seq.id)).toMatchObject({ status: 'active', currentStep: 2 })
    await b.advance(DAY)
    await b.advance(6 * HOUR)
    expect(b.fake.sent).toHaveLength(0)
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Then mail'])
  })

  it('a contact without a phone has the text step skipped with the reason; phone-only contacts can be enrolled', async () => {
    const b = await business()
    const mailOnly = await b.t.ok('contacts.create', { email: 'cy@client.test', firstName: 'Cy', primaryObjectId: b.objectId })
    const phoneOnly = await b.t.ok('contacts.create', { firstName: 'Bo', phone: BO, primaryObjectId: b.objectId })
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [smsStep('Hi {{contact.first_name}}'), emailStep('Mail', 1)] })
    expect(await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [mailOnly.id, phoneOnly.id] })).toEqual({ enrolled: 2, alreadyEnrolled: 0, skipped: 0 })
    await b.idle()
    const byName = async () => Object.fromEntries((await b.t.ok('sequences.contacts', { sequenceId: seq.id })).items.map((m) => [m.name, m]))
    expect((await byName())['Cy']).toMatchObject({ status: 'active', currentStep: 2, lastError: 'Step 1 (SMS) skipped: The contact has no phone number' })
    await b.advance(DAY)
    expect(textsTo(b, BO)).toEqual(['Hi Bo'])
    expect(b.stub.sent.map((r) => r.toJson)).toEqual(['["cy@client.test"]'])
    expect((await byName())['Cy']).toMatchObject({ status: 'completed', stepsSent: 1 })
    expect((await byName())['Bo']).toMatchObject({ status: 'completed', lastError: 'Step 2 (Email) skipped: The contact has no email address' })
    // An email-only sequence still enrols by email only.
    const mail = await b.t.ok('sequences.create', { name: 'M', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [emailStep('x')] })
    expect(await b.t.ok('sequences.enroll', { sequenceId: mail.id, contactIds: [phoneOnly.id] })).toEqual({ enrolled: 0, alreadyEnrolled: 0, skipped: 1 })
  })

  it('a reply by text stops the sequence, as a mail reply does', async () => {
    const b = await business()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [smsStep('Free on Friday?'), emailStep('Following up', 2)] })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [b.ann.id] })
    await b.idle()
    expect(textsTo(b, ANN)).toEqual(['Free on Friday?'])
    await textsIn(b, ANN, 'Yes, Friday works')
    expect(await member(b, seq.id)).toMatchObject({ status: 'replied', stoppedReason: 'Replied after step 1' })
    await b.advance(3 * DAY)
    expect(b.stub.sent).toHaveLength(0)
    const sms = (await b.t.ok('outbox.list', {})).items.find((r) => r.channel === 'sms')!
    expect((await b.t.ok('outbox.get', { id: sms.id })).events.map((e) => e.type)).toContain('replied')
    expect((await b.t.ok('analytics.funnel', { sequenceId: seq.id })).steps[0]).toMatchObject({ sent: 1, replied: 1 })
  })

  it('a WhatsApp step sends free text inside the 24-hour window and its template outside it', async () => {
    const b = await business()
    const bo = await b.t.ok('contacts.create', { email: 'bo@client.test', firstName: 'Bo', phone: BO, primaryObjectId: b.objectId })
    const cy = await b.t.ok('contacts.create', { email: 'cy@client.test', firstName: 'Cy', phone: '+15555550103', primaryObjectId: b.objectId })
    b.fake.inbound({ from: `whatsapp:${ANN}`, to: `whatsapp:${OUR_WA}`, body: 'Hello?' })
    await b.t.ok('clock.advance', { ms: 1000 })
    await b.t.ok('texts.poll', {})
    const contentSid = `HX${'a'.repeat(32)}`
    const withTemplate = await b.t.ok('sequences.create', {
      name: 'WA',
      objectId: b.objectId,
      mailboxIds: [b.mailboxId],
      steps: [{ channel: 'whatsapp', body: 'Hi {{contact.first_name}}', template: { contentSid, variables: { '1': '{{contact.first_name}}' } }, wait: { value: 0, unit: 'days' } }],
    })
    const freeOnly = await b.t.ok('sequences.create', { name: 'WA2', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [{ channel: 'whatsapp', body: 'Hi', wait: { value: 0, unit: 'days' } }, emailStep('Mail', 1)] })
    await b.t.ok('sequences.enroll', { sequenceId: withTemplate.id, contactIds: [b.ann.id, bo.id] })
    await b.t.ok('sequences.enroll', { sequenceId: freeOnly.id, contactIds: [cy.id] })
    await b.idle()
    const wa = b.fake.sent.filter((s) => s.fields.From === `whatsapp:${OUR_WA}`)
    expect(wa.find((s) => s.fields.To === `whatsapp:${ANN}`)!.fields).toMatchObject({ Body: 'Hi Ann' })
    expect(wa.find((s) => s.fields.To === `whatsapp:${BO}`)!.fields).toMatchObject({ ContentSid: contentSid, ContentVariables: JSON.stringify({ 1: 'Bo' }) })
    expect(textsTo(b, '+15555550103')).toEqual([])
    const cyRow = (await b.t.ok('sequences.contacts', { sequenceId: freeOnly.id })).items[0]!
    expect(cyRow).toMatchObject({ status: 'active', currentStep: 2 })
    expect(cyRow.lastError).toMatch(/^Step 1 \(WhatsApp\) skipped: WhatsApp allows free text only within 24 hours/)
    await b.advance(DAY)
    expect(b.stub.sent.map((r) => r.toJson)).toEqual(['["cy@client.test"]'])
  })

  it('refuses a text step when the business has no Twilio sender for its channel, naming the step', async () => {
    const b = await business({ twilio: false })
    const e = await b.t.err('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [emailStep('Hello'), smsStep('Hi')] })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'steps.1.channel' })
    expect(e.message).toMatch(/^Step 2 is an SMS, but the business has no SMS number to send from/)
    await b.t.ok('twilio.upsert', { objectId: b.objectId, accountSid: b.fake.accountSid, authToken: TOKEN, smsFrom: OUR_SMS, apiBaseUrl: b.fake.url })
    await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [emailStep('Hello'), smsStep('Hi')] })
    expect(await b.t.err('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [{ channel: 'whatsapp', body: 'Hi', wait: { value: 0, unit: 'days' } }] })).toMatchObject({
      code: 'VALIDATION',
      field: 'steps.0.channel',
      message: expect.stringMatching(/^Step 1 is a WhatsApp message, but the business has no WhatsApp number/),
    })
    // At the contract: a text step needs its words, an email step its subject; unknown variables are refused.
    expect(await b.t.err('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [{ channel: 'sms', wait: { value: 0, unit: 'days' } }] })).toMatchObject({ code: 'VALIDATION', field: 'steps.0.body' })
    expect(await b.t.err('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [{ bodyHtml: '<p>x</p>', wait: { value: 0, unit: 'days' } }] })).toMatchObject({ code: 'VALIDATION', field: 'steps.0.subject' })
    expect(await b.t.err('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [smsStep('Hi {{contact.nickname}}')] })).toMatchObject({ code: 'VALIDATION', field: 'steps.0.body' })
  })

  it('a restart with an SMS step waiting in the outbox sends it once and goes on', async () => {
    const b = await business()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], window: { days: [0, 1, 2, 3, 4, 5, 6], startHour: 9, endHour: 17 }, steps: [smsStep('Hi'), emailStep('Mail', 1)] })
    await b.t.ok('clock.advance', { ms: Date.parse('2026-12-07T08:00:00Z') - b.t.clock.now() })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [b.ann.id] })
    await b.idle()
    expect((await b.t.ok('outbox.list', {})).items.map((r) => r.status)).toEqual(['queued'])
    const at = b.t.clock.now()
    await b.t.engine.close()
    // The same workspace opens again; the engine runs every due step and row once.
    const again = await setup({ dataDir: b.t.dataDir, start: at, stub: b.stub })
    await again.idle()
    await again.advance(6 * HOUR - 1)
    expect(textsTo(b, ANN)).toEqual([])
    await again.advance(1)
    expect(textsTo(b, ANN)).toEqual(['Hi'])
    await again.advance(DAY)
    await again.advance(DAY)
    expect(textsTo(b, ANN)).toEqual(['Hi'])
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Mail'])
    expect((await again.t.ok('sequences.contacts', { sequenceId: seq.id })).items[0]).toMatchObject({ status: 'completed', stepsSent: 2 })
    expect((await again.t.ok('outbox.list', {})).items).toHaveLength(2)
  })
})

describe('text actions in autoresponders', () => {
  it('answers a new tag by SMS, once per firing, and says why a contact got nothing', async () => {
    const b = await business()
    const tag = await b.t.ok('tags.create', { name: 'Booked' })
    const ar = await b.t.ok('autoresponders.create', { name: 'Booked', objectId: b.objectId, trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ channel: 'sms', body: 'Thanks {{contact.first_name}}, see you soon!' }] })
    expect(ar.actions[0]).toMatchObject({ channel: 'sms', body: 'Thanks {{contact.first_name}}, see you soon!', subject: '', bodyHtml: '' })
    const noPhone = await b.t.ok('contacts.create', { email: 'cy@client.test', firstName: 'Cy', primaryObjectId: b.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [b.ann.id, noPhone.id], tagId: tag.id })
    await b.idle()
    expect(b.fake.sent.map((s) => s.fields)).toEqual([{ To: ANN, From: OUR_SMS, Body: 'Thanks Ann, see you soon!' }])
    const execs = Object.fromEntries((await b.t.ok('autoresponders.executions', { autoresponderId: ar.id })).map((e) => [e.contactId, e]))
    expect(execs[b.ann.id]).toMatchObject({ status: 'SENT' })
    expect(execs[noPhone.id]).toMatchObject({ status: 'SKIPPED', error: 'The contact has no phone number', outboundId: null })
    expect((await b.t.ok('autoresponders.list', {})).find((a) => a.id === ar.id)).toMatchObject({ totalSent: 1, totalSkipped: 1 })
    // A contact opted out of SMS: skipped with the reason, never attempted.
    await textsIn(b, ANN, 'STOP')
    await b.t.ok('contacts.removeTag', { contactIds: [b.ann.id], tagId: tag.id })
    await b.t.ok('contacts.addTag', { contactIds: [b.ann.id], tagId: tag.id })
    await b.idle()
    expect(b.fake.sent).toHaveLength(1)
    const latest = (await b.t.ok('autoresponders.executions', { autoresponderId: ar.id }))[0]!
    expect(latest).toMatchObject({ contactId: b.ann.id, status: 'SKIPPED' })
    expect(latest.error).toMatch(/opted out of SMS/)
  })

  it('refuses an SMS action when no business can text', async () => {
    const b = await business({ twilio: false })
    const tag = await b.t.ok('tags.create', { name: 'T' })
    const e = await b.t.err('autoresponders.create', { name: 'A', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'Hi', bodyHtml: '<p>x</p>' }, { channel: 'sms', body: 'Hi' }] })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'actions.1.channel' })
    expect(e.message).toMatch(/^Action 2 is an SMS, but no business has an SMS number/)
  })
})
