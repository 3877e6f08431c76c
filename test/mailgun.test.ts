// Mailgun client against the contract-faithful fake: request shape, URL/auth, failure classification, events paging.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SendFailure } from '../src/main/engine/outbound/failure'
import { mailgunEvents, mailgunSend, type MailgunConfig, type MailgunMessage } from '../src/main/engine/outbound/mailgun'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'

const KEY = 'key-secret-123456'
const DOMAIN = 'mg.example.test'
let fake: FakeMailgun
let cfg: MailgunConfig

beforeEach(async () => {
  fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })
  cfg = { sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url }
})
afterEach(async () => {
  vi.restoreAllMocks()
  await fake.close()
})

let n = 0
function msg(over: Partial<MailgunMessage> = {}): MailgunMessage {
  n++
  return {
    messageId: `<m${n}@switchboard.local>`,
    from: 'Ann Sales <ann@mg.example.test>',
    to: ['bob@client.test'],
    cc: [],
    subject: `Hello ${n}`,
    html: '<p>Hi</p>',
    text: 'Hi',
    tracking: false,
    ...over,
  }
}

/** The SendFailure a call rejects with (fails the test if it resolves or throws something else). */
async function failureOf(p: Promise<unknown>): Promise<SendFailure> {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(SendFailure)
  expect((err as Error).message).not.toContain(KEY)
  return err as SendFailure
}

describe('mailgunSend', () => {
  it('posts every field Mailgun needs as multipart form data', async () => {
    const m = msg({ to: ['bob@client.test', 'Carol <carol@client.test>'], cc: ['dan@client.test'], replyTo: 'replies@switchboard.local', tracking: true, headers: { 'In-Reply-To': '<prev@x.test>', 'List-Unsubscribe': '<mailto:u@x.test>' } })
    const { providerId } = await mailgunSend(cfg, m)
    expect(providerId).toBe(m.messageId)
    expect(fake.sent).toHaveLength(1)
    const f = fake.sent[0].fields
    expect(f.from).toEqual(['Ann Sales <ann@mg.example.test>'])
    expect(f.to).toEqual(['bob@client.test', 'Carol <carol@client.test>'])
    expect(f.cc).toEqual(['dan@client.test'])
    expect(f.subject).toEqual([m.subject])
    expect(f.html).toEqual(['<p>Hi</p>'])
    expect(f.text).toEqual(['Hi'])
    expect(f['h:Message-Id']).toEqual([m.messageId])
    expect(f['h:Reply-To']).toEqual(['replies@switchboard.local'])
    expect(f['h:In-Reply-To']).toEqual(['<prev@x.test>'])
    expect(f['h:List-Unsubscribe']).toEqual(['<mailto:u@x.test>'])
    expect([f['o:tracking'], f['o:tracking-clicks'], f['o:tracking-opens']]).toEqual([['yes'], ['yes'], ['yes']])
    // The fake logs one 'accepted' per recipient, like Mailgun.
    expect(fake.events().map((e) => [e.event, e.recipient])).toEqual([['accepted', 'bob@client.test'], ['accepted', 'carol@client.test'], ['accepted', 'dan@client.test']])
  })

  it('sends tracking off as "no" and omits Reply-To when there is none', async () => {
    await mailgunSend(cfg, msg({ tracking: false, replyTo: null }))
    const f = fake.sent[0].fields
    expect([f['o:tracking'], f['o:tracking-clicks'], f['o:tracking-opens']]).toEqual([['no'], ['no'], ['no']])
    expect(f['h:Reply-To']).toBeUndefined()
  })

  it("uses the settings' sending domain, never the From address's domain", async () => {
    await mailgunSend(cfg, msg({ from: 'Other <x@other-domain.test>' }))
    expect(fake.requests).toEqual([{ method: 'POST', path: `/v3/${DOMAIN}/messages`, query: '', status: 200 }])
    expect(fake.sent[0].domain).toBe(DOMAIN)
  })

  it('authenticates with basic auth api:KEY', async () => {
    await mailgunSend(cfg, msg())
    const [scheme, b64] = fake.sent[0].auth.split(' ')
    expect(scheme).toBe('Basic')
    expect(Buffer.from(b64, 'base64').toString()).toBe(`api:${KEY}`)
  })

  it('uses the regional base URL when no override is set', async () => {
    const spy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify({ id: '<x@y>', message: 'Queued. Thank you.' })))
    await mailgunSend({ ...cfg, region: 'eu', apiBaseUrl: null }, msg())
    expect(String(spy.mock.calls[0][0])).toBe(`https://api.eu.mailgun.net/v3/${DOMAIN}/messages`)
  })

  it('classifies a wrong key as auth', async () => {
    const f = await failureOf(mailgunSend({ ...cfg, apiKey: 'wrong-key' }, msg()))
    expect(f.kind).toBe('auth')
    expect(fake.requests[0].status).toBe(401)
    expect(fake.sent).toHaveLength(0)
  })

  it("classifies a 400 as permanent and carries Mailgun's message", async () => {
    const f = await failureOf(mailgunSend(cfg, msg({ to: [] })))
    expect(f.kind).toBe('permanent')
    expect(f.message).toContain("'to' parameter is missing")
  })

  it('classifies an unknown domain (404) as permanent', async () => {
    const f = await failureOf(mailgunSend({ ...cfg, sendingDomain: 'nope.test' }, msg()))
    expect(f.kind).toBe('permanent')
    expect(f.message).toContain('Domain not found: nope.test')
  })

  it('classifies 429 as rate_limit with Retry-After in ms', async () => {
    fake.failNext(429, 1, { retryAfter: 7 })
    const f = await failureOf(mailgunSend(cfg, msg()))
    expect(f.kind).toBe('rate_limit')
    expect(f.retryAfterMs).toBe(7000)
    await expect(mailgunSend(cfg, msg())).resolves.toHaveProperty('providerId') // only the next request failed
  })

  it('classifies 5xx as transient', async () => {
    fake.failNext(500)
    expect((await failureOf(mailgunSend(cfg, msg()))).kind).toBe('transient')
    fake.failNext(503)
    expect((await failureOf(mailgunSend(cfg, msg()))).kind).toBe('transient')
  })

  it('classifies a refused connection as offline', async () => {
    const url = fake.url
    await fake.close()
    const f = await failureOf(mailgunSend({ ...cfg, apiBaseUrl: url }, msg()))
    expect(f.kind).toBe('offline')
    fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] }) // for afterEach
  })

  it('classifies a server that never answers as offline after the timeout', async () => {
    const silent: Server = createServer(() => {}) // accepts, never responds
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    try {
      const port = (silent.address() as AddressInfo).port
      const f = await failureOf(mailgunSend({ ...cfg, apiBaseUrl: `http://127.0.0.1:${port}` }, msg({ timeoutMs: 200 })))
      expect(f.kind).toBe('offline')
    } finally {
      silent.closeAllConnections()
      silent.close()
    }
  })

  it('rejects header values that would inject extra headers', async () => {
    const f = await failureOf(mailgunSend(cfg, msg({ headers: { References: '<a@b>\r\nBcc: evil@x.test' } })))
    expect(f.kind).toBe('permanent')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('fake Mailgun validation (same as the real API)', () => {
  const auth = `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`
  it("answers 400 for a missing 'from' and 401 'Forbidden' for a bad key", async () => {
    const body = new URLSearchParams({ to: 'a@b.test', subject: 's', text: 't' })
    const res = await fetch(`${fake.url}/v3/${DOMAIN}/messages`, { method: 'POST', headers: { Authorization: auth }, body })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ message: "'from' parameter is missing" })
    const bad = await fetch(`${fake.url}/v3/${DOMAIN}/messages`, { method: 'POST', headers: { Authorization: 'Basic eDp5' }, body })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await bad.text()).toBe('Forbidden')
  })

  it('generates Mailgun-style ids when no Message-Id is given', async () => {
    const body = new URLSearchParams({ from: 'a@mg.example.test', to: 'b@c.test', subject: 's', text: 't' })
    const res = await fetch(`${fake.url}/v3/${DOMAIN}/messages`, { method: 'POST', headers: { Authorization: auth }, body })
    const json = (await res.json()) as { id: string; message: string }
    expect(json.message).toBe('Queued. Thank you.')
    expect(json.id).toMatch(/^<\d{14}\.1\.[0-9A-F]{16}@mg\.example\.test>$/)
  })
})

describe('mailgunEvents', () => {
  it('follows paging across 3 pages, returning every event once, in order', async () => {
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push((await mailgunSend(cfg, msg())).providerId) // 7 'accepted' events
    const seen: string[] = []
    let page = await mailgunEvents(cfg, { limit: 3, beginMs: 0 })
    let pages = 0
    while (page.items.length) {
      pages++
      seen.push(...page.items.map((e) => e.messageId))
      expect(page.nextPageUrl).toMatch(new RegExp(`^${fake.url}/v3/${DOMAIN}/events/`))
      page = await mailgunEvents(cfg, { pageUrl: page.nextPageUrl! })
    }
    expect(pages).toBe(3)
    expect(page.nextPageUrl).toBeNull()
    expect(seen).toEqual(ids)
    const first = fake.requests.find((r) => r.path.endsWith('/events'))!
    expect(new URLSearchParams(first.query).get('ascending')).toBe('yes')
  })

  it('normalises event fields and filters by message id', async () => {
    const a = await mailgunSend(cfg, msg())
    const b = await mailgunSend(cfg, msg())
    fake.deliverAll()
    fake.fail(b.providerId, 'permanent', 'bounce')
    fake.click(a.providerId, 'https://example.test/offer')
    const onlyA = await mailgunEvents(cfg, { messageId: a.providerId })
    expect(onlyA.items.map((e) => e.event)).toEqual(['accepted', 'delivered', 'clicked'])
    expect(onlyA.items.every((e) => e.messageId === a.providerId)).toBe(true)
    expect(onlyA.items[2].url).toBe('https://example.test/offer')
    const first = onlyA.items[0]
    expect(Number.isInteger(first.timestamp) && Math.abs(first.timestamp - Date.now()) < 60_000).toBe(true)
    const onlyB = await mailgunEvents(cfg, { messageId: b.providerId })
    const failed = onlyB.items.find((e) => e.event === 'failed')!
    expect(failed).toMatchObject({ severity: 'permanent', reason: 'bounce', recipient: 'bob@client.test' })
    expect(failed.description).toContain('does not exist')
  })

  it('only returns events from begin onwards', async () => {
    const { providerId } = await mailgunSend(cfg, msg())
    fake.addEvent({ event: 'opened', messageId: providerId, timestamp: 1_000 })
    fake.addEvent({ event: 'opened', messageId: providerId, timestamp: 2_000 })
    const page = await mailgunEvents(cfg, { beginMs: 1_500_000, messageId: providerId, limit: 10 })
    // The 1000 s open is before begin; what's left comes oldest first.
    expect(page.items.map((e) => e.event)).toEqual(['opened', 'accepted'])
    expect(page.items[0].timestamp).toBe(2_000_000)
  })

  it('classifies events failures like sends and refuses paging URLs to other hosts', async () => {
    fake.failNext(401, 1, { only: 'events' })
    expect((await failureOf(mailgunEvents(cfg, {}))).kind).toBe('auth')
    const f = await failureOf(mailgunEvents(cfg, { pageUrl: 'https://evil.test/v3/x/events/abc' }))
    expect(f.kind).toBe('permanent')
  })
})
