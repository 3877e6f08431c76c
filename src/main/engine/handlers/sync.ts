// sync.status: the boundary over services/sync.ts.
import type { Ctx, Handler, HandlersFor } from '../context'
import { syncNow, syncSettingsChanged, syncStatusAll } from '../services/sync'

export const syncHandlers: HandlersFor<'sync'> = {
  'sync.status': (ctx) => syncStatusAll(ctx),
}

// Transitional: handlers/mailboxes.ts and handlers/inbox.ts still import these from here. Once they call
// services/sync.ts (syncNow, syncSettingsChanged, preparedForRead) themselves, delete this block.
export const syncMailbox: Handler<'mailboxes.sync'> = (ctx, { mailboxId }) => syncNow(ctx, mailboxId)
export { syncSettingsChanged }
export const syncManager = (ctx: Ctx): Ctx['sync'] => ctx.sync
