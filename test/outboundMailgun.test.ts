// The Mailgun transport end to end through the engine, against the contract-faithful fake: the URL uses the
// settings' sending domain (never the From's), failures map to the right outbox state, events come back.
import { createServer } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine } from './helpers'
import { leaveSending } from './outbound/db'

const KEY = 'key-live-0123456789'
const DOMAIN = 'mg.evebeauty.test'
let fake: FakeMailgun

beforeEach(async () => {
  fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })
})
afterEach(async () => {
  await fake.close()
})

async function setup(opts: { dataDir?: string; key?: string } = {}) {
  const t = freshEngine({ dataDir: opts.dataDir, outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } } })
  if (opts.dataDir) return { t, object: (await t.ok('objects.list', {}))[0]!, profile: (await t.ok('profiles.list', {}))[0]! }
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: opts.key ?? KEY, region: 'us', apiBaseUrl: fake.url })
  // The From is on the brand domain, not the Mailgun sending domain: the seed 000 bug used the From's domain.
  const profile = await t.ok('profiles.create', { objectId: object.id, email: 'info@evebeauty.test', displayName: 'Eve Beauty', replyTo: 'desk@evebeauty.test', transport: { kind: 'mailgun' } })
  return { t, object, profile }
}

describe('Mailgun transport', () => {
  it('posts to the settings’ sending domain with basic auth and the row’s Message-ID', async () => {
    const { t, profile } = await setup()
    const m = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], cc: ['bo@client.test'], subject: 'Your appointment', html: '<p>See you <b>soon</b></p>' })
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent).toHaveLength(1)
    const sent = fake.sent[0]!
    expect(sent.domain).toBe(DOMAIN)
    expect(fake.requests.find((r) => r.method === 'POST')!.path).toBe(`/v3/${DOMAIN}/messages`)
    expect(sent.auth).toBe(`Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`)
    expect(sent.fields).toMatchObject({
      from: ['"Eve Beauty" <info@evebeauty.test>'],
      to: ['ann@client.test'],
      cc: ['bo@client.test'],
      subject: ['Your appointment'],
      text: ['See you soon'],
      'h:Message-Id': [m.messageId],
      'h:Reply-To': ['desk@evebeauty.test'],
      'o:tracking': ['no'],
    })
    const row = await t.ok('outbox.get', { id: m.id })
    expect(row).toMatchObject({ status: 'sent', providerId: sent.id, attempts: 1 })
  })

  it('applies delivered, opened, clicked, bounces and complaints from the events API', async () => {
    const { t, object, profile } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', primaryObjectId: object.id })
    const bo = await t.ok('contacts.create', { email: 'bo@client.test', primaryObjectId: object.id })
    const a = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'A', html: 'a', contactId: ann.id })
    const b = await t.ok('mail.send', { profileId: profile.id, to: ['bo@client.test'], subject: 'B', html: 'b', contactId: bo.id })
    const c = await t.ok('mail.send', { profileId: profile.id, to: ['cy@client.test'], subject: 'C', html: 'c' })
    await t.engine.outbound.scheduler.idle()
    fake.deliverAll()
    fake.open(a.messageId)
    fake.click(a.messageId, 'https://evebeauty.test/book')
    fake.fail(b.messageId, 'permanent', 'bounce')
    fake.complain(c.messageId)
    const applied = await t.engine.outbound.pollEvents()
    expect(applied).toBeGreaterThanOrEqual(7)
    expect((await t.ok('outbox.get', { id: a.id })).status).toBe('clicked')
    expect((await t.ok('outbox.get', { id: b.id })).status).toBe('bounced')
    expect((await t.ok('outbox.get', { id: c.id })).status).toBe('delivered')
    expect((await t.ok('contacts.get', { id: bo.id })).status).toBe('bounced')
    const types = (await t.ok('outbox.get', { id: a.id })).events.map((e) => e.type)
    expect(types).toEqual(expect.arrayContaining(['accepted', 'delivered', 'opened', 'clicked']))
    // Polling again records nothing twice.
    expect(await t.engine.outbound.pollEvents()).toBe(0)
    // Bounced and complained addresses are suppressed: the next message to them is skipped.
    const again = await t.ok('mail.send', { profileId: profile.id, to: ['cy@client.test'], subject: 'D', html: 'd' })
    expect(again).toMatchObject({ status: 'skipped', statusReason: 'cy@client.test is suppressed (complained)' })
  })

  it('holds every Mailgun row of the object on 401, and resumes them with a new key', async () => {
    const { t, object, profile } = await setup({ key: 'key-wrong-000000' })
    const a = await t.ok('mail.send', { profileId: profile.id, to: ['a@client.test'], subject: 'A', html: 'a' })
    await t.engine.outbound.scheduler.idle()
    const b = await t.ok('mail.send', { profileId: profile.id, to: ['b@client.test'], subject: 'B', html: 'b' })
    await t.engine.outbound.scheduler.idle()
    for (const id of [a.id, b.id]) expect(await t.ok('outbox.get', { id })).toMatchObject({ status: 'held', statusReason: 'auth', attempts: 0 })
    // Only the first one was tried: the second was held without another rejected request.
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([401])
    // The business shows why; a new key (the stored API address is kept when omitted) clears it.
    expect((await t.ok('objects.list', {}))[0]!.mailgun).toMatchObject({ authError: expect.stringContaining('401') })
    await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us' })
    expect((await t.ok('objects.list', {}))[0]!.mailgun).toMatchObject({ authError: null, apiBaseUrl: fake.url })
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent.map((s) => s.fields.subject![0])).toEqual(['A', 'B'])
  })

  it('retries 5xx and 429 later, and fails a 400 at once', async () => {
    const { t, profile } = await setup()
    const tracked = await t.ok('mail.send', { profileId: profile.id, to: ['t@client.test'], subject: 'Tracked', html: 't', tracking: true })
    await t.engine.outbound.scheduler.idle()
    expect(tracked.tracking).toBe(true)
    expect(fake.sent.at(-1)!.fields).toMatchObject({ 'o:tracking': ['yes'], 'o:tracking-opens': ['yes'], 'o:tracking-clicks': ['yes'] })
    fake.failNext(503, 1)
    const a = await t.ok('mail.send', { profileId: profile.id, to: ['a@client.test'], subject: 'A', html: 'a' })
    await t.engine.outbound.scheduler.idle()
    expect(await t.ok('outbox.get', { id: a.id })).toMatchObject({ status: 'retry_wait', errorKind: 'transient', attempts: 1 })
    fake.failNext(429, 1, { retryAfter: 7200 })
    await t.ok('clock.advance', { ms: 60_000 })
    await t.engine.outbound.scheduler.idle()
    const limited = await t.ok('outbox.get', { id: a.id })
    expect(limited).toMatchObject({ status: 'retry_wait', errorKind: 'rate_limit', attempts: 2 })
    expect(Date.parse(limited.nextAttemptAt!) - t.clock.now()).toBe(7200_000)
    await t.ok('clock.advance', { ms: 7200_000 })
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: a.id })).status).toBe('sent')

    fake.failNext(400, 1, { body: JSON.stringify({ message: "'to' parameter is not a valid address. please check documentation" }) })
    const b = await t.ok('mail.send', { profileId: profile.id, to: ['b@client.test'], subject: 'B', html: 'b' })
    await t.engine.outbound.scheduler.idle()
    const failed = await t.ok('outbox.get', { id: b.id })
    expect(failed).toMatchObject({ status: 'failed', errorKind: 'permanent', attempts: 1 })
    expect(failed.lastError).toContain("'to' parameter is not a valid address")
  })

  it('holds mail while Mailgun is unreachable, without using attempts', async () => {
    const { t, object, profile } = await setup()
    const port = await closedPort()
    await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, region: 'us', apiBaseUrl: `http://127.0.0.1:${port}` })
    const a = await t.ok('mail.send', { profileId: profile.id, to: ['a@client.test'], subject: 'A', html: 'a' })
    await t.engine.outbound.scheduler.idle()
    // A refused connection with the network up is the server's address ('unreachable'), said in words.
    expect(await t.ok('outbox.get', { id: a.id })).toMatchObject({ status: 'held', statusReason: 'unreachable', attempts: 0, lastError: expect.stringMatching(/refused the connection.*Check the host and port/) })
    expect((await t.ok('net.status', {})).endpoints).toEqual([expect.objectContaining({ key: `mailgun:127.0.0.1:${port}`, online: false, code: 'CONNECTION_REFUSED' })])
  })

  it('after a crash mid-send, finds the message in Mailgun’s events and does not send it again', async () => {
    const first = await setup()
    const m = await first.t.ok('mail.send', { profileId: first.profile.id, to: ['a@client.test'], subject: 'Once', html: 'x' })
    await first.t.engine.outbound.scheduler.idle()
    expect(fake.sent).toHaveLength(1)
    // Pretend the process died after Mailgun accepted the message but before the row was marked sent.
    leaveSending(first.t, m.id, first.t.clock.now() - 60_000)
    await first.t.engine.close()
    const second = await setup({ dataDir: first.t.dataDir })
    for (let i = 0; i < 100 && (await second.t.ok('outbox.get', { id: m.id })).status === 'sending'; i++) await new Promise((r) => setTimeout(r, 20))
    await second.t.engine.outbound.scheduler.idle()
    expect(await second.t.ok('outbox.get', { id: m.id })).toMatchObject({ status: 'sent' })
    expect(fake.sent).toHaveLength(1)
  })
})

/** A port nothing listens on (fetch refuses "bad ports" like 9 outright, so pick a real one and free it). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}
