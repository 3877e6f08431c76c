// npm run bench:rights — a person's export and erase (issue 18) on a contact with 10,000 messages (one in fifty
// with a 20 KB attachment) in a workspace that also holds other people's mail and one backup snapshot.
// Targets: export ≤ 2 s, erase ≤ 1 s (the erase includes re-taking the backup, the FTS merge and the WAL
// checkpoint). Both erases (the contract call, and the same person's erase arriving from another desktop of a
// team workspace) report the engine thread's longest stall: the work runs in slices (services/eraseWork.ts).
// BENCH_RIGHTS_OTHERS=100000 measures them on a big store. Baselines in the same run: reading and serialising the same mail without a zip (export), and an
// ordinary contacts.delete of the same contact (erase). The export also reports the engine thread's longest
// stall (a 1 ms timer's lateness). Medians of 3 fresh workspaces; this machine is shared, so the load average is
// printed beside them. Prints JSON lines. Not a test: figures are reported, never asserted.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type Engine } from '../src/main/engine'
import { manualClock } from '../src/main/engine/clock'
import type { Ctx } from '../src/main/engine/context'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { createHooks } from '../src/main/engine/hooks'
import { storeMessages } from '../src/main/engine/inbound/store'
import type { ParsedMessage } from '../src/main/engine/inbound/types'
import { messagePage } from '../src/main/engine/repos/contactExport'
import { ensureEraseSalt, erasedKey, erasedMessageKey, markErasePending, type MessagePlace } from '../src/main/engine/repos/dataRights'
import { createHash } from 'node:crypto'

const N = Number(process.env.BENCH_RIGHTS_MESSAGES ?? 10_000)
const OTHERS = Number(process.env.BENCH_RIGHTS_OTHERS ?? 5_000)
const RUNS = Number(process.env.BENCH_RIGHTS_RUNS ?? 3)
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'rights', ...o }))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const load = () => loadavg().map((x) => +x.toFixed(2))

const PERSON = 'ava.bench@client.test'
const file = Buffer.alloc(20_000, 7)
const sha = createHash('sha256').update(file).digest('hex')
const message = (i: number, from: string, withFile: boolean): ParsedMessage => ({
  uid: i + 1, flags: ['\\Seen'], modseq: null, internalDate: 1.7e12 + i * 60_000, size: 2000, messageId: `<m${i}@bench.test>`, inReplyTo: null, references: [],
  subject: `Booking question ${i}`, date: 1.7e12 + i * 60_000, from: { name: 'Ava Bench', email: from }, to: [{ name: 'Eve', email: 'hello@eve.test' }],
  cc: [], replyTo: [], headers: [], text: `Hello, this is message ${i}. `.repeat(20), html: null,
  attachments: withFile ? [{ filename: `scan-${i}.pdf`, contentType: 'application/pdf', size: file.length, sha256: sha, contentId: null, inline: false, content: file }] : [],
  dsn: null, parseError: null, raw: null,
})

interface Workspace {
  e: Engine
  dataDir: string
  contactId: number
  ok<T>(m: string, i: unknown): Promise<T>
  close(): Promise<void>
  ctx: Ctx
}

async function workspace(): Promise<Workspace> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-rights-'))
  const clock = manualClock()
  const e = createEngine({ host: 'web', dataDir, testClock: clock, log: () => {}, outbound: { run: false, eventsPollMs: 0, probeMs: 600_000 }, inbound: { run: false }, backups: { run: false } })
  const ok = async <T>(m: string, i: unknown): Promise<T> => {
    const r = await e.dispatch(m, i)
    if (!r.ok) throw new Error(`${m}: ${JSON.stringify(r.error)}`)
    return r.value as T
  }
  const obj = await ok<{ id: number }>('objects.create', { name: 'Biz', postalAddress: '1 Main St', timezone: 'UTC' })
  const mb = await ok<{ id: number }>('mailboxes.create', { objectId: obj.id, email: 'hello@eve.test', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'u', password: 'p' } })
  const c = await ok<{ id: number }>('contacts.create', { email: PERSON, firstName: 'Ava', lastName: 'Bench', primaryObjectId: obj.id })
  const { sqlite, db } = openDatabase(join(dataDir, 'switchboard.db'), findMigrationsDir())
  const ctx = { db, sqlite, clock, info: { version: 'bench', host: 'web', dataDir }, hooks: createHooks(), emit: () => {} } as unknown as Ctx
  const ref = { mailboxId: mb.id, folder: 'INBOX', folderRole: 'inbox' as const, uidValidity: 1n }
  for (let s = 0; s < N + OTHERS; s += 500)
    storeMessages(ctx, ref, Array.from({ length: Math.min(500, N + OTHERS - s) }, (_, k) => s + k).map((i) => (i < N ? message(i, PERSON, i % 50 === 0) : message(i, `other${i}@client.test`, false))))
  await e.backups.create('manual')
  return {
    e, dataDir, contactId: c.id, ok, ctx,
    close: async () => {
      sqlite.close()
      await e.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Runs `fn` while a 1 ms timer measures how long the thread is away at a stretch. */
async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; maxStallMs: number }> {
  let last = performance.now()
  let maxStall = 0
  const tick = setInterval(() => {
    const now = performance.now()
    maxStall = Math.max(maxStall, now - last - 1)
    last = now
  }, 1)
  const t0 = performance.now()
  await fn()
  const ms = performance.now() - t0
  clearInterval(tick)
  maxStall = Math.max(maxStall, performance.now() - last - 1)
  return { ms, maxStallMs: maxStall }
}

async function main() {
  out({ metric: 'setup', messages: N, otherMessages: OTHERS, attachmentsEvery: 50, runs: RUNS, loadavg: load() })
  const rows: Record<string, number[]> = { baselineRead: [], exportMs: [], exportStall: [], baselineDelete: [], eraseMs: [], eraseStall: [], arrivedMs: [], arrivedStall: [], bytes: [] }
  for (let run = 0; run < RUNS; run++) {
    const w = await workspace()
    // Baseline: the same mail read and serialised, no zip, no files.
    const base = await timed(async () => {
      let after = 0
      let bytes = 0
      for (;;) {
        const page = messagePage(w.ctx, w.contactId, after, 250)
        if (!page.length) break
        after = page.at(-1)!.id
        for (const m of page) bytes += JSON.stringify(m).length
      }
      return bytes
    })
    rows.baselineRead!.push(base.ms)
    const ex = await timed(() => w.ok<{ bytes: number; messages: number }>('contacts.export', { id: w.contactId }).then((r) => rows.bytes!.push(r.bytes)))
    rows.exportMs!.push(ex.ms)
    rows.exportStall!.push(ex.maxStallMs)
    const er = await timed(() => w.ok('contacts.erase', { id: w.contactId }))
    rows.eraseMs!.push(er.ms)
    rows.eraseStall!.push(er.maxStallMs)
    await w.close()
    // Baseline for the erase: an ordinary delete of the same contact in a fresh copy of the workspace.
    const w2 = await workspace()
    const del = await timed(() => w2.ok('contacts.delete', { ids: [w2.contactId] }))
    rows.baselineDelete!.push(del.ms)
    await w2.close()
    // The same person erased on another desktop of a team workspace: what its apply leaves (their messages' keys,
    // their block, the mark), then the engine's own work, from the hook the apply fires to the end of the tidy.
    const w3 = await workspace()
    w3.ctx.sqlite.transaction(() => {
      const salt = ensureEraseSalt(w3.ctx)
      const places = w3.ctx.sqlite.prepare('SELECT message_id AS messageId, mailbox_id AS mailboxId, folder, uidvalidity, uid FROM messages WHERE from_email = ?').all(PERSON) as MessagePlace[]
      for (const m of places) w3.ctx.sqlite.prepare('INSERT OR IGNORE INTO erased_messages (key, created_at) VALUES (?, 0)').run(erasedMessageKey(salt, m))
      w3.ctx.sqlite.prepare("INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (NULL, ?, 'erased', 0)").run(erasedKey(salt, PERSON))
      markErasePending(w3.ctx.sqlite, true)
    })()
    const arrived = await timed(async () => {
      w3.e.hooks.emit('team.erasedMessages', { keys: new Set(), blocks: [] })
      await w3.e.erases.idle()
    })
    rows.arrivedMs!.push(arrived.ms)
    rows.arrivedStall!.push(arrived.maxStallMs)
    await w3.close()
    out({
      metric: 'run',
      run: run + 1,
      baselineReadMs: Math.round(base.ms),
      exportMs: Math.round(ex.ms),
      exportMaxStallMs: Math.round(ex.maxStallMs),
      eraseMs: Math.round(er.ms),
      eraseMaxStallMs: Math.round(er.maxStallMs),
      arrivedEraseMs: Math.round(arrived.ms),
      arrivedMaxStallMs: Math.round(arrived.maxStallMs),
      baselineDeleteMs: Math.round(del.ms),
      loadavg: load(),
    })
  }
  out({ metric: 'baseline_read_serialise', messages: N, medianMs: Math.round(median(rows.baselineRead!)) })
  out({ metric: 'export', messages: N, medianMs: Math.round(median(rows.exportMs!)), targetMs: 2000, zipBytes: median(rows.bytes!), maxStallMs: Math.round(median(rows.exportStall!)), vs_baseline: +(median(rows.exportMs!) / median(rows.baselineRead!)).toFixed(2) })
  out({ metric: 'baseline_contacts_delete', messages: N, medianMs: Math.round(median(rows.baselineDelete!)) })
  out({ metric: 'erase', messages: N, otherMessages: OTHERS, medianMs: Math.round(median(rows.eraseMs!)), targetMs: 1000, maxStallMs: Math.round(median(rows.eraseStall!)), vs_baseline: +(median(rows.eraseMs!) / median(rows.baselineDelete!)).toFixed(2), loadavg: load() })
  out({ metric: 'erase_arrived', what: 'the same erase arriving from another desktop', messages: N, otherMessages: OTHERS, medianMs: Math.round(median(rows.arrivedMs!)), maxStallMs: Math.round(median(rows.arrivedStall!)), loadavg: load() })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
