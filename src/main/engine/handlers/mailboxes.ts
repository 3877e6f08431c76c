// mailboxes.*: a business's SMTP/IMAP mailboxes (services/mailboxes.ts); the sync worker follows their settings.
import type { Ctx, HandlersFor } from '../context'
import { createMailbox, deleteMailbox, listMailboxes, testMailbox, updateMailbox } from '../services/mailboxes'
import { syncNow, syncSettingsChanged } from '../services/sync'

/** A mailbox was created, changed or deleted: its sync worker starts, restarts or stops. */
const resync = <T extends { id: number }>(ctx: Ctx, result: T): T => (syncSettingsChanged(ctx, result.id), result)

export const mailboxHandlers: HandlersFor<'mailboxes'> = {
  'mailboxes.list': (ctx, { objectId }) => listMailboxes(ctx, objectId),
  'mailboxes.create': (ctx, input) => resync(ctx, createMailbox(ctx, input)),
  'mailboxes.update': (ctx, input) => resync(ctx, updateMailbox(ctx, input)),
  'mailboxes.delete': async (ctx, { id }) => resync(ctx, await deleteMailbox(ctx, id)),
  'mailboxes.sync': (ctx, { mailboxId }) => syncNow(ctx, mailboxId),
  'mailboxes.test': (ctx, input) => testMailbox(ctx, input),
}
