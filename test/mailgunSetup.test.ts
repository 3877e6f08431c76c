// mailgun.test (issue 20, capability 4): the key and sending domain are tried against Mailgun's domain API
// (GET /v3/domains/{domain}, basic auth api:KEY) before they are saved; here against the faithful fake.
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine } from './helpers'

const KEY = 'key-live-0123456789'
const DOMAIN = 'mg.evebeauty.test'
let fake: FakeMailgun

beforeEach(async () => {
  fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN, 'new.evebeauty.test'], unverified: ['new.evebeauty.test'] })
})
afterEach(async () => {
  await fake.close()
})

const engine = (setupTestMs = 5_000) => freshEngine({ outbound: { run: false, eventsPollMs: 0, setupTestMs }, inbound: { run: false } })

describe('the Mailgun fake answers the domain API as Mailgun does', () => {
  const get = (domain: string, key: string) => fetch(`${fake.url}/v3/domains/${domain}`, { headers: { Authorization: `Basic ${Buffer.from(`api:${key}`).toString('base64')}` } })
  it('200 with the domain object, 401 Forbidden, 404 Domain not found', async () => {
    const ok = await get(DOMAIN, KEY)
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { domain: { name: string; state: string; smtp_login: string }; sending_dns_records: unknown[]; receiving_dns_records: unknown[] }
    expect(body.domain).toMatchObject({ name: DOMAIN, state: 'active', smtp_login: `postmaster@${DOMAIN}` })
    expect(body.sending_dns_records.length).toBeGreaterThan(0)
    expect(body.receiving_dns_records.length).toBeGreaterThan(0)
    const bad = await get(DOMAIN, 'key-wrong-000000')
    expect([bad.status, await bad.text()]).toEqual([401, 'Forbidden'])
    const missing = await get('nope.evebeauty.test', KEY)
    expect([missing.status, await missing.json()]).toEqual([404, { message: 'Domain not found' }])
  })
})

describe('mailgun.test', () => {
  it('a working key and domain: OK', async () => {
    const t = engine()
    expect(await t.ok('mailgun.test', { sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })).toMatchObject({ ok: true, code: 'OK', state: 'active' })
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v3/domains/${DOMAIN}`, status: 200 })
  })

  it('a wrong key is AUTH, in words, and the key never shows', async () => {
    const t = engine()
    const r = await t.ok('mailgun.test', { sendingDomain: DOMAIN, apiKey: 'key-wrong-000000', region: 'us', apiBaseUrl: fake.url })
    expect(r).toMatchObject({ ok: false, code: 'AUTH', message: expect.stringMatching(/refused the API key/) })
    expect(r.message).not.toContain('key-wrong')
  })

  it('an unknown sending domain is NOT_FOUND, naming it and the region', async () => {
    const t = engine()
    const r = await t.ok('mailgun.test', { sendingDomain: 'other.evebeauty.test', apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
    expect(r).toMatchObject({ ok: false, code: 'NOT_FOUND', message: expect.stringMatching(/"other.evebeauty.test".*region/) })
  })

  it('an unverified domain works but says its DNS records are missing', async () => {
    const t = engine()
    expect(await t.ok('mailgun.test', { sendingDomain: 'new.evebeauty.test', apiKey: KEY, region: 'us', apiBaseUrl: fake.url })).toMatchObject({ ok: true, state: 'unverified', message: expect.stringMatching(/DNS records/) })
  })

  it('a saved business is tested with its stored key and API address when none is given', async () => {
    const t = engine()
    const object = await t.ok('objects.create', { name: 'Eve' })
    await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
    expect(await t.ok('mailgun.test', { objectId: object.id, sendingDomain: DOMAIN, region: 'us' })).toMatchObject({ ok: true })
    expect(await t.err('mailgun.test', { sendingDomain: DOMAIN, region: 'us' })).toMatchObject({ code: 'VALIDATION', field: 'apiKey' })
  })

  it('a refused connection and a silent server, within the budget', async () => {
    const t = engine(800)
    const sockets: Socket[] = []
    const s = createServer((sock) => void sockets.push(sock.on('error', () => {})))
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    const port = (s.address() as AddressInfo).port
    try {
      expect(await t.ok('mailgun.test', { sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: `http://127.0.0.1:${port}` })).toMatchObject({ ok: false, code: 'TIMEOUT' })
    } finally {
      for (const sock of sockets) sock.destroy()
      await new Promise<void>((r) => s.close(() => r()))
    }
    expect(await t.ok('mailgun.test', { sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: `http://127.0.0.1:${port}` })).toMatchObject({ ok: false, code: 'CONNECTION_REFUSED' })
  })
})
