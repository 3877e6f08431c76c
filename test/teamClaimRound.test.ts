// The claim round (team/claims.ts) on real PostgreSQL: it reaches claims only through probes of the primary key,
// even on a table PostgreSQL has no statistics for yet (a new workspace, a first push of thousands of rows),
// where `row_id = ANY(...)` made it read every claim; and two desktops asking for the same rows at once split
// them, never sharing one.
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLAIMED_TABLE, claimQuery, claimWindow, warmClaimConnection } from '../src/main/engine/team/claims'
import { stepClaimQuery } from '../src/main/engine/team/stepClaims'
import { freshDatabase } from './teamSetup'

const ROWS = 20_000
let url = ''
const clients: pg.Client[] = []
const client = async () => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  clients.push(c)
  return c
}

beforeAll(async () => {
  url = (await freshDatabase()).url
  const c = await client()
  for (const file of ['0000_init', '0001_ops_notify', '0002_claims'])
    for (const stmt of readFileSync(`resources/pg-migrations/${file}.sql`, 'utf8').split('--> statement-breakpoint')) await c.query(stmt)
  await c.query(`INSERT INTO claims (tbl, row_id, device_id, state) SELECT $1, g, 0, 'released' FROM generate_series(1, $2::int) g`, [CLAIMED_TABLE, ROWS])
})
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined)
})

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Cond'?: string
  'Index Name'?: string
  'Actual Rows'?: number
  'Actual Loops'?: number
  Plans?: PlanNode[]
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)]
/** A read of the claims primary key (a bitmap index scan names only the index). */
const onClaimsIndex = (n: PlanNode) => n['Index Cond'] !== undefined && (n['Relation Name'] === 'claims' || (n['Index Name'] ?? '').startsWith('claims_'))

/** The plan of a round, run (and rolled back) on a claims table PostgreSQL has no statistics for. */
async function planOf(q: { text: string; values: unknown[] }): Promise<PlanNode[]> {
  const c = await client()
  const stats = await c.query(`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'claims'`)
  expect(stats.rows[0].n).toBe(0) // the case that went wrong: nothing analysed yet
  await c.query('BEGIN')
  const r = await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.text}`, q.values)
  await c.query('ROLLBACK')
  return nodes((r.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0]!.Plan)
}

describe('the claim round', () => {
  it('probes the primary key for each wanted row, with no statistics on the table', async () => {
    const want = Array.from({ length: 144 }, (_, i) => 10_001 + i)
    const plan = await planOf(claimQuery([CLAIMED_TABLE, want, 7, 16, 600_000]))
    const onClaims = plan.filter((n) => n['Relation Name'] === 'claims' && /Scan/.test(n['Node Type']))
    expect(onClaims.length).toBeGreaterThan(0)
    if (process.env.SHOW_PLAN) console.log(JSON.stringify(plan.map((n) => [n['Node Type'], n['Relation Name'], n['Index Cond'], n['Actual Rows'], n['Actual Loops']])))
    // Every index read names the row (never the table name alone, which is every claim).
    for (const n of plan.filter(onClaimsIndex)) expect(n['Index Cond']).toMatch(/row_id = /)
    // Rows read from claims in all: the 16 taken, the 144 checked for a missing claim, the 16 updated.
    const read = onClaims.reduce((a, n) => a + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1), 0)
    expect(read).toBeLessThan(400)
  })

  it('the step round (stepClaims.ts) too: each key is probed, never the whole table', async () => {
    const keys = Array.from({ length: 32 }, (_, i) => ({ tbl: i % 2 ? CLAIMED_TABLE : 'step:sequence', rowId: 5_001 + i }))
    const plan = await planOf(stepClaimQuery([keys.map((k) => k.tbl), keys.map((k) => k.rowId), 7, 600_000]))
    for (const n of plan.filter(onClaimsIndex)) expect(n['Index Cond']).toMatch(/row_id = /)
    const read = plan.filter((n) => n['Relation Name'] === 'claims' && /Scan/.test(n['Node Type'])).reduce((a, n) => a + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1), 0)
    expect(read).toBeLessThan(200)
  })

  it('splits rows between two desktops asking at once, and locks only what it takes', async () => {
    const a = await client()
    const b = await client()
    const want = Array.from({ length: 100 }, (_, i) => 1 + i)
    // A holds its round open (its transaction not yet committed) while B asks for the same rows.
    await a.query('BEGIN')
    const wonA = (await a.query<{ row_id: string }>(claimQuery([CLAIMED_TABLE, want, 1, 16, 600_000]))).rows.map((x) => Number(x.row_id))
    const wonB = (await b.query<{ row_id: string }>(claimQuery([CLAIMED_TABLE, want, 2, 16, 600_000]))).rows.map((x) => Number(x.row_id))
    await a.query('COMMIT')
    expect(wonA).toEqual(want.slice(0, 16))
    // B skipped A's 16 locked rows and took the next 16, not more: the rest stay open for others.
    expect(wonB).toEqual(want.slice(16, 32))
    const held = await a.query(`SELECT device_id, count(*)::int AS n FROM claims WHERE row_id <= 100 AND state = 'leased' GROUP BY device_id ORDER BY device_id`)
    expect(held.rows).toEqual([
      { device_id: 1, n: 16 },
      { device_id: 2, n: 16 },
    ])
  })

  it('desktops seeing the same due rows ask for different windows of them; one desktop alone reaches every row', () => {
    const due = Array.from({ length: 144 }, (_, i) => 1_000 + i)
    const w1 = claimWindow(due, 1, 16)
    const w2 = claimWindow(due, 2, 16)
    expect(w1).toHaveLength(32)
    expect([...w1].sort((x, y) => x - y)).toEqual(w1) // ascending: rounds lock rows in one order
    expect(w1.filter((id) => w2.includes(id))).toHaveLength(16) // they overlap by one batch at most, not 32
    expect(claimWindow(due, 4, 16).filter((id) => w1.includes(id))).toEqual([])
    // A window past the end of the list wraps to its head.
    expect(claimWindow(due, 8, 16)).toEqual([...due.slice(128), ...due.slice(0, 16)].sort((x, y) => x - y))
    // Fewer rows than a window: all of them.
    expect(claimWindow(due.slice(0, 20), 5, 16)).toEqual(due.slice(0, 20))
    // Alone, taking its batch each round from what is still due: every row is taken, none twice.
    let left = [...due]
    const taken: number[] = []
    while (left.length) {
      const got = claimWindow(left, 3, 16).slice(0, 16)
      taken.push(...got)
      left = left.filter((id) => !got.includes(id))
    }
    expect(taken.sort((x, y) => x - y)).toEqual(due)
  })

  it('a claims connection is readied before its first round: one generic plan, and the empty round takes nothing', async () => {
    const c = await client()
    await warmClaimConnection(c, 11, 600_000)
    expect((await c.query('SHOW plan_cache_mode')).rows[0].plan_cache_mode).toBe('force_generic_plan')
    const prepared = await c.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'team-claim-round'`)
    expect(prepared.rows).toEqual([{ generic_plans: '1', custom_plans: '0' }])
    expect((await c.query(`SELECT count(*)::int AS n FROM claims WHERE device_id = 11`)).rows[0].n).toBe(0)
  })

  it('inserts the claim of a shared row that has none, first desktop wins', async () => {
    const a = await client()
    const fresh = [ROWS + 1, ROWS + 2]
    const wonA = (await a.query<{ row_id: string }>(claimQuery([CLAIMED_TABLE, fresh, 3, 16, 600_000]))).rows.map((x) => Number(x.row_id))
    const wonB = (await a.query<{ row_id: string }>(claimQuery([CLAIMED_TABLE, fresh, 4, 16, 600_000]))).rows.map((x) => Number(x.row_id))
    expect(wonA.sort()).toEqual(fresh)
    expect(wonB).toEqual([])
  })
})
