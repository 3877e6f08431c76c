// profiles.delete in a team workspace: the delete reaches the other desktops, mail another desktop queued and
// pushed keeps the profile from being deleted here, and mail queued offline from a profile deleted meanwhile is
// not lost (it keeps its From, waiting in the outbox). Real PostgreSQL; the replicators move ops only on team.sync.
import { describe, expect, it } from 'vitest'
import type { TestEngine } from './helpers'
import { ADMIN, STAFF, freshDatabase, joinUrl, teamEngine } from './teamSetup'

const HOUR = 3_600_000
const server = (user: string) => ({ host: '127.0.0.1', port: 9, secure: 'none' as const, user, password: 'desk-pw' })
const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) expect(await t.ok('team.sync', {})).toMatchObject({ pendingOps: 0 })
}
const profileIds = async (t: TestEngine) => (await t.ok('profiles.list', {})).map((p) => p.id)

async function team() {
  const db = await freshDatabase()
  const a = teamEngine()
  const shop = await a.ok('objects.create', { name: 'Shop', timezone: 'UTC' })
  const desk = await a.ok('mailboxes.create', { objectId: shop.id, email: 'desk@shop.test', displayName: 'Desk', smtp: server('desk@shop.test'), imap: null })
  const hello = await a.ok('profiles.create', { objectId: shop.id, email: 'hello@shop.test', displayName: 'Shop Hello', transport: { kind: 'smtp', mailboxId: desk.id } })
  const orders = await a.ok('profiles.create', { objectId: shop.id, email: 'orders@shop.test', displayName: 'Shop Orders', transport: { kind: 'smtp', mailboxId: desk.id } })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [hello.id, orders.id] })
  await a.ok('team.sync', {})
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  await sync(b)
  expect(await profileIds(b)).toEqual(expect.arrayContaining([hello.id, orders.id]))
  return { a, b, hello, orders }
}

const staffProfiles = async (admin: TestEngine) => (await admin.ok('team.users.list', {})).find((u) => u.email === STAFF.email)!.profileIds

describe('profiles.delete in a team', () => {
  it('is refused on one desktop while mail another desktop queued from the profile waits; a delete reaches the other desktop and leaves the staff member’s grants', async () => {
    const { a, b, hello, orders } = await team()
    const sendAt = new Date(b.clock.now() + HOUR).toISOString()
    await b.ok('mail.send', { profileId: orders.id, to: ['ann@client.test'], subject: 'Your order', html: '<p>Soon</p>', sendAt })
    await sync(b, a)

    const refused = await a.call('profiles.delete', { id: orders.id })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'id' } })
    expect(refused.ok ? '' : refused.error.message).toContain('still waiting to go from orders@shop.test')

    expect(await staffProfiles(a)).toEqual(expect.arrayContaining([hello.id, orders.id]))
    expect(await a.ok('profiles.delete', { id: hello.id })).toEqual({ id: hello.id, deleted: true })
    await sync(a, b)
    for (const t of [a, b]) {
      expect(await profileIds(t)).not.toContain(hello.id)
      expect(await profileIds(t)).toContain(orders.id)
    }
    // The staff member's grants no longer list it on the admin's Team screen.
    expect(await staffProfiles(a)).toEqual([orders.id])
  })

  it('keeps mail queued offline from a profile another desktop deleted meanwhile, waiting with its From', async () => {
    const { a, b, hello } = await team()
    // b queues mail from the profile and has not pushed it when a deletes the profile.
    const sendAt = new Date(b.clock.now() + HOUR).toISOString()
    const queued = await b.ok('mail.send', { profileId: hello.id, to: ['ann@client.test'], subject: 'Offline note', html: '<p>Written offline</p>', sendAt })
    expect(await a.ok('profiles.delete', { id: hello.id })).toEqual({ id: hello.id, deleted: true })
    await sync(a, b, a)

    for (const t of [a, b]) {
      expect(await profileIds(t)).not.toContain(hello.id)
      expect(await t.ok('outbox.get', { id: queued.id })).toMatchObject({ status: 'queued', from: expect.stringContaining('hello@shop.test'), subject: 'Offline note', profileId: null })
    }
  })
})
