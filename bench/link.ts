// npm run bench:link — what linking stored mail to contacts on the write side costs (issue 15: reads no
// longer link). Imports N contacts (half with mail) into a store of M messages, against the same import
// into an empty store (which skips linking) measured in the same run; then linkStoredMail alone per contact.
// Prints one JSON line per figure. Not a test: figures are reported, never asserted.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../src/main/engine'
import { manualClock } from '../src/main/engine/clock'
import type { Ctx } from '../src/main/engine/context'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { createHooks } from '../src/main/engine/hooks'
import { linkStoredMail } from '../src/main/engine/inbound/match'
import { storeMessages } from '../src/main/engine/inbound/store'
import type { ParsedMessage } from '../src/main/engine/inbound/types'

const N = Number(process.env.BENCH_LINK_CONTACTS ?? 20_000)
const M = Number(process.env.BENCH_LINK_MESSAGES ?? 20_000)
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'link', ...o }))

const message = (i: number): ParsedMessage => ({
  uid: i + 1, flags: [], modseq: null, internalDate: 1.7e12 + i, size: 100, messageId: `<m${i}@bench.test>`, inReplyTo: null, references: [],
  subject: `Message ${i}`, date: 1.7e12 + i, from: { name: '', email: `u${i}@client.test` }, to: [{ name: '', email: 'hello@eve.test' }],
  cc: [], replyTo: [], headers: [], text: 'Hello', html: null, attachments: [], dsn: null, parseError: null, raw: null,
})

async function importInto(withMail: boolean): Promise<{ ms: number; linked: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-link-'))
  const clock = manualClock()
  const e = createEngine({ host: 'web', dataDir, testClock: clock, log: () => {}, outbound: { run: false, eventsPollMs: 0, probeMs: 600_000 }, inbound: { run: false }, backups: { run: false } })
  const ok = async <T>(m: string, i: unknown): Promise<T> => {
    const r = await e.dispatch(m, i)
    if (!r.ok) throw new Error(`${m}: ${JSON.stringify(r.error)}`)
    return r.value as T
  }
  const obj = await ok<{ id: number }>('objects.create', { name: 'Biz', postalAddress: '1 Main St', timezone: 'UTC' })
  const mb = await ok<{ id: number }>('mailboxes.create', { objectId: obj.id, email: 'hello@eve.test', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'u', password: 'p' } })
  // The sync workers' store, on a second connection (as test/inboxFixtures.ts does).
  const { sqlite, db } = openDatabase(join(dataDir, 'switchboard.db'), findMigrationsDir())
  if (withMail) {
    const ctx = { db, sqlite, clock, info: { version: 'bench', host: 'web', dataDir }, hooks: createHooks(), emit: () => {} } as unknown as Ctx
    for (let s = 0; s < M; s += 500) storeMessages(ctx, { mailboxId: mb.id, folder: 'INBOX', folderRole: 'inbox', uidValidity: 1n }, Array.from({ length: Math.min(500, M - s) }, (_, k) => message(s + k)))
  }
  const csv = ['email,first name', ...Array.from({ length: N }, (_, i) => `${i % 2 ? 'v' : 'u'}${i}@client.test,C${i}`)].join('\n')
  const t0 = performance.now()
  await ok('contacts.import', { csv, objectId: obj.id })
  const ms = performance.now() - t0
  const linked = sqlite.prepare('SELECT count(*) FROM message_contacts').pluck().get() as number
  sqlite.close()
  await e.close()
  rmSync(dataDir, { recursive: true, force: true })
  return { ms, linked }
}

async function main() {
  const base = await importInto(false)
  out({ metric: 'baseline_import_empty_store', contacts: N, ms: Math.round(base.ms) })
  const withMail = await importInto(true)
  out({ metric: 'import_linking_stored_mail', contacts: N, messages: M, linked: withMail.linked, ms: Math.round(withMail.ms), vs_baseline: +(withMail.ms / base.ms).toFixed(2) })

  // linkStoredMail alone, per contact, in one transaction.
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-link-'))
  const { sqlite, db } = openDatabase(join(dir, 'x.db'), findMigrationsDir())
  const ctx = { db, sqlite, clock: manualClock(), info: { version: 'bench', host: 'web', dataDir: dir }, hooks: createHooks(), emit: () => {} } as unknown as Ctx
  sqlite.prepare("INSERT INTO objects (name, created_at, updated_at) VALUES ('A', 1, 1)").run()
  sqlite
    .prepare("INSERT INTO mailboxes (object_id, email, smtp_host, smtp_port, smtp_security, smtp_user, smtp_password_sealed, created_at, updated_at) VALUES (1, 'hello@eve.test', 'h', 1, 'none', 'u', 'x', 1, 1)")
    .run()
  for (let s = 0; s < M; s += 500) storeMessages(ctx, { mailboxId: 1, folder: 'INBOX', folderRole: 'inbox', uidValidity: 1n }, Array.from({ length: Math.min(500, M - s) }, (_, k) => message(s + k)))
  const ins = sqlite.prepare("INSERT INTO contacts (primary_object_id, email, first_name, last_name, created_at, updated_at) VALUES (1, ?, '', '', 1, 1)")
  const ids = Array.from({ length: N }, (_, i) => Number(ins.run(`${i % 2 ? 'v' : 'u'}${i}@client.test`).lastInsertRowid))
  const t0 = performance.now()
  let linked = 0
  sqlite.transaction(() => {
    for (const id of ids) linked += linkStoredMail(ctx, id)
  })()
  out({ metric: 'link_stored_mail_per_contact', contacts: N, messages: M, linked, us: +(((performance.now() - t0) * 1000) / N).toFixed(1) })
  sqlite.close()
  rmSync(dir, { recursive: true, force: true })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
