// The backup files in <dataDir>/backups: names carry their time and kind, so the folder is the record
// (a backup copied in by hand, or left from before a restore, shows up like any other).
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

export type BackupKind = 'auto' | 'manual'

export interface BackupFile {
  /** The file name; the id the contract uses. */
  name: string
  path: string
  at: number
  kind: BackupKind
  sizeBytes: number
}

// switchboard-20261203T071500Z-auto.db
const NAME = /^switchboard-(\d{8})T(\d{6})(\d{3})?Z-(auto|manual)\.db$/

export const backupsDir = (dataDir: string): string => join(dataDir, 'backups')

export function backupName(at: number, kind: BackupKind): string {
  const iso = new Date(at).toISOString() // 2026-12-03T07:15:00.123Z
  return `switchboard-${iso.slice(0, 10).replaceAll('-', '')}T${iso.slice(11, 19).replaceAll(':', '')}${iso.slice(20, 23)}Z-${kind}.db`
}

export function parseBackupName(name: string): { at: number; kind: BackupKind } | null {
  const m = NAME.exec(name)
  if (!m) return null
  const [d, t, ms] = [m[1]!, m[2]!, m[3] ?? '000']
  const at = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6), +ms)
  return Number.isFinite(at) ? { at, kind: m[4] as BackupKind } : null
}

/** Every finished backup, newest first (temp files of a backup in progress are not listed). */
export function listBackupFiles(dataDir: string): BackupFile[] {
  const dir = backupsDir(dataDir)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const out: BackupFile[] = []
  for (const name of names) {
    const parsed = parseBackupName(name)
    if (!parsed) continue
    try {
      const st = statSync(join(dir, name))
      if (st.isFile()) out.push({ name, path: join(dir, name), sizeBytes: st.size, ...parsed })
    } catch {
      // removed between readdir and stat
    }
  }
  return out.sort((a, b) => b.at - a.at || a.name.localeCompare(b.name))
}

export function findBackup(dataDir: string, name: string): BackupFile | null {
  return listBackupFiles(dataDir).find((b) => b.name === name) ?? null
}

export function removeBackup(file: BackupFile): void {
  rmSync(file.path, { force: true })
}
