// Flows (issue 16): the runner's slice runs its leads in one transaction with no savepoint per lead; a lead
// that fails unexpectedly rolls the slice back, which is replayed lead by lead up to the one that failed, so
// that lead alone is stopped with the reason and keeps no half-done send, and the leads before it keep
// theirs (exactly one row each). Run on the real file, with the runner's own function and a test clock.
import { expect, it } from 'vitest'
import { advanceDueLeads, type FlowDeps } from '../src/main/engine/automation/flowRun'
import { manualClock } from '../src/main/engine/clock'
import type { Ctx } from '../src/main/engine/context'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { createHooks } from '../src/main/engine/hooks'
import { queueMessageId } from '../src/main/engine/outbound/queue'
import { freshEngine } from './helpers'

const T0 = Date.UTC(2026, 11, 1, 15)
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } }) as never

it('a lead that throws mid-slice is stopped alone; the others before and after it send once each', async () => {
  const t = freshEngine({ start: T0, outbound: { run: false, undoMs: 0, eventsPollMs: 0 } })
  const object = await t.ok('objects.create', { name: 'Slice Co', postalAddress: '1 Main St', timezone: 'UTC' })
  const box = await t.ok('mailboxes.create', { objectId: object.id, email: 'box@slice.test', dailyCapacity: 1000, minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'box', password: 'pw' } })
  await t.ok('profiles.create', { objectId: object.id, email: 'box@slice.test', displayName: 'Box', transport: { kind: 'smtp', mailboxId: box.id } })
  const ids: number[] = []
  for (let i = 0; i < 6; i++) ids.push((await t.ok('contacts.create', { email: `c${i}@client.test`, firstName: `C${i}`, primaryObjectId: object.id })).id)
  const flow = await t.ok('flows.create', {
    name: 'Mail then notify',
    objectId: object.id,
    graph: {
      nodes: [node('start', 'start'), node('mail', 'sendEmail', { subject: 'Hi {{contact.first_name}}', html: '<p>Hello</p>' }), node('tell', 'action', { kind: 'notify', title: 'Call them' }), node('end', 'end')],
      edges: [{ from: 'start', to: 'mail' }, { from: 'mail', to: 'tell' }, { from: 'tell', to: 'end' }],
    } as never,
  })
  await t.ok('flows.activate', { id: flow.id })
  await t.ok('flows.enroll', { flowId: flow.id, contactIds: ids })
  await t.engine.close()

  const { sqlite, db } = openDatabase(`${t.dataDir}/switchboard.db`, findMigrationsDir())
  const ctx = { db, sqlite, clock: manualClock(T0), hooks: createHooks(), emit: () => {} } as unknown as Ctx
  const bad = ids[3]!
  const notified: number[] = []
  const deps: FlowDeps = {
    queue: queueMessageId,
    enrollInSequence: () => undefined,
    notifyStaff: (_ctx, task) => {
      // A defect, not a rule: a plain Error, after the lead's email was queued in the same step.
      if (task.contactId === bad) throw new Error('boom')
      notified.push(task.contactId)
    },
  }
  const logs: string[] = []
  const first = advanceDueLeads(ctx, 100, deps, (m) => logs.push(m))
  // The replay stops at the failed lead: the ones after it are the next slice's.
  expect(first).toMatchObject({ handled: 4, more: true })
  expect(logs.some((m) => m.includes('boom'))).toBe(true)
  const second = advanceDueLeads(ctx, 100, deps)
  expect(second).toMatchObject({ handled: 2, more: false })

  const leads = sqlite.prepare('SELECT contact_id AS c, status, last_error AS e FROM flow_leads WHERE flow_id = ? ORDER BY contact_id').all(flow.id) as Array<{ c: number; status: string; e: string | null }>
  expect(leads.map((l) => l.status)).toEqual(['completed', 'completed', 'completed', 'failed', 'completed', 'completed'])
  expect(leads[3]!.e).toMatch(/went wrong/)
  const rows = sqlite.prepare("SELECT contact_id AS c FROM outbound_messages WHERE source = 'flow' ORDER BY contact_id").all() as Array<{ c: number }>
  // The failed lead's email was rolled back with its step; every other lead has exactly one.
  expect(rows.map((r) => r.c)).toEqual(ids.filter((id) => id !== bad))
  // The first try of the slice was rolled back whole: the notes of its leads are not counted twice.
  const counts = Object.fromEntries((sqlite.prepare('SELECT node_key || \':\' || outcome AS k, n FROM flow_node_counts WHERE flow_id = ?').all(flow.id) as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]))
  expect(counts).toMatchObject({ 'mail:sent': 5, 'mail:entered': 5, 'start:failed': 1, 'tell:done': 5, 'end:done': 5 })
  // Path of the failed lead: where it stopped and why, nothing of the rolled-back step.
  const path = sqlite.prepare('SELECT e.node_key || \':\' || e.outcome AS p FROM flow_lead_events e JOIN flow_leads l ON l.id = e.lead_id WHERE l.contact_id = ? ORDER BY e.id').all(bad) as Array<{ p: string }>
  expect(path.map((p) => p.p)).toEqual(['start:failed'])
  sqlite.close()
})
