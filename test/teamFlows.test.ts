// Issue 22 items 2 and 4 (team-flows): flows, their graphs, leads and paths replicate, and a lead's step is taken by
// one desktop only. Real PostgreSQL; the replicators move ops only on team.sync, so "offline" is "not synced" and
// each test orders the pushes itself; the runners run when a test calls runDue (no mail here: the steps tag the
// contact; test/teamFlowsMail.test.ts sends through real Postfix and Dovecot).
import { describe, expect, it } from 'vitest'
import type { TestEngine } from './helpers'
import { waitFor } from './support/waitFor'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, pgPort, pgProxy, stepClaimsLike, teamEngine, withFile } from './teamSetup'
import { storeMessages } from '../src/main/engine/inbound/store'
import { runRetention } from '../src/main/engine/services/retention'
import { addr, inboxRef, msg, storeCtx } from './inboxFixtures'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } }) as never

/** start → tag "Met" → wait an hour → tag "Later" → end. */
const tagging = (met: number, later: number) =>
  ({
    nodes: [node('start', 'start'), node('met', 'action', { kind: 'addTag', tagId: met }), node('hour', 'wait', { duration: { value: 1, unit: 'hours' } }), node('later', 'action', { kind: 'addTag', tagId: later }), node('end', 'end')],
    edges: [
      { from: 'start', to: 'met' },
      { from: 'met', to: 'hour' },
      { from: 'hour', to: 'later' },
      { from: 'later', to: 'end' },
    ],
  }) as never

/** B reaches PostgreSQL through `bPort` when given (a proxy a test closes to take B offline). */
async function twoDesks(opts: { bPort?: number; before?: (a: TestEngine, x: { shopId: number; metId: number; laterId: number; annId: number }) => Promise<void> } = {}) {
  const db = await freshDatabase()
  const a = teamEngine()
  const shop = await a.ok('objects.create', { name: 'Shop', timezone: 'UTC' })
  const met = await a.ok('tags.create', { name: 'Met' })
  const later = await a.ok('tags.create', { name: 'Later' })
  const ann = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: shop.id })
  // Made on the desktop alone, before the workspace: the snapshot a new workspace starts from carries it.
  await opts.before?.(a, { shopId: shop.id, metId: met.id, laterId: later.id, annId: ann.id })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
  await a.ok('team.sync', {})
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db, opts.bPort), email: STAFF.email, password: STAFF.password })
  return { db, a, b, shop, met, later, ann }
}

const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) expect(await t.ok('team.sync', {})).toMatchObject({ pendingOps: 0 })
}
const leadsOf = (t: TestEngine, flowId: number) => t.ok('flows.leads', { flowId }).then((p) => p.items)
const countsOf = (t: TestEngine, flowId: number) => withFile(t, (f) => f.prepare('SELECT node_key, outcome, n FROM flow_node_counts WHERE flow_id = ? ORDER BY node_key, outcome').all(flowId))
const outcomes = (lead: { path: Array<{ nodeId: string; outcome: string }> }) => lead.path.filter((p) => p.outcome !== 'entered').map((p) => `${p.nodeId}:${p.outcome}`)

/** Both runners run (each due at once on its own clock) and both desktops sync, until the flow's leads are done on both. */
async function runBothUntilDone(a: TestEngine, b: TestEngine, flowId: number, message: string): Promise<void> {
  await waitFor(
    async () => {
      a.engine.automation.runDue()
      b.engine.automation.runDue()
      await sync(a, b, a)
      for (const t of [a, b]) if (!(await leadsOf(t, flowId)).every((l) => l.status === 'completed')) return false
      return true
    },
    { timeoutMs: 30_000, intervalMs: 100, message },
  )
}

describe('team flows', () => {
  it('a flow made on A shows on B and runs there; its leads, paths and counts reach A; a step due on both is taken once', async () => {
    const { db, a, b, shop, met, later, ann } = await twoDesks()
    const flow = await a.ok('flows.create', { name: 'Welcome', objectId: shop.id, trigger: { type: 'manual' }, graph: tagging(met.id, later.id) })
    await a.ok('flows.activate', { id: flow.id })
    await sync(a, b)
    const onB = await b.ok('flows.get', { id: flow.id })
    expect(onB).toEqual(await a.ok('flows.get', { id: flow.id }))
    expect(onB).toMatchObject({ status: 'active', graph: { nodes: expect.arrayContaining([expect.objectContaining({ id: 'hour', type: 'wait' })]) } })
    expect(b.events.some((e) => e.event === 'flows.changed')).toBe(true)

    // B enrols Ann: the lead is B's own until pushed, so B's runner moves it at once (no claim), to the wait.
    expect(await b.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })).toMatchObject({ enrolled: 1 })
    b.engine.automation.runDue()
    const [leadB] = await leadsOf(b, flow.id)
    expect(leadB).toMatchObject({ status: 'waiting', currentNodeId: 'hour' })
    expect(leadB.id).toBeGreaterThanOrEqual(2 ** 32) // from B's block
    await sync(b, a)
    const [leadA] = await leadsOf(a, flow.id)
    expect(leadA).toEqual(leadB)
    // The canvas counts on A come from the path that arrived (a trigger), as B's runner counted them.
    expect(countsOf(a, flow.id)).toEqual(countsOf(b, flow.id))
    expect(await a.ok('flows.stats', { id: flow.id })).toEqual(await b.ok('flows.stats', { id: flow.id }))
    expect((await a.ok('contacts.get', { id: ann.id })).tags.map((t: { name: string }) => t.name)).toEqual(['Met'])

    // The wait ends on both desktops at once and both runners run: one of them takes the step.
    for (const t of [a, b]) await t.ok('clock.advance', { ms: HOUR })
    await runBothUntilDone(a, b, flow.id, 'the lead completes, as seen by both desktops')
    const [doneA] = await leadsOf(a, flow.id)
    expect(outcomes(doneA)).toEqual(['met:done', 'hour:waiting', 'hour:done', 'later:done', 'end:done'])
    expect(await leadsOf(b, flow.id)).toEqual([doneA])
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
    expect(countsOf(a, flow.id)).toEqual(countsOf(b, flow.id))
    // The first step was B's own (the lead was not pushed yet): its push pinned that step to B. The second went through
    // its claim, won by one desktop.
    const claims = await stepClaimsLike(db.url, 'flow:%')
    expect(claims).toEqual([
      expect.objectContaining({ tbl: 'flow:0', row_id: String(leadB.id), state: 'pinned' }),
      expect.objectContaining({ tbl: 'flow:1', row_id: String(leadB.id), state: 'pinned' }),
    ])
    expect(claims[0].device_id).toBe(withFile(b, (f) => f.prepare('SELECT device_id AS d FROM team_state').get() as { d: number }).d)
  })

  it('a joining desktop gets the flows, leads and paths made before the workspace, with the same counts, and runs them', async () => {
    let flowId = 0
    const { a, b } = await twoDesks({
      before: async (a, x) => {
        flowId = (await a.ok('flows.create', { name: 'Old', objectId: x.shopId, trigger: { type: 'manual' }, graph: tagging(x.metId, x.laterId) })).id
        await a.ok('flows.activate', { id: flowId })
        await a.ok('flows.enroll', { flowId, contactIds: [x.annId] })
        a.engine.automation.runDue()
      },
    })
    expect(await leadsOf(b, flowId)).toEqual(await leadsOf(a, flowId))
    expect(countsOf(b, flowId)).toEqual(countsOf(a, flowId))
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
    for (const t of [a, b]) await t.ok('clock.advance', { ms: HOUR })
    await runBothUntilDone(a, b, flowId, 'the lead made before the workspace completes on both')
    expect(outcomes((await leadsOf(b, flowId))[0]!)).toEqual(['met:done', 'hour:waiting', 'hour:done', 'later:done', 'end:done'])
    expect(countsOf(b, flowId)).toEqual(countsOf(a, flowId))
  })

  it('a wait ends when it said it would, even when a wake meant for the step before won its wait_until on merge', async () => {
    const { a, b, shop, met, later, ann } = await twoDesks()
    const flow = await a.ok('flows.create', { name: 'Welcome', objectId: shop.id, trigger: { type: 'manual' }, graph: tagging(met.id, later.id) })
    await a.ok('flows.activate', { id: flow.id })
    await a.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    a.engine.automation.runDue()
    await sync(a, b)
    const [lead] = await leadsOf(a, flow.id)
    expect(lead).toMatchObject({ status: 'waiting', currentNodeId: 'hour', waitUntil: new Date(a.clock.now() + HOUR).toISOString() })
    // What the merge leaves when B's wake (a reply to the step before, seen on B at its own instant) reached
    // PostgreSQL after A's step to this wait: the lead at the wait, its wait_until now.
    withFile(a, (f) => f.prepare('UPDATE flow_leads SET wait_until = ? WHERE id = ?').run(a.clock.now(), lead.id))
    await sync(a, b)
    const stepped = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT step_no AS n FROM flow_leads WHERE id = ?').get(lead.id) as { n: number }).n
    const before = stepped(a)
    await waitFor(() => (a.engine.automation.runDue(), stepped(a) > before), { timeoutMs: 30_000, intervalMs: 50, message: 'A looks at the lead' })
    // It waits on, to the end the wait recorded, and nothing of the next step happened.
    const [still] = await leadsOf(a, flow.id)
    expect(still).toMatchObject({ status: 'waiting', currentNodeId: 'hour', waitUntil: lead.waitUntil })
    expect(outcomes(still)).toEqual(['met:done', 'hour:waiting'])
    for (const t of [a, b]) await t.ok('clock.advance', { ms: HOUR })
    await runBothUntilDone(a, b, flow.id, 'the lead completes when its wait ends')
    expect(outcomes((await leadsOf(b, flow.id))[0]!)).toEqual(['met:done', 'hour:waiting', 'hour:done', 'later:done', 'end:done'])
  })

  it('offline edits of a draft and of a running flow on both desktops converge to the same flow everywhere', async () => {
    const { a, b, shop, met, later } = await twoDesks()
    const draft = await a.ok('flows.create', { name: 'Draft', objectId: shop.id, trigger: { type: 'manual' }, graph: tagging(met.id, later.id) })
    const live = await a.ok('flows.create', { name: 'Live', objectId: shop.id, trigger: { type: 'manual' }, graph: tagging(met.id, later.id) })
    await a.ok('flows.activate', { id: live.id })
    await sync(a, b)
    // Apart: A renames the draft and shortens its wait; B adds a step to it and changes its trigger. Both edit the
    // running flow (each makes its version 2).
    const shorter = tagging(met.id, later.id) as unknown as { nodes: Array<{ id: string; config: Record<string, unknown> }>; edges: unknown[] }
    shorter.nodes[2].config = { duration: { value: 10, unit: 'minutes' } }
    await a.ok('flows.update', { id: draft.id, name: 'Draft (A)', graph: shorter as never })
    const longer = {
      nodes: [...(tagging(met.id, later.id) as unknown as { nodes: unknown[] }).nodes, node('again', 'action', { kind: 'removeTag', tagId: met.id })],
      edges: [
        { from: 'start', to: 'met' },
        { from: 'met', to: 'hour' },
        { from: 'hour', to: 'later' },
        { from: 'later', to: 'again' },
        { from: 'again', to: 'end' },
      ],
    }
    await b.ok('flows.update', { id: draft.id, trigger: { type: 'tagAdded', tagId: met.id }, graph: longer as never })
    await a.ok('flows.update', { id: live.id, graph: shorter as never })
    await b.ok('flows.update', { id: live.id, graph: longer as never, name: 'Live (B)' })
    // A reaches PostgreSQL first, B pushes before it hears of A's edits, then A pulls B's.
    await sync(a, b, a)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
    for (const id of [draft.id, live.id]) expect(await b.ok('flows.get', { id })).toEqual(await a.ok('flows.get', { id }))
    // Per field, the later edit wins: the names and the trigger; the live flow is on version 2 everywhere.
    expect(await a.ok('flows.get', { id: draft.id })).toMatchObject({ name: 'Draft (A)', trigger: { type: 'tagAdded', tagId: met.id } })
    expect(await a.ok('flows.get', { id: live.id })).toMatchObject({ name: 'Live (B)', version: 2, status: 'active' })
    // The graph rows merge node by node (the later of a node's insert and delete), the same on every desktop.
    const draftGraph = (await a.ok('flows.get', { id: draft.id })).graph
    expect(draftGraph.nodes.find((n: { id: string }) => n.id === 'hour')?.config).toEqual({ duration: { value: 1, unit: 'hours' } })
    expect(draftGraph.nodes.map((n: { id: string }) => n.id)).toContain('again')
  })

  it('a contact enrolled in one flow on both desktops apart ends as one lead, whose path keeps what both did', async () => {
    const { a, b, shop, met, later, ann } = await twoDesks()
    const flow = await a.ok('flows.create', { name: 'Welcome', objectId: shop.id, trigger: { type: 'manual' }, graph: tagging(met.id, later.id) })
    await a.ok('flows.activate', { id: flow.id })
    await sync(a, b)
    for (const t of [a, b]) {
      expect(await t.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })).toMatchObject({ enrolled: 1 })
      t.engine.automation.runDue()
    }
    const [mine] = await leadsOf(a, flow.id)
    const [theirs] = await leadsOf(b, flow.id)
    expect(mine.id).not.toBe(theirs.id)
    // A reaches PostgreSQL first; B pushes its copy before it hears of A's lead, then A pulls.
    await sync(a, b, a)
    const leadsA = await leadsOf(a, flow.id)
    expect(leadsA).toHaveLength(1)
    expect(leadsA[0].id).toBe(mine.id)
    expect(await leadsOf(b, flow.id)).toEqual(leadsA)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
    // Both desktops tagged Ann and started the wait apart: the one lead's path says so, on both.
    expect(outcomes(leadsA[0])).toEqual(['met:done', 'hour:waiting', 'met:done', 'hour:waiting'])
    expect(countsOf(a, flow.id)).toEqual(countsOf(b, flow.id))
    // From now on it is one lead: a later step is taken once, by whichever desktop holds its claim.
    for (const t of [a, b]) await t.ok('clock.advance', { ms: HOUR })
    await runBothUntilDone(a, b, flow.id, 'the merged lead completes on both')
    const [done] = await leadsOf(a, flow.id)
    expect(outcomes(done).filter((o) => o === 'later:done')).toHaveLength(1)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
  })

  it('daily jobs: the retention policy set on A reaches B, and each desktop’s own pass prunes its own copy of the inbox', async () => {
    const { a, b, shop } = await twoDesks()
    const mailbox = await a.ok('mailboxes.create', { objectId: shop.id, email: 'hello@shop.test', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'x', password: 'pw' } })
    await sync(a, b)
    // Each desktop syncs the mailbox into its own inbox (device-local): an old and a new message on each.
    const stores = [a, b].map((t) => storeCtx(t))
    for (const [i, { ctx }] of stores.entries()) {
      const now = [a, b][i].clock.now()
      storeMessages(ctx, inboxRef(mailbox.id), [msg({ date: now - 100 * DAY, subject: 'old', from: addr('c@client.test') }), msg({ date: now - 10 * DAY, subject: 'new', from: addr('c@client.test') })])
    }
    await a.ok('retention.set', { objectId: shop.id, months: 3 })
    await sync(a, b)
    expect(await b.ok('retention.get', { objectId: shop.id })).toEqual({ objectId: shop.id, months: 3, lastRunAt: null })
    // The daily pass is each desktop's: claiming it once across desktops would leave the other copy of old mail.
    for (const { ctx } of stores) expect([...runRetention(ctx as never).values()]).toEqual([1])
    for (const { ctx } of stores) expect(ctx.sqlite.prepare('SELECT subject FROM messages').pluck().all()).toEqual(['new'])
    // Once a day on each: a second look the same day deletes nothing more; its run time stays on its desktop.
    for (const { ctx } of stores) expect(runRetention(ctx as never).size).toBe(0)
    for (const t of [a, b]) expect(withFile(t, (f) => f.prepare("SELECT count(*) AS n FROM team_ops WHERE tbl = 'data_retention'").get())).toEqual({ n: 0 })
    for (const t of [a, b]) expect((await t.ok('audit.list', { objectId: shop.id })).items.filter((x: { action: string }) => x.action === 'retention.run')).toHaveLength(1)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
  })

  it('leaving: the workspace’s leads under way stop on the desktop that leaves; its own lead never pushed goes on; the other desktop moves the shared one', async () => {
    const proxy = await pgProxy(pgPort())
    const { a, b, shop, met, later, ann } = await twoDesks({ bPort: proxy.port })
    const flow = await a.ok('flows.create', { name: 'Welcome', objectId: shop.id, trigger: { type: 'manual' }, graph: tagging(met.id, later.id) })
    await a.ok('flows.activate', { id: flow.id })
    await a.ok('flows.enroll', { flowId: flow.id, contactIds: [ann.id] })
    a.engine.automation.runDue()
    await sync(a, b)
    // Offline, B enrols a contact of its own, then leaves without having pushed it (a forced leave keeps it here).
    await proxy.close()
    const bo = await b.ok('contacts.create', { email: 'bo@client.test', firstName: 'Bo', primaryObjectId: shop.id })
    await b.ok('flows.enroll', { flowId: flow.id, contactIds: [bo.id] })
    expect(await b.ok('team.leave', { force: true })).toMatchObject({ keptHere: expect.any(Number) })
    const onB = Object.fromEntries((await leadsOf(b, flow.id)).map((l) => [l.contactId, l]))
    expect(onB[ann.id]).toMatchObject({ status: 'exited', lastError: 'Left the workspace: its other desktops run this flow' })
    expect(onB[bo.id]).toMatchObject({ status: 'pending' })
    expect(b.events.filter((e) => e.event === 'flows.changed').at(-1)).toMatchObject({ payload: { flowIds: [flow.id] } })
    // Both desktops' clocks pass the wait: B runs only its own lead, A runs the workspace's.
    for (const t of [a, b]) await t.ok('clock.advance', { ms: HOUR })
    b.engine.automation.runDue()
    expect((await leadsOf(b, flow.id)).map((l) => [l.contactId, l.status])).toEqual([
      [ann.id, 'exited'],
      [bo.id, 'waiting'],
    ])
    await waitFor(() => (a.engine.automation.runDue(), leadsOf(a, flow.id).then((ls) => ls.every((l) => l.status === 'completed'))), { timeoutMs: 30_000, intervalMs: 50, message: 'A moves the shared lead' })
    expect((await leadsOf(a, flow.id)).map((l) => l.contactId)).toEqual([ann.id])
    await proxy.close()
  })
})
