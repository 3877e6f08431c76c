// npm run bench:team-claims — sending once across desktops (issue 22): ten connections, as ten desktops' claim
// books, take 5,000 open outbox claims with the claim book's own statement (claimQuery, team/claims.ts), each
// seeing the first 144 rows still due (the scheduler's look-ahead), asking for the claim book's window of them
// (claimWindow) on a connection readied as the book readies its own (warmClaimConnection), not asking again for a
// second what a short round lost (lostRetryMs), and marking what it won done, as its outcome's push does
// (claimWriteQuery).                                  targets: 0 duplicates, claim round p99 ≤ 20 ms
// Baselines in the same run, on the same connections: a bare `SELECT 1` round trip, once when each connection
// opens and every fifth round among the claims; and, every fifth round, a bare one-row UPDATE committed on its own
// (a commit's WAL flush under the same load: what any claim, which must be durable before its mail leaves, pays
// at least). One JSON line per figure.
// Real PostgreSQL (scripts/pg.sh, started when not running), a fresh database dropped afterwards.
// Not a test: targets are reported beside each figure, never asserted.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { CLAIMED_TABLE, claimQuery, claimWindow, claimWriteQuery, warmClaimConnection } from '../src/main/engine/team/claims'

const ENGINES = Number(process.env.BENCH_ENGINES ?? 10)
const ROWS = Number(process.env.BENCH_ROWS ?? 5000)
const LOOKAHEAD = 144
const BATCH = 16
/** The claim book's lostRetryMs (claims.ts default). */
const LOST_RETRY_MS = 1000

const pct = (a: number[], q: number) => {
  const s = [...a].sort((x, y) => x - y)
  return +s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2)
}

async function main(): Promise<void> {
  execFileSync('bash', ['scripts/pg.sh', 'start'], { stdio: ['ignore', 'ignore', 'inherit'] })
  const base = /PG_URL=(\S+)/.exec(execFileSync('bash', ['scripts/pg.sh', 'env'], { encoding: 'utf8' }))![1]
  const name = `sb_bench_claims_${Date.now()}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  const u = new URL(base)
  u.pathname = `/${name}`
  const url = u.toString()
  try {
    const setup = new pg.Client({ connectionString: url })
    await setup.connect()
    for (const stmt of readFileSync('resources/pg-migrations/0002_claims.sql', 'utf8').split('--> statement-breakpoint')) await setup.query(stmt)
    await setup.query('CREATE TABLE bench_commit (id int PRIMARY KEY, n int NOT NULL)')
    await setup.query('INSERT INTO bench_commit SELECT g, 0 FROM generate_series(1, $1::int) g', [ENGINES])
    await setup.query(`INSERT INTO claims (tbl, row_id, device_id, state) SELECT $1, g, 0, 'released' FROM generate_series(1, $2::int) g`, [CLAIMED_TABLE, ROWS])
    await setup.end()

    const ids = Array.from({ length: ROWS }, (_, i) => i + 1)
    const seen = new Set<number>() // what every desktop has heard is no longer due (the pull, idealised)
    const winner = new Map<number, number>()
    let duplicates = 0
    const rounds: number[] = []
    const baseline: number[] = []
    const during: number[] = []
    const commits: number[] = []
    const warmups: number[] = []
    const desk = async (device: number) => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      // As the claim book readies its connection when it opens it, before any mail is due (timed apart).
      const w = performance.now()
      await warmClaimConnection(c, device, 600_000)
      warmups.push(performance.now() - w)
      for (let i = 0; i < 30; i++) {
        const t = performance.now()
        await c.query('SELECT 1')
        baseline.push(performance.now() - t)
      }
      // As the claim book (claimRounds.ts): rows a short round did not win are someone else's, not asked for again
      // before LOST_RETRY_MS.
      const retryAt = new Map<number, number>()
      for (;;) {
        const now = performance.now()
        const unseen = ids.filter((id) => !seen.has(id))
        if (!unseen.length) break
        // Of the rows it sees due, a round asks for the window the claim book would (claimWindow).
        const want = claimWindow(unseen.filter((id) => (retryAt.get(id) ?? 0) <= now).slice(0, LOOKAHEAD), device, BATCH)
        if (!want.length) {
          // All it sees due was lost a moment ago: its scheduler's next turn.
          await new Promise((r2) => setTimeout(r2, 5))
          continue
        }
        const t = performance.now()
        const r = await c.query<{ row_id: string }>(claimQuery([CLAIMED_TABLE, want, device, BATCH, 600_000]))
        rounds.push(performance.now() - t)
        if (rounds.length % 5 === 0) {
          const s1 = performance.now()
          await c.query('SELECT 1')
          during.push(performance.now() - s1)
          const w1 = performance.now()
          await c.query({ name: 'bench-commit', text: 'UPDATE bench_commit SET n = n + 1 WHERE id = $1', values: [device] })
          commits.push(performance.now() - w1)
        }
        const got = r.rows.map((x) => Number(x.row_id))
        for (const id of got) {
          if (winner.has(id)) duplicates++
          winner.set(id, device)
        }
        // The outcome's push, with the statement the claim book writes it with.
        if (got.length) await c.query(claimWriteQuery(device, 600_000, got.map((rowId) => ({ rowId, state: 'done' as const, outcome: 'sent' }))))
        for (const id of got) seen.add(id)
        if (got.length < BATCH) for (const id of want) if (!got.includes(id)) retryAt.set(id, performance.now() + LOST_RETRY_MS)
        // Nothing free among what it sees: the others hold them; it hears of their outcome a moment later.
        if (!got.length) await new Promise((r2) => setTimeout(r2, 5))
      }
      await c.end()
    }
    const started = performance.now()
    await Promise.all(Array.from({ length: ENGINES }, (_, i) => desk(i + 1)))
    const ms = performance.now() - started
    const per = [...new Set(winner.values())].map((d) => [...winner.values()].filter((x) => x === d).length)
    const line = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'team-claims', ...o }))
    line({ figure: 'duplicates', value: duplicates, target: 0, claimed: winner.size, rows: ROWS, engines: ENGINES, perEngineMin: Math.min(...per), perEngineMax: Math.max(...per) })
    line({ figure: 'claim_round_ms', p50: pct(rounds, 0.5), p99: pct(rounds, 0.99), rounds: rounds.length, target_p99: 20 })
    line({ figure: 'connection_warmup_ms', max: pct(warmups, 1), note: 'once per claims connection, when it opens (warmClaimConnection), not in claim_round_ms' })
    line({ figure: 'baseline_select1_ms', p50: pct(baseline, 0.5), p99: pct(baseline, 0.99), note: 'when each connection opens' })
    line({ figure: 'baseline_select1_during_ms', p50: pct(during, 0.5), p99: pct(during, 0.99), samples: during.length, note: 'every fifth round, among the claims' })
    line({ figure: 'baseline_commit_ms', p50: pct(commits, 0.5), p99: pct(commits, 0.99), samples: commits.length, note: 'a one-row UPDATE committed on its own, every fifth round' })
    line({ figure: 'claims_per_s', value: Math.round((winner.size / ms) * 1000) })
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
}

void main().catch((e) => {
  console.error(e)
  process.exit(1)
})
