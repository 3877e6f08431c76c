// Issue 22: random writes on three desktops with random disconnects end in identical canonical dumps.
// Seeded, so a failure names the seed that reproduces it.
import { describe, expect, it } from 'vitest'
import type { TestEngine } from './helpers'
import { ADMIN, STAFF, canonicalDump, freshDatabase, joinUrl, pgPort, pgProxy, teamEngine } from './teamSetup'

function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] }
}

/**
 * Suppressions (a contact marked bounced), consent, segments (a few names, so desktops make the same one apart) and
 * intake rules. Segments are not renamed here: a rename racing a copy of the old name is the one case unique.ts
 * leaves apart.
 */
async function domainWrite(d: ReturnType<typeof rng>, t: TestEngine, i: number, objectId: number): Promise<string> {
  const x = d.next()
  const contacts = (await t.ok('contacts.list', { limit: 200 })).items
  const someone = contacts.length ? d.pick(contacts) : null
  if (x < 0.25) {
    const name = `S${d.int(3)}`
    const made = await t.call('segments.create', { name, objectId, rules: { all: [{ field: 'firstName', op: 'contains', value: `v${i}` }] } })
    if (!made.ok) expect(made.error.code, JSON.stringify(made.error)).toBe('CONFLICT')
    return `${i} segment ${name} ${made.ok ? (made.value as { id: number }).id : '(here already)'}`
  }
  const segs = await t.ok('segments.list', {})
  if (x < 0.4 && segs.length) {
    const s = d.pick(segs)
    await t.ok('segments.update', { id: s.id, rules: { all: [{ field: 'lastName', op: 'contains', value: `w${i}` }] } })
    return `${i} segment edit ${s.id}`
  }
  if (x < 0.5 && segs.length) {
    const s = d.pick(segs)
    await t.ok('segments.delete', { id: s.id })
    return `${i} segment delete ${s.id}`
  }
  if (x < 0.7 && someone) {
    const channel = d.pick(['email', 'sms', 'whatsapp'] as const)
    const status = d.pick(['granted', 'revoked'] as const)
    await t.ok('contacts.setConsent', { id: someone.id, channel, status })
    return `${i} consent ${someone.id} ${channel} ${status}`
  }
  if (x < 0.85 && someone) {
    await t.ok('contacts.update', { id: someone.id, status: 'bounced' })
    return `${i} suppress ${someone.id}`
  }
  const rules = await t.ok('intake.rules.list', {})
  if (rules.length && d.next() < 0.5) {
    const rule = d.pick(rules)
    await t.ok('intake.rules.update', { id: rule.id, enabled: !rule.enabled })
    return `${i} rule toggle ${rule.id}`
  }
  const rule = await t.ok('intake.rules.create', { objectId, name: `Form ${i}`, subjectMatch: `form ${i}` })
  return `${i} rule ${rule.id}`
}

/**
 * team-seq: sequences (steps rewritten whole, renamed, paused, deleted), enrolments (the same contact enrolled on
 * several desktops apart), autoresponders (actions rewritten), and now and then a runner turn (due steps claimed in
 * PostgreSQL, or waiting while this desktop is offline).
 */
async function automationWrite(d: ReturnType<typeof rng>, t: TestEngine, i: number, objectId: number, mailboxId: number): Promise<string> {
  const x = d.next()
  const seqs = await t.ok('sequences.list', {})
  const steps = () => Array.from({ length: 1 + d.int(3) }, (_, k) => ({ subject: `S${i}.${k}`, bodyHtml: `<p>${k}</p>`, wait: { value: d.int(2), unit: 'hours' as const } }))
  if (x < 0.1 || !seqs.length) {
    const s = await t.ok('sequences.create', { name: `Seq ${i}`, objectId, mailboxIds: [mailboxId], steps: steps() })
    return `${i} sequence ${s.id}`
  }
  const s = d.pick(seqs)
  if (x < 0.25) {
    await t.ok('sequences.update', { id: s.id, steps: steps(), ...(d.next() < 0.3 ? { name: `Seq ${i} renamed` } : {}) })
    return `${i} sequence steps ${s.id}`
  }
  if (x < 0.6) {
    const contacts = (await t.ok('contacts.list', { limit: 200 })).items
    if (!contacts.length) return `${i} nothing`
    const c = d.pick(contacts)
    await t.call('sequences.enroll', { sequenceId: s.id, contactIds: [c.id] })
    return `${i} enroll ${c.id} in ${s.id}`
  }
  if (x < 0.65) {
    await t.call(s.status === 'active' ? 'sequences.pause' : 'sequences.resume', { id: s.id })
    return `${i} sequence ${s.status === 'active' ? 'pause' : 'resume'} ${s.id}`
  }
  if (x < 0.68) {
    await t.ok('sequences.delete', { id: s.id })
    return `${i} sequence delete ${s.id}`
  }
  if (x < 0.88) {
    await t.ok('clock.advance', { ms: 3_600_000 })
    t.engine.automation.runDue()
    return `${i} runner turn`
  }
  const ars = await t.ok('autoresponders.list', {})
  const actions = [{ subject: `AR ${i}`, bodyHtml: '<p>hi</p>' }]
  if (ars.length && d.next() < 0.6) {
    const ar = d.pick(ars)
    await t.ok('autoresponders.update', { id: ar.id, actions: d.next() < 0.5 ? actions : [...actions, ...actions], isActive: d.next() < 0.8 })
    return `${i} autoresponder edit ${ar.id}`
  }
  const ar = await t.ok('autoresponders.create', { name: `AR ${i}`, objectId, trigger: { type: 'CONTACT_CREATED' }, actions })
  return `${i} autoresponder ${ar.id}`
}

const fnode = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } })
/** start → tag → wait an hour → (a second tag, in the longer variant) → end. */
function flowGraph(tagIds: number[], longer: boolean) {
  const mid = longer ? [fnode('again', 'action', { kind: 'addTag', tagId: tagIds[1] })] : []
  const ids = ['start', 'tag', 'hour', ...mid.map((m) => m.id), 'end']
  return {
    nodes: [fnode('start', 'start'), fnode('tag', 'action', { kind: 'addTag', tagId: tagIds[0] }), fnode('hour', 'wait', { duration: { value: 1, unit: 'hours' } }), ...mid, fnode('end', 'end')],
    edges: ids.slice(1).map((to, k) => ({ from: ids[k], to })),
  } as never
}

/**
 * team-flows: flows made, edited (draft or running), activated, deleted, contacts enrolled (the same contact on
 * several desktops apart), and the desktop's runner run an hour later (its steps claimed when the lead is shared).
 */
async function flowWrite(d: ReturnType<typeof rng>, t: TestEngine, i: number, objectId: number, tagIds: number[]): Promise<string> {
  const x = d.next()
  const flows = await t.ok('flows.list', {})
  const active = flows.filter((f) => f.status === 'active')
  const idle = flows.filter((f) => f.status !== 'active')
  if (x < 0.12 || !flows.length) {
    const f = await t.ok('flows.create', { name: `Flow ${i}`, objectId, trigger: { type: 'manual' }, graph: flowGraph(tagIds, d.next() < 0.5) })
    return `${i} flow ${f.id}`
  }
  if (x < 0.2) {
    const f = d.pick(flows)
    await t.ok('flows.update', { id: f.id, name: `Flow ${i}'`, graph: flowGraph(tagIds, d.next() < 0.5) })
    return `${i} flow edit ${f.id}`
  }
  if (x < 0.32 && idle.length) {
    const f = d.pick(idle)
    await t.ok('flows.activate', { id: f.id })
    return `${i} flow activate ${f.id}`
  }
  if (x < 0.35 && active.length) {
    const f = d.pick(active)
    await t.ok('flows.pause', { id: f.id })
    return `${i} flow pause ${f.id}`
  }
  if (x < 0.38) {
    const f = d.pick(flows)
    await t.ok('flows.delete', { id: f.id })
    return `${i} flow delete ${f.id}`
  }
  if (x < 0.7) {
    const contacts = (await t.ok('contacts.list', { limit: 200 })).items
    if (!active.length || !contacts.length) return `${i} flow enrol skipped`
    const f = d.pick(active)
    const c = d.pick(contacts)
    await t.ok('flows.enroll', { flowId: f.id, contactIds: [c.id] })
    return `${i} flow enrol ${f.id} ${c.id}`
  }
  // The runner asks for the claims of shared leads in the background; a sync (a round trip, or offline a refusal)
  // gives the claim round time to answer before the runner looks again. Which desktop takes a step then depends on
  // timing, not on the seed alone: the dumps must agree whichever did.
  await t.ok('clock.advance', { ms: 3_600_000 })
  const first = t.engine.automation.runDue()
  await t.call('team.sync', {})
  return `${i} flow run ${first}+${t.engine.automation.runDue()}`
}

const THIRD = { email: 'ivy2@example.test', displayName: 'Ivy Two', password: 'ivy2-team-pw-1' }

async function run(seed: number, steps: number) {
  const r = rng(seed)
  const d = rng(seed + 1_000_003)
  const q = rng(seed + 2_000_003)
  const fl = rng(seed + 3_000_003)
  const db = await freshDatabase()
  const proxies = await Promise.all([0, 1, 2].map(() => pgProxy(pgPort())))
  const a = teamEngine()
  const o = await a.ok('objects.create', { name: 'Eve Beauty', timezone: 'UTC' })
  const tags = [await a.ok('tags.create', { name: 'VIP' }), await a.ok('tags.create', { name: 'Lead' })]
  for (let i = 0; i < 3; i++) await a.ok('contacts.create', { email: `seed${i}@x.co`, firstName: `Seed${i}`, primaryObjectId: o.id })
  const mb = await a.ok('mailboxes.create', { objectId: o.id, email: 'desk@eve.test', displayName: 'Desk', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk', password: 'pw' }, imap: null })
  const pf = await a.ok('profiles.create', { objectId: o.id, email: 'desk@eve.test', displayName: 'Desk', transport: { kind: 'smtp', mailboxId: mb.id } })
  const viaA = new URL(db.url)
  viaA.port = String(proxies[0].port)
  await a.ok('team.create', { databaseUrl: viaA.toString(), admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [pf.id] })
  await a.ok('team.users.create', { ...THIRD, role: 'staff', profileIds: [pf.id] })
  await a.ok('team.sync', {})
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db, proxies[1].port), email: STAFF.email, password: STAFF.password })
  const c = teamEngine()
  await c.ok('team.join', { databaseUrl: joinUrl(db, proxies[2].port), email: THIRD.email, password: THIRD.password })
  const desks: TestEngine[] = [a, b, c]
  const online = [true, true, true]
  let n = 0
  const log: string[] = []
  for (let step = 0; step < steps; step++) {
    const i = r.int(3)
    const t = desks[i]
    const contacts = (await t.ok('contacts.list', { limit: 200 })).items
    const someone = contacts.length ? r.pick(contacts) : null
    const x = r.next()
    if (x < 0.25 && someone) {
      const field = r.pick(['firstName', 'lastName', 'company'] as const)
      await t.ok('contacts.update', { id: someone.id, [field]: `${field}-${i}-${step}` })
      log.push(`${i} update ${someone.id} ${field}`)
    } else if (x < 0.31) {
      await t.ok('contacts.create', { email: `c${i}-${n++}@x.co`, firstName: `New${i}`, primaryObjectId: o.id })
      log.push(`${i} create`)
    } else if (x < 0.37) {
      // The same address on several desktops (issue 22's merge): refused where this desktop already has it.
      const email = `same${r.int(3)}@x.co`
      const made = await t.call('contacts.create', { email, firstName: `Same${i}-${step}`, lastName: r.next() < 0.5 ? `L${i}` : '', primaryObjectId: o.id })
      if (!made.ok) expect(made.error.code, JSON.stringify(made.error)).toBe('CONFLICT')
      log.push(`${i} same ${email}${made.ok ? '' : ' (here already)'}`)
    } else if (x < 0.49 && someone) {
      await t.ok('notes.create', { contactId: someone.id, bodyHtml: `<p>note ${i} ${step}</p>` })
      log.push(`${i} note ${someone.id}`)
    } else if (x < 0.54 && someone) {
      await t.ok('contacts.delete', { ids: [someone.id] })
      log.push(`${i} delete ${someone.id}`)
    } else if (x < 0.64 && someone) {
      await t.ok('contacts.addTag', { contactIds: [someone.id], tagId: r.pick(tags).id })
      log.push(`${i} tag ${someone.id}`)
    } else if (x < 0.69 && someone) {
      await t.ok('contacts.removeTag', { contactIds: [someone.id], tagId: r.pick(tags).id })
      log.push(`${i} untag ${someone.id}`)
    } else if (x < 0.74 && someone) {
      await t.ok('tasks.create', { title: `task ${i} ${step}`, contactId: someone.id, dueAt: '2027-02-01T09:00:00Z' })
      log.push(`${i} task ${someone.id}`)
    } else if (x < 0.86) {
      online[i] = !online[i]
      await (online[i] ? proxies[i].open() : proxies[i].close())
      log.push(`${i} ${online[i] ? 'online' : 'offline'}`)
    } else {
      const st = await t.ok('team.sync', {})
      expect(st.state).toBe(online[i] ? 'synced' : 'offline')
      log.push(`${i} sync`)
    }
    // team-domains: a write of the other shared domains now and then, from a stream of its own (the writes above
    // stay what they were for each seed).
    if (d.next() < 0.3) log.push(await domainWrite(d, t, i, o.id))
    if (q.next() < 0.4) log.push(await automationWrite(q, t, i, o.id, mb.id))
    // team-flows: flows and their leads, from a stream of their own.
    if (fl.next() < 0.3) log.push(await flowWrite(fl, t, i, o.id, tags.map((x) => x.id)))
  }
  for (let i = 0; i < 3; i++) if (!online[i]) await proxies[i].open()
  for (let round = 0; round < 2; round++)
    for (const t of desks) {
      const st = await t.ok('team.sync', {})
      expect(st, `seed ${seed}: ${JSON.stringify(st)}`).toMatchObject({ state: 'synced', pendingOps: 0 })
    }
  const dumps = desks.map(canonicalDump)
  // TEAM_LOG=1 prints what each desktop did (to replay a failing seed by hand).
  if (process.env.TEAM_LOG) console.log(log.join('\n'))
  // On failure, say which rows differ (the whole dumps are too long to read).
  const diff = (x: Record<string, unknown[]>, y: Record<string, unknown[]>) =>
    Object.keys(x).flatMap((t) => {
      const ys = new Set(y[t].map((r) => JSON.stringify(r)))
      const xs = new Set(x[t].map((r) => JSON.stringify(r)))
      return [...x[t].filter((r) => !ys.has(JSON.stringify(r))).map((r) => `${t} A-only ${JSON.stringify(r)}`), ...y[t].filter((r) => !xs.has(JSON.stringify(r))).map((r) => `${t} other-only ${JSON.stringify(r)}`)]
    })
  expect(diff(dumps[0], dumps[1]), `seed ${seed} A vs B`).toEqual([])
  expect(diff(dumps[0], dumps[2]), `seed ${seed} A vs C`).toEqual([])
  expect(dumps[1], `seed ${seed}: ${log.join(', ')}`).toEqual(dumps[0])
  expect(dumps[2], `seed ${seed}: ${log.join(', ')}`).toEqual(dumps[0])
  // team-seq: a step of an enrolment went into the outbox once (a pause withdraws it, cancelled, and it comes again).
  const status = new Map((dumps[0].outbound_messages as Array<{ id: number; status: string }>).map((m) => [m.id, m.status]))
  const made = new Map<string, number>()
  for (const m of dumps[0].sequence_messages as Array<{ sequence_contact_id: number; step_position: number; outbound_id: number }>)
    if (status.get(m.outbound_id) !== 'cancelled') made.set(`${m.sequence_contact_id}:${m.step_position}`, (made.get(`${m.sequence_contact_id}:${m.step_position}`) ?? 0) + 1)
  if (process.env.TEAM_LOG) console.log(`sequence messages: ${dumps[0].sequence_messages.length}, enrolments: ${dumps[0].sequence_contacts.length}`)
  expect([...made].filter(([, k]) => k > 1), `seed ${seed}: ${log.join(', ')}`).toEqual([])
  for (const p of proxies) await p.close()
  return dumps[0]
}

// More runs: TEAM_SEEDS=1,2,3 TEAM_STEPS=250 npx vitest run test/teamProperty.test.ts (25 seeds x 250 steps passed;
// with the colliding creates of the contact merge, seeds 1-13 x 150 and 20-35 x 300 passed; with the domain writes of
// migration 0036 (domainWrite), seeds 1-15, 22 and 1234 x 150 passed; with the automation writes of migration 0038
// (automationWrite) and the once-per-step check, seeds 1-13, 22 and 1234 x 200 passed; with the flow writes of migration
// 0039 (flowWrite) too, seeds 1-10, 22 and 1234 x 200 passed).
describe('three desktops, random writes and disconnects', () => {
  for (const seed of (process.env.TEAM_SEEDS ?? '7,22,1234').split(',').map(Number)) {
    it(`converge to identical canonical dumps (seed ${seed})`, async () => {
      const dump = await run(seed, Number(process.env.TEAM_STEPS ?? 150))
      // The run did write: more rows than the three contacts it started with.
      expect(dump.contacts.length + dump.contact_notes.length + dump.tasks.length + dump.contact_tags.length).toBeGreaterThan(3)
    }, 120_000)
  }
})
