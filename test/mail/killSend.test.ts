// Nothing lost, nothing sent twice: 500 messages, the engine SIGKILLed mid-run 10 times and restarted,
// every message delivered exactly once (counted by Message-ID in the recipient's real mailbox).
// The sender, grace, is a mailbox whose server files Sent copies itself (as Gmail and Outlook do): that
// copy is the evidence reconciliation reads after a crash.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { ensureMailServers, MAIL, messageIds, resetMailbox, waitFor } from './servers'

const TOTAL = 500
const KILLS = 10

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all([resetMailbox('grace'), resetMailbox('heidi')])
}, 600_000)

const spawnChild = (dataDir: string, killAfterSent?: number) =>
  spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'test/outbound/engineProcess.ts', dataDir, ...(killAfterSent ? [String(killAfterSent)] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })

function startChild(dataDir: string): Promise<ChildProcess> {
  const child = spawnChild(dataDir)
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve(child))
    child.once('exit', (code) => reject(new Error(`engine exited early (${code})`)))
  })
}

it(`delivers ${TOTAL} messages exactly once across ${KILLS} SIGKILLs`, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-kill-'))
  const grace = MAIL.users.grace
  const server = (port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: grace.email, password: grace.password })

  // Queue everything first with an in-process engine that does not send, then hand the folder over.
  const setup = freshEngine({ dataDir, outbound: { run: false, undoMs: 0, eventsPollMs: 0 } })
  const object = await setup.ok('objects.create', { name: 'Kill test' })
  const mailbox = await setup.ok('mailboxes.create', { objectId: object.id, email: grace.email, dailyCapacity: 10_000, minGapSeconds: 0, smtp: server(MAIL.ports.smtp), imap: server(MAIL.ports.imap), sentCopy: 'server' })
  const profile = await setup.ok('profiles.create', { objectId: object.id, email: grace.email, displayName: 'Grace', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const queued = new Set<string>()
  for (let i = 0; i < TOTAL; i++) queued.add((await setup.ok('mail.send', { profileId: profile.id, to: [MAIL.users.heidi.email], subject: `Kill ${i}`, html: `<p>${i}</p>` })).messageId)
  await setup.engine.close()

  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true })
  const sentCount = () => (db.prepare("SELECT count(*) AS n FROM outbound_messages WHERE status = 'sent'").get() as { n: number }).n
  const midSend = () => (db.prepare("SELECT count(*) AS n FROM outbound_messages WHERE status = 'sending'").get() as { n: number }).n
  let killedMidSend = 0
  let leftSending = 0
  for (let k = 0; k < KILLS; k++) {
    // Each run dies (SIGKILL, no warning) after a different number of further sends.
    const target = sentCount() + 7 + ((k * 13) % 31)
    const child = spawnChild(dataDir, target)
    await new Promise((r) => child.once('exit', r))
    // Rows still in `sending` after death are the ones the kill caught in the middle of a send.
    const caught = midSend()
    leftSending += caught
    if (caught > 0) killedMidSend++
  }
  const last = await startChild(dataDir)
  await waitFor(() => sentCount() === TOTAL, { timeoutMs: 120_000, intervalMs: 100, message: 'every row sent' })
  last.kill('SIGTERM')
  const events = db.prepare("SELECT type, count(*) AS n FROM message_events WHERE type IN ('reconciled', 'requeued') GROUP BY type").all() as Array<{ type: string; n: number }>
  const reconciled = Object.fromEntries(events.map((e) => [e.type, e.n]))
  db.close()

  const delivered = await waitFor(async () => {
    const got = (await messageIds('heidi')).filter((id) => queued.has(id))
    return got.length >= TOTAL ? got : undefined
  }, { timeoutMs: 60_000, intervalMs: 500 })
  const perId = new Map<string, number>()
  for (const id of delivered) perId.set(id, (perId.get(id) ?? 0) + 1)
  const twice = [...perId.values()].filter((n) => n > 1).length
  console.log(JSON.stringify({ kill_test: { messages: TOTAL, kills: KILLS, killed_mid_send: killedMidSend, rows_caught_mid_send: leftSending, found_in_sent: reconciled.reconciled ?? 0, sent_again: reconciled.requeued ?? 0, delivered: perId.size, duplicates: twice } }))
  expect(perId.size).toBe(TOTAL)
  expect(twice).toBe(0)
  expect(killedMidSend).toBeGreaterThanOrEqual(KILLS / 2)
  // Some of the rows caught mid-send had already left: reconciliation found them instead of resending.
  expect((reconciled.reconciled ?? 0) + (reconciled.requeued ?? 0)).toBeGreaterThan(0)
}, 300_000)
