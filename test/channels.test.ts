// Texts through the one outbox against the fake Twilio (issue 17): send and delivery status, each error
// code's path, pacing per sender, consent (STOP/START, 21610), WhatsApp's 24-hour rule, inbound threading.
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine, type TestEngine } from './helpers'

const TOKEN = 'fake-auth-token-0123456789'
const OUR_SMS = '+15555550199'
const OUR_WA = '+15555550198'
const ANN = '+15555550101'
let fake: FakeTwilio | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(opts: { smsPerSecond?: number; token?: string } = {}) {
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
  fake = await startFakeTwilio({ authToken: TOKEN, now: () => t.clock.now() })
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: opts.token ?? TOKEN, smsFrom: OUR_SMS, whatsappFrom: OUR_WA, apiBaseUrl: fake.url, smsPerSecond: opts.smsPerSecond ?? 100, whatsappPerSecond: 100 })
  const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', phone: ANN, primaryObjectId: object.id })
  return { t, fake: fake!, object, ann }
}

const settle = (t: TestEngine) => t.engine.outbound.scheduler.idle()
/** One status poll after the poll interval has passed. */
async function poll(t: TestEngine) {
  await t.ok('clock.advance', { ms: 15_000 })
  return t.ok('texts.poll', {})
}
const events = async (t: TestEngine, id: number) => (await t.ok('outbox.get', { id })).events.map((e) => e.type)

describe('texts through the outbox', () => {
  it('sends an SMS (To, From, Body) and follows its status to delivered, one event per change', async () => {
    const { t, fake, ann } = await setup()
    const m = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'Hi Ann, see you at 3 — Eve' })
    expect(m).toMatchObject({ status: 'queued', channel: 'sms', transport: 'twilio', to: [ANN], segments: 1 })
    await settle(t)
    expect(fake.sent).toHaveLength(1)
    expect(fake.sent[0]!.fields).toEqual({ To: ANN, From: OUR_SMS, Body: 'Hi Ann, see you at 3 — Eve' })
    expect(fake.sent[0]!.auth).toBe(`Basic ${Buffer.from(`${fake.accountSid}:${TOKEN}`).toString('base64')}`)
    expect(await t.ok('outbox.get', { id: m.id })).toMatchObject({ status: 'sent', providerId: fake.sent[0]!.sid, attempts: 1 })
    await poll(t)
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('sent')
    await poll(t)
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('delivered')
    // Final: not asked about again.
    const asked = fake.requests.filter((r) => r.method === 'GET' && r.path.includes(fake.sent[0]!.sid)).length
    await poll(t)
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.includes(fake.sent[0]!.sid)).length).toBe(asked)
    expect(await events(t, m.id)).toEqual(['queued', 'sending', 'sent', 'sent', 'delivered'])
  })

  it('polls each open text at most once per interval', async () => {
    const { t, fake, ann } = await setup()
    fake.setSteps(['sent', 'sent', 'sent', 'delivered'])
    await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'a' })
    await settle(t)
    await poll(t)
    await t.ok('texts.poll', {}) // within the interval: no request
    await t.ok('clock.advance', { ms: 5_000 })
    await t.ok('texts.poll', {})
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/Messages/')).length).toBe(1)
  })

  it('counts segments: GSM-7 160/153, UCS-2 70/67', async () => {
    const { t, ann } = await setup()
    const seg = async (body: string) => (await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body })).segments
    expect(await seg('x'.repeat(160))).toBe(1)
    expect(await seg('x'.repeat(161))).toBe(2)
    expect(await seg('x'.repeat(306))).toBe(2)
    expect(await seg('x'.repeat(307))).toBe(3)
    expect(await seg('€'.repeat(80))).toBe(1) // two GSM-7 slots each
    expect(await seg('ü'.repeat(70) + 'ł')).toBe(2) // ł is not GSM-7: UCS-2
    expect(await seg('é'.repeat(70))).toBe(1)
    expect(await seg('ł'.repeat(70))).toBe(1)
    expect(await seg('ł'.repeat(71))).toBe(2)
  })

  it('maps each Twilio error code onto the outbox: 21211/21614 fail at once, 20429 and 30001 retry, 20003 holds the account', async () => {
    const { t, fake, object, ann } = await setup()
    const bo = await t.ok('contacts.create', { email: 'bo@client.test', phone: '+15555550102', primaryObjectId: object.id })
    const cy = await t.ok('contacts.create', { email: 'cy@client.test', phone: '+15555550103', primaryObjectId: object.id })
    fake.failNumber(ANN, 21211, 1)
    fake.failNumber('+15555550102', 21614, 1)
    const a = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'a' })
    const b = await t.ok('texts.send', { contactId: bo.id, channel: 'sms', body: 'b' })
    await settle(t)
    expect(await t.ok('outbox.get', { id: a.id })).toMatchObject({ status: 'failed', errorKind: 'permanent', errorCode: 'TWILIO_21211', attempts: 1 })
    expect(await t.ok('outbox.get', { id: b.id })).toMatchObject({ status: 'failed', errorKind: 'permanent', errorCode: 'TWILIO_21614' })
    expect((await t.ok('outbox.get', { id: a.id })).lastError).toMatch(/not a valid number/)

    fake.failNumber('+15555550103', 20429, 1)
    const c = await t.ok('texts.send', { contactId: cy.id, channel: 'sms', body: 'c' })
    await settle(t)
    expect(await t.ok('outbox.get', { id: c.id })).toMatchObject({ status: 'retry_wait', errorKind: 'rate_limit', attempts: 1 })
    await t.ok('clock.advance', { ms: 3_600_000 })
    await settle(t)
    expect((await t.ok('outbox.get', { id: c.id })).status).toBe('sent')

    // 30001 comes later, on the status: the text goes back to the queue and is sent again.
    fake.failNumber(ANN, 30001, 1)
    const d = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'd' })
    await settle(t)
    await poll(t)
    expect(await t.ok('outbox.get', { id: d.id })).toMatchObject({ status: 'retry_wait', errorKind: 'transient', errorCode: 'TWILIO_30001' })
    expect(await events(t, d.id)).toContain('failed')
    await t.ok('clock.advance', { ms: 80_000 })
    await settle(t)
    expect(await t.ok('outbox.get', { id: d.id })).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('holds every text of the business on 20003 and sends them when the settings change', async () => {
    const { t, fake, object, ann } = await setup({ token: 'wrong-token-00000000000' })
    const a = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'a' })
    await settle(t)
    const b = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'b' })
    await settle(t)
    for (const id of [a.id, b.id]) expect(await t.ok('outbox.get', { id })).toMatchObject({ status: 'held', statusReason: 'auth', attempts: 0 })
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([401])
    expect((await t.ok('twilio.get', { objectId: object.id }))!.authError).toMatch(/refused the account SID/)
    await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: TOKEN })
    await settle(t)
    expect(fake.sent.map((s) => s.fields.Body)).toEqual(['a', 'b'])
    expect((await t.ok('twilio.get', { objectId: object.id }))!.authError).toBeNull()
  })

  it('paces texts per sender at the set rate', async () => {
    const { t, fake, ann } = await setup({ smsPerSecond: 1 })
    for (const body of ['1', '2', '3']) await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body })
    await settle(t)
    expect(fake.sent).toHaveLength(1)
    await t.ok('clock.advance', { ms: 999 })
    await settle(t)
    expect(fake.sent).toHaveLength(1)
    await t.ok('clock.advance', { ms: 1 })
    await settle(t)
    expect(fake.sent).toHaveLength(2)
    await t.ok('clock.advance', { ms: 1000 })
    await settle(t)
    expect(fake.sent.map((s) => s.fields.Body)).toEqual(['1', '2', '3'])
  })
})

describe('consent for texts', () => {
  it('STOP opts the contact out of that channel: the next text is skipped, never attempted; START opts back in', async () => {
    const { t, fake, ann } = await setup()
    fake.inbound({ from: ANN, to: OUR_SMS, body: 'Stop' })
    expect(await t.ok('texts.poll', {})).toMatchObject({ received: 1 })
    const skipped = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'Sale today!' })
    expect(skipped).toMatchObject({ status: 'skipped', statusReason: 'The contact opted out of SMS (replied STOP)' })
    await settle(t)
    expect(fake.sent).toHaveLength(0)
    fake.inbound({ from: ANN, to: OUR_SMS, body: 'START', at: t.clock.now() + 1000 })
    await t.ok('clock.advance', { ms: 2000 })
    await t.ok('texts.poll', {})
    const sent = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'Welcome back' })
    await settle(t)
    expect((await t.ok('outbox.get', { id: sent.id })).status).toBe('sent')
    expect(fake.sent.map((s) => s.fields.Body)).toEqual(['Welcome back'])
  })

  it('a STOP withdraws texts still waiting on that channel; a 21610 from Twilio revokes consent too', async () => {
    const { t, fake, object, ann } = await setup({ smsPerSecond: 1 })
    await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'first' })
    const waiting = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'second' })
    await settle(t)
    expect((await t.ok('outbox.get', { id: waiting.id })).status).toBe('queued') // paced: 1 a second
    fake.inbound({ from: ANN, to: OUR_SMS, body: 'UNSUBSCRIBE' })
    await t.ok('texts.poll', {})
    expect(await t.ok('outbox.get', { id: waiting.id })).toMatchObject({ status: 'cancelled', statusReason: 'The contact opted out of SMS (replied UNSUBSCRIBE)' })
    await t.ok('clock.advance', { ms: 5000 })
    await settle(t)
    expect(fake.sent.map((x) => x.fields.Body)).toEqual(['first'])

    const bo = await t.ok('contacts.create', { email: 'bo@client.test', phone: '+15555550102', primaryObjectId: object.id })
    fake.failNumber('+15555550102', 21610)
    const r = await t.ok('texts.send', { contactId: bo.id, channel: 'sms', body: 'x' })
    await settle(t)
    expect(await t.ok('outbox.get', { id: r.id })).toMatchObject({ status: 'failed', errorCode: 'TWILIO_21610' })
    const next = await t.ok('texts.send', { contactId: bo.id, channel: 'sms', body: 'y' })
    expect(next).toMatchObject({ status: 'skipped', statusReason: 'The contact opted out of SMS (Twilio reports the number unsubscribed (21610))' })
    expect(fake.requests.filter((q) => q.method === 'POST')).toHaveLength(2)
  })
})

describe('WhatsApp 24-hour window', () => {
  it('refuses free text outside the window before calling Twilio; a template goes; an inbound message opens it for 24 h', async () => {
    const { t, fake, ann } = await setup()
    expect(await t.ok('texts.window', { contactId: ann.id })).toEqual({ contactId: ann.id, open: false, lastInboundAt: null, closesAt: null })
    const e = await t.err('texts.send', { contactId: ann.id, channel: 'whatsapp', body: 'Hi' })
    expect(e).toMatchObject({ code: 'CONFLICT', field: 'whatsappWindow' })
    expect(e.message).toMatch(/24 hours/)
    const tpl = await t.ok('texts.send', { contactId: ann.id, channel: 'whatsapp', template: { contentSid: 'HX' + 'b'.repeat(32), variables: { '1': 'Ann' } } })
    await settle(t)
    expect(fake.sent.map((s) => s.fields)).toEqual([{ To: `whatsapp:${ANN}`, From: `whatsapp:${OUR_WA}`, ContentSid: 'HX' + 'b'.repeat(32), ContentVariables: '{"1":"Ann"}' }])
    expect((await t.ok('outbox.get', { id: tpl.id })).status).toBe('sent')

    fake.inbound({ from: `whatsapp:${ANN}`, to: `whatsapp:${OUR_WA}`, body: 'Can I move to 4pm?' })
    await t.ok('texts.poll', {})
    const w = await t.ok('texts.window', { contactId: ann.id })
    expect(w).toMatchObject({ open: true, closesAt: new Date(t.clock.now() + 86_400_000).toISOString() })
    const reply = await t.ok('texts.send', { contactId: ann.id, channel: 'whatsapp', body: 'Yes, see you at 4' })
    await settle(t)
    expect((await t.ok('outbox.get', { id: reply.id })).status).toBe('sent')
    expect(fake.sent.at(-1)!.fields).toEqual({ To: `whatsapp:${ANN}`, From: `whatsapp:${OUR_WA}`, Body: 'Yes, see you at 4' })

    await t.ok('clock.advance', { ms: 86_400_000 })
    expect((await t.ok('texts.window', { contactId: ann.id })).open).toBe(false)
    expect((await t.err('texts.send', { contactId: ann.id, channel: 'whatsapp', body: 'Hi again' })).code).toBe('CONFLICT')
  })
})

describe('texts received', () => {
  it('matches the sender by phone, threads per contact and channel, dedupes re-polls, and shows in the conversation and timeline', async () => {
    const { t, fake, ann } = await setup()
    await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'Your booking is confirmed' })
    await settle(t)
    await t.ok('clock.advance', { ms: 60_000 })
    fake.inbound({ from: ANN, to: OUR_SMS, body: 'Thanks! Can I bring a friend?' })
    fake.inbound({ from: '+15555550999', to: OUR_SMS, body: 'Who is this?' })
    fake.inbound({ from: `whatsapp:${ANN}`, to: `whatsapp:${OUR_WA}`, body: 'Sent you a WhatsApp too' })
    expect((await t.ok('texts.poll', {})).received).toBe(3)
    expect((await t.ok('texts.poll', {})).received).toBe(0)
    const convs = await t.ok('texts.conversations', {})
    expect(convs.map((c) => [c.contactName, c.channel, c.lastDirection, c.unread])).toEqual(
      expect.arrayContaining([
        ['Ann Lee', 'sms', 'in', 1],
        ['Ann Lee', 'whatsapp', 'in', 1],
      ]),
    )
    expect(convs).toHaveLength(2)
    const sms = await t.ok('texts.conversation', { contactId: ann.id, channel: 'sms' })
    expect(sms.messages.map((m) => [m.direction, m.body])).toEqual([
      ['out', 'Your booking is confirmed'],
      ['in', 'Thanks! Can I bring a friend?'],
    ])
    expect(sms.window).toBeNull()
    expect(await t.ok('texts.markRead', { contactId: ann.id, channel: 'sms' })).toEqual({ changed: 1 })
    // Reply from the inbox on the same channel.
    await t.ok('texts.send', { contactId: ann.id, channel: sms.messages[1]!.channel, body: 'Of course!' })
    await settle(t)
    expect(fake.sent.at(-1)!.fields).toMatchObject({ To: ANN, Body: 'Of course!' })
    const tl = await t.ok('timeline.list', { contactId: ann.id })
    expect(tl.items.filter((i) => i.type === 'text_in').map((i) => i.detail)).toEqual(['Sent you a WhatsApp too', 'Thanks! Can I bring a friend?'])
    expect(t.events.some((e) => e.event === 'texts.changed')).toBe(true)
  })

  it('matches a text from any of the contact’s numbers (contact_phones), typed in any common form', async () => {
    const { t, fake, object } = await setup()
    const bo = await t.ok('contacts.create', { firstName: 'Bo', primaryObjectId: object.id, phones: [{ number: '+1 (555) 555-0111', label: 'work' }, { number: '+1 555 555 0112', label: 'mobile', primary: true }] })
    fake.inbound({ from: '+15555550111', to: OUR_SMS, body: 'From my work phone' })
    await t.ok('texts.poll', {})
    const conv = await t.ok('texts.conversation', { contactId: bo.id, channel: 'sms' })
    expect(conv.messages.map((m) => [m.direction, m.from, m.body])).toEqual([['in', '+15555550111', 'From my work phone']])
  })

  it('follows next_page_uri across pages', async () => {
    const { t, fake, ann } = await setup()
    for (let i = 0; i < 230; i++) fake.inbound({ from: ANN, to: OUR_SMS, body: `m${i}`, at: t.clock.now() + i })
    expect((await t.ok('texts.poll', {})).received).toBe(230)
    const conv = await t.ok('texts.conversation', { contactId: ann.id, channel: 'sms', limit: 1000 })
    expect(conv.messages).toHaveLength(230)
    expect(fake.requests.filter((r) => r.path.endsWith('/Messages.json') && r.method === 'GET').length).toBeGreaterThanOrEqual(3)
  })
})
