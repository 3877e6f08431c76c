// Flows can text (issue 17 item 7): a sendText step queues an SMS or WhatsApp message through the one outbox
// by the channels' own door, against the contract-faithful Twilio fake. A lead passing the step is texted
// once; an opted-out contact or one with no phone is skipped with the reason and goes on; WhatsApp outside
// the 24-hour window sends the approved template, or without one is recorded as failed and goes on; a flow
// whose business has no sender for the channel cannot be activated (the error names the node).
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine } from './helpers'

const TOKEN = 'fake-auth-token-0123456789'
const OUR_SMS = '+15555550199'
const OUR_WA = '+15555550198'
const ANN = '+15555550101'
const BEN = '+15555550102'
const TEMPLATE = `HX${'ab'.repeat(16)}`
let fake: FakeTwilio | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } }) as never
const line = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i]!, to }))
const pathOf = (lead: { path: Array<{ nodeId: string; outcome: string; detail: string | null }> }) => lead.path.filter((p) => p.outcome !== 'entered').map((p) => `${p.nodeId}:${p.outcome}`)

async function setup(twilio: { whatsappFrom?: string | null } = {}) {
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
  fake = await startFakeTwilio({ authToken: TOKEN, now: () => t.clock.now() })
  const object = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
  await t.ok('twilio.upsert', { objectId: object.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: OUR_SMS, whatsappFrom: 'whatsappFrom' in twilio ? twilio.whatsappFrom : OUR_WA, apiBaseUrl: fake.url, smsPerSecond: 100, whatsappPerSecond: 100 })
  const tag = await t.ok('tags.create', { name: 'Texted' })
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      t.engine.automation.runDue()
      await t.engine.outbound.scheduler.idle()
    }
  }
  const flowOf = async (text: Record<string, unknown>) => {
    const flow = await t.ok('flows.create', {
      name: 'Text them',
      objectId: object.id,
      graph: { nodes: [node('start', 'start'), node('txt', 'sendText', text), node('tag', 'action', { kind: 'addTag', tagId: tag.id }), node('end', 'end')], edges: line('start', 'txt', 'tag', 'end') } as never,
    })
    await t.ok('flows.activate', { id: flow.id })
    return flow
  }
  const leads = async (flowId: number) => Object.fromEntries((await t.ok('flows.leads', { flowId })).items.map((l) => [l.contactId, l]))
  return { t, fake: fake!, object, tag, settle, flowOf, leads }
}

describe('flows: the sendText step', () => {
  it('a lead passing an SMS step is texted once (To, From, Body with its variables) and goes on; running again sends nothing more', async () => {
    const { t, fake, object, settle, flowOf, leads } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', phone: ANN, primaryObjectId: object.id })
    const flow = await flowOf({ channel: 'sms', body: 'Hi {{contact.first_name}}, your table at {{object.name}} is ready' })
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    await settle()
    expect(fake.sent).toHaveLength(1)
    expect(fake.sent[0]!.fields).toEqual({ To: ANN, From: OUR_SMS, Body: 'Hi Ann, your table at Eve Beauty MA is ready' })
    const lead = (await leads(flow.id))[ann.id]!
    expect(lead.status).toBe('completed')
    expect(pathOf(lead)).toEqual(['txt:sent', 'tag:done', 'end:done'])
    await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    await t.ok('clock.advance', { ms: 60_000 })
    await settle()
    expect(fake.sent).toHaveLength(1)
    const stats = await t.ok('flows.stats', { id: flow.id })
    expect(stats.nodes.txt).toMatchObject({ entered: 1, sent: 1, failed: 0, skipped: 0 })
    // The text is in the outbox as a flow's, on its channel.
    const box = await t.ok('outbox.list', { limit: 10 } as never)
    expect((box as { items: Array<{ source: string; channel: string }> }).items.filter((m) => m.source === 'flow')).toEqual([expect.objectContaining({ channel: 'sms' })])
  })

  it('an opted-out contact is skipped with the reason and goes on; a contact with no phone too; a phone-only contact can be enrolled', async () => {
    const { t, fake, object, settle, flowOf, leads, tag } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', phone: ANN, primaryObjectId: object.id })
    const cy = await t.ok('contacts.create', { email: 'cy@client.test', firstName: 'Cy', primaryObjectId: object.id })
    const ben = await t.ok('contacts.create', { firstName: 'Ben', phone: BEN, primaryObjectId: object.id })
    fake.inbound({ from: ANN, to: OUR_SMS, body: 'STOP' })
    await t.ok('texts.poll', {})
    const flow = await flowOf({ channel: 'sms', body: 'Sale today, {{contact.first_name}}!' })
    expect(await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id, cy.id, ben.id] })).toEqual({ enrolled: 3, alreadyIn: 0, skipped: 0 })
    await settle()
    expect(fake.sent.map((s) => s.fields.To)).toEqual([BEN])
    const all = await leads(flow.id)
    expect(all[ann.id]!.status).toBe('completed')
    expect(all[ann.id]!.path.find((p) => p.nodeId === 'txt')).toMatchObject({ outcome: 'skipped', detail: 'The contact opted out of SMS (replied STOP)' })
    expect(all[cy.id]!.path.find((p) => p.nodeId === 'txt')).toMatchObject({ outcome: 'skipped', detail: 'The contact has no phone number' })
    expect(pathOf(all[cy.id]!)).toEqual(['txt:skipped', 'tag:done', 'end:done'])
    // Both went on to the next step.
    const tagged = await t.ok('contacts.list', { tagId: tag.id, limit: 10 } as never)
    expect((tagged as { items: Array<{ id: number }> }).items.map((c) => c.id).sort()).toEqual([ann.id, cy.id, ben.id].sort())
    expect((await t.ok('flows.stats', { id: flow.id })).nodes.txt).toMatchObject({ entered: 3, sent: 1, skipped: 2, failed: 0 })
  })

  it('WhatsApp: outside the 24-hour window the approved template goes (variables rendered); without one the step fails with the reason and the lead goes on; inside it the message goes', async () => {
    const { t, fake, object, settle, flowOf, leads } = await setup()
    const ann = await t.ok('contacts.create', { firstName: 'Ann', phone: ANN, primaryObjectId: object.id })
    const ben = await t.ok('contacts.create', { firstName: 'Ben', phone: BEN, primaryObjectId: object.id })
    // Ben wrote on WhatsApp just now: his window is open.
    fake.inbound({ from: `whatsapp:${BEN}`, to: `whatsapp:${OUR_WA}`, body: 'Hello?', at: t.clock.now() })
    await t.ok('texts.poll', {})
    const bare = await flowOf({ channel: 'whatsapp', body: 'Hi {{contact.first_name}}' })
    await t.ok('flows.enroll', { flowId: bare.id, contactIds: [ann.id, ben.id] })
    await settle()
    expect(fake.sent.map((s) => s.fields)).toEqual([{ To: `whatsapp:${BEN}`, From: `whatsapp:${OUR_WA}`, Body: 'Hi Ben' }])
    const first = await leads(bare.id)
    expect(first[ann.id]!.status).toBe('completed')
    expect(first[ann.id]!.path.find((p) => p.nodeId === 'txt')).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('within 24 hours') })

    const templated = await flowOf({ channel: 'whatsapp', body: 'Hi {{contact.first_name}}', template: { contentSid: TEMPLATE, variables: { '1': '{{contact.first_name}}' } } })
    await t.ok('flows.enroll', { flowId: templated.id, contactIds: [ann.id] })
    await settle()
    expect(fake.sent).toHaveLength(2)
    expect(fake.sent[1]!.fields).toMatchObject({ To: `whatsapp:${ANN}`, From: `whatsapp:${OUR_WA}`, ContentSid: TEMPLATE, ContentVariables: JSON.stringify({ '1': 'Ann' }) })
    expect((await leads(templated.id))[ann.id]!.path.find((p) => p.nodeId === 'txt')).toMatchObject({ outcome: 'sent' })
  })

  it('activation: a text step needs a message and the business’s sender for its channel; each error names the node', async () => {
    const { t, object } = await setup({ whatsappFrom: null })
    const draft = (text: Record<string, unknown>) =>
      t.ok('flows.create', { name: 'Draft', objectId: object.id, graph: { nodes: [node('start', 'start'), node('wa', 'sendText', text), node('end', 'end')], edges: line('start', 'wa', 'end') } as never })
    const noSender = await draft({ channel: 'whatsapp', body: 'Hi' })
    const e1 = await t.err('flows.activate', { id: noSender.id })
    expect(e1).toMatchObject({ code: 'VALIDATION', field: 'graph.nodes.wa' })
    expect(e1.message).toMatch(/Text "wa".*no WhatsApp sender/)
    const empty = await draft({ channel: 'sms', body: '  ' })
    expect((await t.err('flows.activate', { id: empty.id })).message).toBe('Text "wa" has no message')
    const unknown = await draft({ channel: 'sms', body: 'Hi {{contact.nickname}}' })
    expect((await t.err('flows.activate', { id: unknown.id })).message).toMatch(/Text "wa": .*nickname/)
    const smsTemplate = await draft({ channel: 'sms', body: '', template: { contentSid: TEMPLATE, variables: {} } })
    expect((await t.err('flows.activate', { id: smsTemplate.id })).message).toMatch(/templates are for WhatsApp/)
    const ok = await draft({ channel: 'sms', body: 'Hi {{contact.first_name}}' })
    expect((await t.ok('flows.activate', { id: ok.id })).status).toBe('active')
  })
})
