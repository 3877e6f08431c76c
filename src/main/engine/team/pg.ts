// Talking to the team workspace's PostgreSQL (issue 22): connections with a time budget, errors in words,
// the drizzle-kit migrations, and the names of the roles a workspace creates.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
// The driver is loaded when a workspace is first used: a solo desktop never carries it (about 6 MB resident).
import type pg from 'pg'
import { AppError } from '../../../shared/result'

export type PgClient = pg.Client

/** The URL without its password: what this desktop stores and shows. */
export function withoutPassword(url: string): string {
  const u = new URL(url)
  u.password = ''
  return u.toString()
}

/** Host, port and database, for the status line. */
export function describeDatabase(url: string): string {
  const u = new URL(url)
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`
}

export const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1))

/** The URL with a given role and password (joining, and every replicator connection). */
export function asRole(url: string, role: string, password: string): string {
  const u = new URL(url)
  u.username = role
  u.password = password
  return u.toString()
}

/** A member's own login role: derived from the database and the e-mail address, so joining needs no lookup. */
export function loginRoleName(database: string, email: string): string {
  return `sb_${createHash('sha256').update(`${database}\0${email.toLowerCase()}`).digest('hex').slice(0, 24)}`
}
export function memberRoleName(workspaceId: string): string {
  return `sb_${workspaceId.replace(/-/g, '').slice(0, 24)}_member`
}

/**
 * Connects within `timeoutMs`; a refusal or a bad password comes back as an AppError in words. With
 * `queryTimeoutMs`, a query with no answer by then fails (a network that vanished without a word leaves the
 * connection half-open: without it the query would wait for TCP to give up, many minutes later).
 */
export async function connect(url: string, timeoutMs = 10_000, queryTimeoutMs?: number): Promise<PgClient> {
  const { default: driver } = await import('pg')
  // A desktop whose network vanished mid-transaction (a push holds the workspace's push lock) leaves its session
  // idle in that transaction, unseen by the server for hours: PostgreSQL ends it once it has waited as long as a
  // query may, so the lock and its row locks go back to the other desktops (and to this one's next connection).
  const client = new driver.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'switchboard',
    keepAlive: true,
    query_timeout: queryTimeoutMs,
    idle_in_transaction_session_timeout: queryTimeoutMs,
  })
  // A dropped connection emits 'error' on the client: without a listener Node would crash the engine.
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (e) {
    await client.end().catch(() => undefined)
    // The server's own code rides along: the replicator tells "removed from the workspace" from "offline" by it.
    throw Object.assign(pgProblem(e), { pgCode: (e as { code?: string }).code })
  }
  return client
}

/**
 * True when PostgreSQL turned this role away at the door (issue 22 item 1): its login was taken away (NOLOGIN,
 * 28000), it no longer exists or its password changed (28P01), or it may no longer connect to the database
 * (42501 on connecting: its membership of the workspace's role was revoked). Unreachable servers are not this.
 */
export function accessRefused(e: unknown): boolean {
  const code = (e as { pgCode?: string }).pgCode
  return code === '28000' || code === '28P01' || code === '42501'
}

/** Lets a connection go without waiting on it: on a half-open connection end() would wait forever. */
export function dropClient(c: PgClient | null | undefined): void {
  if (!c) return
  void c.end().catch(() => undefined)
  const stream = (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream
  setTimeout(() => stream?.destroy(), 1000).unref?.()
}

/** A PostgreSQL or network error, said so that a person knows what to fix. */
export function pgProblem(e: unknown): AppError {
  if (e instanceof AppError) return e
  const err = e as { code?: string; message?: string }
  const code = err.code ?? ''
  if (code === '28P01' || code === '28000') return new AppError('VALIDATION', 'PostgreSQL refused the e-mail address or password', 'password')
  if (code === '3D000') return new AppError('NOT_FOUND', 'That database does not exist on the PostgreSQL server', 'databaseUrl')
  if (code === '42501') return new AppError('VALIDATION', 'This PostgreSQL role may not do that (an admin of the workspace can)', 'databaseUrl')
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new AppError('UNAVAILABLE', 'Cannot reach the PostgreSQL server (connection refused)', 'databaseUrl')
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new AppError('UNAVAILABLE', 'The PostgreSQL server’s name could not be found', 'databaseUrl')
  if (/timeout/i.test(err.message ?? '')) return new AppError('UNAVAILABLE', 'The PostgreSQL server did not answer in time', 'databaseUrl')
  if (/terminat|Connection ended|ECONNRESET|not queryable/i.test(`${err.message} ${code}`)) return new AppError('UNAVAILABLE', 'The connection to PostgreSQL was lost', 'databaseUrl')
  return new AppError('UNAVAILABLE', 'PostgreSQL could not do that right now', 'databaseUrl')
}

/** Applies resources/pg-migrations (drizzle-kit, pg dialect). */
export async function migratePg(client: PgClient, migrationsDir = findPgMigrationsDir()): Promise<void> {
  const [{ drizzle }, { migrate }] = await Promise.all([import('drizzle-orm/node-postgres'), import('drizzle-orm/node-postgres/migrator')])
  await migrate(drizzle(client), { migrationsFolder: migrationsDir })
}

export function findPgMigrationsDir(start: string = process.cwd()): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'pg-migrations')
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate
    if (dirname(dir) === dir) throw new Error(`resources/pg-migrations not found above ${start}`)
  }
}

/** Identifiers are made by this module (sb_ + hex); quoting them anyway keeps the DDL safe. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`

/** The first block's start; ids below it are the rows a desktop had before its workspace existed. */
export const BLOCK_BASE = 2 ** 32
export const BLOCK_SIZE = 2 ** 24
export const blockStartOf = (block: number): number => BLOCK_BASE + (block - 1) * BLOCK_SIZE

/** Hands this device a new id block, above every block handed out before. */
export async function takeBlock(client: PgClient, deviceId: number): Promise<number> {
  const r = await client.query<{ block: string }>('INSERT INTO id_blocks (device_id) VALUES ($1) RETURNING block', [deviceId])
  return blockStartOf(Number(r.rows[0].block))
}

/**
 * The SCRAM-SHA-256 verifier of a password (RFC 5802/7677, PostgreSQL's stored form): CREATE ROLE ... PASSWORD
 * gets this instead of the password, so the words never reach the server, its statement log or its stats.
 * node-postgres proves the raw password against it, as the server would against one it hashed itself.
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16)
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256')
  const clientKey = createHmac('sha256', salted).update('Client Key').digest()
  const storedKey = createHash('sha256').update(clientKey).digest()
  const serverKey = createHmac('sha256', salted).update('Server Key').digest()
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`
}
