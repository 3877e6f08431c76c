// Sync state tables (migration 0005_sync_state). Owned by the IMAP sync workers (inbound/sync).
// uidvalidity and highestmodseq are kept as decimal text: they are 32/63-bit unsigned on the wire.
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { mailboxes } from './schema'

/** Per mailbox and folder: how far the incremental sync got. */
export const syncFolders = sqliteTable(
  'sync_folders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    mailboxId: integer('mailbox_id').notNull().references(() => mailboxes.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    role: text('role', { enum: ['inbox', 'sent', 'other'] }).notNull(),
    uidvalidity: text('uidvalidity'),
    /** Highest UID fetched and stored (everything at or below it has been seen once). */
    lastUid: integer('last_uid').notNull().default(0),
    uidnext: integer('uidnext'),
    highestmodseq: text('highestmodseq'),
    /** Messages believed present at or below last_uid: a smaller EXISTS means something was expunged. */
    knownCount: integer('known_count').notNull().default(0),
    lastSyncAt: integer('last_sync_at'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('sync_folders_mailbox_path_uq').on(t.mailboxId, t.path)],
)

/** Per mailbox: what the worker is doing, and the auth hold that survives restarts. */
export const syncMailboxes = sqliteTable('sync_mailboxes', {
  mailboxId: integer('mailbox_id').primaryKey().references(() => mailboxes.id, { onDelete: 'cascade' }),
  state: text('state').notNull().default('connecting'),
  error: text('error'),
  /** Fingerprint of the IMAP settings that failed to log in: no retry until they change. */
  authFailedKey: text('auth_failed_key'),
  lastSyncAt: integer('last_sync_at'),
  firstSyncDone: integer('first_sync_done', { mode: 'boolean' }).notNull().default(false),
})
