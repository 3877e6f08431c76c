// Backups: a daily online copy of the database into <dataDir>/backups, thinned to 7 daily and 4 weekly,
// on the engine's clock (so a test clock drives it, and a workspace that was closed for days gets its
// backup soon after it opens: "caught up"). The copy runs on its own thread (backups/thread.ts).
import { readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { copyDatabase, type CopyResult } from './thread'
import { toPrune } from './retention'
import { backupName, backupsDir, listBackupFiles, removeBackup, type BackupFile, type BackupKind } from './files'
import { createPrivateFile, privateDir } from '../workspace/perms'

export const DAY_MS = 86_400_000
/** A brand-new workspace gets its first backup after this long (not in the first seconds of set-up). */
export const FIRST_BACKUP_AFTER_MS = 10 * 60_000

export interface BackupRunner {
  /** Starts a backup unless one runs; resolves with the file when it is written. */
  create(kind: BackupKind): Promise<BackupFile>
  running(): boolean
  lastError(): string | null
  /** When the next automatic backup is due (ms on the engine clock). */
  nextDueAt(): number
  /** Re-plans the timer (the test clock moved). */
  wake(): void
  start(): void
  /** Waits for a backup in progress (tests). */
  idle(): Promise<void>
  stop(): Promise<void>
}

/** The backups folder, made private (owner only) if it is new. */
const ensureBackupsDir = (dataDir: string): string => privateDir(backupsDir(dataDir))

export function createBackupRunner(ctx: Ctx, opts: { dbFile: string; log: (m: string) => void; onChange: () => void }): BackupRunner {
  const startedAt = ctx.clock.now()
  let current: Promise<BackupFile> | null = null
  let abort: (() => Promise<void>) | null = null
  let lastError: string | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  function nextDueAt(): number {
    const newest = listBackupFiles(ctx.info.dataDir)[0]
    // A manual backup counts too: the daily one is a day after the newest copy of any kind.
    return newest ? newest.at + DAY_MS : startedAt + FIRST_BACKUP_AFTER_MS
  }

  function create(kind: BackupKind): Promise<BackupFile> {
    if (stopped) return Promise.reject(new AppError('UNAVAILABLE', 'Switchboard is closing; no backup was made'))
    if (current) return current
    const dir = ensureBackupsDir(ctx.info.dataDir)
    // Names carry the time to the millisecond; on a clock that stands still (tests) the next one is free.
    const taken = new Set(readdirSync(dir))
    let at = ctx.clock.now()
    while (taken.has(backupName(at, kind))) at++
    const name = backupName(at, kind)
    const tmp = join(dir, `.${name}.partial`)
    rmSync(tmp, { force: true })
    createPrivateFile(tmp)
    const copy = copyDatabase(opts.dbFile, tmp)
    abort = copy.abort
    const run = copy.done.then(
      (r: CopyResult) => {
        renameSync(tmp, join(dir, name))
        lastError = null
        for (const old of toPrune(listBackupFiles(ctx.info.dataDir))) removeBackup(old)
        opts.log(`[backup] ${name}: ${(r.bytes / 1e6).toFixed(1)} MB in ${r.ms} ms`)
        const file = listBackupFiles(ctx.info.dataDir).find((b) => b.name === name)
        if (!file) throw new Error(`backup ${name} vanished after it was written`)
        return file
      },
      (err: Error) => {
        rmSync(tmp, { force: true })
        lastError = err.message
        opts.log(`[backup] ${name} failed: ${err.message}`)
        throw new AppError('INTERNAL', `The backup could not be written: ${err.message}`)
      },
    )
    current = run.finally(() => {
      current = null
      abort = null
      if (!stopped) opts.onChange(), plan()
    })
    opts.onChange()
    return current
  }

  function plan(): void {
    clearTimeout(timer)
    if (stopped) return
    const wait = nextDueAt() - ctx.clock.now()
    if (wait <= 0 && !current) {
      create('auto').catch(() => undefined)
      return
    }
    // Capped at a minute so a clock that jumps (sleep, a test clock) is noticed soon.
    timer = setTimeout(plan, Math.max(1000, Math.min(wait, 60_000)))
    timer.unref?.()
  }

  /** A copy cut short by a crash or a kill leaves its temp file: nothing else will ever remove it. */
  function removePartials(): void {
    try {
      for (const f of readdirSync(ensureBackupsDir(ctx.info.dataDir))) if (f.startsWith('.') && f.endsWith('.partial')) rmSync(join(ctx.info.dataDir, 'backups', f), { force: true })
    } catch (err) {
      opts.log(`[backup] could not tidy the backups folder: ${(err as Error).message}`)
    }
  }

  return {
    create,
    running: () => current !== null,
    lastError: () => lastError,
    nextDueAt,
    wake: () => !stopped && plan(),
    start: () => (removePartials(), plan()),
    idle: async () => void (await current?.catch(() => undefined)),
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      if (abort) await abort()
      await current?.catch(() => undefined)
    },
  }
}
