// npm run bench:open — opening a message in the reading pane, the way the renderer does it: threads.get then
// messages.get over the web host's WebSocket. A message with a 10 MB attachment against a small message
// (the baseline, same run, same engine). Target: ≤ 150 ms for the reading pane; the attachment's bytes are
// not loaded until asked for (attachments.content). Also checks that messages.get never touches the file:
// it answers the same with the file moved out of the store. Prints JSON lines.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openRpcSocket } from '../test/support/rpcSocket'
import { createEngine } from '../src/main/engine'
import type { Ctx } from '../src/main/engine/context'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { createHooks } from '../src/main/engine/hooks'
import { attachmentPath } from '../src/main/engine/inbound/attachmentFiles'
import { storeMessages } from '../src/main/engine/inbound/store'
import type { ParsedMessage } from '../src/main/engine/inbound/types'
import { startWebHost } from '../src/server/webHost'

const RUNS = Number(process.env.BENCH_RUNS ?? 60)
const BIG = 10 * 1024 * 1024
const line = (o: Record<string, unknown>) => console.log(JSON.stringify(o))
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return +s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!.toFixed(2)
}

function parsed(uid: number, subject: string, attachment: Buffer | null): ParsedMessage {
  const date = Date.UTC(2026, 10, 2, 9, 0, uid)
  const text = `Hello,\n\n${'Here is the paragraph you asked about. '.repeat(20)}\n\nBest,\nAnn`
  return {
    uid,
    flags: [],
    modseq: null,
    internalDate: date,
    size: 2000 + (attachment?.length ?? 0),
    messageId: `<open-${uid}@client.test>`,
    inReplyTo: null,
    references: [],
    subject,
    date,
    from: { name: 'Ann Client', email: 'ann@client.test' },
    to: [{ name: 'Desk', email: 'desk@bench.test' }],
    cc: [],
    replyTo: [],
    headers: [['subject', subject]],
    text,
    html: `<p>${text.replace(/\n/g, '<br>')}</p>`,
    attachments: attachment
      ? [{ filename: 'survey-scans.pdf', contentType: 'application/pdf', size: attachment.length, sha256: createHash('sha256').update(attachment).digest('hex'), contentId: null, inline: false, content: attachment }]
      : [],
    dsn: null,
    parseError: null,
    raw: null,
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-open-'))
  const engine = createEngine({ host: 'web', dataDir, log: () => {}, outbound: { run: false, eventsPollMs: 0, probeMs: 3_600_000 } })
  const host = await startWebHost({ engine, token: 'bench', staticDir: resolve('out/renderer'), port: 0 })
  const socket = await openRpcSocket(host.port, { token: 'bench', headers: { Origin: host.url.replace(/\/\?.*$/, '').replace(/\/$/, '') } })
  /** One round trip; returns the value and the size of the reply on the wire. */
  const rpc = async <T>(method: string, input: unknown): Promise<{ value: T; bytes: number }> => {
    const res = await socket.call<T>(method, input)
    if (!res.ok) throw new Error(`${method}: ${JSON.stringify(res.error)}`)
    return { value: res.value, bytes: res.bytes }
  }

  const object = (await rpc<{ id: number }>('objects.create', { name: 'Bench Biz', timezone: 'UTC' })).value
  const mailbox = (await rpc<{ id: number }>('mailboxes.create', { objectId: object.id, email: 'desk@bench.test', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'u', password: 'p' } })).value

  // Store both messages the way the sync does (files written to the content-hash store first).
  const { sqlite, db } = openDatabase(join(dataDir, 'switchboard.db'), findMigrationsDir())
  const ctx = { db, sqlite, clock: { now: () => Date.now() }, info: { version: 'bench', host: 'web', dataDir }, hooks: createHooks(), emit: () => {} } as unknown as Ctx
  const big = randomBytes(BIG)
  storeMessages(ctx, { mailboxId: mailbox.id, folder: 'INBOX', folderRole: 'inbox', uidValidity: 1n }, [parsed(1, 'Small note', null), parsed(2, 'Survey scans (10 MB)', big)])
  const ids = sqlite.prepare('SELECT id, thread_id AS threadId, subject FROM messages ORDER BY id').all() as Array<{ id: number; threadId: number; subject: string }>
  sqlite.close()

  /** What the reading pane waits for before it can draw: the thread, then the open message's detail. */
  const open = async (m: { id: number; threadId: number }) => {
    const t0 = performance.now()
    await rpc('threads.get', { id: m.threadId })
    const detail = await rpc<{ attachments: Array<{ size: number }> }>('messages.get', { id: m.id })
    return { ms: performance.now() - t0, bytes: detail.bytes, attachments: detail.value.attachments }
  }

  for (const m of ids) for (let i = 0; i < 5; i++) await open(m) // warm-up
  const results: Record<string, number[]> = { small: [], big: [] }
  let bytes: Record<string, number> = {}
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so a slow moment of the machine hits both alike.
    for (const [name, m] of [['small', ids[0]!], ['big', ids[1]!]] as const) {
      const r = await open(m)
      results[name]!.push(r.ms)
      bytes[name] = r.bytes
    }
  }
  line({ bench: 'open', case: 'baseline: small message', runs: RUNS, p50Ms: pct(results.small!, 50), p95Ms: pct(results.small!, 95), replyBytes: bytes.small })
  line({ bench: 'open', case: 'message with a 10 MB attachment', runs: RUNS, p50Ms: pct(results.big!, 50), p95Ms: pct(results.big!, 95), replyBytes: bytes.big, targetMs: 150, withinTarget: pct(results.big!, 95) <= 150 })

  // messages.get must not read the file: it answers the same with the file gone from the store.
  const before = await rpc<unknown>('messages.get', { id: ids[1]!.id })
  const sha = createHash('sha256').update(big).digest('hex')
  const file = attachmentPath(dataDir, sha)
  renameSync(file, `${file}.away`)
  const without = await rpc<unknown>('messages.get', { id: ids[1]!.id })
  renameSync(`${file}.away`, file)
  line({ bench: 'open', check: 'messages.get reads no attachment bytes', sameWithoutTheFile: JSON.stringify(before.value) === JSON.stringify(without.value) })

  // Asked for: the download itself, for scale.
  const t0 = performance.now()
  const content = await rpc<{ base64: string }>('attachments.content', { id: (await rpc<{ attachments: Array<{ id: number }> }>('messages.get', { id: ids[1]!.id })).value.attachments[0]!.id })
  line({ bench: 'open', case: 'attachments.content of the 10 MB file (on request only)', ms: +(performance.now() - t0).toFixed(1), replyBytes: content.bytes })

  socket.close()
  await host.close()
  await engine.close()
  rmSync(dataDir, { recursive: true, force: true })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
