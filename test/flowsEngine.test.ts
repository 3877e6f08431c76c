// Flows (issue 16), the engine's second stop: opens and clicks from the contract-faithful Mailgun fake wake
// event conditions before their timeout; the timeout takes no; bounces and complaints take a lead out
// wherever it is; hostile contact data cannot put markup in a flow's email now that templates are
// sanitised once per node; wait until a weekday and hour in the contact's zone; a mailbox rotation with a
// sticky mailbox; notify a staff user; enrol in a sequence; a loop through a wait sends on each pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine, type TestEngine } from './helpers'

const KEY = 'key-live-0123456789'
const DOMAIN = 'mg.evebeauty.test'
const HOUR = 3_600_000
const DAY = 24 * HOUR
let fake: FakeMailgun

beforeEach(async () => void (fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })))
afterEach(async () => void (await fake.close()))

async function setup() {
  // Tuesday 2026-12-01 15:00 UTC (10:00 in New York).
  const t = freshEngine({ start: Date.UTC(2026, 11, 1, 15), outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } } })
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  await t.ok('profiles.create', { objectId: object.id, email: 'info@evebeauty.test', displayName: 'Eve Beauty', transport: { kind: 'mailgun' } })
  const contact = (email: string, firstName: string, extra: Record<string, unknown> = {}) => t.ok('contacts.create', { email, firstName, primaryObjectId: object.id, ...extra })
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

const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } }) as never
const subjectsTo = (email: string) => fake.sent.filter((s) => s.fields.to?.[0] === email).map((s) => s.fields.subject![0])
const pathOf = (lead: { path: Array<{ nodeId: string; outcome: string }> }) => lead.path.filter((p) => p.outcome !== 'entered').map((p) => `${p.nodeId}:${p.outcome}`)
async function leadsByEmail(t: TestEngine, flowId: number) {
  const page = await t.ok('flows.leads', { flowId })
  return Object.fromEntries(page.items.map((l) => [l.email!, l]))
}
async function run(t: TestEngine, objectId: number, graph: unknown, name = 'Flow') {
  const flow = await t.ok('flows.create', { name, objectId, graph: graph as never })
  await t.ok('flows.activate', { id: flow.id })
  return flow
}

/** send the offer; wait up to 2 days for the event; yes → thanks, no → nudge. */
const onEvent = (kind: 'opened' | 'clicked') => ({
  nodes: [
    node('start', 'start'),
    node('offer', 'sendEmail', { subject: 'Offer', html: '<p>Our offer: <a href="https://shop.test/offer">see it</a></p>' }),
    node('seen', 'condition', { kind, nodeId: 'offer', within: { value: 2, unit: 'days' } }),
    node('thanks', 'sendEmail', { subject: 'Thanks', html: '<p>Glad you looked</p>' }),
    node('nudge', 'sendEmail', { subject: 'Nudge', html: '<p>Did you see it?</p>' }),
    node('end1', 'end'),
    node('end2', 'end'),
  ],
  edges: [
    { from: 'start', to: 'offer' },
    { from: 'offer', to: 'seen' },
    { from: 'seen', to: 'thanks', branch: 'yes' },
    { from: 'seen', to: 'nudge', branch: 'no' },
    { from: 'thanks', to: 'end1' },
    { from: 'nudge', to: 'end2' },
  ],
})

describe('flows: the engine', () => {
  for (const kind of ['opened', 'clicked'] as const)
    it(`a Mailgun ${kind} event (events poll) takes yes at once, long before the timeout; without one the timeout takes no`, async () => {
      const { t, object, contact, settle, advance } = await setup()
      const [ann, bo] = [await contact('ann@client.test', 'Ann'), await contact('bo@client.test', 'Bo')]
      const flow = await run(t, object.id, onEvent(kind))
      await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id, bo.id] })
      await settle()
      fake.deliverAll()
      const offer = (await t.ok('outbox.list', {})).items.find((o) => o.to[0] === 'ann@client.test')!
      if (kind === 'opened') fake.open(offer.messageId)
      else fake.click(offer.messageId, 'https://shop.test/offer')
      // An hour later (the test clock), the poll brings the event back and the condition moves on.
      await advance(HOUR)
      let leads = await leadsByEmail(t, flow.id)
      expect(pathOf(leads['ann@client.test']!)).toEqual(['offer:sent', 'seen:waiting', 'seen:yes', 'thanks:sent', 'end1:done'])
      expect(subjectsTo('ann@client.test')).toEqual(['Offer', 'Thanks'])
      expect(leads['bo@client.test']).toMatchObject({ status: 'waiting', currentNodeId: 'seen' })
      // Nothing early: Bo's no waits for the whole 2 days.
      await advance(2 * DAY - HOUR - 60_000)
      expect(subjectsTo('bo@client.test')).toEqual(['Offer'])
      await advance(60_000)
      leads = await leadsByEmail(t, flow.id)
      expect(pathOf(leads['bo@client.test']!)).toEqual(['offer:sent', 'seen:waiting', 'seen:no', 'nudge:sent', 'end2:done'])
      expect(subjectsTo('bo@client.test')).toEqual(['Offer', 'Nudge'])
      const stats = await t.ok('flows.stats', { id: flow.id })
      expect(stats.nodes.seen).toMatchObject({ entered: 2, waiting: 2, yes: 1, no: 1 })
      expect(stats.nodes.offer).toMatchObject({ entered: 2, sent: 2 })
      await t.engine.close()
    })

  it('a bounce or a complaint reported by Mailgun takes the lead out wherever it is, and withdraws its unsent mail', async () => {
    const { t, object, contact, settle, advance } = await setup()
    const [ann, bo, cy] = [await contact('ann@client.test', 'Ann'), await contact('bo@client.test', 'Bo'), await contact('cy@client.test', 'Cy')]
    const graph = {
      nodes: [node('start', 'start'), node('hello', 'sendEmail', { subject: 'Hello', html: '<p>hi</p>' }), node('pause', 'wait', { duration: { value: 3, unit: 'days' } }), node('again', 'sendEmail', { subject: 'Again', html: '<p>hi again</p>' }), node('end', 'end')],
      edges: [{ from: 'start', to: 'hello' }, { from: 'hello', to: 'pause' }, { from: 'pause', to: 'again' }, { from: 'again', to: 'end' }],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id, bo.id, cy.id] })
    await settle()
    const sent = (await t.ok('outbox.list', {})).items
    const to = (email: string) => sent.find((o) => o.to[0] === email)!.messageId
    fake.fail(to('ann@client.test'), 'permanent', 'No such mailbox')
    fake.deliverAll()
    fake.complain(to('bo@client.test'))
    await advance(HOUR)
    const leads = await leadsByEmail(t, flow.id)
    expect(leads['ann@client.test']).toMatchObject({ status: 'exited', currentNodeId: 'pause' })
    expect(leads['ann@client.test']!.lastError).toMatch(/bounced/)
    expect(leads['bo@client.test']).toMatchObject({ status: 'exited', lastError: 'The contact complained', currentNodeId: 'pause' })
    expect(pathOf(leads['bo@client.test']!)).toEqual(['hello:sent', 'pause:waiting', 'pause:exited'])
    await advance(3 * DAY)
    expect(subjectsTo('ann@client.test')).toEqual(['Hello'])
    expect(subjectsTo('bo@client.test')).toEqual(['Hello'])
    expect(subjectsTo('cy@client.test')).toEqual(['Hello', 'Again'])
    expect((await t.ok('flows.stats', { id: flow.id })).leads).toMatchObject({ exited: 2, completed: 1 })
    await t.engine.close()
  })

  it('hostile contact data cannot put markup into a flow email: values are escaped, a {{{triple}}} is stored as {{double}}, a link variable is sanitised per lead', async () => {
    const { t, object, contact, settle } = await setup()
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const ann = await contact('ann@client.test', evil, { fields: { site: 'javascript:alert(3)' } })
    const graph = {
      nodes: [
        node('start', 'start'),
        node('text', 'sendEmail', { subject: 'Hi {{contact.first_name}}', html: '<p onclick="x()">Hi {{contact.first_name}}, {{{contact.first_name}}}</p><script>steal()</script>' }),
        node('link', 'sendEmail', { subject: 'Your site', html: '<p><a href="{{contact.fields.site}}">your site</a> {{contact.first_name}}</p>' }),
        node('end', 'end'),
      ],
      edges: [{ from: 'start', to: 'text' }, { from: 'text', to: 'link' }, { from: 'link', to: 'end' }],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    await settle()
    const rows = (await t.ok('outbox.list', {})).items
    expect(rows).toHaveLength(2)
    for (const r of rows) {
      const { html } = await t.ok('outbox.get', { id: r.id })
      // No tag a value could have made, no handler inside a tag, no script link, nothing of the template's own script.
      expect(html).not.toMatch(/<(script|img)\b/i)
      expect(html).not.toMatch(/<[^>]*\son(error|click)\s*=/i)
      expect(html).not.toMatch(/javascript:|steal\(\)/i)
    }
    const first = await t.ok('outbox.get', { id: rows.find((r) => r.subject.startsWith('Hi'))!.id })
    // Both the double and the (stored as double) triple print the name as text.
    expect(first.html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1).toBe(2)
    expect(subjectsTo('ann@client.test')).toHaveLength(2)
    await t.engine.close()
  })

  it('waits until the next Monday 9:00 in the contact’s own time zone', async () => {
    const { t, object, contact, settle, advance } = await setup()
    // Tuesday 15:00 UTC is Wednesday 00:00 in Tokyo: the next Monday 9:00 there is 2026-12-07 00:00 UTC.
    const kenji = await contact('kenji@client.test', 'Kenji', { timezone: 'Asia/Tokyo' })
    const ann = await contact('ann@client.test', 'Ann')
    const graph = {
      nodes: [node('start', 'start'), node('monday', 'wait', { until: { weekday: 1, hour: 9 } }), node('mail', 'sendEmail', { subject: 'Good morning', html: '<p>Monday</p>' }), node('end', 'end')],
      edges: [{ from: 'start', to: 'monday' }, { from: 'monday', to: 'mail' }, { from: 'mail', to: 'end' }],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [kenji.id, ann.id] })
    await settle()
    const leads = await leadsByEmail(t, flow.id)
    expect(leads['kenji@client.test']!.waitUntil).toBe('2026-12-07T00:00:00.000Z')
    // Ann has no zone of her own: the business's (New York), Monday 9:00 EST = 14:00 UTC.
    expect(leads['ann@client.test']!.waitUntil).toBe('2026-12-07T14:00:00.000Z')
    await advance(Date.UTC(2026, 11, 7) - t.clock.now() - 60_000)
    expect(fake.sent).toHaveLength(0)
    await advance(60_000)
    expect(subjectsTo('kenji@client.test')).toEqual(['Good morning'])
    expect(subjectsTo('ann@client.test')).toEqual([])
    await t.engine.close()
  })

  it('waits until the date in a contact field at an hour of the contact’s zone; a past date goes at once; no date stops the lead with the reason', async () => {
    const { t, object, contact, settle, advance } = await setup()
    const ann = await contact('ann@client.test', 'Ann', { fields: { renewal: '2026-12-10' } })
    const bo = await contact('bo@client.test', 'Bo', { fields: { renewal: '2026-01-01' } })
    const cy = await contact('cy@client.test', 'Cy')
    const graph = {
      nodes: [node('start', 'start'), node('renewal', 'wait', { untilField: { field: 'renewal', hour: 9 } }), node('mail', 'sendEmail', { subject: 'Renewal day', html: '<p>Renew</p>' }), node('end', 'end')],
      edges: [{ from: 'start', to: 'renewal' }, { from: 'renewal', to: 'mail' }, { from: 'mail', to: 'end' }],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id, bo.id, cy.id] })
    await settle()
    let leads = await leadsByEmail(t, flow.id)
    // 9:00 in New York (the business's zone; Ann has none of her own) on 10 December = 14:00 UTC.
    expect(leads['ann@client.test']).toMatchObject({ status: 'waiting', waitUntil: '2026-12-10T14:00:00.000Z' })
    expect(leads['bo@client.test']!.status).toBe('completed')
    expect(subjectsTo('bo@client.test')).toEqual(['Renewal day'])
    expect(leads['cy@client.test']).toMatchObject({ status: 'failed', lastError: 'renewal: the contact has no date in "renewal"' })
    await advance(Date.UTC(2026, 11, 10, 14) - t.clock.now() - 60_000)
    expect(subjectsTo('ann@client.test')).toEqual([])
    await advance(60_000)
    expect(subjectsTo('ann@client.test')).toEqual(['Renewal day'])
    leads = await leadsByEmail(t, flow.id)
    expect(leads['ann@client.test']!.status).toBe('completed')
    await t.engine.close()
  })

  it('notify: a task due now for the named staff user, on the contact', async () => {
    const { t, object, contact, settle } = await setup()
    const sam = await t.ok('users.create', { name: 'Sam Staff', email: 'sam@evebeauty.test' })
    const ann = await contact('ann@client.test', 'Ann')
    const graph = {
      nodes: [node('start', 'start'), node('tell', 'action', { kind: 'notify', title: 'Call Ann about the offer', assigneeId: sam.id }), node('end', 'end')],
      edges: [{ from: 'start', to: 'tell' }, { from: 'tell', to: 'end' }],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    await settle()
    const tasks = await t.ok('tasks.list', { assigneeId: sam.id })
    expect(tasks.items.map((x) => [x.title, x.contactId])).toEqual([['Call Ann about the offer', ann.id]])
    expect(pathOf((await t.ok('flows.leads', { flowId: flow.id })).items[0]!)).toEqual(['tell:done', 'end:done'])
    // A staff user who does not exist is refused at activation, naming the node.
    const bad = await t.ok('flows.create', { name: 'Bad', objectId: object.id, graph: { ...graph, nodes: [graph.nodes[0], node('tell', 'action', { kind: 'notify', title: 'x', assigneeId: 999 }), graph.nodes[2]] } as never })
    const err = await t.err('flows.activate', { id: bad.id })
    expect(err).toMatchObject({ code: 'VALIDATION', field: 'graph.nodes.tell', message: 'Staff user 999 does not exist' })
    await t.engine.close()
  })

  it('a field set by an action is what the next condition and email see, in the same advance', async () => {
    const { t, object, contact, settle } = await setup()
    const ann = await contact('ann@client.test', 'Ann', { company: '' })
    const graph = {
      nodes: [
        node('start', 'start'),
        node('before', 'condition', { kind: 'field', field: 'company', op: 'isNotEmpty', value: '' }),
        node('set', 'action', { kind: 'setField', field: 'company', value: 'Acme' }),
        node('after', 'condition', { kind: 'field', field: 'company', op: 'equals', value: 'acme' }),
        node('mail', 'sendEmail', { subject: 'For {{contact.company}}', html: '<p>Hello {{contact.company}}</p>' }),
        node('end1', 'end'),
        node('end2', 'end'),
        node('end3', 'end'),
      ],
      edges: [
        { from: 'start', to: 'before' },
        { from: 'before', to: 'end1', branch: 'yes' },
        { from: 'before', to: 'set', branch: 'no' },
        { from: 'set', to: 'after' },
        { from: 'after', to: 'mail', branch: 'yes' },
        { from: 'after', to: 'end2', branch: 'no' },
        { from: 'mail', to: 'end3' },
      ],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    await settle()
    expect(pathOf((await t.ok('flows.leads', { flowId: flow.id })).items[0]!)).toEqual(['before:no', 'set:done', 'after:yes', 'mail:sent', 'end3:done'])
    expect(subjectsTo('ann@client.test')).toEqual(['For Acme'])
    await t.engine.close()
  })

  it('a loop through a wait sends its email again on every pass (once per pass)', async () => {
    const { t, object, contact, settle, advance } = await setup()
    const ann = await contact('ann@client.test', 'Ann')
    const graph = {
      nodes: [node('start', 'start'), node('mail', 'sendEmail', { subject: 'Weekly', html: '<p>news</p>' }), node('week', 'wait', { duration: { value: 7, unit: 'days' } })],
      edges: [{ from: 'start', to: 'mail' }, { from: 'mail', to: 'week' }, { from: 'week', to: 'mail' }],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    await settle()
    await advance(7 * DAY)
    await advance(7 * DAY)
    expect(subjectsTo('ann@client.test')).toEqual(['Weekly', 'Weekly', 'Weekly'])
    expect((await t.ok('flows.stats', { id: flow.id })).nodes.mail).toMatchObject({ entered: 3, sent: 3 })
    await t.engine.close()
  })

  it('sendEmail rotates mailboxes across leads and keeps each lead on its first one; an action enrols the lead in a sequence', async () => {
    const { t, object, contact } = await setup()
    const box = async (user: string) => {
      const m = await t.ok('mailboxes.create', { objectId: object.id, email: `${user}@evebeauty.test`, dailyCapacity: 100, minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user, password: 'pw' } })
      await t.ok('profiles.create', { objectId: object.id, email: `${user}@evebeauty.test`, displayName: user, transport: { kind: 'smtp', mailboxId: m.id } })
      return m.id
    }
    const [one, two] = [await box('one'), await box('two')]
    const seq = await t.ok('sequences.create', { name: 'Nurture', objectId: object.id, steps: [{ subject: 'Step one', bodyHtml: '<p>1</p>', wait: { value: 1, unit: 'days' } }], mailboxIds: [one] })
    const people = [await contact('a@client.test', 'A'), await contact('b@client.test', 'B'), await contact('c@client.test', 'C'), await contact('d@client.test', 'D')]
    const graph = {
      nodes: [
        node('start', 'start'),
        node('first', 'sendEmail', { subject: 'First', html: '<p>1</p>', mailboxIds: [one, two] }),
        node('pause', 'wait', { duration: { value: 1, unit: 'days' } }),
        // The second node lists the mailboxes the other way round: the lead still keeps its own.
        node('second', 'sendEmail', { subject: 'Second', html: '<p>2</p>', mailboxIds: [two, one] }),
        node('nurture', 'action', { kind: 'enrollSequence', sequenceId: seq.id }),
        node('end', 'end'),
      ],
      edges: [{ from: 'start', to: 'first' }, { from: 'first', to: 'pause' }, { from: 'pause', to: 'second' }, { from: 'second', to: 'nurture' }, { from: 'nurture', to: 'end' }],
    }
    const flow = await run(t, object.id, graph)
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: people.map((p) => p.id) })
    t.engine.automation.runDue()
    await t.ok('clock.advance', { ms: DAY })
    t.engine.automation.runDue()
    const rows = (await t.ok('outbox.list', { limit: 100 })).items.filter((r) => r.subject === 'First' || r.subject === 'Second')
    expect(rows).toHaveLength(8)
    const fromOf = (email: string, subject: string) => rows.find((r) => r.to[0] === email && r.subject === subject)!.from
    const firsts = people.map((p) => fromOf(p.email!, 'First'))
    // Two each, in turn.
    expect(firsts.filter((f) => f.includes('one@')).length).toBe(2)
    expect(firsts.filter((f) => f.includes('two@')).length).toBe(2)
    for (const p of people) expect(fromOf(p.email!, 'Second')).toBe(fromOf(p.email!, 'First'))
    const members = await t.ok('sequences.contacts', { sequenceId: seq.id })
    expect(members.items.map((m) => m.contactId).sort()).toEqual(people.map((p) => p.id).sort())
    // A mailbox of another business (or none) is refused at activation, naming the node.
    const bad = await t.ok('flows.create', { name: 'Bad', objectId: object.id, graph: { ...graph, nodes: graph.nodes.map((n) => ((n as { id: string }).id === 'first' ? node('first', 'sendEmail', { subject: 'F', html: '<p>1</p>', mailboxIds: [999] }) : n)) } as never })
    expect(await t.err('flows.activate', { id: bad.id })).toMatchObject({ code: 'VALIDATION', field: 'graph.nodes.first' })
    await t.engine.close()
  })
})
