// sync.status and "Sync now": the rules over the running sync workers (ctx.sync, inbound/sync/manager.ts).
import type { SyncStatus } from '../../../shared/inbox'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import type { PreparedBody } from '../inbound/prepare'
import { syncTarget } from '../repos/sync'

export const syncStatusAll = (ctx: Ctx): SyncStatus[] => ctx.sync.statusAll()

export function syncStatus(ctx: Ctx, mailboxId: number, field = 'mailboxId'): SyncStatus {
  const s = ctx.sync.status(mailboxId)
  if (!s) throw new AppError('NOT_FOUND', `Mailbox ${mailboxId} does not exist`, field)
  return s
}

/** "Sync now": starts a pass and answers at once (a write handler must not hold the write queue for a sync). */
export function syncNow(ctx: Ctx, mailboxId: number): SyncStatus {
  const mb = syncTarget(ctx, mailboxId)
  if (!mb) throw new AppError('NOT_FOUND', `Mailbox ${mailboxId} does not exist`, 'mailboxId')
  if (!mb.imapHost) throw new AppError('VALIDATION', 'This mailbox has no IMAP settings', 'mailboxId')
  void ctx.sync.syncNow(mailboxId)
  return syncStatus(ctx, mailboxId)
}

/** Mailbox created, changed or deleted: its worker starts, restarts or stops (after the caller's commit). */
export const syncSettingsChanged = (ctx: Ctx, mailboxId: number): void => ctx.sync.settingsChanged(mailboxId)

/** A body stored before migration 0010, sanitised in a parse thread for reading (undefined: read it as stored). */
export const preparedForRead = (ctx: Ctx, messageId: number): Promise<PreparedBody | undefined> => ctx.sync.preparedForRead(messageId)
