// Inbound texts for a business that sends SMS through a Twilio Messaging Service (no number of its own): the
// service's sender pool (Messaging API /v1/Services/{Sid}/PhoneNumbers, paged by meta) is polled like a number.
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine } from './helpers'

const TOKEN = 'fake-auth-token-0123456789'
const SERVICE = `MG${'1'.repeat(32)}`
const ANN = '+15555550101'
let fake: FakeTwilio | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('Messaging Service senders', () => {
  it('polls every number of the service’s pool for replies, which thread to the contact on SMS', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
    fake = await startFakeTwilio({ authToken: TOKEN, now: () => t.clock.now() })
    for (let i = 0; i < 120; i++) fake.addServiceNumber(SERVICE, `+1555556${String(i).padStart(4, '0')}`)
    const object = await t.ok('objects.create', { name: 'Eve Beauty MA', timezone: 'America/New_York' })
    await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: TOKEN, messagingServiceSid: SERVICE, apiBaseUrl: fake.url })
    const ann = await t.ok('contacts.create', { firstName: 'Ann', phone: ANN, primaryObjectId: object.id })
    const m = await t.ok('texts.send', { contactId: ann.id, channel: 'sms', body: 'Your table is ready' })
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent[0]!.fields).toEqual({ To: ANN, MessagingServiceSid: SERVICE, Body: 'Your table is ready' })
    // She answers on the pool's number the service picked (the last page of the pool, here).
    await t.ok('clock.advance', { ms: 60_000 })
    fake.inbound({ from: ANN, to: '+15555560119', body: 'On my way' })
    expect(await t.ok('texts.poll', {})).toMatchObject({ received: 1 })
    const conv = await t.ok('texts.conversation', { contactId: ann.id, channel: 'sms' })
    expect(conv.messages.map((x) => [x.direction, x.body])).toEqual([
      ['out', 'Your table is ready'],
      ['in', 'On my way'],
    ])
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('sent')
    // The pool was read page by page (100 a page), and is not asked again on the next poll.
    const pool = () => fake!.requests.filter((r) => r.path === `/v1/Services/${SERVICE}/PhoneNumbers`).length
    expect(pool()).toBe(2)
    await t.ok('texts.poll', {})
    expect(pool()).toBe(2)
  })
})
