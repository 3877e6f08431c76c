// profiles.delete: a sender profile goes only when nothing would be left without a sender (mail waiting to leave,
// a flow's step); what was sent keeps its From address; staff lose the assignment.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine } from './helpers'
import { withFile } from './teamSetup'

const KEY = 'key-live-0123456789'
const DOMAIN = 'mg.evebeauty.test'
const HOUR = 3_600_000
let fake: FakeMailgun

beforeEach(async () => void (fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })))
afterEach(async () => void (await fake.close()))

async function setup() {
  const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 } })
  const object = await t.ok('objects.create', { name: 'Eve Beauty', timezone: 'Europe/London' })
  await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: 'info@evebeauty.test', displayName: 'Eve Beauty', transport: { kind: 'mailgun' } })
  const other = await t.ok('profiles.create', { objectId: object.id, email: 'hello@evebeauty.test', displayName: 'Eve Hello', transport: { kind: 'mailgun' } })
  return { t, object, profile, other }
}

const node = (id: string, type: string, config: Record<string, unknown> = {}, y = 0) => ({ id, type, config, position: { x: 0, y } }) as never

describe('profiles.delete', () => {
  it('refuses while mail from the profile waits to leave, then deletes it once that mail is cancelled; sent mail keeps its From', async () => {
    const { t, profile } = await setup()
    const sent = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Sent one', html: '<p>Hi</p>' })
    await t.engine.outbound.scheduler.idle()
    await expect.poll(() => fake.sent.length).toBe(1)
    const later = await t.ok('mail.send', { profileId: profile.id, to: ['bob@client.test'], subject: 'Later', html: '<p>Hi</p>', sendAt: new Date(t.clock.now() + HOUR).toISOString() })

    const refused = await t.call('profiles.delete', { id: profile.id })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'id' } })
    expect(refused.ok ? '' : refused.error.message).toBe('A message is still waiting to go from info@evebeauty.test. Send or cancel it in the outbox first, or turn the profile off.')
    expect((await t.ok('profiles.list', {})).map((p) => p.id)).toContain(profile.id)

    await t.ok('outbox.cancel', { id: later.id })
    expect(await t.ok('profiles.delete', { id: profile.id })).toEqual({ id: profile.id, deleted: true })
    expect((await t.ok('profiles.list', {})).map((p) => p.id)).not.toContain(profile.id)
    // The outbox still shows what was sent, from the address it was sent from.
    const detail = await t.ok('outbox.get', { id: sent.id })
    expect(detail).toMatchObject({ status: 'sent', from: expect.stringContaining('info@evebeauty.test') })
    expect(withFile(t, (f) => f.prepare('SELECT count(*) AS n FROM outbound_messages').get())).toEqual({ n: 2 })

    const again = await t.call('profiles.delete', { id: profile.id })
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('refuses while a flow’s step sends from it, naming the flow; the other profile is untouched', async () => {
    const { t, object, profile, other } = await setup()
    await t.ok('flows.create', {
      name: 'Welcome',
      objectId: object.id,
      graph: {
        nodes: [node('start', 'start'), node('hello', 'sendEmail', { subject: 'Hello', html: '<p>Hello</p>', profileId: profile.id }, 100), node('done', 'end', {}, 200)],
        edges: [
          { from: 'start', to: 'hello' },
          { from: 'hello', to: 'done' },
        ],
      } as never,
    })
    const refused = await t.call('profiles.delete', { id: profile.id })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(refused.ok ? '' : refused.error.message).toBe('The flow “Welcome” sends from info@evebeauty.test. Choose another sender there first, or turn the profile off.')
    expect(await t.ok('profiles.delete', { id: other.id })).toEqual({ id: other.id, deleted: true })
    expect((await t.ok('profiles.list', {})).map((p) => p.id)).toEqual([profile.id])
  })
})
