// npm run bench:today — the Today view (overdue + due today, and the sidebar badge count) over 10,000
// tasks, through the engine's dispatch as the renderer calls it. Baseline in the same run: the same list
// queries made to ignore the tasks_open_due_idx index (NOT INDEXED), i.e. a scan of every task.
// Tasks: due from 180 days ago to 180 days ahead, 90 % of the past ones done (a lived-in workspace).
// The screen asks for the first 200 of each group (as src/renderer/src/screens/today does).
// Prints one JSON line per figure (median and p95 of SAMPLES runs). Not a test: targets are reported.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { manualClock } from '../src/main/engine/clock'
import { createEngine } from '../src/main/engine'
import { listTasks } from '../src/main/engine/services/tasks'
import type { Ctx } from '../src/main/engine/context'

const N = Number(process.env.BENCH_TASKS ?? 10_000)
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200)
const DAY = 86_400_000
/** What the Today screen asks for per group (the badge count gives the totals). */
const LIMIT = 200
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'today', ...o }))
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const round = (x: number) => Math.round(x * 1000) / 1000

async function timeAsync(fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn()
  const xs: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now()
    await fn()
    xs.push(performance.now() - t0)
  }
  return { median: round(pct(xs, 50)), p95: round(pct(xs, 95)) }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-today-'))
  const clock = manualClock(Date.parse('2026-12-03T15:00:00Z'))
  const engine = createEngine({ host: 'web', dataDir, testClock: clock, log: () => {}, outbound: { run: false }, inbound: { run: false }, backups: { run: false } })
  const call = async (m: string, input: unknown) => {
    const r = await engine.dispatch(m, input)
    if (!r.ok) throw new Error(`${m}: ${JSON.stringify(r.error)}`)
    return r.value
  }
  await call('objects.create', { name: 'Bench Studio', timezone: 'America/New_York' })
  const user = (await call('users.create', { name: 'Sam', email: 'sam@bench.test' })) as { id: number }
  // 500 contacts, then the tasks in one SQL transaction (creating them through the contract is not what is measured).
  for (let i = 0; i < 500; i++) await call('contacts.create', { email: `p${i}@bench.test`, firstName: `P${i}` })
  const db = new Database(join(dataDir, 'switchboard.db'))
  const now = clock.now()
  const ins = db.prepare(
    'INSERT INTO tasks (title, contact_id, assignee_user_id, due_at, done_at, reminded_at, created_at, updated_at) VALUES (?, (SELECT id FROM contacts ORDER BY id LIMIT 1 OFFSET ?), ?, ?, ?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const due = now - 180 * DAY + Math.floor((i * 360 * DAY) / N) + (i % 7) * 3_600_000
      const done = due < now && i % 10 !== 0 ? due + 3_600_000 : null
      ins.run(`Task ${i}`, i % 500, i % 3 === 0 ? null : user.id, due, done, due < now ? due : null, now - 200 * DAY, now)
    }
  })()
  db.exec('ANALYZE')
  db.close()

  const today = (await call('tasks.list', { due: 'today' })) as { items: unknown[] }
  const overdue = (await call('tasks.list', { due: 'overdue', limit: 1000 })) as { items: unknown[] }
  out({ metric: 'setup', tasks: N, today: today.items.length, overdue: overdue.items.length })

  // What the Today screen asks for on open: overdue, today and the badge count, through dispatch.
  const view = await timeAsync(() => Promise.all([call('tasks.list', { due: 'overdue', limit: LIMIT }), call('tasks.list', { due: 'today', limit: LIMIT }), call('tasks.count', {})]))
  out({ metric: 'today_view_dispatch_ms', ...view, target: 20 })
  // The same list queries in-process on a second connection, indexed and (baseline) not.
  const reader = new Database(join(dataDir, 'switchboard.db'), { readonly: true })
  const benchCtx = { sqlite: reader, clock } as unknown as Ctx
  const parsed = (due: 'overdue' | 'today') => ({ due, status: 'open' as const, limit: LIMIT })
  // Interleaved sample by sample, so both sides see the same load on a shared machine.
  const both = (a: () => unknown, b: () => unknown) => {
    for (let i = 0; i < 5; i++) (a(), b())
    const xa: number[] = []
    const xb: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      let t0 = performance.now()
      a()
      xa.push(performance.now() - t0)
      t0 = performance.now()
      b()
      xb.push(performance.now() - t0)
    }
    return [{ median: round(pct(xa, 50)), p95: round(pct(xa, 95)) }, { median: round(pct(xb, 50)), p95: round(pct(xb, 95)) }] as const
  }
  const lists = (index: boolean) => () => (listTasks(benchCtx, parsed('overdue'), { index }), listTasks(benchCtx, parsed('today'), { index }))
  const [indexed, scan] = both(lists(true), lists(false))
  out({ metric: 'today_lists_indexed_ms', ...indexed })
  out({ metric: 'baseline_today_lists_not_indexed_ms', ...scan, speedup: round(scan.median / indexed.median) })
  const todayOnly = (index: boolean) => () => listTasks(benchCtx, parsed('today'), { index })
  const [ti, ts] = both(todayOnly(true), todayOnly(false))
  out({ metric: 'due_today_list_indexed_ms', ...ti })
  out({ metric: 'baseline_due_today_list_not_indexed_ms', ...ts, speedup: round(ts.median / ti.median) })
  reader.close()
  const badge = await timeAsync(() => call('tasks.count', {}))
  out({ metric: 'badge_count_dispatch_ms', ...badge })
  await engine.close()
  rmSync(dataDir, { recursive: true, force: true })
}

void main()
