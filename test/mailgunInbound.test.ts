// Receiving through Mailgun without a webhook (issue 18 item 3), end to end against the contract-faithful fake:
// a store() route made or adopted, `stored` events polled with paging, the raw MIME fetched from the storage URL,
// parsed in a parse thread and put through the same store as IMAP mail (inbox, contact match, intake rules);
// each event and each Message-ID once, across a restart too; failures recorded, never a stall.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine, type TestEngine } from './helpers'
import { waitFor } from './support/waitFor'

const KEY = 'key-inbound-0123456789'
const DOMAIN = 'mg.evebeauty.test'
const HELLO = `hello@${DOMAIN}`
let fake: FakeMailgun

beforeEach(async () => {
  fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })
})
afterEach(async () => {
  await fake.close()
})

let seq = 0
function mime(o: { from?: string; to?: string; subject?: string; body?: string; messageId?: string } = {}): string {
  const id = o.messageId ?? `<in${++seq}.${Math.random().toString(36).slice(2)}@client.test>`
  return [
    `From: ${o.from ?? 'Ann Client <ann@client.test>'}`,
    `To: ${o.to ?? HELLO}`,
    `Subject: ${o.subject ?? `Question ${seq}`}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${id}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body ?? 'Hello, do you have time on Friday?',
    '',
  ].join('\r\n')
}

function engine(dataDir?: string, intake: Record<string, unknown> = {}) {
  return freshEngine({ dataDir, outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 }, inbound: { run: false }, intake: { run: false, ...intake } })
}

async function setup(t: TestEngine = engine()) {
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
  return { t, object, ann }
}

const threads = async (t: TestEngine) => (await t.ok('inbox.list', {})).threads

describe('Mailgun receiving', () => {
  it('makes a store() route, polls stored events, fetches the MIME and puts it in the inbox matched to its contact', async () => {
    const { t, object, ann } = await setup()
    const on = await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    expect(on).toMatchObject({ enabled: true, addresses: [HELLO], routeId: null, lastPollAt: null })
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(0)
    expect(fake.inbound.routes).toEqual([expect.objectContaining({ expression: "match_recipient('^hello@mg\\.evebeauty\\.test$')", actions: ['store()'] })])
    const status = await t.ok('intake.mailgun.get', { objectId: object.id })
    expect(status).toMatchObject({ routeId: fake.inbound.routes[0]!.id, lastError: null })
    expect(status.lastPollAt).not.toBeNull()
    // Mail for other addresses is not stored by our route.
    expect(fake.inbound.receive(`sales@${DOMAIN}`, mime())).toBeNull()

    const got = fake.inbound.receive(HELLO, mime({ subject: 'Friday appointment' }))!
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(1)
    const [th] = await threads(t)
    expect(th).toMatchObject({ subject: 'Friday appointment' })
    const detail = await t.ok('threads.get', { id: th!.id })
    const m = await t.ok('messages.get', { id: detail.messages[0]!.id })
    expect(m).toMatchObject({ direction: 'in', from: { email: 'ann@client.test' }, subject: 'Friday appointment', parseError: null })
    expect(m.contactIds).toEqual([ann.id])
    expect(m.text).toContain('do you have time on Friday')
    // The events were asked for as Mailgun documents them, and the message fetched from its storage URL.
    const ev = fake.requests.find((r) => r.path === `/v3/${DOMAIN}/events`)!
    const q = new URLSearchParams(ev.query)
    expect([q.get('event'), q.get('ascending'), q.get('limit')]).toEqual(['stored', 'yes', '300'])
    expect(fake.requests.filter((r) => r.path === `/v3/domains/${DOMAIN}/messages/${got.key}`)).toHaveLength(1)
    expect(await t.ok('intake.mailgun.get', { objectId: object.id })).toMatchObject({ received: 1 })
    // The mailbox that holds this mail is not one to show or edit.
    expect(await t.ok('mailboxes.list', {})).toEqual([])
  })

  it('takes each event once and each Message-ID once, across a restart too (the cursor is stored)', async () => {
    const first = await setup()
    await first.t.ok('intake.mailgun.enable', { objectId: first.object.id, addresses: [HELLO] })
    await first.t.engine.inbound.mailgun.pollNow()
    const raw = mime({ subject: 'Only once' })
    const a = fake.inbound.receive(HELLO, raw)!
    expect(await first.t.engine.inbound.mailgun.pollNow()).toBe(1)
    fake.inbound.repeatEvent(a.key)
    // The same message delivered again (a new stored copy, same Message-ID): not fetched, not stored.
    const b = fake.inbound.receive(HELLO, raw)!
    expect(await first.t.engine.inbound.mailgun.pollNow()).toBe(0)
    expect(fake.requests.filter((r) => r.path.endsWith(b.key))).toHaveLength(0)
    const dataDir = first.t.dataDir
    await first.t.engine.close()

    const t = engine(dataDir)
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(0)
    expect(await threads(t)).toHaveLength(1)
    const lastEvents = fake.requests.filter((r) => r.path === `/v3/${DOMAIN}/events`).at(-1)!
    // After the restart the poll starts near the stored cursor, not from the beginning.
    const begin = Number(new URLSearchParams(lastEvents.query).get('begin')) * 1000
    expect(begin).toBeGreaterThanOrEqual(a.event.timestamp * 1000 - 5 * 60_000 - 1)
    fake.inbound.receive(HELLO, mime({ subject: 'After restart' }))
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(1)
    expect((await threads(t)).map((x) => x.subject).sort()).toEqual(['After restart', 'Only once'])
    expect((await t.ok('intake.mailgun.get', { objectId: first.object.id })).received).toBe(2)
  })

  it('follows the events API’s paging', async () => {
    const t = engine(undefined, { mailgunPageSize: 2 })
    const { object } = await setup(t)
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    // The first pass makes the route; only then does Mailgun store mail for the address.
    await t.engine.inbound.mailgun.pollNow()
    for (let i = 0; i < 5; i++) fake.inbound.receive(HELLO, mime({ subject: `Paged ${i}` }))
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(5)
    expect(fake.requests.filter((r) => r.path.startsWith(`/v3/${DOMAIN}/events`)).length).toBeGreaterThanOrEqual(3)
    expect(await threads(t)).toHaveLength(5)
  })

  it('adopts a store() route that already exists instead of making a second one', async () => {
    const { t, object } = await setup()
    const form = new FormData()
    form.append('expression', "match_recipient( '^hello@mg\\.evebeauty\\.test$' )")
    form.append('action', 'store()')
    form.append('description', 'made by hand')
    const made = await fetch(`${fake.url}/v3/routes`, { method: 'POST', body: form, headers: { Authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` } })
    const { route } = (await made.json()) as { route: { id: string } }
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    await t.engine.inbound.mailgun.pollNow()
    expect(fake.inbound.routes).toHaveLength(1)
    expect(await t.ok('intake.mailgun.get', { objectId: object.id })).toMatchObject({ routeId: route.id })
    // Adopted despite its spacing, it is not looked up again on every check.
    const routeCalls = () => fake.requests.filter((r) => r.path.startsWith('/v3/routes')).length
    const before = routeCalls()
    await t.engine.inbound.mailgun.pollNow()
    expect(routeCalls()).toBe(before)
  })

  it('moves its own route when the addresses change (one route, not one per change); a hand-made route is left alone', async () => {
    const { t, object } = await setup()
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    await t.engine.inbound.mailgun.pollNow()
    const [ours] = fake.inbound.routes
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO, `desk@${DOMAIN}`] })
    await t.engine.inbound.mailgun.pollNow()
    expect(fake.inbound.routes).toEqual([expect.objectContaining({ id: ours!.id, expression: "match_recipient('^(hello@mg\\.evebeauty\\.test|desk@mg\\.evebeauty\\.test)$')", actions: ['store()'] })])
    expect(fake.inbound.routes[0]!.description).toContain(`desk@${DOMAIN}`)
    expect(await t.ok('intake.mailgun.get', { objectId: object.id })).toMatchObject({ routeId: ours!.id, addresses: [HELLO, `desk@${DOMAIN}`] })
    // Mail to the new address is stored by that one route.
    expect(fake.inbound.receive(`desk@${DOMAIN}`, mime({ to: `desk@${DOMAIN}` }))).not.toBeNull()
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(1)

    // A route someone made by hand is never changed: a new one is made for the new addresses.
    fake.inbound.routes[0]!.description = 'made by hand'
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    await t.engine.inbound.mailgun.pollNow()
    expect(fake.inbound.routes).toHaveLength(2)
    expect(fake.inbound.routes[0]).toMatchObject({ id: ours!.id, description: 'made by hand' })
    expect(fake.inbound.routes[0]!.expression).toContain('desk@')
  })

  it('records failures in words and keeps going: a refused key, an expired stored message, a server error retried', async () => {
    const { t, object } = await setup()
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    fake.failNext(401, 1, { only: 'routes' })
    await t.engine.inbound.mailgun.pollNow()
    expect(await t.ok('intake.mailgun.get', { objectId: object.id })).toMatchObject({ lastError: 'Mailgun rejected the API key', routeId: null })
    await t.engine.inbound.mailgun.pollNow()
    expect(await t.ok('intake.mailgun.get', { objectId: object.id })).toMatchObject({ lastError: null })

    const gone = fake.inbound.receive(HELLO, mime({ subject: 'Expired' }))!
    fake.inbound.expire(gone.key)
    fake.inbound.receive(HELLO, mime({ subject: 'Kept' }))
    fake.failNext(503, 1, { only: 'storage' })
    // The 404 is recorded and passed; the 503 on the next message stops this pass…
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(0)
    expect((await t.ok('intake.mailgun.get', { objectId: object.id })).lastError).toMatch(/Mailgun answered 503/)
    // …and the next pass fetches it.
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(1)
    expect((await threads(t)).map((x) => x.subject)).toEqual(['Kept'])
  })

  it('runs intake rules on mail received through Mailgun (the same store path as IMAP)', async () => {
    const { t, object } = await setup()
    const tag = await t.ok('tags.create', { name: 'Website lead' })
    await t.ok('intake.rules.create', { objectId: object.id, name: 'Site form', fromMatch: 'forms@site.test', tagIds: [tag.id] })
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    await t.engine.inbound.mailgun.pollNow()
    fake.inbound.receive(HELLO, mime({ from: 'Website <forms@site.test>', subject: 'New lead', body: 'Name: Dee Cruz\r\nEmail: dee@lead.test\r\nPhone: +1 555 555 0101' }))
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(1)
    const dee = (await t.ok('contacts.list', { query: 'dee@lead.test' })).items[0]
    expect(dee).toMatchObject({ firstName: 'Dee', lastName: 'Cruz', phone: '+15555550101', tags: [expect.objectContaining({ name: 'Website lead' })] })
  })

  it('gives hostile form mail a clear outcome: huge, an unknown charset, broken base64 (each stored, none stalls the next)', async () => {
    const { t, object } = await setup()
    const tag = await t.ok('tags.create', { name: 'Website lead' })
    await t.ok('intake.rules.create', { objectId: object.id, name: 'Site form', fromMatch: 'forms@site.test', tagIds: [tag.id] })
    await t.ok('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })
    await t.engine.inbound.mailgun.pollNow()
    const from = 'Website <forms@site.test>'
    fake.inbound.receive(HELLO, mime({ from, subject: 'Huge', body: `Email: huge@lead.test\r\nName: ${'x'.repeat(3_000_000)}` }))
    fake.inbound.receive(
      HELLO,
      mime({ from, subject: 'Odd charset', body: 'Name: Zoë\r\nEmail: odd@lead.test' }).replace('charset=utf-8', 'charset=x-klingon-42'),
    )
    fake.inbound.receive(
      HELLO,
      mime({ from, subject: 'Broken base64', body: '!!!%%%not base64 at all%%%' }).replace('Content-Type: text/plain; charset=utf-8', 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64'),
    )
    expect(await t.engine.inbound.mailgun.pollNow()).toBe(3)
    expect((await threads(t)).map((x) => x.subject).sort()).toEqual(['Broken base64', 'Huge', 'Odd charset'])
    const emails = (await t.ok('contacts.list', { tagId: tag.id })).items.map((c) => c.email).sort()
    expect(emails).toEqual(['huge@lead.test', 'odd@lead.test'])
    const huge = (await t.ok('contacts.list', { query: 'huge@lead.test' })).items[0]!
    expect(huge.firstName.length).toBeLessThanOrEqual(120)
  })

  it('checks the set-up: Mailgun first, addresses on the sending domain, not for a business on IMAP', async () => {
    const t = engine()
    const object = await t.ok('objects.create', { name: 'No Mailgun', postalAddress: '1 Main St', timezone: 'UTC' })
    expect(await t.err('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })).toMatchObject({ code: 'VALIDATION', field: 'objectId' })
    await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
    expect(await t.err('intake.mailgun.enable', { objectId: object.id, addresses: ['hello@elsewhere.test'] })).toMatchObject({ code: 'VALIDATION', field: 'addresses' })
    expect(await t.err('intake.mailgun.enable', { objectId: object.id, addresses: [] })).toMatchObject({ code: 'VALIDATION', field: 'addresses' })
    await t.ok('mailboxes.create', {
      objectId: object.id,
      email: 'box@eve.test',
      displayName: 'Box',
      smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'u', password: 'p' },
      imap: { host: '127.0.0.1', port: 9, secure: 'none', user: 'u', password: 'p' },
    })
    expect(await t.err('intake.mailgun.enable', { objectId: object.id, addresses: [HELLO] })).toMatchObject({ code: 'CONFLICT' })
    const off = await t.ok('intake.mailgun.disable', { objectId: object.id })
    expect(off).toMatchObject({ enabled: false })
  })

  it('backs off while nothing arrives and starts over when woken', async () => {
    const t = engine(undefined, { run: true, mailgunMinMs: 5, mailgunMaxMs: 40 })
    await waitFor(() => t.engine.inbound.mailgun.delayMs() === 40 || undefined)
    t.engine.inbound.mailgun.wake()
    expect(t.engine.inbound.mailgun.delayMs()).toBe(5)
  })
})
