// Opens the one SQLite file the engine owns, with the pragmas the whole app relies on, and migrates it.
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import * as schema from './schema'

export type Db = BetterSQLite3Database<typeof schema>
export type Sqlite = Database.Database

export function openDatabase(file: string, migrationsDir: string): { sqlite: Sqlite; db: Db } {
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('wal_autocheckpoint = 8000')
  // Statement journals in memory: inside a savepoint (a batch stored within the sync's transaction) they
  // add up past the 64 KiB spill limit and went to a temp file, a pwrite per page for every statement
  // that fires a trigger (the thread inserts and summary updates), about a tenth of the store's time.
  sqlite.pragma('temp_store = MEMORY')
  // Issue 18 (erase): an updated or deleted row's old bytes are zeroed inside its page instead of lingering in the
  // page's free space, so an erased person leaves no stale copy behind. FAST costs CPU only, never extra I/O.
  sqlite.pragma('secure_delete = FAST')
  const db = drizzle(sqlite, { schema })
  migrate(db, { migrationsFolder: migrationsDir })
  return { sqlite, db }
}

/** Finds resources/migrations by walking up from `start` (the repo root in dev, the app dir when packaged). */
export function findMigrationsDir(start: string = process.cwd()): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'migrations')
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate
    if (dirname(dir) === dir) throw new Error(`resources/migrations not found above ${start}`)
  }
}
