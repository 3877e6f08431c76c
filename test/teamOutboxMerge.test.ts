// Issue 22: how outbox rows and their claims merge between two desktops, without sending anything (the
// schedulers are off; a test writes the states the scheduler would). Real PostgreSQL, manual replicators.
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { TestEngine } from './helpers'
import { ADMIN, STAFF, freshDatabase, joinUrl, teamEngine, withFile } from './teamSetup'

const HOUR = 3_600_000

async function setup() {
  const db = await freshDatabase()
  const a = teamEngine()
  const object = await a.ok('objects.create', { name: 'Merge Shop', timezone: 'UTC' })
  // Nothing listens on port 9: no scheduler runs here anyway.
  const mailbox = await a.ok('mailboxes.create', { objectId: object.id, email: 'desk@merge.test', displayName: 'Desk', minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk@merge.test', password: 'desk-secret-pw' }, imap: null })
  const profile = await a.ok('profiles.create', { objectId: object.id, email: 'desk@merge.test', displayName: 'Desk', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  const send = (subject: string) => a.ok('mail.send', { profileId: profile.id, to: ['zoe@client.test'], subject, html: '<p>Hi</p>', sendAt: new Date(a.clock.now() + HOUR).toISOString() })
  return { db, a, profile, send }
}

async function join(db: { name: string; port: number }) {
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  return b
}

const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) await t.ok('team.sync', {})
}
/** What the scheduler writes (its transitions go through the same table, so the capture triggers see them). */
const setStatus = (t: TestEngine, id: number, status: string) => withFile(t, (f) => f.prepare('UPDATE outbound_messages SET status = ?, updated_at = updated_at + 1 WHERE id = ?').run(status, id))
const statusOn = (t: TestEngine, id: number) => (withFile(t, (f) => f.prepare('SELECT status FROM outbound_messages WHERE id = ?').get(id)) as { status: string }).status

async function claimOf(url: string, id: number) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query<{ state: string; outcome: string | null; device_id: number }>('SELECT state, outcome, device_id FROM claims WHERE row_id = $1', [id])).rows[0]
  } finally {
    await c.end()
  }
}

describe('team outbox merge', () => {
  it('a row being sent on one desktop keeps sending when another cancels it; the send’s outcome wins everywhere and its claim stays done', async () => {
    const { db, a, send } = await setup()
    const x = await send('Under way')
    await sync(a)
    const b = await join(db)
    expect(await claimOf(db.url, x.id)).toMatchObject({ state: 'released' }) // shared, open to a claim
    // The outbox screen hears of rows that arrive.
    expect(b.events).toContainEqual(expect.objectContaining({ event: 'outbox.changed', payload: { ids: expect.arrayContaining([x.id]) } }))
    // A is sending it ('sending' is this desktop's alone: not captured, nothing to push).
    setStatus(a, x.id, 'sending')
    const pending = withFile(a, (f) => f.prepare("SELECT fields FROM team_ops WHERE tbl = 'outbound_messages'").all()) as Array<{ fields: string }>
    expect(pending.map((p) => Object.keys(JSON.parse(p.fields)))).toEqual([['updated_at']])
    // B still sees it queued and cancels it.
    expect(statusOn(b, x.id)).toBe('queued')
    await b.ok('outbox.cancel', { id: x.id })
    await sync(b, a)
    expect(await claimOf(db.url, x.id)).toMatchObject({ state: 'done', outcome: 'cancelled' })
    // A's send is under way: the cancel does not pull the status from under it.
    expect(statusOn(a, x.id)).toBe('sending')
    // The message left: recorded, pushed, and it wins on both desktops and in the claim.
    setStatus(a, x.id, 'sent')
    await sync(a, b)
    expect([statusOn(a, x.id), statusOn(b, x.id)]).toEqual(['sent', 'sent'])
    expect(await claimOf(db.url, x.id)).toMatchObject({ state: 'done', outcome: 'sent' })
    // The events of both desktops are on both.
    const types = async (t: TestEngine) => (await t.ok('outbox.get', { id: x.id })).events.map((e) => e.type).sort()
    expect(await types(b)).toEqual(await types(a))
    expect(await types(a)).toContain('cancelled')
  })

  it('a failed attempt releases the claim; a failed row retried on another desktop is open again; a sent one never reopens', async () => {
    const { db, a, send } = await setup()
    const y = await send('Retry later')
    const z = await send('Gave up')
    await sync(a)
    const b = await join(db)
    // A took both (as its claim round would) and tried them.
    const su = new pg.Client({ connectionString: db.url })
    await su.connect()
    try {
      const device = (await su.query<{ id: number }>('SELECT min(id) AS id FROM devices')).rows[0].id
      await su.query("UPDATE claims SET state = 'leased', device_id = $1, lease_until = now() + interval '1 hour'", [device])
      setStatus(a, y.id, 'retry_wait')
      setStatus(a, z.id, 'failed')
      await sync(a, b)
      expect(await claimOf(db.url, y.id)).toMatchObject({ state: 'released' })
      expect(await claimOf(db.url, z.id)).toMatchObject({ state: 'done', outcome: 'failed' })
      // B's user retries the failed one: whoever claims it first sends it.
      await b.ok('outbox.retry', { id: z.id })
      await sync(b)
      expect(await claimOf(db.url, z.id)).toMatchObject({ state: 'released' })
      // A sent row whose status a stale op would set back is never open again.
      setStatus(a, y.id, 'sent')
      await sync(a)
      await su.query("UPDATE claims SET state = 'leased', device_id = 99 WHERE row_id = $1", [y.id]) // another desktop's lease
      setStatus(a, y.id, 'queued')
      await sync(a)
      expect(await claimOf(db.url, y.id)).toMatchObject({ state: 'leased', device_id: 99 }) // a release frees only its own lease
      await su.query("UPDATE claims SET state = 'done', outcome = 'sent' WHERE row_id = $1", [y.id])
      setStatus(a, y.id, 'retry_wait')
      await sync(a)
      expect(await claimOf(db.url, y.id)).toMatchObject({ state: 'done', outcome: 'sent' })
    } finally {
      await su.end()
    }
    // The mailbox password never went to PostgreSQL; B's copy of the mailbox has none.
    expect(withFile(b, (f) => f.prepare('SELECT smtp_password_sealed AS s, status FROM mailboxes').get())).toEqual({ s: '', status: 'active' })
  })

  it('a row being sent when the workspace is created is shared as waiting, with this desktop’s claim', async () => {
    const db = await freshDatabase()
    const a = teamEngine()
    const object = await a.ok('objects.create', { name: 'Merge Shop', timezone: 'UTC' })
    const mailbox = await a.ok('mailboxes.create', { objectId: object.id, email: 'desk@merge.test', displayName: 'Desk', minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk@merge.test', password: 'desk-secret-pw' }, imap: null })
    const profile = await a.ok('profiles.create', { objectId: object.id, email: 'desk@merge.test', displayName: 'Desk', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const x = await a.ok('mail.send', { profileId: profile.id, to: ['zoe@client.test'], subject: 'In flight', html: '<p>Hi</p>' })
    setStatus(a, x.id, 'sending')
    await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
    await sync(a)
    const b = await join(db)
    expect([statusOn(a, x.id), statusOn(b, x.id)]).toEqual(['sending', 'queued'])
    const devices = await (async () => {
      const c = new pg.Client({ connectionString: db.url })
      await c.connect()
      try {
        return (await c.query<{ id: number }>('SELECT id FROM devices ORDER BY id')).rows.map((r) => r.id)
      } finally {
        await c.end()
      }
    })()
    expect(await claimOf(db.url, x.id)).toMatchObject({ state: 'leased', device_id: devices[0] })
  })
})
