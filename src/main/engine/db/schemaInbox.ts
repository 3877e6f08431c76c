// Inbox tables (migration 0004_inbox, hand-written: the FTS5 table and partial indexes are beyond drizzle-kit).
// One `messages` row per stored IMAP copy; threads carry denormalised counts so inbox.list never aggregates.
import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { contacts, mailboxes, objects } from './schema'
import { outboundMessages } from './schemaOutbound'

export const threads = sqliteTable('threads', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  subject: text('subject').notNull().default(''),
  lastMessageAt: integer('last_message_at').notNull().default(0),
  latestMessageId: integer('latest_message_id'),
  messageCount: integer('message_count').notNull().default(0),
  unreadCount: integer('unread_count').notNull().default(0),
  hasAttachments: integer('has_attachments', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
}, (t) => [
  index('threads_recent_idx').on(t.lastMessageAt, t.id),
  index('threads_object_recent_idx').on(t.objectId, t.lastMessageAt, t.id),
  index('threads_unread_recent_idx').on(t.lastMessageAt, t.id).where(sql`unread_count > 0`),
  // (threads_sort_keys_idx, a covering index for search, was dropped in 0007: rowid lookups are as fast.)
])

/** Threads with unread mail per object, kept by triggers on threads (0004): the inbox's unread badge without a count. */
export const threadUnreadTotals = sqliteTable('thread_unread_totals', {
  objectId: integer('object_id').primaryKey(),
  threads: integer('threads').notNull().default(0),
})

export const messages = sqliteTable('messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  mailboxId: integer('mailbox_id').notNull().references(() => mailboxes.id, { onDelete: 'cascade' }),
  folder: text('folder').notNull(),
  /** bigint as text. */
  uidvalidity: text('uidvalidity').notNull(),
  uid: integer('uid').notNull(),
  /** Left over from before a uidvalidity change; revived by Message-ID when the folder is fetched again. */
  stale: integer('stale', { mode: 'boolean' }).notNull().default(false),
  modseq: text('modseq'),
  messageId: text('message_id'),
  inReplyTo: text('in_reply_to'),
  referencesJson: text('references_json').notNull().default('[]'),
  direction: text('direction', { enum: ['in', 'out'] }).notNull(),
  fromName: text('from_name').notNull().default(''),
  fromEmail: text('from_email'),
  toJson: text('to_json').notNull().default('[]'),
  ccJson: text('cc_json').notNull().default('[]'),
  replyToJson: text('reply_to_json').notNull().default('[]'),
  subject: text('subject').notNull().default(''),
  snippet: text('snippet').notNull().default(''),
  date: integer('date').notNull(),
  size: integer('size').notNull().default(0),
  read: integer('read', { mode: 'boolean' }).notNull().default(false),
  flagged: integer('flagged', { mode: 'boolean' }).notNull().default(false),
  isAutoReply: integer('is_auto_reply', { mode: 'boolean' }).notNull().default(false),
  isBounce: integer('is_bounce', { mode: 'boolean' }).notNull().default(false),
  hasAttachments: integer('has_attachments', { mode: 'boolean' }).notNull().default(false),
  parseError: text('parse_error'),
  outboundId: integer('outbound_id').references(() => outboundMessages.id, { onDelete: 'set null' }),
  threadId: integer('thread_id').notNull().references(() => threads.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('messages_copy_uq').on(t.mailboxId, t.folder, t.uidvalidity, t.uid),
  // A thread's messages in order; mailbox and direction ride along so inbox.list's filters never read rows.
  index('messages_thread_idx').on(t.threadId, t.date, t.id, t.mailboxId, t.direction),
  index('messages_msgid_idx').on(t.mailboxId, t.messageId),
  index('messages_outbound_idx').on(t.outboundId).where(sql`outbound_id IS NOT NULL`),
  // FTS rowid → thread for every match of a search, without reading the wide message rows.
  index('messages_thread_of_idx').on(t.id, t.threadId),
  // Unread counts per mailbox (sidebar, sync.status) without reading the mailbox's rows.
  index('messages_unread_idx').on(t.mailboxId).where(sql`read = 0 AND direction = 'in'`),
])

export const messageBodies = sqliteTable('message_bodies', {
  messageId: integer('message_id').primaryKey().references(() => messages.id, { onDelete: 'cascade' }),
  text: text('text'),
  html: text('html'),
  headersJson: text('headers_json').notNull().default('[]'),
  /** The source, kept only when it could not be parsed. */
  raw: blob('raw', { mode: 'buffer' }),
  // 0010: sanitised once by the parse threads (inbound/prepare.ts); state null = not yet (stored before 0010).
  safeHtml: text('safe_html'),
  safeHtmlState: text('safe_html_state', { enum: ['ok', 'size', 'depth'] }),
  safeHtmlRemote: integer('safe_html_remote').notNull().default(0),
  htmlText: text('html_text'),
})

export const attachments = sqliteTable('attachments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  messageId: integer('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  /** The file is <dataDir>/attachments/<sha256[0..2]>/<sha256>, shared by every copy with the same bytes. */
  sha256: text('sha256').notNull(),
  contentId: text('content_id'),
  inline: integer('inline', { mode: 'boolean' }).notNull().default(false),
}, (t) => [index('attachments_message_idx').on(t.messageId), index('attachments_sha_idx').on(t.sha256)])

/** Message-IDs (own and referenced) → thread, per object. WITHOUT ROWID in the migration: one b-tree, not two. */
export const threadRefs = sqliteTable('thread_refs', {
  objectId: integer('object_id').notNull(),
  ref: text('ref').notNull(),
  threadId: integer('thread_id').notNull().references(() => threads.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.objectId, t.ref] }), index('thread_refs_thread_idx').on(t.threadId)])

/** manual = set by the user (beats automatic matching); linked = 0 is a manual unlink. */
export const messageContacts = sqliteTable('message_contacts', {
  messageId: integer('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  manual: integer('manual', { mode: 'boolean' }).notNull().default(false),
  linked: integer('linked', { mode: 'boolean' }).notNull().default(true),
}, (t) => [primaryKey({ columns: [t.messageId, t.contactId] }), index('message_contacts_contact_idx').on(t.contactId, t.messageId).where(sql`linked = 1`)])

/** \Seen changes made in the app, waiting for the sync worker; one row per message and flag (latest wins). */
export const pendingFlagOps = sqliteTable('pending_flag_ops', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  messageId: integer('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
  flag: text('flag').notNull(),
  value: integer('value', { mode: 'boolean' }).notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('pending_flag_ops_uq').on(t.messageId, t.flag)])

/** Remote images allowed for one message (value = messages.id) or one sender (value = address). */
export const remoteImageAllows = sqliteTable('remote_image_allows', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  scope: text('scope', { enum: ['message', 'sender'] }).notNull(),
  value: text('value').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('remote_image_allows_uq').on(t.scope, t.value)])
