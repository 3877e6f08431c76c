// npm run bench:triage — triage of 500 selected conversations against the real Dovecot (issue 20 targets):
// (a) archive: messages.move of 500 threads, the local change visible (the call returns and inbox.list no
//     longer shows them; target <= 100 ms) and on the server (all 500 in Archive, none in INBOX; <= 3 s);
// (b) star: messages.flag of the same 500, local and on the server;
// (c) baselines in the same run: a bare SQLite UPDATE of 500 rows' folder, and a raw imapflow UID MOVE of
//     the 500 back to INBOX on its own connection (the floor for the server side).
// Uses mail user walt (BENCH_TRIAGE_USER to change; the `bench` user keeps bench:sync's 10,000 messages).
// One JSON line per figure with its target; targets are reported, never asserted.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { ImapFlow } from 'imapflow'
import { createEngine } from '../src/main/engine'
import { ensureMailServers, MAIL, mailUser, resetMailbox } from '../test/mail/servers'

const N = Number(process.env.BENCH_TRIAGE ?? 500)
const USER = mailUser(process.env.BENCH_TRIAGE_USER ?? 'walt')
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'triage', ...o }))
const verdict = (value: number, target: number) => (value <= target ? 'pass' : 'fail')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const imap = () =>
  new ImapFlow({ host: MAIL.host, port: MAIL.ports.imap, secure: false, doSTARTTLS: false, auth: { user: USER.email, pass: USER.password }, logger: false, disableAutoIdle: true })

async function seed(): Promise<void> {
  await resetMailbox(USER, { deleteFolders: true })
  const c = imap()
  await c.connect()
  const now = Date.now()
  for (let i = 0; i < N; i++) {
    const raw = [
      `From: Sender ${i} <sender${i}@client.test>`,
      `To: ${USER.email}`,
      `Subject: Triage bench ${i}`,
      `Message-ID: <triage-bench-${i}-${now}@client.test>`,
      `Date: ${new Date(now - i * 60_000).toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Conversation ${i} of the triage benchmark.`,
      '',
    ].join('\r\n')
    await c.append('INBOX', raw)
  }
  await c.logout()
}

/** Polls the server (own connection) until `done` holds; returns the ms from `t0`. */
async function serverUntil(t0: number, done: (c: ImapFlow) => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const c = imap()
  await c.connect()
  try {
    for (;;) {
      if (await done(c)) return performance.now() - t0
      if (performance.now() - t0 > timeoutMs) return Number.POSITIVE_INFINITY
      await sleep(20)
    }
  } finally {
    await c.logout()
  }
}

async function count(c: ImapFlow, path: string): Promise<number> {
  const st = await c.status(path, { messages: true }).catch(() => null)
  return st ? (st.messages ?? 0) : 0
}

async function main(): Promise<void> {
  await ensureMailServers()
  await seed()
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-triage-'))
  const engine = createEngine({ host: 'web', dataDir, log: () => undefined, outbound: { run: false } })
  const call = async (method: string, input: unknown) => {
    const r = await engine.dispatch(method, input)
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
    return r.value as never
  }
  try {
    const object = (await call('objects.create', { name: 'Triage bench', timezone: 'UTC' })) as { id: number }
    const server = (port: number) => ({ host: MAIL.host, port, secure: 'none', user: USER.email, password: USER.password })
    const mailbox = (await call('mailboxes.create', { objectId: object.id, email: USER.email, displayName: 'Bench', minGapSeconds: 0, smtp: server(MAIL.ports.smtp), imap: server(MAIL.ports.imap) })) as { id: number }
    const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true })
    const stored = () => (db.prepare('SELECT count(*) AS n FROM messages WHERE mailbox_id = ?').get(mailbox.id) as { n: number }).n
    for (let i = 0; stored() < N && i < 600; i++) await sleep(100)
    await engine.inbound.sync.syncNow(mailbox.id)
    const threadIds = (db.prepare('SELECT DISTINCT thread_id AS t FROM messages WHERE mailbox_id = ?').pluck().all(mailbox.id) as number[]).slice(0, N)
    out({ figure: 'setup', messages: stored(), threads: threadIds.length })

    // (a) archive 500
    let t0 = performance.now()
    const moved = (await call('messages.move', { threadIds, to: 'archive' })) as { changed: number }
    const callMs = performance.now() - t0
    const page = (await call('inbox.list', { limit: 50 })) as { threads: unknown[] }
    const localMs = performance.now() - t0
    out({ figure: 'archive_local_ms', value: round(localMs), call_ms: round(callMs), moved: moved.changed, inbox_left: page.threads.length, target: 100, result: verdict(localMs, 100) })
    const serverMs = await serverUntil(t0, async (c) => (await count(c, 'INBOX')) === 0 && (await count(c, 'Archive')) === N)
    out({ figure: 'archive_server_ms', value: round(serverMs), target: 3000, result: verdict(serverMs, 3000) })
    for (let i = 0; i < 300 && (db.prepare('SELECT count(*) AS n FROM pending_moves').get() as { n: number }).n > 0; i++) await sleep(20)

    // (b) star 500 (now in Archive)
    t0 = performance.now()
    await call('messages.flag', { threadIds, flagged: true })
    const starLocal = performance.now() - t0
    out({ figure: 'star_local_ms', value: round(starLocal), target: 100, result: verdict(starLocal, 100) })
    const starServer = await serverUntil(t0, async (c) => {
      await c.mailboxOpen('Archive', { readOnly: true })
      return ((await c.search({ flagged: true }, { uid: true })) || []).length === N
    })
    out({ figure: 'star_server_ms', value: round(starServer), target: 3000, result: verdict(starServer, 3000) })
    await engine.close()

    // (c) baselines: the same local change as one bare UPDATE, and the same server move on a raw connection.
    const rw = new Database(join(dataDir, 'switchboard.db'))
    t0 = performance.now()
    rw.transaction(() => rw.prepare("UPDATE messages SET folder = 'INBOX' WHERE thread_id IN (SELECT value FROM json_each(?))").run(JSON.stringify(threadIds)))()
    out({ figure: 'baseline_sqlite_update_ms', value: round(performance.now() - t0, 2), rows: N })
    rw.close()
    const c = imap()
    await c.connect()
    await c.mailboxOpen('Archive')
    t0 = performance.now()
    await c.messageMove('1:*', 'INBOX', { uid: true })
    out({ figure: 'baseline_raw_uid_move_ms', value: round(performance.now() - t0), messages: N })
    await c.logout()
    db.close()
  } finally {
    await engine.close().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (e) => (console.error(e), process.exit(1)),
)
