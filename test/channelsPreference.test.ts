// A contact's preferred channel (issue 17, seed 003): communications.send without `channels` tries it first,
// then email → WhatsApp → SMS, still less what the contact cannot get (consent, no address or number).
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine } from './helpers'

const TOKEN = 'fake-auth-token-0123456789'
let fake: FakeTwilio | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup() {
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
  fake = await startFakeTwilio({ authToken: TOKEN, now: () => t.clock.now() })
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: '+15555550199', whatsappFrom: '+15555550198', apiBaseUrl: fake.url })
  // A mailbox whose server is never reached here: the email attempt only has to be queued.
  const box = await t.ok('mailboxes.create', { objectId: object.id, email: 'desk@eve.test', dailyCapacity: 100, minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk', password: 'pw' } })
  await t.ok('profiles.create', { objectId: object.id, email: 'desk@eve.test', displayName: 'Eve', transport: { kind: 'smtp', mailboxId: box.id } })
  const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', phone: '+15555550101', primaryObjectId: object.id })
  return { t, fake: fake!, ann }
}
const both = { email: { subject: 'Your visit', html: '<p>See you Tuesday</p>' }, text: { body: 'See you Tuesday' } }

describe('a contact’s preferred channel', () => {
  it('is kept on the contact, and picks the primary channel of a communication sent without channels', async () => {
    const { t, ann } = await setup()
    expect(await t.ok('communications.preference', { contactId: ann.id })).toEqual({ contactId: ann.id, channel: null })
    // No preference: email first.
    const first = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', ...both })
    expect(first).toMatchObject({ plan: ['email', 'whatsapp', 'sms'], attempts: [{ channel: 'email' }] })

    expect(await t.ok('communications.setPreference', { contactId: ann.id, channel: 'sms' })).toEqual({ contactId: ann.id, channel: 'sms' })
    expect(await t.ok('communications.preference', { contactId: ann.id })).toEqual({ contactId: ann.id, channel: 'sms' })
    const second = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', ...both })
    expect(second).toMatchObject({ plan: ['sms', 'email', 'whatsapp'], attempts: [{ channel: 'sms', status: 'queued' }] })
    // Named channels still win over the preference.
    const named = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', channels: ['email'], ...both })
    expect(named).toMatchObject({ plan: ['email'], attempts: [{ channel: 'email' }] })
  })

  it('gives way to consent: opted out of the preferred channel, the next one carries it', async () => {
    const { t, fake, ann } = await setup()
    await t.ok('communications.setPreference', { contactId: ann.id, channel: 'sms' })
    fake.inbound({ from: '+15555550101', to: '+15555550199', body: 'STOP' })
    await t.ok('clock.advance', { ms: 1000 })
    await t.ok('texts.poll', {})
    const c = await t.ok('communications.send', { contactId: ann.id, urgency: 'critical', ...both })
    expect(c.plan).toEqual(['sms', 'email', 'whatsapp'])
    expect(c.attempts.map((a) => a.channel)).toEqual(['email'])
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent).toHaveLength(0)
  })

  it('is cleared with null, and refused for an unknown channel or contact', async () => {
    const { t, ann } = await setup()
    await t.ok('communications.setPreference', { contactId: ann.id, channel: 'whatsapp' })
    expect(await t.ok('communications.setPreference', { contactId: ann.id, channel: null })).toEqual({ contactId: ann.id, channel: null })
    expect(await t.err('communications.setPreference', { contactId: ann.id, channel: 'fax' })).toMatchObject({ code: 'VALIDATION', field: 'channel' })
    expect(await t.err('communications.setPreference', { contactId: 999, channel: 'sms' })).toMatchObject({ code: 'NOT_FOUND', field: 'contactId' })
    expect(await t.err('communications.preference', { contactId: 999 })).toMatchObject({ code: 'NOT_FOUND' })
  })
})
