// Flows can text (issue 17 item 7): the engine SIGKILLed at any moment while 1,000 leads pass three text
// steps neither repeats nor skips a text. Each step commits with its outbox row, so after every restart
// each lead has exactly one row per step. (Twilio is unreachable here, so nothing leaves: the flow's
// guarantee is the rows; that a row leaves once is the outbox's, tested with the fake in flowsText.test.ts.)
import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { freshEngine } from './helpers'
import { waitFor } from './support/waitFor'

const LEADS = Number(process.env.KILL_LEADS ?? 1000)
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } }) as never

function start(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/flowsTextProcess.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((ok) => child.stdout!.once('data', () => ok(child)))
}

it('SIGKILLs while 1,000 leads pass three text steps: every lead has exactly one text per step', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-flowtextkill-'))
  const setup = freshEngine({ dataDir, outbound: { run: false, undoMs: 0, eventsPollMs: 0 } })
  const object = await setup.ok('objects.create', { name: 'Kill Co', postalAddress: '1 Main St', timezone: 'UTC' })
  await setup.ok('twilio.upsert', { objectId: object.id, accountSid: `AC${'0'.repeat(32)}`, authToken: 'fake-auth-token-0123456789', smsFrom: '+15555550199', apiBaseUrl: 'http://127.0.0.1:9' })
  const text = (n: number) => node(`t${n}`, 'sendText', { channel: 'sms', body: `Text ${n} for {{contact.first_name}}` })
  const flow = await setup.ok('flows.create', {
    name: 'Three texts',
    objectId: object.id,
    graph: { nodes: [node('start', 'start'), text(1), text(2), text(3), node('end', 'end')], edges: [{ from: 'start', to: 't1' }, { from: 't1', to: 't2' }, { from: 't2', to: 't3' }, { from: 't3', to: 'end' }] } as never,
  })
  await setup.ok('flows.activate', { id: flow.id })
  // The contacts straight into the file beside the open engine (setup), then enrolled through the contract.
  const raw = new Database(join(dataDir, 'switchboard.db'))
  raw.transaction(() => {
    const ins = raw.prepare("INSERT INTO contacts (primary_object_id, first_name, phone, sort_name, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)")
    for (let i = 0; i < LEADS; i++) ins.run(object.id, `P${i}`, `+1555610${String(i).padStart(4, '0')}`, `p${i}`)
  })()
  const ids = (raw.prepare('SELECT id FROM contacts ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id)
  raw.close()
  expect((await setup.ok('flows.enroll', { flowId: flow.id, contactIds: ids })).enrolled).toBe(LEADS)
  await setup.engine.close()

  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true })
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
  const rows = () => count("SELECT count(*) AS n FROM outbound_messages WHERE source = 'flow'")
  let kills = 0
  for (const target of [500, 1400, 2300]) {
    const child = await start(dataDir)
    await waitFor(() => rows() >= target || count("SELECT count(*) AS n FROM flow_leads WHERE status = 'completed'") === LEADS, { timeoutMs: 60_000, intervalMs: 5, message: `${target} texts queued` })
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    kills++
  }
  const last = await start(dataDir)
  try {
    await waitFor(() => count("SELECT count(*) AS n FROM flow_leads WHERE status = 'completed'") === LEADS, { timeoutMs: 120_000, intervalMs: 100, message: 'every lead completed' })
  } finally {
    last.kill('SIGTERM')
    await new Promise((r) => last.once('exit', r))
  }
  expect(kills).toBe(3)
  // Exactly one row per lead and step, and each step's path entry points at it.
  expect(rows()).toBe(3 * LEADS)
  expect(count("SELECT count(*) AS n FROM (SELECT contact_id, text FROM outbound_messages WHERE source = 'flow' GROUP BY contact_id, text HAVING count(*) > 1)")).toBe(0)
  expect(count("SELECT count(DISTINCT contact_id || ':' || text) AS n FROM outbound_messages WHERE source = 'flow'")).toBe(3 * LEADS)
  expect(count("SELECT count(*) AS n FROM flow_lead_events WHERE outcome = 'sent' AND outbound_id IS NOT NULL")).toBe(3 * LEADS)
  expect(count("SELECT count(*) AS n FROM flow_lead_events e JOIN outbound_messages o ON o.id = e.outbound_id WHERE o.text = 'Text ' || substr(e.node_key, 2) || ' for P' || (o.contact_id - " + ids[0] + ")")).toBe(3 * LEADS)
  db.close()
}, 300_000)
