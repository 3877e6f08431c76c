// npm run bench:segments — a segment with three conditions (a tag, no mail from them for 30 days, still
// active) over 100,000 contacts: its count (segments.preview, the list's live count) and the contact grid
// filtered by it (contacts.list {segmentId}, first page and a later page), through the engine's dispatch.
// Baselines in the same run: a bare count(*) over the contacts table (the floor of any full pass), and the
// same filter done the naive way (every row read into JS and filtered there).
// Contacts arrive through contacts.import (the real write path, tags included); their last-mail dates are
// then spread over the past year with one UPDATE (standing in for a mail history; 20 % never wrote).
// Prints one JSON line per figure (median and p90 of RUNS). Not a test: targets are reported, never asserted.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { manualClock } from '../src/main/engine/clock'
import { createEngine } from '../src/main/engine'
import { gridSegment } from '../src/main/engine/repos/segmentSql'
import type { Group } from '../src/shared/segments'

const N = Number(process.env.BENCH_CONTACTS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 25)
const TAGS = ['VIP', 'Newsletter', 'Holiday Form', 'Lapsed', 'New client']
const DAY = 86_400_000

const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'segments', ...o }))
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!
const r2 = (x: number) => Math.round(x * 100) / 100

async function time(runs: number, fn: () => Promise<unknown> | unknown): Promise<{ median: number; p90: number }> {
  await fn() // warm: statement and page cache
  const xs: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    xs.push(performance.now() - t0)
  }
  return { median: r2(q(xs, 0.5)), p90: r2(q(xs, 0.9)) }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-seg-'))
  const clock = manualClock(Date.UTC(2026, 11, 1, 12))
  const engine = createEngine({ host: 'web', dataDir, testClock: clock, outbound: { run: false, eventsPollMs: 0 }, inbound: { run: false }, backups: { run: false }, log: () => {} })
  const ok = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await engine.dispatch(method, input)
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
    return r.value as T
  }
  try {
    const obj = await ok<{ id: number }>('objects.create', { name: 'Bench Co' })
    const csv =
      'First Name,Last Name,Email,Company,Tags\n' +
      Array.from({ length: N }, (_, i) => `P${i},Person,person${i}@example${i % 50}.com,Co ${i % 300},${i % 10 === 0 ? `${TAGS[i % 5]};${TAGS[(i + 1) % 5]}` : TAGS[i % 5]}`).join('\n')
    let t0 = performance.now()
    const imported = await ok<{ imported: number }>('contacts.import', { csv, objectId: obj.id })
    out({ metric: 'seed_import', contacts: imported.imported, ms: Math.round(performance.now() - t0) })

    // The engine's own connection is private: a second one (WAL) writes the stand-in mail history.
    const Database = (await import('better-sqlite3')).default
    const side = new Database(join(dataDir, 'switchboard.db'))
    side.prepare(
      `UPDATE contacts SET last_inbound_at = CASE WHEN id % 5 = 0 THEN NULL ELSE ? - ((id * 7919) % 365) * ? END,
                           last_outbound_at = ? - ((id * 104729) % 200) * ?, status = CASE WHEN id % 23 = 0 THEN 'unsubscribed' ELSE 'active' END`,
    ).run(clock.now(), DAY, clock.now(), DAY)
    side.exec('ANALYZE') // what a long-lived workspace would have; the figures without it follow below
    const tags = await ok<Array<{ id: number; name: string; contactCount: number }>>('tags.list', {})
    const vip = tags.find((t) => t.name === 'VIP')!

    const rules = { all: [{ field: 'tag', op: 'has', value: vip.id }, { field: 'lastInboundAt', op: 'before', value: { days: 30 } }, { field: 'status', op: 'is', value: 'active' }] }
    const seg = await ok<{ id: number; count: number }>('segments.create', { name: 'VIP, quiet 30 days, active', objectId: obj.id, rules })
    out({ metric: 'segment_size', tagged: vip.contactCount, matching: seg.count, of: N })

    // Baselines.
    // The floor of counting any condition on every contact: one pass over the narrowest index.
    const floor = await time(RUNS, () => side.prepare("SELECT count(*) FROM contacts WHERE status = 'active'").pluck().get())
    out({ metric: 'baseline_one_pass_narrow_index', ...floor, unit: 'ms' })
    const since = clock.now() - 30 * DAY
    const naive = await time(Math.min(RUNS, 5), () => {
      const tagged = new Set(side.prepare('SELECT contact_id FROM contact_tags WHERE tag_id = ?').pluck().all(vip.id) as number[])
      const rows = side.prepare('SELECT id, status, last_inbound_at AS li FROM contacts').all() as Array<{ id: number; status: string; li: number | null }>
      return rows.filter((r) => tagged.has(r.id) && r.li !== null && r.li < since && r.status === 'active').length
    })
    out({ metric: 'baseline_naive_js_filter', ...naive, unit: 'ms' })

    const counts = await time(RUNS, () => ok('segments.preview', { rules, objectId: obj.id, sampleSize: 0 }))
    out({ metric: 'segment_count', ...counts, unit: 'ms', target_ms: 50 })
    const listed = await time(RUNS, () => ok('segments.list', { objectId: obj.id }))
    out({ metric: 'segments_list_live_count', segments: 1, ...listed, unit: 'ms' })
    const first = await time(RUNS, () => ok('contacts.list', { segmentId: seg.id, limit: 50 }))
    out({ metric: 'segment_grid_first_page', ...first, unit: 'ms', target_ms: 20, note: 'includes the grid total' })
    // A later page: the cursor of page 20.
    let cursor: string | null = null
    for (let i = 0; i < 20; i++) cursor = (await ok<{ nextCursor: string | null }>('contacts.list', { segmentId: seg.id, limit: 50, cursor: cursor ?? undefined })).nextCursor
    const later = await time(RUNS, () => ok('contacts.list', { segmentId: seg.id, limit: 50, cursor: cursor ?? undefined }))
    out({ metric: 'segment_grid_page_21', ...later, unit: 'ms', target_ms: 20 })
    const byDate = await time(RUNS, () => ok('contacts.list', { segmentId: seg.id, limit: 50, sort: { field: 'createdAt', dir: 'desc' } }))
    out({ metric: 'segment_grid_sorted_by_created', ...byDate, unit: 'ms', target_ms: 20 })

    // The page alone (the grid's total aside): the exact statement listContacts runs for a segment page.
    const grid = gridSegment(rules as Group, clock.now(), obj.id)
    const page = side.prepare(`SELECT c.*, c.sort_name AS sort_key FROM contacts c WHERE ${grid.sql} ORDER BY c.sort_name ASC, c.id ASC LIMIT 51`)
    out({ metric: 'segment_page_query_alone', ...(await time(RUNS, () => page.all(...grid.params))), unit: 'ms', target_ms: 20 })
    // The coming flows' inSegment condition: one contact against the segment (its walking form).
    const one = side.prepare(`SELECT 1 FROM contacts c WHERE c.id = ? AND ${grid.sql}`)
    out({ metric: 'contact_in_segment', ...(await time(RUNS, () => one.get(12345, ...grid.params))), unit: 'ms' })

    // Without ANALYZE (a fresh workspace): the planner's defaults.
    side.exec('DROP TABLE IF EXISTS sqlite_stat1')
    side.close()
    await engine.close()
    const again = createEngine({ host: 'web', dataDir, testClock: clock, outbound: { run: false, eventsPollMs: 0 }, inbound: { run: false }, backups: { run: false }, log: () => {} })
    const ok2 = async (method: string, input: unknown) => {
      const r = await again.dispatch(method, input)
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
      return r.value
    }
    out({ metric: 'segment_count_no_analyze', ...(await time(RUNS, () => ok2('segments.preview', { rules, objectId: obj.id, sampleSize: 0 }))), unit: 'ms', target_ms: 50 })
    out({ metric: 'segment_grid_first_page_no_analyze', ...(await time(RUNS, () => ok2('contacts.list', { segmentId: seg.id, limit: 50 }))), unit: 'ms', target_ms: 20 })
    await again.close()
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
