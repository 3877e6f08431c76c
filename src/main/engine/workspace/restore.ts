// Restoring a backup: only while no engine has the workspace open. The current database is never
// deleted: it moves aside (switchboard.db.before-restore-<time>) with its WAL and SHM, and the backup is
// copied in under a temp name and renamed into place, so a crash half-way leaves either the old or the new
// file, never a torn one.
import Database from 'better-sqlite3'
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { acquireWorkspaceLock } from './lock'
import { clearNotice, moveAside, quickCheck } from './integrity'
import { createPrivateFile, secureDataDir } from './perms'

export const DB_NAME = 'switchboard.db'

export class RestoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RestoreError'
  }
}

/** Refuses a file that is not a sound Switchboard database, in words a user understands. */
export function checkBackupFile(file: string): void {
  if (!existsSync(file)) throw new RestoreError(`There is no file at ${file}`)
  const r = quickCheck(file)
  if (!r.ok) throw new RestoreError(`${file} is not a sound database (${r.detail}); nothing was changed`)
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '__drizzle_migrations'").get()
    const hasObjects = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'objects'").get()
    if (!hasMigrations || !hasObjects) throw new RestoreError(`${file} is a database, but not a Switchboard workspace; nothing was changed`)
  } finally {
    db.close()
  }
}

/**
 * Puts `backupFile` in place of the workspace database. Takes the workspace lock for the duration, so it
 * fails with WorkspaceLockedError while Switchboard has the workspace open. Returns where the previous
 * database was kept.
 */
export function restoreBackup(dataDir: string, backupFile: string, now = Date.now()): { keptAside: string | null } {
  const source = resolve(backupFile)
  checkBackupFile(source)
  secureDataDir(dataDir)
  const lock = acquireWorkspaceLock(dataDir)
  try {
    const dbFile = join(dataDir, DB_NAME)
    const incoming = `${dbFile}.restoring`
    rmSync(incoming, { force: true })
    createPrivateFile(incoming)
    copyFileSync(source, incoming)
    // copyFile gives the copy the source's mode; the workspace database is private whatever that was.
    if (process.platform !== 'win32') chmodSync(incoming, 0o600)
    const keptAside = existsSync(dbFile) ? moveAside(dbFile, 'before-restore', now) : null
    renameSync(incoming, dbFile)
    // The damage notice (if any) was about the file this restore replaces.
    clearNotice(dataDir)
    return { keptAside }
  } finally {
    lock.release()
  }
}
