// PRAGMA quick_check before the engine opens its database. A damaged file is never repaired in place or
// deleted: it (with its WAL and SHM) moves aside under a dated name, the engine starts on a fresh
// database, and a notice file tells the UI what happened and which backup to offer.
import Database from 'better-sqlite3'
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'

export const NOTICE_FILE = 'integrity-notice.json'

export interface IntegrityNotice {
  /** When the damage was found (ISO). */
  detectedAt: string
  /** Where the damaged database now lies (kept for a specialist, never deleted by the app). */
  damagedFile: string
  /** What SQLite said, in a line. */
  detail: string
}

export type CheckResult = { ok: true; ms: number } | { ok: false; ms: number; detail: string }

/** Runs quick_check on a database file with a connection of its own (read-only, no WAL replay changes). */
export function quickCheck(file: string): CheckResult {
  const started = performance.now()
  let db: Database.Database | undefined
  try {
    db = new Database(file, { fileMustExist: true })
    const rows = db.pragma('quick_check(20)') as Array<{ quick_check: string }>
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok')
    const ms = performance.now() - started
    return problems.length ? { ok: false, ms, detail: problems.slice(0, 3).join('; ') } : { ok: true, ms }
  } catch (e) {
    // SQLITE_NOTADB / SQLITE_CORRUPT on open or on the first read: the header itself is gone.
    const err = e as { code?: string; message?: string }
    return { ok: false, ms: performance.now() - started, detail: `${err.code ?? 'error'}: ${err.message ?? String(e)}` }
  } finally {
    db?.close()
  }
}

const stamp = (at: number) => new Date(at).toISOString().replace(/[:.]/g, '-')

/** Moves the database and its WAL/SHM aside as one set; returns the new path of the main file. */
export function moveAside(dbFile: string, label: string, at: number): string {
  const target = `${dbFile}.${label}-${stamp(at)}`
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsSync(dbFile + suffix)) renameSync(dbFile + suffix, target + suffix)
  }
  return target
}

/**
 * Checks the workspace database before it is opened. On damage the file set moves aside and a notice is
 * written; returns the notice (or null when the database is sound or does not exist yet).
 */
export function checkAtStartup(dataDir: string, dbFile: string, now: number, log: (m: string) => void): IntegrityNotice | null {
  if (!existsSync(dbFile)) return null
  const r = quickCheck(dbFile)
  if (r.ok) return null
  const damagedFile = moveAside(dbFile, 'damaged', now)
  const notice: IntegrityNotice = { detectedAt: new Date(now).toISOString(), damagedFile, detail: r.detail.slice(0, 300) }
  writeFileSync(join(dataDir, NOTICE_FILE), JSON.stringify(notice, null, 2), { mode: 0o600 })
  log(`[db] ${basename(dbFile)} failed its integrity check (${notice.detail}); kept aside as ${damagedFile}, starting on a new database`)
  return notice
}

export function readNotice(dataDir: string): IntegrityNotice | null {
  const file = join(dataDir, NOTICE_FILE)
  if (!existsSync(file)) return null
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IntegrityNotice
  } catch {
    return null
  }
}

export function clearNotice(dataDir: string): void {
  rmSync(join(dataDir, NOTICE_FILE), { force: true })
}
