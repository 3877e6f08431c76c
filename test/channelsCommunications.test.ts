// communications.send (issue 17, seed 003): the plan (preference, consent, what each channel can carry) and
// the timing by urgency in the contact's zone (the business's when unknown), with quiet hours per business.
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine } from './helpers'

const TOKEN = 'fake-auth-token-0123456789'
let fake: FakeTwilio | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

// The test clock starts at 2026-01-05 09:00 UTC: 04:00 in New York, 18:00 in Tokyo.
async function setup() {
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
  fake = await startFakeTwilio({ authToken: TOKEN, now: () => t.clock.now() })
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: '+15555550199', whatsappFrom: '+15555550198', apiBaseUrl: fake.url, smsPerSecond: 50 })
  const ann = await t.ok('contacts.create', { firstName: 'Ann', phone: '+15555550101', primaryObjectId: object.id })
  return { t, fake: fake!, object, ann }
}
const at = (iso: string) => new Date(iso).toISOString()

describe('communications.send', () => {
  it('texts the contact now when critical; the SMS is an outbox row of the communication', async () => {
    const { t, fake, ann } = await setup()
    const c = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', channels: ['sms'], text: { body: 'Hi Ann' } })
    expect(c).toMatchObject({ status: 'sending', sendAt: at('2026-01-05T09:00:00Z'), plan: ['sms'], attempts: [{ channel: 'sms', status: 'queued' }] })
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent.map((s) => s.fields.Body)).toEqual(['Hi Ann'])
    expect((await t.ok('communications.list', { contactId: ann.id })).map((x) => x.id)).toEqual([c.id])
  })

  it('times by urgency in the contact’s zone, else the business’s: normal in 9–18, low at the 09:00 batch, high outside quiet hours', async () => {
    const { t, fake, object, ann } = await setup()
    const tokyo = await t.ok('contacts.create', { firstName: 'Ken', phone: '+15555550102', timezone: 'Asia/Tokyo', primaryObjectId: object.id })
    const send = (contactId: number, urgency: 'critical' | 'high' | 'normal' | 'low') => t.ok('communications.send', { contactId, urgency, channels: ['sms'], text: { body: urgency } })
    // Ann has no zone: the business's (New York, 04:00 now) → 09:00 New York = 14:00 UTC.
    const normal = await send(ann.id, 'normal')
    expect(normal).toMatchObject({ status: 'scheduled', sendAt: at('2026-01-05T14:00:00Z') })
    // Tokyo is at 18:00: business hours are over → 09:00 Tokyo tomorrow = 00:00 UTC.
    expect((await send(tokyo.id, 'normal')).sendAt).toBe(at('2026-01-06T00:00:00Z'))
    expect((await send(ann.id, 'low')).sendAt).toBe(at('2026-01-05T14:00:00Z'))
    expect((await send(tokyo.id, 'low')).sendAt).toBe(at('2026-01-06T00:00:00Z'))
    expect((await send(ann.id, 'high')).sendAt).toBe(at('2026-01-05T09:00:00Z'))
    await t.ok('communications.setQuietHours', { objectId: object.id, quietHours: { startHour: 21, endHour: 8 } })
    // 04:00 in New York is quiet: high waits until 08:00 there; critical never waits.
    expect((await send(ann.id, 'high')).sendAt).toBe(at('2026-01-05T13:00:00Z'))
    expect((await send(ann.id, 'critical')).sendAt).toBe(at('2026-01-05T09:00:00Z'))
    // Nothing early: only the two immediate ones left.
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent.map((s) => s.fields.Body)).toEqual(['high', 'critical'])
    const row = await t.ok('outbox.get', { id: normal.attempts[0]!.outboundId })
    expect(row).toMatchObject({ status: 'queued', scheduledFor: at('2026-01-05T14:00:00Z') })
    await t.ok('clock.advance', { ms: 5 * 3_600_000 })
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent.map((s) => s.fields.Body)).toEqual(['high', 'critical', 'high', 'normal', 'low'])
  })

  it('normal waits over a weekend: business hours are Monday to Friday in the contact’s zone; low and high do not', async () => {
    const { t, object, ann } = await setup()
    const tokyo = await t.ok('contacts.create', { firstName: 'Ken', phone: '+15555550102', timezone: 'Asia/Tokyo', primaryObjectId: object.id })
    const send = (contactId: number, urgency: 'high' | 'normal' | 'low') => t.ok('communications.send', { contactId, urgency, channels: ['sms'], text: { body: urgency } })
    // Monday 04:00 in New York + 4 days 8 hours = Friday 12:00 there (17:00 UTC), Saturday 02:00 in Tokyo.
    await t.ok('clock.advance', { ms: (4 * 24 + 8) * 3_600_000 })
    expect((await send(ann.id, 'normal')).sendAt).toBe(at('2026-01-09T17:00:00Z'))
    // Saturday in Tokyo: the next business hour there is Monday 09:00 = Monday 00:00 UTC.
    expect((await send(tokyo.id, 'normal')).sendAt).toBe(at('2026-01-12T00:00:00Z'))
    // Saturday 10:00 in New York: Monday 09:00 there (14:00 UTC); the daily batch still runs on Sunday.
    await t.ok('clock.advance', { ms: 22 * 3_600_000 })
    expect((await send(ann.id, 'normal')).sendAt).toBe(at('2026-01-12T14:00:00Z'))
    expect((await send(ann.id, 'low')).sendAt).toBe(at('2026-01-11T14:00:00Z'))
    expect((await send(ann.id, 'high')).sendAt).toBe(at('2026-01-10T15:00:00Z'))
  })

  it('leaves out what the contact cannot get, and says why when nothing is left', async () => {
    const { t, fake, ann } = await setup()
    // No email address, WhatsApp window closed and no template: only SMS remains.
    const c = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', email: { subject: 'S', html: '<p>x</p>' }, text: { body: 'via sms' } })
    expect(c.attempts.map((a) => a.channel)).toEqual(['sms'])
    await t.engine.outbound.scheduler.idle()
    // STOP on SMS: nothing can carry the next one.
    fake.inbound({ from: '+15555550101', to: '+15555550199', body: 'STOP' })
    await t.ok('texts.poll', {})
    const none = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', text: { body: 'again' } })
    expect(none.status).toBe('skipped')
    expect(none.attempts).toEqual([])
    expect(none.statusReason).toContain('Email: no email was written')
    expect(none.statusReason).toContain('WhatsApp:')
    expect(none.statusReason).toContain('SMS: the contact opted out of SMS (replied STOP)')
    // A template reaches WhatsApp outside the window.
    const tpl = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', template: { contentSid: 'HX' + 'c'.repeat(32), variables: { '1': 'Ann' } } })
    expect(tpl.attempts.map((a) => a.channel)).toEqual(['whatsapp'])
  })
})
