// Shared setup for the inbox sync suites: an engine whose mailbox syncs a real Dovecot user.
// Only ivan, judy and kim belong to these suites (other files use the other users concurrently).
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { EngineOptions } from '../../src/main/engine'
import type { SyncStatus } from '../../src/shared/inbox'
import { freshEngine, type TestEngine } from '../helpers'
import { MAIL, waitFor, type MailUserName } from './servers'

export type InboxUser = Extract<MailUserName, 'ivan' | 'judy' | 'kim'>

export const server = (user: MailUserName, port: number, password?: string) => ({
  host: MAIL.host,
  port,
  secure: 'none' as const,
  user: MAIL.users[user].email,
  password: password ?? MAIL.users[user].password,
})

export async function syncedEngine(
  user: InboxUser,
  opts: { password?: string; pollMs?: number; backoffBaseMs?: number; inbound?: EngineOptions['inbound'] } = {},
) {
  const t = freshEngine({
    outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 },
    inbound: { pollMs: opts.pollMs ?? 60_000, backoffBaseMs: opts.backoffBaseMs ?? 200, backoffMaxMs: 2_000, ...opts.inbound },
  })
  const object = await t.ok('objects.create', { name: `Biz of ${user}`, timezone: 'Europe/London' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users[user].email,
    displayName: user,
    minGapSeconds: 0,
    smtp: server(user, MAIL.ports.smtp),
    imap: server(user, MAIL.ports.imap, opts.password),
  })
  return { t, object, mailbox }
}

export async function status(t: TestEngine, mailboxId: number): Promise<SyncStatus> {
  const s = (await t.ok('sync.status', {})).find((x) => x.mailboxId === mailboxId)
  if (!s) throw new Error(`no sync status for mailbox ${mailboxId}`)
  return s
}

export const waitState = (t: TestEngine, mailboxId: number, state: SyncStatus['state'], timeoutMs = 15_000) =>
  waitFor(async () => (await status(t, mailboxId)).state === state, { timeoutMs, message: `sync state ${state}` })

/** Read-only look at the engine's database, for what no method exposes (raw sources, folder state). */
export function peek<T>(t: TestEngine, sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true })
  try {
    return db.prepare(sql).all(...args) as T[]
  } finally {
    db.close()
  }
}

const run = promisify(execFile)
/** doveadm against the test Dovecot (the script runs it as root here). */
export async function doveadm(...args: string[]): Promise<string> {
  const { stdout } = await run('doveadm', ['-c', join(MAIL.root, 'etc', 'dovecot', 'dovecot.conf'), ...args])
  return stdout
}

export async function uidValidity(user: InboxUser, folder: string): Promise<bigint> {
  const out = await doveadm('mailbox', 'status', '-u', MAIL.users[user].email, 'uidvalidity', folder)
  return BigInt(/uidvalidity=(\d+)/.exec(out)![1])
}

/** A raw message: the header lines given, then a plain-text body, or that text and a small PDF attached. */
export function rawWithPdf(head: string[], text: string, pdf: { filename: string; content: string } | null): string {
  if (!pdf) return [...head, 'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n')
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '--b1',
    `Content-Type: application/pdf; name="${pdf.filename}"`,
    `Content-Disposition: attachment; filename="${pdf.filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(pdf.content).toString('base64'),
    '--b1--',
    '',
  ].join('\r\n')
}

