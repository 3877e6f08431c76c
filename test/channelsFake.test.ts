// The fake Twilio itself keeps Twilio's contract: auth, form fields, 201 bodies, error JSON, status progression, paging.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'

let fake: FakeTwilio
const TOKEN = 'fake-auth-token-0123456789'
beforeEach(async () => {
  fake = await startFakeTwilio({ authToken: TOKEN })
})
afterEach(async () => fake.close())

const auth = (token = TOKEN) => `Basic ${Buffer.from(`${fake.accountSid}:${token}`).toString('base64')}`
const post = (fields: Record<string, string>, token?: string) =>
  fetch(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: auth(token), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  })
const get = (path: string) => fetch(`${fake.url}${path}`, { headers: { authorization: auth() } })

describe('fake Twilio', () => {
  it('creates a message (201, num_segments a string) whose status progresses as it is polled', async () => {
    const r = await post({ To: '+15555550100', From: '+15555550199', Body: 'x'.repeat(161) })
    expect(r.status).toBe(201)
    const m = (await r.json()) as { sid: string; status: string; num_segments: string; uri: string }
    expect(m).toMatchObject({ status: 'queued', num_segments: '2' })
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/)
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push(((await (await get(m.uri)).json()) as { status: string }).status)
    expect(statuses).toEqual(['sent', 'delivered', 'delivered'])
  })

  it('answers errors as Twilio does: wrong token 20003, programmed codes, missing fields', async () => {
    const bad = await post({ To: '+15555550100', From: '+15555550199', Body: 'hi' }, 'wrong-token-000000000')
    expect(bad.status).toBe(401)
    expect(await bad.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 })
    fake.failNumber('+15555550101', 21610)
    expect(await (await post({ To: '+15555550101', From: '+15555550199', Body: 'hi' })).json()).toMatchObject({ code: 21610, status: 400 })
    expect(await (await post({ To: 'nope', From: '+15555550199', Body: 'hi' })).json()).toMatchObject({ code: 21211 })
    expect(await (await post({ From: '+15555550199', Body: 'hi' })).json()).toMatchObject({ code: 21604 })
    fake.failNumber('+15555550102', 30001)
    const later = (await (await post({ To: '+15555550102', From: '+15555550199', Body: 'hi' })).json()) as { uri: string }
    expect(await (await get(later.uri)).json()).toMatchObject({ status: 'failed', error_code: 30001 })
    // WhatsApp free text with no inbound in 24 h fails later with 63016; a template goes.
    const wa = (await (await post({ To: 'whatsapp:+15555550103', From: 'whatsapp:+15555550199', Body: 'hi' })).json()) as { uri: string }
    expect(await (await get(wa.uri)).json()).toMatchObject({ status: 'failed', error_code: 63016 })
    const tpl = (await (await post({ To: 'whatsapp:+15555550103', From: 'whatsapp:+15555550199', ContentSid: 'HX' + 'a'.repeat(32), ContentVariables: '{"1":"Ann"}' })).json()) as { uri: string }
    expect(await (await get(tpl.uri)).json()).toMatchObject({ status: 'sent' })
  })

  it('lists messages newest first, filtered, in pages linked by next_page_uri', async () => {
    for (let i = 0; i < 5; i++) fake.inbound({ from: `+1555555020${i}`, to: '+15555550199', body: `m${i}`, at: Date.UTC(2026, 0, 5, 9, 0, i) })
    fake.inbound({ from: '+15555550300', to: '+15555550188', body: 'other number' })
    let uri: string | null = `/2010-04-01/Accounts/${fake.accountSid}/Messages.json?To=%2B15555550199&PageSize=2&DateSent%3E=2026-01-05`
    const bodies: string[] = []
    while (uri) {
      const page = (await (await get(uri)).json()) as { messages: Array<{ body: string }>; next_page_uri: string | null; page_size: number }
      expect(page.page_size).toBe(2)
      bodies.push(...page.messages.map((m) => m.body))
      uri = page.next_page_uri
    }
    expect(bodies).toEqual(['m4', 'm3', 'm2', 'm1', 'm0'])
    const acct = await get(`/2010-04-01/Accounts/${fake.accountSid}.json`)
    expect(await acct.json()).toMatchObject({ sid: fake.accountSid, status: 'active' })
  })
})
