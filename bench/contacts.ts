// npm run bench:contacts — 100,000 contacts through contacts.import, then contacts.list with search and a
// tag filter, all over the web host's WebSocket (the engine runs in its own process, as in real use).
// Baselines measured in the same run: a bare better-sqlite3 bulk insert of the same rows, a naive
// LIKE scan of the same search, and a no-op RPC round trip (the transport's floor).
// Prints one JSON line per figure. Not a test: targets are reported, never asserted.
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRpcSocket } from '../test/support/rpcSocket'

const N = Number(process.env.BENCH_CONTACTS ?? 100_000)
const SAMPLES = 200
const FIRST = ['Ava', 'Ben', 'Chloe', 'Dan', 'Emma', 'Finn', 'Grace', 'Hugo', 'Isla', 'Jack', 'Kai', 'Lena', 'Mia', 'Noah', 'Olga', 'Pia']
const LAST = ['Nguyen', 'Smith', 'Garcia', 'Kim', 'Patel', 'Rossi', 'Okafor', 'Silva', 'Tanaka', 'Murphy', 'Cohen', 'Dubois', 'Novak']
const COMPANY = ['Glow Studio', 'Harbor Dental', 'Bloom & Co', 'Northwind', 'Pine Salon', 'Acme', '']
const TAGS = ['VIP', 'Newsletter', 'Holiday Form', 'Lapsed', 'New client']

const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'contacts', ...o }))
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const round = (x: number) => Math.round(x * 100) / 100

function makeRows(): string[][] {
  return Array.from({ length: N }, (_, i) => [
    FIRST[i % FIRST.length],
    `${LAST[(i * 7) % LAST.length]}${i % 97 === 0 ? '-Lee' : ''}`,
    `person${i}@example${i % 50}.com`,
    COMPANY[(i * 3) % COMPANY.length],
    `+1 555 ${String(i).padStart(7, '0')}`,
    i % 10 === 0 ? `${TAGS[i % TAGS.length]};${TAGS[(i + 1) % TAGS.length]}` : TAGS[i % TAGS.length],
  ])
}

async function main(): Promise<void> {
  const rows = makeRows()
  const csv = 'First Name,Last Name,Email,Company,Phone,Tags\n' + rows.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n')

  // Baseline 1: the floor for writing these rows — one prepared INSERT in one transaction, no checks.
  const rawDir = mkdtempSync(join(tmpdir(), 'sb-bench-raw-'))
  const raw = new Database(join(rawDir, 'raw.db'))
  raw.pragma('journal_mode = WAL')
  raw.exec('CREATE TABLE c (id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT UNIQUE, company TEXT, phone TEXT, tags TEXT)')
  let t0 = performance.now()
  const ins = raw.prepare('INSERT INTO c (first, last, email, company, phone, tags) VALUES (?, ?, ?, ?, ?, ?)')
  raw.transaction(() => rows.forEach((r) => ins.run(...r)))()
  const rawInsertMs = performance.now() - t0
  out({ metric: 'baseline_raw_sqlite_insert', rows: N, ms: Math.round(rawInsertMs) })

  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-'))
  const token = 'bench'
  const server = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/cli.ts', '--port', '0', '--data-dir', dataDir, '--token', token, '--no-build'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let buf = ''
    server.stdout!.on('data', (d) => {
      buf += String(d)
      const m = buf.match(/127\.0\.0\.1:(\d+)\/\?token/)
      if (m) resolve(Number(m[1]))
    })
    server.once('exit', (c) => reject(new Error(`server exited ${c}`)))
  })
  const socket = await openRpcSocket(port, { token, maxPayload: 512 * 1024 * 1024 })
  const rpc = <T>(method: string, input: unknown): Promise<T> => socket.ok<T>(method, input)

  const obj = await rpc<{ id: number }>('objects.create', { name: 'Bench Co' })
  t0 = performance.now()
  const result = await rpc<{ imported: number; updated: number; errors: unknown[] }>('contacts.import', { csv, objectId: obj.id })
  const importMs = performance.now() - t0
  out({
    metric: 'import',
    rows: N,
    imported: result.imported,
    errors: result.errors.length,
    ms: Math.round(importMs),
    rows_per_s: Math.round((N / importMs) * 1000),
    vs_raw_sqlite: round(importMs / rawInsertMs),
    target_ms: 10_000,
    meets_target: importMs <= 10_000,
  })

  const tags = await rpc<Array<{ id: number; name: string }>>('tags.list', {})
  const vip = tags.find((t) => t.name === 'VIP')!.id
  const terms = ['nguyen', 'glow', 'example7.com', 'person123', 'harbor', 'lee', 'tanaka', 'mia', 'dental', 'person9999']

  // Baseline 2: the transport's floor — a no-op RPC round trip.
  const floor: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    t0 = performance.now()
    await rpc('app.info', {})
    floor.push(performance.now() - t0)
  }
  out({ metric: 'baseline_rpc_roundtrip', p50_ms: round(pct(floor, 50)), p95_ms: round(pct(floor, 95)) })

  const cases: Array<[string, (i: number) => Record<string, unknown>]> = [
    ['list_first_page', () => ({ limit: 100 })],
    ['list_search', (i) => ({ query: terms[i % terms.length], limit: 100 })],
    ['list_tag', () => ({ tagId: vip, limit: 100 })],
    ['list_search_and_tag', (i) => ({ query: terms[i % terms.length], tagId: vip, limit: 100 })],
    ['list_search_sorted_by_email_desc', (i) => ({ query: terms[i % terms.length], sort: { field: 'email', dir: 'desc' }, limit: 100 })],
  ]
  for (const [metric, input] of cases) {
    const times: number[] = []
    let total = 0
    for (let i = 0; i < SAMPLES; i++) {
      t0 = performance.now()
      total = (await rpc<{ total: number }>('contacts.list', input(i))).total
      times.push(performance.now() - t0)
    }
    const p95 = pct(times, 95)
    out({ metric, samples: SAMPLES, last_total: total, p50_ms: round(pct(times, 50)), p95_ms: round(p95), target_p95_ms: 20, meets_target: p95 <= 20 })
  }

  // Baseline 3: a naive in-process LIKE scan with a count, on the bare table (no transport at all).
  const like = raw.prepare("SELECT *, (SELECT count(*) FROM c WHERE first || ' ' || last || ' ' || email || ' ' || company LIKE ?) AS n FROM c WHERE first || ' ' || last || ' ' || email || ' ' || company LIKE ? ORDER BY last LIMIT 100")
  const likeTimes: number[] = []
  for (let i = 0; i < SAMPLES / 4; i++) {
    t0 = performance.now()
    like.all(`%${terms[i % terms.length]}%`, `%${terms[i % terms.length]}%`)
    likeTimes.push(performance.now() - t0)
  }
  out({ metric: 'baseline_naive_like_scan_in_process', p50_ms: round(pct(likeTimes, 50)), p95_ms: round(pct(likeTimes, 95)) })

  socket.close()
  server.kill('SIGTERM')
  raw.close()
  rmSync(rawDir, { recursive: true, force: true })
  rmSync(dataDir, { recursive: true, force: true })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
