// communications.send falls back across channels (issue 17): a real Postfix 550 for the email (an unknown
// recipient at example.test), then WhatsApp, which Twilio fails later (63016), then SMS, which is delivered.
// Each attempt is its own linked outbox row; nothing goes out on two channels. Mail users: sue (sender), ted.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilioFake'
import { freshEngine, type TestEngine } from '../helpers'
import { ensureMailServers, MAIL, messageIds, resetMailbox, waitFor } from './servers'

const TOKEN = 'fake-auth-token-0123456789'
const PHONE = '+15555550171'
let fake: FakeTwilio | undefined
beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('sue'), resetMailbox('ted')])
}, 600_000)
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(email: string) {
  const t = freshEngine({ outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0, scheduler: { random: () => 0.5 } }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
  fake = await startFakeTwilio({ authToken: TOKEN, now: () => t.clock.now() })
  const object = await t.ok('objects.create', { name: 'Sue’s Salon', timezone: 'Europe/London' })
  const smtp = { host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: MAIL.users.sue.email, password: MAIL.users.sue.password }
  const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: MAIL.users.sue.email, displayName: 'Sue', dailyCapacity: 100, minGapSeconds: 0, smtp, imap: null })
  await t.ok('profiles.create', { objectId: object.id, email: MAIL.users.sue.email, displayName: 'Sue', replyTo: null, transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: '+15555550199', whatsappFrom: '+15555550198', apiBaseUrl: fake.url, smsPerSecond: 50, whatsappPerSecond: 50 })
  const contact = await t.ok('contacts.create', { email, firstName: 'Ann', phone: PHONE, primaryObjectId: object.id })
  return { t, fake: fake!, contact }
}
const statusPoll = async (t: TestEngine) => {
  await t.ok('clock.advance', { ms: 15_000 })
  await t.ok('texts.poll', {})
  await t.engine.outbound.scheduler.idle()
}

describe('communications fallback', () => {
  it('email refused with a real 550 → WhatsApp (fails with 63016) → SMS delivered, one linked row per attempt', async () => {
    const { t, fake, contact } = await setup('nobody-here@example.test')
    // An inbound WhatsApp opens the window, so free text may go on WhatsApp.
    fake.inbound({ from: `whatsapp:${PHONE}`, to: 'whatsapp:+15555550198', body: 'hello' })
    await t.ok('texts.poll', {})
    fake.failNumber(PHONE, 63016, 1)
    const comm = await t.ok('communications.send', { contactId: contact.id, urgency: 'critical', email: { subject: 'Your booking', html: '<p>See you at 3</p>' }, text: { body: 'See you at 3 — Sue' } })
    expect(comm).toMatchObject({ plan: ['email', 'whatsapp', 'sms'], status: 'sending', attempts: [{ channel: 'email', status: 'queued' }] })
    await t.engine.outbound.scheduler.idle()
    await waitFor(async () => (await t.ok('communications.get', { id: comm.id })).attempts.length === 2)
    const afterMail = await t.ok('communications.get', { id: comm.id })
    expect(afterMail.attempts[0]).toMatchObject({ channel: 'email', status: 'failed' })
    expect((await t.ok('outbox.get', { id: afterMail.attempts[0]!.outboundId })).lastError).toMatch(/550|unknown|not found|Recipient/i)
    expect(afterMail.attempts[1]).toMatchObject({ channel: 'whatsapp' })
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent.map((s) => s.fields.To)).toEqual([`whatsapp:${PHONE}`])
    await statusPoll(t)
    const afterWa = await t.ok('communications.get', { id: comm.id })
    expect(afterWa.attempts.map((a) => [a.channel, a.status])).toEqual([
      ['email', 'failed'],
      ['whatsapp', 'failed'],
      ['sms', 'sent'],
    ])
    expect(fake.sent.map((s) => s.fields.To)).toEqual([`whatsapp:${PHONE}`, PHONE])
    await statusPoll(t)
    await statusPoll(t)
    const done = await t.ok('communications.get', { id: comm.id })
    expect(done).toMatchObject({ status: 'delivered', statusReason: 'SMS delivered' })
    expect(done.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'delivered'])
    // Every attempt is an outbox row of this communication.
    for (const a of done.attempts) expect((await t.ok('outbox.get', { id: a.outboundId })).communicationId).toBe(comm.id)
    // Polling on changes nothing more: no fourth attempt, nothing sent twice.
    await statusPoll(t)
    expect((await t.ok('communications.get', { id: comm.id })).attempts).toHaveLength(3)
    expect(fake.sent).toHaveLength(2)
  })

  it('stops at the first channel that delivers: the email goes, no text is sent', async () => {
    const { t, fake, contact } = await setup(MAIL.users.ted.email)
    const comm = await t.ok('communications.send', { contactId: contact.id, urgency: 'critical', channels: ['email', 'sms'], email: { subject: 'Only once', html: '<p>once</p>' }, text: { body: 'once' } })
    await t.engine.outbound.scheduler.idle()
    await waitFor(async () => (await t.ok('communications.get', { id: comm.id })).status === 'delivered')
    await statusPoll(t)
    expect((await t.ok('communications.get', { id: comm.id })).attempts.map((a) => a.channel)).toEqual(['email'])
    expect(fake.sent).toHaveLength(0)
    await waitFor(async () => (await messageIds('ted')).length === 1)
  })
})
