// Shared setup for the triage and no-CONDSTORE suites: an engine whose mailbox syncs a real Dovecot user.
// Only uma, vera and walt belong to these suites (other files use the other users concurrently).
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { EngineOptions } from '../../src/main/engine'
import { freshEngine, type TestEngine } from '../helpers'
import { MAIL, waitFor, type MailUserName } from './servers'
export { appendMessages, rfc822, serverUid } from './triageMail'

export type TriageUser = Extract<MailUserName, 'uma' | 'vera' | 'walt'>

export async function triageEngine(user: TriageUser, opts: { port?: number; inbound?: EngineOptions['inbound']; dataDir?: string } = {}) {
  const t = freshEngine({
    dataDir: opts.dataDir,
    outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 },
    inbound: { pollMs: 60_000, backoffBaseMs: 200, backoffMaxMs: 2_000, ...opts.inbound },
  })
  const object = await t.ok('objects.create', { name: `Biz of ${user}`, timezone: 'Europe/London' })
  const u = MAIL.users[user]
  const srv = (port: number) => ({ host: MAIL.host, port, secure: 'none' as const, user: u.email, password: u.password })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: u.email,
    displayName: user,
    minGapSeconds: 0,
    smtp: srv(MAIL.ports.smtp),
    imap: srv(opts.port ?? MAIL.ports.imap),
  })
  return { t, object, mailbox }
}

/** Read-only look at the engine's database. */
export function peek<T>(t: TestEngine, sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true })
  try {
    return db.prepare(sql).all(...args) as T[]
  } finally {
    db.close()
  }
}

const run = promisify(execFile)
/** doveadm against one of the test Dovecot instances ('dovecot' = 1143, 'dovecot-nocs' = 1145). */
export async function doveadm(instance: 'dovecot' | 'dovecot-nocs', ...args: string[]): Promise<string> {
  const { stdout } = await run('doveadm', ['-c', join(MAIL.root, 'etc', 'dovecot', `${instance}.conf`), ...args])
  return stdout
}

export async function uidValidity(user: TriageUser, folder: string): Promise<bigint> {
  const out = await doveadm('dovecot', 'mailbox', 'status', '-u', MAIL.users[user].email, 'uidvalidity', folder)
  return BigInt(/uidvalidity=(\d+)/.exec(out)![1])
}

export const waitRows = <T>(t: TestEngine, sql: string, pred: (rows: T[]) => boolean, message: string, timeoutMs = 10_000, ...args: unknown[]) =>
  waitFor(() => {
    const rows = peek<T>(t, sql, ...args)
    return pred(rows) ? rows : null
  }, { timeoutMs, message })
