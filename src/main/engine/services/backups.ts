// backups.*: what the backups screen shows, a backup on demand, the restart into a backup, and the
// workspace's integrity notice. The runner itself is machinery (backups/runner.ts), reached through ctx.backups.
import { join } from 'node:path'
import type { BackupState } from '../../../shared/backups'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { iso } from '../clock'
import { backupsDir, findBackup, listBackupFiles } from '../backups/files'
import { clearNotice, readNotice } from '../workspace/integrity'

export function backupState(ctx: Ctx): BackupState {
  const { runner, restart } = ctx.backups
  return {
    backups: listBackupFiles(ctx.info.dataDir).map((b) => ({ id: b.name, createdAt: iso(b.at), sizeBytes: b.sizeBytes, kind: b.kind })),
    folder: backupsDir(ctx.info.dataDir),
    running: runner.running(),
    lastError: runner.lastError(),
    nextDueAt: iso(runner.nextDueAt()),
    canRestore: restart !== undefined,
    notice: readNotice(ctx.info.dataDir),
  }
}

/** Starts a manual backup and answers at once: the copy takes seconds on a large workspace, and the write queue must not wait for it. */
export function startBackup(ctx: Ctx): BackupState {
  ctx.backups.runner.create('manual').catch(() => undefined)
  return backupState(ctx)
}

/**
 * Hands the backup to the host's restart. The host stops taking calls at once (so nothing lands in the
 * database being replaced), then closes the engine, swaps the file and opens it again, after this answer has gone out.
 */
export function restoreBackup(ctx: Ctx, id: string): { restarting: true; id: string } {
  const { restart } = ctx.backups
  if (!restart) throw new AppError('UNAVAILABLE', 'This copy of Switchboard cannot restart itself; run it with --restore FILE instead')
  const file = findBackup(ctx.info.dataDir, id)
  if (!file) throw new AppError('NOT_FOUND', `There is no backup called ${id}`, 'id')
  restart(join(backupsDir(ctx.info.dataDir), file.name))
  return { restarting: true, id }
}

export function dismissNotice(ctx: Ctx): BackupState {
  clearNotice(ctx.info.dataDir)
  return backupState(ctx)
}
