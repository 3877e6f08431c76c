// backups.* and badge.get: the boundary over services/backups.ts and the workspace's integrity notice.
import { join } from 'node:path'
import type { BackupState } from '../../../shared/backups'
import { AppError } from '../../../shared/result'
import type { Ctx, HandlersFor } from '../context'
import { iso } from '../clock'
import { stmt } from '../db/stmt'
import { backupsDir, findBackup, listBackupFiles } from '../repos/backups'
import type { BackupRunner } from '../services/backups'
import { clearNotice, readNotice } from '../workspace/integrity'

export interface BackupRuntime {
  runner: BackupRunner
  /** The host's restart-into-a-backup, when it has one (web host, Electron). */
  restart?: (backupFile: string) => void
}

// The runner belongs to the engine instance; handlers only get ctx, so it is looked up by ctx.
const runtimes = new WeakMap<Ctx, BackupRuntime>()

export function attachBackups(ctx: Ctx, runtime: BackupRuntime): void {
  runtimes.set(ctx, runtime)
}

function runtime(ctx: Ctx): BackupRuntime {
  const r = runtimes.get(ctx)
  if (!r) throw new AppError('UNAVAILABLE', 'Backups are not running in this engine')
  return r
}

function state(ctx: Ctx): BackupState {
  const { runner, restart } = runtime(ctx)
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

/** Unread conversations, from the trigger-kept per-business totals (no scan). */
export function unreadThreads(ctx: Ctx): number {
  return (stmt(ctx.sqlite, 'SELECT coalesce(sum(threads), 0) AS n FROM thread_unread_totals').get() as { n: number }).n
}

export const backupHandlers: HandlersFor<'backups' | 'badge'> = {
  'backups.list': (ctx) => state(ctx),
  'backups.create': (ctx) => {
    // The copy takes seconds on a large workspace: answer now (the write queue must not wait for it).
    runtime(ctx).runner.create('manual').catch(() => undefined)
    return state(ctx)
  },
  'backups.restore': (ctx, { id }) => {
    const { restart } = runtime(ctx)
    if (!restart) throw new AppError('UNAVAILABLE', 'This copy of Switchboard cannot restart itself; run it with --restore FILE instead')
    const file = findBackup(ctx.info.dataDir, id)
    if (!file) throw new AppError('NOT_FOUND', `There is no backup called ${id}`, 'id')
    // The host stops taking calls at once (so nothing lands in the database being replaced), then closes
    // the engine, swaps the file and opens it again, after this answer has gone out.
    restart(join(backupsDir(ctx.info.dataDir), file.name))
    return { restarting: true as const, id }
  },
  'backups.dismissNotice': (ctx) => {
    clearNotice(ctx.info.dataDir)
    return state(ctx)
  },
  'badge.get': (ctx) => ({ unreadThreads: unreadThreads(ctx) }),
}
