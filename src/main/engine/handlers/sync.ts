// sync.status and mailboxes.sync: read the running sync workers (inbound/sync/manager.ts).
import type { SyncStatus } from '../../../shared/inbox'
import { AppError } from '../../../shared/result'
import type { Ctx, Handler, HandlersFor } from '../context'
import type { SyncManager } from '../inbound/sync/manager'
import { stmt } from '../db/stmt'
import { mailboxIds } from '../inbound/sync/state'

// The manager belongs to the engine instance; handlers only get ctx, so it is looked up by ctx.
const managers = new WeakMap<Ctx, SyncManager>()

export function attachSync(ctx: Ctx, manager: SyncManager): void {
  managers.set(ctx, manager)
}

export function syncManager(ctx: Ctx): SyncManager | undefined {
  return managers.get(ctx)
}

/** Mailbox created, changed or deleted: its worker starts, restarts or stops. */
export function syncSettingsChanged(ctx: Ctx, mailboxId: number): void {
  managers.get(ctx)?.settingsChanged(mailboxId)
}

// Own lookup (not handlers/mailboxes.ts, which imports this file).
function requireMailbox(ctx: Ctx, id: number, field: string): { objectId: number; email: string; imapHost: string | null } {
  const r = stmt(ctx.sqlite, 'SELECT object_id AS objectId, email, imap_host AS imapHost FROM mailboxes WHERE id = ?').get(id) as
    | { objectId: number; email: string; imapHost: string | null }
    | undefined
  if (!r) throw new AppError('NOT_FOUND', `Mailbox ${id} does not exist`, field)
  return r
}

function statusOf(ctx: Ctx, mailboxId: number): SyncStatus {
  const s = managers.get(ctx)?.status(mailboxId)
  if (s) return s
  const mb = requireMailbox(ctx, mailboxId, 'mailboxId')
  return { mailboxId, objectId: mb.objectId, email: mb.email, state: 'disabled', progress: null, lastSyncAt: null, error: null, unread: 0 }
}

/** "Sync now": starts a pass and answers at once (a write handler must not hold the write queue for a sync). */
export const syncMailbox: Handler<'mailboxes.sync'> = (ctx, { mailboxId }) => {
  const mb = requireMailbox(ctx, mailboxId, 'mailboxId')
  const m = managers.get(ctx)
  if (!mb.imapHost) throw new AppError('VALIDATION', 'This mailbox has no IMAP settings', 'mailboxId')
  if (m) void m.syncNow(mailboxId)
  return statusOf(ctx, mailboxId)
}

export const syncHandlers: HandlersFor<'sync'> = {
  'sync.status': (ctx) => managers.get(ctx)?.statusAll() ?? mailboxIds(ctx).map((m) => statusOf(ctx, m.id)),
}
