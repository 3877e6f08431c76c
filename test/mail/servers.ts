// Real Postfix + Dovecot on 127.0.0.1 for integration tests, e2e specs and benchmarks.
// The servers are run by scripts/mailservers.sh (Debian: installs the packages with apt on first
// use, needs root or passwordless sudo). `npm test` starts them before vitest; a test that runs on
// its own calls ensureMailServers() in beforeAll (give that hook a generous timeout: the first
// start may apt-install packages).
//
// PARALLELISM — vitest runs test files in parallel workers against the SAME servers:
//   * Give every test file its own user (MAIL.users has seventy-three) or at least its own folder, and
//     only resetMailbox() the users your file owns. Identify your messages by Message-ID
//     (messageIds / fetchMessages) instead of counting a whole INBOX.
//     Taken so far: test/mailservers.test.ts sends alice -> bob and only looks for its own
//     Message-IDs (never resets anyone).
//   * stopSmtp() takes Postfix down for EVERY worker. Keep the outage short; other files that
//     send mail during it see ECONNREFUSED. ensureMailServers() in another worker notices the
//     deliberate outage (marker file) and waits for startSmtp() rather than restarting Postfix.
//
// Delivery is asynchronous (Postfix -> LMTP -> Dovecot, typically well under a second): poll with
// waitFor(). Message-IDs are returned as in the header, with angle brackets ("<x@y>"), which is
// also what nodemailer's info.messageId looks like.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { ImapFlow, type FetchMessageObject, type MessageAddressObject } from 'imapflow'
import nodemailer from 'nodemailer'

// alice..heidi: outbound tests; ivan..mia: inbox sync; nina..rosa: automation; bench: benchmarks;
// sam..hal: hardening and daily-mail tests (each test file takes its own).
const USER_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'kim', 'leo', 'mia', 'nina', 'oscar', 'paul', 'quinn', 'rosa', 'bench', 'sam', 'tara', 'uma', 'vera', 'walt', 'xena', 'yara', 'zoe', 'abe', 'bea', 'cal', 'dan', 'eve', 'fay', 'gus', 'hal', 'ian', 'jen', 'ken', 'lou', 'max', 'ned', 'ola', 'pat', 'rex', 'sue', 'ted', 'una', 'val', 'wyn', 'yul', 'zed', 'amy', 'ben', 'cid', 'dee', 'fox', 'gil', 'hop', 'ivy', 'jay', 'kit', 'lim', 'moe', 'nat', 'opi', 'pru', 'quy', 'rae', 'sid', 'tom', 'ulf', 'vic', 'wes'] as const
export type MailUserName = (typeof USER_NAMES)[number]
export interface MailUser {
  name: MailUserName
  email: string
  password: string
}

const DOMAIN = 'example.test'
// same default as the script (${TMPDIR:-/tmp}/switchboard-mail; os.tmpdir() would also look at TMP/TEMP)
const ROOT = process.env.MAIL_ROOT || join((process.env.TMPDIR || '/tmp').replace(/(.)\/+$/, '$1'), 'switchboard-mail')

export const MAIL = {
  host: '127.0.0.1',
  domain: DOMAIN,
  ports: {
    /** plain IMAP, no STARTTLS */
    imap: 1143,
    /** implicit-TLS IMAP, self-signed (MAIL.caFile) */
    imaps: 1993,
    /** IMAP with STARTTLS required */
    imapStarttls: 1144,
    /** plain IMAP of a Dovecot that advertises no CONDSTORE/QRESYNC, IDLE, MOVE or LIST-STATUS (an old server such as Courier) */
    imapNoCondstore: 1145,
    /** SMTP with AUTH PLAIN/LOGIN, no STARTTLS */
    smtp: 2525,
    /** implicit-TLS SMTP with AUTH */
    smtps: 4650,
    /** Dovecot LMTP, no auth (direct delivery) */
    lmtp: 2424,
  },
  /** <name>@example.test, password "<name>-pw" */
  users: Object.fromEntries(
    USER_NAMES.map((name) => [name, { name, email: `${name}@${DOMAIN}`, password: `${name}-pw` }]),
  ) as Record<MailUserName, MailUser>,
  userNames: USER_NAMES,
  /** everything the script writes: config, logs, Maildirs (root-owned, mail owned by vmail) */
  root: ROOT,
  maildirs: join(ROOT, 'mail'),
  /** self-signed certificate of the IMAPS / STARTTLS / SMTPS ports */
  caFile: join(ROOT, 'etc', 'tls', 'cert.pem'),
} as const

// From the repo root (vitest, Playwright and the benches all run there); import.meta is not available
// when Playwright loads this file as CommonJS.
const SCRIPT = resolve(process.cwd(), 'scripts/mailservers.sh')
const SMTP_STOPPED_MARK = join(ROOT, 'run', 'smtp-stopped')

type UserRef = MailUserName | MailUser | string

/** A user by name ("bob"), address ("bob@example.test") or object. */
export function mailUser(user: UserRef): MailUser {
  if (typeof user !== 'string') return user
  const name = user.includes('@') ? user.slice(0, user.indexOf('@')) : user
  const u = (MAIL.users as Record<string, MailUser>)[name]
  if (!u || (user.includes('@') && user.toLowerCase() !== u.email)) {
    throw new Error(`unknown mail user ${user} (known: ${USER_NAMES.join(', ')})`)
  }
  return u
}

// ------------------------------------------------------------------ polling

import { waitFor } from '../support/waitFor'
export { waitFor, type WaitForOptions, type Truthy } from '../support/waitFor'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePort) => {
    const s = connect({ host: MAIL.host, port })
    const done = (ok: boolean) => {
      s.destroy()
      resolvePort(ok)
    }
    s.setTimeout(timeoutMs, () => done(false))
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}

// ------------------------------------------------------------------ server lifecycle

function runScript(args: string[], timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(
      'bash',
      [SCRIPT, ...args],
      { env: { ...process.env, MAIL_ROOT: ROOT, ...extraEnv }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolveRun(stdout)
        const tail = `${stderr}`.trim().split('\n').slice(-20).join('\n')
        reject(new Error(`scripts/mailservers.sh ${args.join(' ')} failed (${err.message.split('\n')[0]})\n${tail}`))
      },
    )
  })
}

/** When did stop-smtp deliberately take Postfix down (ms epoch), if it did. */
function smtpStoppedAt(): number | undefined {
  if (!existsSync(SMTP_STOPPED_MARK)) return undefined
  try {
    const s = Number(readFileSync(SMTP_STOPPED_MARK, 'utf8').trim())
    return Number.isFinite(s) ? s * 1000 : Date.now()
  } catch {
    return undefined
  }
}

let ensuring: Promise<void> | undefined

/**
 * Returns once SMTP (2525) and IMAP (1143) accept connections, starting the servers with
 * scripts/mailservers.sh start if needed (may apt-install on first use: allow minutes).
 * Throws with the tail of the script's stderr when that fails.
 */
export function ensureMailServers(): Promise<void> {
  ensuring ??= doEnsure().finally(() => {
    ensuring = undefined
  })
  return ensuring
}

async function doEnsure(): Promise<void> {
  const up = async () => (await portOpen(MAIL.ports.smtp)) && (await portOpen(MAIL.ports.imap))
  if (await up()) return
  // Another test file is simulating an SMTP outage: give it up to 60 s to call startSmtp().
  const stoppedAt = smtpStoppedAt()
  if (stoppedAt !== undefined && (await portOpen(MAIL.ports.imap))) {
    const left = stoppedAt + 60_000 - Date.now()
    if (left > 0) {
      try {
        await waitFor(up, { timeoutMs: left, intervalMs: 200 })
        return
      } catch {
        /* outage outlived its test: restart below */
      }
    }
  }
  await runScript(['start'], 20 * 60_000)
  await waitFor(up, { timeoutMs: 15_000, intervalMs: 100, message: 'SMTP 2525 / IMAP 1143 after mailservers.sh start' })
}

/** Stop ONLY Postfix (SMTP 2525 / SMTPS 4650 refuse connections); Dovecot keeps running. Affects every worker. */
export async function stopSmtp(): Promise<void> {
  await runScript(['stop-smtp'], 60_000)
}

/** Start Postfix again after stopSmtp(); mail queued before the stop is delivered then. */
export async function startSmtp(): Promise<void> {
  await runScript(['start-smtp'], 60_000)
  await waitFor(() => portOpen(MAIL.ports.smtp), { timeoutMs: 10_000, message: 'SMTP 2525 after start-smtp' })
}

// ------------------------------------------------------------------ IMAP / SMTP clients

/** A connected (plain IMAP, port 1143) client; call logout() when done, or use withImap(). */
export async function imapClient(user: UserRef): Promise<ImapFlow> {
  const u = mailUser(user)
  const client = new ImapFlow({
    host: MAIL.host,
    port: MAIL.ports.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user: u.email, pass: u.password },
    logger: false,
    disableAutoIdle: true,
  })
  client.on('error', () => {}) // socket errors after logout must not crash the worker
  await client.connect()
  return client
}

export async function withImap<T>(user: UserRef, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await imapClient(user)
  try {
    return await fn(client)
  } finally {
    await client.logout().catch(() => client.close())
  }
}

/** nodemailer transport for SMTP AUTH as `user` on 127.0.0.1:2525 (no TLS). */
export function smtpTransport(user: UserRef) {
  const u = mailUser(user)
  return nodemailer.createTransport({
    host: MAIL.host,
    port: MAIL.ports.smtp,
    secure: false,
    ignoreTLS: true,
    auth: { user: u.email, pass: u.password },
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
  })
}

export interface MailboxResetOptions {
  /** also delete folders other than INBOX/Drafts/Sent/Trash/Junk (default false) */
  deleteFolders?: boolean
}

const DEFAULT_FOLDERS = new Set(['INBOX', 'Drafts', 'Sent', 'Trash', 'Junk'])

/** Delete every message in every folder of `user` (servers keep running). */
export async function resetMailbox(user: UserRef, opts: MailboxResetOptions = {}): Promise<void> {
  await withImap(user, async (client) => {
    const folders = await client.list()
    // deepest first, so children go before their parents when deleting folders
    folders.sort((a, b) => b.path.length - a.path.length)
    for (const f of folders) {
      if (opts.deleteFolders && !DEFAULT_FOLDERS.has(f.path)) {
        await client.mailboxDelete(f.path).catch(() => {})
        continue
      }
      if (f.flags.has('\\Noselect') || f.flags.has('\\NonExistent')) continue
      const box = await client.mailboxOpen(f.path)
      if (box.exists > 0) await client.messageDelete('1:*')
    }
    await client.mailboxClose().catch(() => {})
  })
}

export interface FetchedMessage {
  uid: number
  /** with angle brackets, e.g. "<abc@example.test>" ('' if the message has none) */
  messageId: string
  from: string[]
  replyTo: string[]
  to: string[]
  subject: string
  /** raw RFC 822 source */
  source: string
}

const addrs = (list: MessageAddressObject[] | undefined) => (list ?? []).map((a) => a.address ?? '').filter(Boolean)

async function fetchFolder(user: UserRef, folder: string, withSource: boolean): Promise<FetchMessageObject[]> {
  return withImap(user, async (client) => {
    const box = await client.mailboxOpen(folder, { readOnly: true })
    if (box.exists === 0) return []
    return client.fetchAll('1:*', { uid: true, envelope: true, source: withSource })
  })
}

/** Message-ID header of every message in `folder` (oldest first), to count deliveries. */
export async function messageIds(user: UserRef, folder = 'INBOX'): Promise<string[]> {
  const msgs = await fetchFolder(user, folder, false)
  return msgs.map((m) => m.envelope?.messageId ?? '')
}

/** Every message in `folder` (oldest first) with its main headers and raw source. */
export async function fetchMessages(user: UserRef, folder = 'INBOX'): Promise<FetchedMessage[]> {
  const msgs = await fetchFolder(user, folder, true)
  return msgs.map((m) => ({
    uid: m.uid,
    messageId: m.envelope?.messageId ?? '',
    from: addrs(m.envelope?.from),
    replyTo: addrs(m.envelope?.replyTo),
    to: addrs(m.envelope?.to),
    subject: m.envelope?.subject ?? '',
    source: m.source?.toString('utf8') ?? '',
  }))
}
