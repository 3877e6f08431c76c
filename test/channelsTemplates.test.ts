// WhatsApp templates from Twilio's Content API (issue 17): texts.templates reads every page by meta.next_page_url
// from the fake (same path, auth, paging and `meta` as content.twilio.com), and says in words when it cannot.
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine } from './helpers'

const TOKEN = 'fake-auth-token-0123456789'
let fake: FakeTwilio | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(token = TOKEN) {
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
  fake = await startFakeTwilio({ authToken: TOKEN, now: () => t.clock.now() })
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', timezone: 'America/New_York' })
  await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: token, whatsappFrom: '+15555550198', apiBaseUrl: fake.url })
  return { t, fake: fake!, object }
}

describe('texts.templates', () => {
  it('lists every template across pages, with its words and placeholders', async () => {
    const { t, fake, object } = await setup()
    const sid = fake.addContent({ friendlyName: 'appointment_reminder', body: 'Hi {{1}}, see you on {{2}}.', variables: { '2': 'Tuesday', '1': 'Ann' } })
    for (let i = 0; i < 119; i++) fake.addContent({ friendlyName: `promo_${String(i).padStart(3, '0')}`, body: `Offer ${i}` })
    const list = await t.ok('texts.templates', { objectId: object.id })
    expect(list).toHaveLength(120)
    expect(list[0]).toEqual({ contentSid: sid, name: 'appointment_reminder', language: 'en', body: 'Hi {{1}}, see you on {{2}}.', variables: [{ key: '1', sample: 'Ann' }, { key: '2', sample: 'Tuesday' }], approval: 'approved', rejectionReason: null })
    expect(list.at(-1)!.name).toBe('promo_118')
    // Three pages of 50, each asked once, following meta.next_page_url.
    const asked = fake.requests.filter((r) => r.path === '/v1/Content')
    expect(asked.map((r) => new URLSearchParams(r.query).get('Page') ?? '0')).toEqual(['0', '1', '2'])
  })

  it('says which templates WhatsApp approved, from each one\'s ApprovalRequests', async () => {
    const { t, fake, object } = await setup()
    fake.addContent({ friendlyName: 'a_ready', body: 'Ready' })
    fake.addContent({ friendlyName: 'b_waiting', body: 'Waiting', approval: 'pending' })
    fake.addContent({ friendlyName: 'c_refused', body: 'Refused', approval: 'rejected', rejectionReason: 'Promotional content in a utility template' })
    fake.addContent({ friendlyName: 'd_draft', body: 'Draft', approval: 'unsubmitted' })
    const list = await t.ok('texts.templates', { objectId: object.id })
    expect(list.map((x) => [x.name, x.approval, x.rejectionReason])).toEqual([
      ['a_ready', 'approved', null],
      ['b_waiting', 'pending', null],
      ['c_refused', 'rejected', 'Promotional content in a utility template'],
      ['d_draft', 'unsubmitted', null],
    ])
    // One look per template, with the account's credentials.
    expect(fake.requests.filter((r) => r.path.endsWith('/ApprovalRequests')).map((r) => r.status)).toEqual([200, 200, 200, 200])
  })

  it('reads each approval again only after a while: a pending one after a minute, an approved one after ten', async () => {
    const { t, fake, object } = await setup()
    fake.addContent({ friendlyName: 'a_ready', body: 'Ready' })
    fake.addContent({ friendlyName: 'b_waiting', body: 'Waiting', approval: 'pending' })
    const looks = () => fake.requests.filter((r) => r.path.endsWith('/ApprovalRequests')).length
    await t.ok('texts.templates', { objectId: object.id })
    expect(looks()).toBe(2)
    // A composer opened again at once asks Twilio for the list, not for every approval again.
    await t.ok('texts.templates', { objectId: object.id })
    expect(looks()).toBe(2)
    await t.ok('clock.advance', { ms: 61_000 })
    await t.ok('texts.templates', { objectId: object.id })
    expect(looks()).toBe(3)
    await t.ok('clock.advance', { ms: 10 * 60_000 })
    const list = await t.ok('texts.templates', { objectId: object.id })
    expect(looks()).toBe(5)
    expect(list.map((x) => x.approval)).toEqual(['approved', 'pending'])
  })

  it('says in words when Twilio refuses, and when the business has no Twilio', async () => {
    const { t, object } = await setup('wrong-token-00000000000')
    const e = await t.err('texts.templates', { objectId: object.id })
    expect(e.code).toBe('UNAVAILABLE')
    expect(e.message).toMatch(/^The templates could not be read from Twilio: /)
    expect(e.message).not.toContain('{')
    const bare = await t.ok('objects.create', { name: 'No Twilio', timezone: 'UTC' })
    expect(await t.err('texts.templates', { objectId: bare.id })).toMatchObject({ code: 'VALIDATION', message: 'Business Twilio not configured' })
  })
})
