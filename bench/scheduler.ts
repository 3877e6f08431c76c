// npm run bench:scheduler — the automation and outbox scheduler's hot paths on this machine:
//   1. enrol 100,000 contacts into a 5-step sequence (sequences.enroll through dispatch)   target ≤ 3 s
//   2. with 1,000,000 outbound rows, claim a due batch of 100 (the scheduler's claim query, and the
//      whole claim — claimDue, as the scheduler runs it: lanes checked, the due rows' sequence sending
//      windows checked in their contacts' zones, capacity reserved, rows moved to 'sending' with their
//      events and hooks, in one transaction)                                                 target ≤ 5 ms p99
//   3. a scheduler tick with nothing due (the real loop: wake → transaction → arm → idle), and the
//      automation runner's turn with nothing due                                            target ≤ 1 ms
// Baselines in the same run: a bare SQLite insert of the same 100,000 enrolment rows, and the same
// "due batch" query over a bare 1,000,000-row table with a plain index. One JSON line per figure.
// Not a test: targets are reported beside each figure, never asserted.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type Engine } from '../src/main/engine'
import { manualClock } from '../src/main/engine/clock'
import type { Ctx } from '../src/main/engine/context'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { startCheckpointer } from '../src/main/engine/db/checkpointer'
import { createHooks } from '../src/main/engine/hooks'
import { wireAutomationHooks } from '../src/main/engine/services/automation'
import { queueMessage } from '../src/main/engine/services/outbox'
import { claimDue, dueRows, readClaimed, type ClaimEnv } from '../src/main/engine/outbound/claim'
import { netMonitor } from '../src/main/engine/outbound/netMonitor'
import { smtpSender } from '../src/main/engine/outbound/smtp'
import { mailgunSender } from '../src/main/engine/outbound/mailgunSender'
import { materializeDue, windowsAllow } from '../src/main/engine/automation/sequenceRun'

const CONTACTS = Number(process.env.BENCH_ENROL ?? 100_000)
const OUTBOUND = Number(process.env.BENCH_OUTBOUND ?? 1_000_000)
const SAMPLES = 300
const T0 = Date.UTC(2026, 0, 5, 9)

const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'scheduler', ...o }))
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const r2 = (x: number) => Math.round(x * 1000) / 1000

async function call(engine: Engine, method: string, input: unknown): Promise<any> {
  const r = await engine.dispatch(method, input)
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
  return r.value
}

function newEngine(dataDir: string, clock = manualClock(T0), run = false): Engine {
  return createEngine({ host: 'web', dataDir, testClock: clock, log: () => {}, outbound: { run, undoMs: 0, probeMs: 3_600_000, eventsPollMs: 0 } })
}

async function business(engine: Engine, mailboxes: number) {
  const object = await call(engine, 'objects.create', { name: 'Bench Biz', postalAddress: '1 Bench Rd', timezone: 'UTC' })
  const boxes: number[] = []
  const profiles: number[] = []
  for (let i = 0; i < mailboxes; i++) {
    const m = await call(engine, 'mailboxes.create', {
      objectId: object.id,
      email: `box${i}@bench.test`,
      dailyCapacity: 100_000,
      minGapSeconds: 0,
      smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: `box${i}`, password: 'pw' },
    })
    const p = await call(engine, 'profiles.create', { objectId: object.id, email: `box${i}@bench.test`, displayName: `Box ${i}`, transport: { kind: 'smtp', mailboxId: m.id } })
    boxes.push(m.id)
    profiles.push(p.id)
  }
  return { objectId: object.id as number, boxes, profiles }
}

async function enrolBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-enrol-'))
  try {
    let engine = newEngine(dir)
    const biz = await business(engine, 3)
    const tag = await call(engine, 'tags.create', { name: 'Leads' })
    await engine.close()
    // 100,000 contacts and their tag, written straight into the file (setup, not measured).
    const db = new Database(join(dir, 'switchboard.db'))
    db.pragma('journal_mode = WAL')
    db.transaction(() => {
      const ins = db.prepare("INSERT INTO contacts (primary_object_id, email, first_name, sort_name, created_at, updated_at) VALUES (?, ?, 'P', ?, ?, ?)")
      const tagIns = db.prepare('INSERT INTO contact_tags (tag_id, contact_id, created_at) VALUES (?, ?, ?)')
      for (let i = 0; i < CONTACTS; i++) {
        const id = Number(ins.run(biz.objectId, `p${i}@client.test`, `p${i}`, T0, T0).lastInsertRowid)
        tagIns.run(tag.id, id, T0)
      }
    })()
    const ids = (db.prepare('SELECT id FROM contacts ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id)
    db.close()

    engine = newEngine(dir)
    const steps = Array.from({ length: 5 }, (_, i) => ({ subject: `Step ${i + 1} {{contact.first_name}}`, bodyHtml: `<p>Hello {{contact.first_name}}, note ${i + 1}</p>`, wait: { value: i === 0 ? 0 : 2, unit: 'days' } }))
    const s1 = await call(engine, 'sequences.create', { name: 'Five steps A', objectId: biz.objectId, steps, mailboxIds: biz.boxes })
    const s2 = await call(engine, 'sequences.create', { name: 'Five steps B', objectId: biz.objectId, steps, mailboxIds: biz.boxes })
    let t = performance.now()
    const byTag = await call(engine, 'sequences.enroll', { sequenceId: s1.id, tagId: tag.id })
    const tagMs = performance.now() - t
    out({ metric: 'enroll_by_tag', contacts: byTag.enrolled, steps: 5, ms: Math.round(tagMs), target_ms: 3000, ok: tagMs <= 3000 && byTag.enrolled === CONTACTS })
    t = performance.now()
    const byIds = await call(engine, 'sequences.enroll', { sequenceId: s2.id, contactIds: ids })
    const idsMs = performance.now() - t
    out({ metric: 'enroll_by_ids', contacts: byIds.enrolled, steps: 5, ms: Math.round(idsMs), target_ms: 3000, ok: idsMs <= 3000 && byIds.enrolled === CONTACTS, note: `includes zod parsing of ${CONTACTS} ids` })
    t = performance.now()
    const again = await call(engine, 'sequences.enroll', { sequenceId: s1.id, tagId: tag.id })
    out({ metric: 'enroll_again_idempotent', alreadyEnrolled: again.alreadyEnrolled, enrolled: again.enrolled, ms: Math.round(performance.now() - t) })
    await engine.close()
    // Turning due step 1s into outbound rows (render, footer, text part, queue), for scale: no target.
    {
      const { sqlite, db: drz } = openDatabase(join(dir, 'switchboard.db'), findMigrationsDir())
      const ctx = { db: drz, sqlite, clock: manualClock(T0), hooks: createHooks(), emit: () => {} } as unknown as Ctx
      wireAutomationHooks(ctx)
      t = performance.now()
      const n = materializeDue(ctx, queueMessage, 5000)
      const ms = performance.now() - t
      out({ metric: 'materialize_due_steps', rows: n, ms: Math.round(ms), per_second: Math.round((n / ms) * 1000) })
      sqlite.close()
    }

    // Baseline: the same 100,000 enrolment rows with one prepared INSERT in one transaction, no checks.
    const raw = new Database(join(dir, 'raw.db'))
    raw.pragma('journal_mode = WAL')
    raw.exec('CREATE TABLE sc (id INTEGER PRIMARY KEY, sequence_id INT, contact_id INT, status TEXT, current_step INT, next_step_at INT, mailbox_id INT, enrolled_at INT, updated_at INT, UNIQUE (sequence_id, contact_id))')
    t = performance.now()
    const ins = raw.prepare("INSERT INTO sc (sequence_id, contact_id, status, current_step, next_step_at, mailbox_id, enrolled_at, updated_at) VALUES (1, ?, 'active', 1, ?, ?, ?, ?)")
    raw.transaction(() => ids.forEach((id, i) => ins.run(id, T0, i % 3, T0, T0)))()
    out({ metric: 'baseline_raw_sqlite_enrol_insert', rows: ids.length, ms: Math.round(performance.now() - t) })
    raw.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function outboxBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-outbox-'))
  try {
    let engine = newEngine(dir)
    const biz = await business(engine, 20)
    // The due rows are sequence steps with a sending window (open at the claim's time), so the claim does
    // the window check a real sequence row costs: its sequence, its contact's time zone, the local time.
    const steps = [{ subject: 'Step 1', bodyHtml: '<p>Hi</p>', wait: { value: 0, unit: 'days' } }]
    const window = { days: [0, 1, 2, 3, 4, 5, 6], startHour: 0, endHour: 24 }
    const seq = await call(engine, 'sequences.create', { name: 'Windowed', objectId: biz.objectId, steps, mailboxIds: biz.boxes, window })
    await engine.close()
    // 1,000,000 rows: 989,000 sent, 10,000 scheduled for later, 1,000 due at T0 + 1 h across 20 mailboxes.
    const db = new Database(join(dir, 'switchboard.db'))
    db.pragma('journal_mode = WAL')
    let t = performance.now()
    db.transaction(() => {
      const ins = db.prepare(
        `INSERT INTO outbound_messages (object_id, profile_id, mailbox_id, contact_id, transport, message_id, from_email, to_json, subject, html, text, source, status,
           scheduled_for, next_attempt_at, sent_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'smtp', ?, 'box@bench.test', '["x@client.test"]', 'Hello', '<p>Hi</p>', 'Hi', 'sequence', ?, ?, ?, ?, ?, ?)`,
      )
      const contact = db.prepare("INSERT INTO contacts (primary_object_id, email, first_name, sort_name, timezone, created_at, updated_at) VALUES (?, ?, 'P', ?, ?, ?, ?)")
      const enrolled = db.prepare("INSERT INTO sequence_contacts (sequence_id, contact_id, status, current_step, enrolled_at, updated_at) VALUES (?, ?, 'active', 1, ?, ?)")
      const link = db.prepare('INSERT INTO sequence_messages (sequence_id, sequence_contact_id, step_position, outbound_id, created_at) VALUES (?, ?, 1, ?, ?)')
      const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', null]
      for (let i = 0; i < OUTBOUND; i++) {
        const box = i % 20
        const kind = i < OUTBOUND - 11_000 ? 'sent' : i < OUTBOUND - 1_000 ? 'later' : 'due'
        const next = kind === 'sent' ? null : kind === 'later' ? T0 + 86_400_000 + i : T0 + 3_600_000
        let contactId: number | null = null
        if (kind === 'due') contactId = Number(contact.run(biz.objectId, `due${i}@client.test`, `due${i}`, zones[i % zones.length], T0, T0).lastInsertRowid)
        const id = ins.run(biz.objectId, biz.profiles[box], biz.boxes[box], contactId, `<b${i}@bench.test>`, kind === 'sent' ? 'sent' : 'queued', T0 - i, next, kind === 'sent' ? T0 - i : null, T0 - i, T0 - i).lastInsertRowid
        if (contactId !== null) link.run(seq.id, enrolled.run(seq.id, contactId, T0, T0).lastInsertRowid, id, T0)
      }
    })()
    db.close()
    out({ metric: 'setup_outbound_rows', rows: OUTBOUND, ms: Math.round(performance.now() - t) })

    // The claim, on its own connection with the engine's hooks wired (as in the scheduler's transaction).
    const { sqlite, db: drz } = openDatabase(join(dir, 'switchboard.db'), findMigrationsDir())
    const clock = manualClock(T0 + 2 * 3_600_000)
    // BENCH_CACHE_KIB: try a larger page cache than SQLite's 2 MB default (the engine does not set one).
    if (process.env.BENCH_CACHE_KIB) sqlite.pragma(`cache_size = -${Number(process.env.BENCH_CACHE_KIB)}`)
    const ctx = { db: drz, sqlite, clock, hooks: createHooks(), emit: () => {} } as unknown as Ctx
    wireAutomationHooks(ctx)
    // As the engine runs it: WAL checkpoints on their own thread, not inside a claim's commit.
    const checkpointer = startCheckpointer(sqlite)
    const now = clock.now()
    const net = netMonitor(clock, { probeMs: 3_600_000, onChange: () => {} })
    const env: ClaimEnv = {
      owner: 'bench',
      leaseMs: 300_000,
      perMailbox: 100, // the 100 due rows span 20 mailboxes: the batch is bounded by the slots, not the lanes
      inFlight: new Map(),
      senders: { smtp: smtpSender(ctx), mailgun: mailgunSender(ctx) },
      net,
      sendWindows: (rows, at) => windowsAllow(ctx, rows, at),
      retry: { backoffMs: [60_000], rateLimitBackoffMs: [300_000], random: Math.random },
    }
    const q: number[] = []
    const whole: number[] = []
    const read: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      let s = performance.now()
      const due = dueRows(ctx, now, 100)
      q.push(performance.now() - s)
      if (due.length !== 100) throw new Error(`expected 100 due rows, got ${due.length}`)
      s = performance.now()
      const claimed = sqlite.transaction(() => claimDue(ctx, env, now, 100)).immediate()
      whole.push(performance.now() - s)
      s = performance.now()
      const rows = readClaimed(ctx, claimed.ids)
      read.push(performance.now() - s)
      if (rows.length !== 100 || rows.some((r) => r.status !== 'sending' || !r.html)) throw new Error(`claimed ${rows.length} rows, wanted 100 full rows in sending`)
      // Put them back (not measured): the same rows are due again for the next sample.
      sqlite.transaction(() => {
        sqlite.prepare("UPDATE outbound_messages SET status = 'queued', attempts = 0, lease_owner = NULL, lease_until = NULL, capacity_day = NULL WHERE status = 'sending'").run()
        sqlite.prepare("DELETE FROM message_events WHERE type = 'sending'").run()
        sqlite.prepare('DELETE FROM mailbox_daily_counts').run()
      })()
    }
    net.close()
    await checkpointer.close()
    out({ metric: 'claim_query_due_100', rows: OUTBOUND, p50_ms: r2(pct(q, 50)), p99_ms: r2(pct(q, 99)), target_p99_ms: 5, ok: pct(q, 99) <= 5 })
    out({ metric: 'claim_batch_100_to_sending', rows: OUTBOUND, p50_ms: r2(pct(whole, 50)), p99_ms: r2(pct(whole, 99)), target_p99_ms: 5, ok: pct(whole, 99) <= 5, note: 'claimDue as the scheduler runs it: due query, lane and window checks, capacity reserved, rows leased to sending with their events and hooks; one committed transaction' })
    out({ metric: 'read_claimed_100_for_sending', rows: OUTBOUND, p50_ms: r2(pct(read, 50)), p99_ms: r2(pct(read, 99)), note: 'after the commit: the 100 claimed rows in full (bodies), as the sender gets them; no target of its own' })
    sqlite.close()

    // Baseline: the same due-batch query over a bare 1,000,000-row table with a plain composite index.
    const raw = new Database(join(dir, 'raw.db'))
    raw.pragma('journal_mode = WAL')
    raw.exec('CREATE TABLE o (id INTEGER PRIMARY KEY, status TEXT, next_attempt_at INT, mailbox_id INT); CREATE INDEX o_due ON o (status, next_attempt_at, id)')
    raw.transaction(() => {
      const ins = raw.prepare('INSERT INTO o (status, next_attempt_at, mailbox_id) VALUES (?, ?, ?)')
      for (let i = 0; i < OUTBOUND; i++) {
        const kind = i < OUTBOUND - 11_000 ? 'sent' : i < OUTBOUND - 1_000 ? 'later' : 'due'
        ins.run(kind === 'sent' ? 'sent' : 'queued', kind === 'sent' ? null : kind === 'later' ? T0 + 86_400_000 + i : T0 + 3_600_000, i % 20)
      }
    })()
    const rq = raw.prepare("SELECT id, mailbox_id FROM o WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 100")
    const bq: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const s = performance.now()
      rq.all(now)
      bq.push(performance.now() - s)
    }
    out({ metric: 'baseline_raw_sqlite_due_query_100', rows: OUTBOUND, p50_ms: r2(pct(bq, 50)), p99_ms: r2(pct(bq, 99)) })
    raw.close()

    // A tick of the real scheduler loop with nothing due (the clock sits before every queued row).
    engine = createEngine({ host: 'web', dataDir: dir, testClock: manualClock(T0), log: () => {}, outbound: { undoMs: 0, probeMs: 3_600_000, eventsPollMs: 0 } })
    await engine.outbound.scheduler.idle()
    const ticks: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const s = performance.now()
      await engine.outbound.scheduler.idle()
      ticks.push(performance.now() - s)
    }
    out({ metric: 'scheduler_tick_nothing_due', rows: OUTBOUND, p50_ms: r2(pct(ticks, 50)), p99_ms: r2(pct(ticks, 99)), target_ms: 1, ok: pct(ticks, 50) <= 1, note: 'wake → setImmediate → one transaction (record, timed holds, claim) → arm → idle' })
    const turns: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const s = performance.now()
      engine.automation.runDue()
      turns.push(performance.now() - s)
    }
    out({ metric: 'automation_turn_nothing_due', p50_ms: r2(pct(turns, 50)), p99_ms: r2(pct(turns, 99)), target_ms: 1, ok: pct(turns, 50) <= 1 })
    await engine.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY
  if (!only || only === 'enrol') await enrolBench()
  if (!only || only === 'outbox') await outboxBench()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
