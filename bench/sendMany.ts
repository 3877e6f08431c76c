// npm run bench:sendmany — mail.sendMany of 10,000 recipients through dispatch (issue 18)     target ≤ 2 s to queue
// The template is compiled once and rendered per recipient in chunks, then every row is written in one
// transaction through the outbox's door (queueMessage: profile, suppression and contact checks, the row, its
// queued event). Also measured: the longest time the engine's thread was not free while it ran (a timer
// ticking every 5 ms; what an RPC could wait behind), and the rows per second.
// Baselines in the same run, each on its own fresh workspace:
//   - floor: a bare SQLite insert of the same 10,000 rows and their events in one transaction (no render, no checks)
//   - single: mail.send called once per recipient (what a caller without sendMany does), on 1,000 recipients,
//     scaled to 10,000 (it is linear: one transaction per message)
// Medians of RUNS, with the load average (the machine is shared). Prints JSON lines. Not a test: never asserts.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type Engine } from '../src/main/engine'
import { manualClock } from '../src/main/engine/clock'

const N = Number(process.env.BENCH_SENDMANY ?? 10_000)
const SINGLE = Number(process.env.BENCH_SENDMANY_SINGLE ?? 1_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'sendMany', ...o }))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const r1 = (x: number) => Math.round(x * 10) / 10

async function call(engine: Engine, method: string, input: unknown): Promise<any> {
  const r = await engine.dispatch(method, input)
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
  return r.value
}

async function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-sendmany-'))
  const engine = createEngine({
    host: 'web',
    dataDir: dir,
    testClock: manualClock(Date.UTC(2026, 0, 5, 9)),
    log: () => {},
    outbound: { run: false, undoMs: 0, probeMs: 3_600_000, eventsPollMs: 0 },
    backups: { run: false },
  })
  const object = await call(engine, 'objects.create', { name: 'Bench Biz', postalAddress: '1 Main St, Springfield', timezone: 'Europe/London' })
  const mailbox = await call(engine, 'mailboxes.create', {
    objectId: object.id,
    email: 'news@bench.test',
    displayName: 'Bench',
    dailyCapacity: 100000,
    minGapSeconds: 0,
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'news@bench.test', password: 'pw' },
  })
  const profile = await call(engine, 'profiles.create', { objectId: object.id, email: 'news@bench.test', displayName: 'Bench News', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const html =
    '<h2>Spring at {{object.name}}</h2><p>Hi {{default contact.first_name "there"}},</p><p>Your code is <b>{{code}}</b>, valid in {{region}} until the end of the month.</p>' +
    '<p>Book online or reply to this message.</p><ul><li>Cut and style</li><li>Colour</li><li>Treatments</li></ul><p>See you soon,<br>{{profile.display_name}}</p>'
  const tpl = await call(engine, 'templates.create', { objectId: object.id, name: 'Spring', subject: 'Spring offer {{code}}', html, variables: ['code', 'region'] })
  // 1 % of the list is suppressed, as a real list is.
  const db = new Database(join(dir, 'switchboard.db'))
  const ins = db.prepare("INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (NULL, ?, 'bounced', 0)")
  db.transaction(() => {
    for (let i = 0; i < N; i += 100) ins.run(`r${i}@list.test`)
  })()
  db.close()
  const recipients = Array.from({ length: N }, (_, i) => ({ email: `r${i}@list.test`, variables: { code: `C${i}` } }))
  return { dir, engine, profileId: profile.id, templateId: tpl.id, recipients, html }
}

/** The longest gap between ticks of a 5 ms timer while `fn` runs: how long the thread was not free. */
async function withLag<T>(fn: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let last = performance.now()
  let max = 0
  const timer = setInterval(() => {
    const now = performance.now()
    max = Math.max(max, now - last - 5)
    last = now
  }, 5)
  try {
    const value = await fn()
    const now = performance.now()
    max = Math.max(max, now - last - 5)
    return { value, maxLagMs: max }
  } finally {
    clearInterval(timer)
  }
}

/** CPU time this process spent (user + system), in ms: on a shared machine, closer to what an idle one would take. */
const cpuMs = (since?: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since)
  return (u.user + u.system) / 1000
}

async function sendManyRun(): Promise<{ ms: number; cpuMs: number; maxLagMs: number; queued: number }> {
  const w = await workspace()
  try {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const { value, maxLagMs } = await withLag(() => call(w.engine, 'mail.sendMany', { profileId: w.profileId, templateId: w.templateId, recipients: w.recipients, sharedVariables: { region: 'North' }, idempotencyKey: 'bench' }))
    const ms = performance.now() - t0
    return { ms, cpuMs: cpuMs(c0), maxLagMs, queued: value.queued }
  } finally {
    await w.engine.close()
    rmSync(w.dir, { recursive: true, force: true })
  }
}

/** The floor: the same rows and events, inserted bare in one transaction. */
async function floorRun(): Promise<{ ms: number; cpuMs: number }> {
  const w = await workspace()
  await w.engine.close()
  try {
    const db = new Database(join(w.dir, 'switchboard.db'))
    const row = db.prepare(
      `INSERT INTO outbound_messages (object_id, profile_id, mailbox_id, transport, message_id, from_email, from_name, to_json, cc_json, subject, html, text,
         headers_json, source, status, scheduled_for, next_attempt_at, created_at, updated_at, bcc_json)
       VALUES (1, 1, 1, 'smtp', ?, 'news@bench.test', 'Bench News', ?, '[]', ?, ?, ?, '{}', 'bulk', 'queued', 1, 1, 1, 1, '[]') RETURNING id`,
    )
    const ev = db.prepare("INSERT INTO message_events (outbound_id, type, detail, at) VALUES (?, 'queued', NULL, 1)")
    const body = w.html.replace(/\{\{[^}]*\}\}/g, 'x')
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const { id } = row.get(`<${i}.${crypto.randomUUID()}@bench.test>`, JSON.stringify([`r${i}@list.test`]), `Spring offer C${i}`, body, body) as { id: number }
        ev.run(id)
      }
    })()
    const ms = performance.now() - t0
    const cpu = cpuMs(c0)
    db.close()
    return { ms, cpuMs: cpu }
  } finally {
    rmSync(w.dir, { recursive: true, force: true })
  }
}

/** One mail.send per recipient (rendered by the caller), SINGLE of them; per message time × N. */
async function singleRun(): Promise<number> {
  const w = await workspace()
  try {
    const t0 = performance.now()
    for (let i = 0; i < SINGLE; i++)
      await call(w.engine, 'mail.send', { profileId: w.profileId, to: [`r${i}@list.test`], subject: `Spring offer C${i}`, html: w.html.replace(/\{\{[^}]*\}\}/g, `C${i}`) })
    return ((performance.now() - t0) / SINGLE) * N
  } finally {
    await w.engine.close()
    rmSync(w.dir, { recursive: true, force: true })
  }
}

async function main() {
  out({ figure: 'machine', loadavg: loadavg().map(r1), recipients: N, runs: RUNS })
  const many: number[] = []
  const lags: number[] = []
  const floors: number[] = []
  const cpus: number[] = []
  const floorCpus: number[] = []
  const singles: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const m = await sendManyRun()
    many.push(m.ms)
    lags.push(m.maxLagMs)
    cpus.push(m.cpuMs)
    out({ figure: 'sendMany', run: r + 1, ms: r1(m.ms), cpuMs: r1(m.cpuMs), maxThreadBusyMs: r1(m.maxLagMs), queued: m.queued })
    const f = await floorRun()
    floors.push(f.ms)
    floorCpus.push(f.cpuMs)
    out({ figure: 'floor.bareInsert', run: r + 1, ms: r1(f.ms), cpuMs: r1(f.cpuMs) })
    const s = await singleRun()
    singles.push(s)
    out({ figure: 'baseline.singleSends', run: r + 1, msFor: N, ms: r1(s), measuredOn: SINGLE })
  }
  const m = median(many)
  out({
    figure: 'summary',
    sendManyMedianMs: r1(m),
    targetMs: 2000,
    withinTarget: m <= 2000,
    rowsPerSecond: Math.round(N / (m / 1000)),
    cpuMedianMs: r1(median(cpus)),
    maxThreadBusyMedianMs: r1(median(lags)),
    floorCpuMedianMs: r1(median(floorCpus)),
    floorMedianMs: r1(median(floors)),
    vsFloor: r1(m / median(floors)),
    singleSendsMedianMs: r1(median(singles)),
    speedupVsSingles: r1(median(singles) / m),
    loadavg: loadavg().map(r1),
  })
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
