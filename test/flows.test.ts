// Flows (issue 16) on the real engine and the test clock, sending through the contract-faithful Mailgun
// fake so opens and clicks come back as Mailgun reports them. Replies arrive as the inbound store reports
// them (the 'outbound.replied' hook); the real-Dovecot reply is in test/mail/flows.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine, type TestEngine } from './helpers'
import { waitFor } from './support/waitFor'

const KEY = 'key-live-0123456789'
const DOMAIN = 'mg.evebeauty.test'
const HOUR = 3_600_000
const DAY = 24 * HOUR
let fake: FakeMailgun

beforeEach(async () => void (fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })))
afterEach(async () => void (await fake.close()))

async function setup() {
  const t = freshEngine({ start: Date.UTC(2026, 11, 1, 15), outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } } })
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  await t.ok('profiles.create', { objectId: object.id, email: 'info@evebeauty.test', displayName: 'Eve Beauty', transport: { kind: 'mailgun' } })
  const contact = (email: string, firstName: string) => t.ok('contacts.create', { email, firstName, primaryObjectId: object.id })
  /** Everything due runs: leads advance, the outbox sends, Mailgun's events come back. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      t.engine.automation.runDue()
      await t.engine.outbound.scheduler.idle()
      await t.engine.outbound.pollEvents()
    }
  }
  const advance = async (ms: number) => (await t.ok('clock.advance', { ms }), settle())
  return { t, object, contact, settle, advance }
}

const node = (id: string, type: string, config: Record<string, unknown> = {}, y = 0) => ({ id, type, config, position: { x: 0, y } }) as never

/** The follow-up: send the offer; wait up to 2 days for a reply; if none, remind those who opened, tag the rest cold. */
function followUp(coldTagId: number) {
  return {
    nodes: [
      node('start', 'start'),
      node('offer', 'sendEmail', { subject: 'Offer for {{contact.first_name}}', html: '<p>Our offer</p>' }, 100),
      node('replied', 'condition', { kind: 'replied', nodeId: 'offer', within: { value: 2, unit: 'days' } }, 200),
      node('opened', 'condition', { kind: 'opened', nodeId: 'offer' }, 300),
      node('reminder', 'sendEmail', { subject: 'Reminder', html: '<p>Still interested?</p>' }, 400),
      node('cold', 'action', { kind: 'addTag', tagId: coldTagId }, 400),
      node('done', 'end', {}, 300),
      node('done2', 'end', {}, 500),
      node('done3', 'end', {}, 500),
    ],
    edges: [
      { from: 'start', to: 'offer' },
      { from: 'offer', to: 'replied' },
      { from: 'replied', to: 'done', branch: 'yes' },
      { from: 'replied', to: 'opened', branch: 'no' },
      { from: 'opened', to: 'reminder', branch: 'yes' },
      { from: 'opened', to: 'cold', branch: 'no' },
      { from: 'reminder', to: 'done2' },
      { from: 'cold', to: 'done3' },
    ],
  } as never
}

const subjectsTo = (email: string) => fake.sent.filter((s) => s.fields.to?.[0] === email).map((s) => s.fields.subject![0])
const pathOf = (lead: { path: Array<{ nodeId: string; outcome: string }> }) => lead.path.filter((p) => p.outcome !== 'entered').map((p) => `${p.nodeId}:${p.outcome}`)

async function leadsByEmail(t: TestEngine, flowId: number) {
  const page = await t.ok('flows.leads', { flowId })
  return Object.fromEntries(page.items.map((l) => [l.email!, l]))
}

describe('flows', () => {
  it('the issue’s example, exactly as written, is created, activated, enrolled and runs', async () => {
    const { t, object, contact, settle, advance } = await setup()
    const ann = await contact('ann@client.test', 'Ann')
    const flow = await t.ok('flows.create', {
      name: 'Offer',
      objectId: object.id,
      trigger: { type: 'manual' },
      graph: {
        nodes: [
          { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
          { id: 'offer', type: 'sendEmail', config: { subject: 'Offer for {{contact.first_name}}', html: '<p>Our offer</p>' }, position: { x: 0, y: 100 } },
          { id: 'replied', type: 'condition', config: { kind: 'replied', nodeId: 'offer', within: { value: 2, unit: 'days' } }, position: { x: 0, y: 200 } },
          { id: 'reminder', type: 'sendEmail', config: { subject: 'Reminder', html: '<p>Still interested?</p>' }, position: { x: 200, y: 300 } },
          { id: 'done', type: 'end', config: {}, position: { x: 0, y: 300 } },
          { id: 'done2', type: 'end', config: {}, position: { x: 200, y: 400 } },
        ],
        edges: [
          { from: 'start', to: 'offer' },
          { from: 'offer', to: 'replied' },
          { from: 'replied', to: 'done', branch: 'yes' },
          { from: 'replied', to: 'reminder', branch: 'no' },
          { from: 'reminder', to: 'done2' },
        ],
      },
    })
    expect(flow).toMatchObject({ status: 'draft', version: 1 })
    expect((await t.ok('flows.validate', { id: flow.id })).ok).toBe(true)
    expect((await t.err('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })).code).toBe('CONFLICT')
    await t.ok('flows.activate', { id: flow.id })
    expect(await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })).toEqual({ enrolled: 1, alreadyIn: 0, skipped: 0 })
    await settle()
    expect(subjectsTo('ann@client.test')).toEqual(['Offer for Ann'])
    const waiting = (await t.ok('flows.leads', { flowId: flow.id })).items[0]!
    expect(waiting).toMatchObject({ status: 'waiting', currentNodeId: 'replied', waitUntil: new Date(Date.UTC(2026, 11, 3, 15)).toISOString() })
    // Nothing early: a minute before the timeout the reminder has not gone.
    await advance(2 * DAY - 60_000)
    expect(subjectsTo('ann@client.test')).toEqual(['Offer for Ann'])
    await advance(60_000)
    expect(subjectsTo('ann@client.test')).toEqual(['Offer for Ann', 'Reminder'])
    const done = (await t.ok('flows.leads', { flowId: flow.id })).items[0]!
    expect(done.status).toBe('completed')
    expect(pathOf(done)).toEqual(['offer:sent', 'replied:waiting', 'replied:no', 'reminder:sent', 'done2:done'])
    // Enrolling again is a no-op: a contact is in a flow once.
    expect(await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })).toEqual({ enrolled: 0, alreadyIn: 1, skipped: 0 })
    // A segment feeds the flow as it matches now: Ann is in already, Bea joins.
    const bea = await contact('bea@client.test', 'Bea')
    await contact('cal@elsewhere.test', 'Cal')
    const seg = await t.ok('segments.create', { name: 'Client', objectId: object.id, rules: { all: [{ field: 'email', op: 'endsWith', value: '@client.test' }] } })
    expect(await t.ok('flows.enroll', { flowId: flow.id, segmentId: seg.id })).toEqual({ enrolled: 1, alreadyIn: 1, skipped: 0 })
    expect((await t.ok('flows.leads', { flowId: flow.id })).items.map((l) => l.contactId).sort()).toEqual([ann.id, bea.id].sort())
    expect(await t.err('flows.enroll', { flowId: flow.id, segmentId: 999 })).toMatchObject({ code: 'NOT_FOUND', field: 'segmentId' })
    await t.engine.close()
  })

  it('a reply takes yes at once, an open takes the reminder, nothing takes the cold tag; counts per node', async () => {
    const { t, object, contact, settle, advance } = await setup()
    const cold = await t.ok('tags.create', { name: 'cold' })
    const [ann, bo, cy] = [await contact('ann@client.test', 'Ann'), await contact('bo@client.test', 'Bo'), await contact('cy@client.test', 'Cy')]
    const flow = await t.ok('flows.create', { name: 'Follow-up', objectId: object.id, graph: followUp(cold.id) })
    await t.ok('flows.activate', { id: flow.id })
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id, bo.id, cy.id] })
    await settle()
    const offers = (await t.ok('outbox.list', {})).items
    expect(offers.map((o) => o.subject).sort()).toEqual(['Offer for Ann', 'Offer for Bo', 'Offer for Cy'])
    fake.deliverAll()
    const offerTo = (email: string) => offers.find((o) => o.to[0] === email)!
    fake.open(offerTo('bo@client.test').messageId)
    await advance(HOUR)
    // Ann replies after a day: her condition takes yes then, without waiting for the timeout.
    await advance(DAY)
    t.engine.hooks.emit('outbound.replied', { outboundId: offerTo('ann@client.test').id, contactId: ann.id, messageId: 1 })
    await settle()
    let leads = await leadsByEmail(t, flow.id)
    expect(leads['ann@client.test']).toMatchObject({ status: 'completed', currentNodeId: 'done' })
    expect(pathOf(leads['ann@client.test']!)).toEqual(['offer:sent', 'replied:waiting', 'replied:yes', 'done:done'])
    expect(leads['bo@client.test']).toMatchObject({ status: 'waiting', currentNodeId: 'replied' })
    await advance(DAY)
    leads = await leadsByEmail(t, flow.id)
    expect(pathOf(leads['bo@client.test']!)).toEqual(['offer:sent', 'replied:waiting', 'replied:no', 'opened:yes', 'reminder:sent', 'done2:done'])
    expect(pathOf(leads['cy@client.test']!)).toEqual(['offer:sent', 'replied:waiting', 'replied:no', 'opened:no', 'cold:done', 'done3:done'])
    expect(subjectsTo('bo@client.test')).toEqual(['Offer for Bo', 'Reminder'])
    expect(subjectsTo('ann@client.test')).toEqual(['Offer for Ann'])
    expect(subjectsTo('cy@client.test')).toEqual(['Offer for Cy'])
    expect((await t.ok('contacts.get', { id: cy.id })).tags.map((x) => x.name)).toEqual(['cold'])
    const stats = await t.ok('flows.stats', { id: flow.id })
    expect(stats.leads).toMatchObject({ completed: 3, waiting: 0 })
    expect(stats.nodes.offer).toMatchObject({ entered: 3, sent: 3 })
    expect(stats.nodes.replied).toMatchObject({ entered: 3, waiting: 3, yes: 1, no: 2 })
    expect(stats.nodes.opened).toMatchObject({ yes: 1, no: 1 })
    await t.engine.close()
  })

  it('a graph with errors cannot be activated; each problem names its node', async () => {
    const { t, object } = await setup()
    const flow = await t.ok('flows.create', {
      name: 'Broken',
      objectId: object.id,
      graph: {
        nodes: [node('start', 'start'), node('ask', 'condition', { kind: 'replied', nodeId: 'nowhere' }), node('mail', 'sendEmail', { subject: '', html: '<p>x</p>' }), node('lost', 'end')],
        edges: [{ from: 'start', to: 'ask' }, { from: 'ask', to: 'mail', branch: 'yes' }, { from: 'mail', to: 'ask' }],
      } as never,
    })
    const v = await t.ok('flows.validate', { id: flow.id })
    expect(v.ok).toBe(false)
    const byNode = (id: string) => v.problems.filter((p) => p.nodeId === id).map((p) => p.message)
    expect(byNode('ask')).toEqual(expect.arrayContaining(['Condition "ask" needs one "no" path', 'Condition "ask" refers to "nowhere", which is not an email node']))
    expect(byNode('mail')).toContain('Email "mail" has no subject')
    expect(byNode('lost')).toContain('End "lost" cannot be reached')
    expect(v.problems.some((p) => /loop without a wait/.test(p.message))).toBe(true)
    const err = await t.err('flows.activate', { id: flow.id })
    expect(err.code).toBe('VALIDATION')
    expect(err.fields?.map((f) => f.field)).toEqual(expect.arrayContaining(['graph.nodes.ask', 'graph.nodes.mail', 'graph.nodes.lost']))
    expect((await t.ok('flows.get', { id: flow.id })).status).toBe('draft')
    // A loop through a wait is fine.
    const loop = {
      nodes: [node('start', 'start'), node('mail', 'sendEmail', { subject: 'Hi', html: '<p>x</p>' }), node('pause', 'wait', { duration: { value: 7, unit: 'days' } })],
      edges: [{ from: 'start', to: 'mail' }, { from: 'mail', to: 'pause' }, { from: 'pause', to: 'mail' }],
    } as never
    expect(await t.ok('flows.validate', { graph: loop })).toEqual({ ok: true, problems: [] })
    await t.engine.close()
  })

  it('editing an active flow makes a new version; leads already in it finish on theirs', async () => {
    const { t, object, contact, settle, advance } = await setup()
    const ann = await contact('ann@client.test', 'Ann')
    const bo = await contact('bo@client.test', 'Bo')
    const v1 = {
      nodes: [node('start', 'start'), node('pause', 'wait', { duration: { value: 1, unit: 'days' } }), node('mail', 'sendEmail', { subject: 'Version one', html: '<p>1</p>' }), node('end', 'end')],
      edges: [{ from: 'start', to: 'pause' }, { from: 'pause', to: 'mail' }, { from: 'mail', to: 'end' }],
    } as never
    const flow = await t.ok('flows.create', { name: 'Versions', objectId: object.id, graph: v1 })
    await t.ok('flows.activate', { id: flow.id })
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    await settle()
    const v2 = JSON.parse(JSON.stringify(v1).replace('Version one', 'Version two'))
    expect((await t.err('flows.update', { id: flow.id, graph: { nodes: [node('start', 'start')], edges: [] } })).code).toBe('VALIDATION')
    expect(await t.ok('flows.update', { id: flow.id, graph: v2 })).toMatchObject({ version: 2, status: 'active' })
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [bo.id] })
    await settle()
    await advance(DAY)
    expect(subjectsTo('ann@client.test')).toEqual(['Version one'])
    expect(subjectsTo('bo@client.test')).toEqual(['Version two'])
    const leads = await leadsByEmail(t, flow.id)
    expect([leads['ann@client.test']!.version, leads['bo@client.test']!.version]).toEqual([1, 2])
    await t.engine.close()
  })

  it('pausing holds leads (nothing sent while paused), resuming sends once; an unsubscribe exits and withdraws unsent mail', async () => {
    const { t, object, contact, settle, advance } = await setup()
    const ann = await contact('ann@client.test', 'Ann')
    const bo = await contact('bo@client.test', 'Bo')
    const graph = {
      nodes: [
        node('start', 'start'),
        node('pause', 'wait', { duration: { value: 1, unit: 'days' } }),
        node('mail', 'sendEmail', { subject: 'Hello {{contact.first_name}}', html: '<p>hi</p>', window: { days: [1, 2, 3, 4, 5], startHour: 12, endHour: 17 } }),
        node('end', 'end'),
      ],
      edges: [{ from: 'start', to: 'pause' }, { from: 'pause', to: 'mail' }, { from: 'mail', to: 'end' }],
    } as never
    const flow = await t.ok('flows.create', { name: 'Paused', objectId: object.id, graph })
    await t.ok('flows.activate', { id: flow.id })
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id, bo.id] })
    await settle()
    await t.ok('flows.pause', { id: flow.id })
    await advance(2 * DAY)
    expect(fake.sent).toHaveLength(0)
    // 2026-12-03 15:00 UTC is 10:00 in New York, a Thursday: the mail waits for the window at noon.
    await t.ok('flows.resume', { id: flow.id })
    await settle()
    const queued = (await t.ok('outbox.list', {})).items
    expect(queued.map((q) => [q.status, q.scheduledFor])).toEqual([
      ['queued', '2026-12-03T17:00:00.000Z'],
      ['queued', '2026-12-03T17:00:00.000Z'],
    ])
    // Bo unsubscribes before his mail leaves: it is withdrawn, and he exits the flow.
    await t.ok('contacts.update', { id: bo.id, status: 'unsubscribed' })
    await advance(2 * HOUR)
    expect(subjectsTo('ann@client.test')).toEqual(['Hello Ann'])
    expect(subjectsTo('bo@client.test')).toEqual([])
    const leads = await leadsByEmail(t, flow.id)
    expect(leads['bo@client.test']).toMatchObject({ status: 'exited', lastError: 'The contact unsubscribed' })
    expect(leads['ann@client.test']!.status).toBe('completed')
    expect((await t.ok('outbox.list', {})).items.find((m) => m.to[0] === 'bo@client.test')!.status).toBe('cancelled')
    await t.engine.close()
  })

  it('the engine’s own runner advances an enrolled lead (no manual runDue): enrolling and resuming wake it', async () => {
    const { t, object, contact } = await setup()
    const ann = await contact('ann@client.test', 'Ann')
    const bo = await contact('bo@client.test', 'Bo')
    const graph = { nodes: [node('start', 'start'), node('mail', 'sendEmail', { subject: 'Right away', html: '<p>hi</p>' }), node('end', 'end')], edges: [{ from: 'start', to: 'mail' }, { from: 'mail', to: 'end' }] } as never
    const flow = await t.ok('flows.create', { name: 'Now', objectId: object.id, graph })
    await t.ok('flows.activate', { id: flow.id })
    // Let the turn that activation asked for run and find nothing due: the runner then sleeps with no timer,
    // so only the enrolment's own wake can get the lead moving (event-loop order, not a timed sleep).
    const turnsPass = async () => {
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r))
    }
    await turnsPass()
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    const status = async (email: string) => (await t.ok('flows.leads', { flowId: flow.id })).items.find((l) => l.email === email)?.status
    await waitFor(async () => (await status('ann@client.test')) === 'completed', { timeoutMs: 10_000, message: 'the runner advanced the lead' })
    // Paused, a new lead waits; resuming must wake the sleeping runner.
    await t.ok('flows.pause', { id: flow.id })
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [bo.id] })
    await turnsPass()
    expect(await status('bo@client.test')).toBe('pending')
    await t.ok('flows.resume', { id: flow.id })
    await waitFor(async () => (await status('bo@client.test')) === 'completed', { timeoutMs: 10_000, message: 'resuming woke the runner' })
    await t.engine.close()
  })

  it('a tag trigger enrols the contacts it is added to, once', async () => {
    const { t, object, contact, settle } = await setup()
    const vip = await t.ok('tags.create', { name: 'vip' })
    const graph = { nodes: [node('start', 'start'), node('mail', 'sendEmail', { subject: 'Welcome', html: '<p>hi</p>' }), node('end', 'end')], edges: [{ from: 'start', to: 'mail' }, { from: 'mail', to: 'end' }] } as never
    const flow = await t.ok('flows.create', { name: 'VIP welcome', objectId: object.id, trigger: { type: 'tagAdded', tagId: vip.id }, graph })
    await t.ok('flows.activate', { id: flow.id })
    const ann = await contact('ann@client.test', 'Ann')
    await t.ok('contacts.addTag', { contactIds: [ann.id], tagId: vip.id })
    await t.ok('contacts.removeTag', { contactIds: [ann.id], tagId: vip.id })
    await t.ok('contacts.addTag', { contactIds: [ann.id], tagId: vip.id })
    await settle()
    expect(subjectsTo('ann@client.test')).toEqual(['Welcome'])
    await t.engine.close()
  })

  it('the leads that passed through a step come from the engine, a page at a time (not only those on it now)', async () => {
    const { t, object, contact, settle } = await setup()
    const vip = await t.ok('tags.create', { name: 'vip' })
    const done = await t.ok('tags.create', { name: 'done' })
    const graph = {
      nodes: [node('start', 'start'), node('isVip', 'condition', { kind: 'hasTag', tagId: vip.id }), node('mark', 'action', { kind: 'addTag', tagId: done.id }), node('end', 'end'), node('end2', 'end')],
      edges: [{ from: 'start', to: 'isVip' }, { from: 'isVip', to: 'mark', branch: 'yes' }, { from: 'isVip', to: 'end2', branch: 'no' }, { from: 'mark', to: 'end' }],
    } as never
    const flow = await t.ok('flows.create', { name: 'VIPs', objectId: object.id, graph })
    await t.ok('flows.activate', { id: flow.id })
    const people = [await contact('ann@client.test', 'Ann'), await contact('bo@client.test', 'Bo'), await contact('cy@client.test', 'Cy')]
    await t.ok('contacts.addTag', { contactIds: [people[0]!.id, people[2]!.id], tagId: vip.id })
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: people.map((p) => p.id) })
    await settle()
    // Nobody is on the step now; two passed through it, one a page.
    expect((await t.ok('flows.leads', { flowId: flow.id, nodeId: 'mark' })).items).toEqual([])
    const first = await t.ok('flows.leads', { flowId: flow.id, nodeId: 'mark', passed: true, limit: 1 })
    expect(first.items.map((l) => l.email)).toEqual(['ann@client.test'])
    expect(first.nextCursor).not.toBeNull()
    const second = await t.ok('flows.leads', { flowId: flow.id, nodeId: 'mark', passed: true, limit: 1, cursor: first.nextCursor! })
    expect(second).toMatchObject({ items: [expect.objectContaining({ email: 'cy@client.test' })], nextCursor: null })
    expect((await t.ok('flows.leads', { flowId: flow.id, nodeId: 'end2', passed: true })).items.map((l) => l.email)).toEqual(['bo@client.test'])
    expect(await t.err('flows.leads', { flowId: flow.id, passed: true })).toMatchObject({ code: 'VALIDATION', field: 'nodeId' })
    await t.engine.close()
  })
})
