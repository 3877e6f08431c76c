// The outbound tables: one outbox that compose, replies, autoresponders and sequences all write into.
// State machine in ARCHITECTURE §4; every status change appends to message_events in the same transaction.

import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt, stamps } from './columns'
import { FAILURE_KINDS, MESSAGE_SOURCES, OUTBOX_STATUSES } from '../../../shared/outbound'
import { contacts, emailSendingProfiles, mailboxes, objects } from './schema'
import { CHANNELS } from '../../../shared/channels'

export const outboundMessages = sqliteTable('outbound_messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  profileId: integer('profile_id').references(() => emailSendingProfiles.id, { onDelete: 'set null' }),
  mailboxId: integer('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
  contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
  transport: text('transport', { enum: ['smtp', 'mailgun', 'twilio'] }).notNull(),
  // Fixed at queue time: a resend after a crash carries the same id, so duplicates can be found.
  messageId: text('message_id').notNull(),
  fromEmail: text('from_email').notNull(),
  fromName: text('from_name').notNull().default(''),
  replyTo: text('reply_to'),
  toJson: text('to_json').notNull(),
  ccJson: text('cc_json').notNull().default('[]'),
  subject: text('subject').notNull(),
  html: text('html').notNull(),
  text: text('text').notNull(),
  /** Extra headers (In-Reply-To, References, List-Unsubscribe) as a JSON object. */
  headersJson: text('headers_json').notNull().default('{}'),
  tracking: integer('tracking', { mode: 'boolean' }).notNull().default(false),
  source: text('source', { enum: MESSAGE_SOURCES }).notNull().default('compose'),
  /** Caller's key (e.g. "autoresponder:3:contact:9:action:1"): the same key never queues twice. */
  idempotencyKey: text('idempotency_key'),
  status: text('status', { enum: OUTBOX_STATUSES }).notNull(),
  statusReason: text('status_reason'),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(4),
  lastError: text('last_error'),
  errorKind: text('error_kind', { enum: FAILURE_KINDS }),
  /** Stable code of the connection or sign-in problem behind the last failure or hold (shared/serverErrors; migration 0012). */
  errorCode: text('error_code'),
  scheduledFor: integer('scheduled_for').notNull(),
  /** When the scheduler may next look at the row (queued, retry_wait, held with a time). */
  nextAttemptAt: integer('next_attempt_at'),
  undoUntil: integer('undo_until'),
  leaseOwner: text('lease_owner'),
  leaseUntil: integer('lease_until'),
  /** The local day whose capacity this send was counted against (released if the send fails). */
  capacityDay: text('capacity_day'),
  providerId: text('provider_id'),
  draftId: integer('draft_id'),
  sentAt: integer('sent_at'),
  /** Blind copies: in the envelope only, never in the headers others see (migration 0013). */
  bccJson: text('bcc_json').notNull().default('[]'),
  ...stamps(),
  // ---- channels (migration 0019, issue 17): texts ride the same outbox (transport 'twilio')
  channel: text('channel', { enum: CHANNELS }).notNull().default('email'),
  segments: integer('segments'),
  contentSid: text('content_sid'),
  contentVariablesJson: text('content_variables_json'),
  /** Twilio's own status of a sent text, and when it was last polled. */
  providerStatus: text('provider_status'),
  polledAt: integer('polled_at'),
  communicationId: integer('communication_id'),
}, (t) => [
  uniqueIndex('outbound_message_id_uq').on(t.messageId),
  // Mostly-NULL columns index only their values (migration 0009): a NULL entry cost a WAL page per queued row.
  uniqueIndex('outbound_idempotency_uq').on(t.objectId, t.idempotencyKey).where(sql`idempotency_key IS NOT NULL`),
  // Status indexes cover only open rows (not sent, delivered, opened, clicked): a claim or a record then
  // moves entries inside a tree the size of the queue, not of the whole history (migration 0008).
  index('outbound_open_idx').on(t.status, t.nextAttemptAt, t.id).where(sql`status NOT IN ('sent', 'delivered', 'opened', 'clicked')`),
  // The scheduler's "what is due next" walk: ordered, with no sort step however long the queue is.
  // It also carries the lane and window inputs, so the walk never reads the table (migration 0008).
  index('outbound_ready_idx').on(t.nextAttemptAt, t.id, t.transport, t.mailboxId, t.objectId, t.source, t.contactId, t.channel).where(sql`status IN ('queued', 'retry_wait')`),
  // A mailbox's rows by status: what it still has to send, and its foreign key (migration 0009).
  index('outbound_mailbox_idx').on(t.mailboxId, t.status),
  index('outbound_object_idx').on(t.objectId, t.status),
  index('outbound_contact_idx').on(t.contactId).where(sql`contact_id IS NOT NULL`),
  index('outbound_provider_idx').on(t.providerId).where(sql`provider_id IS NOT NULL`),
])

export const drafts = sqliteTable('drafts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  profileId: integer('profile_id').references(() => emailSendingProfiles.id, { onDelete: 'set null' }),
  contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
  toJson: text('to_json').notNull().default('[]'),
  ccJson: text('cc_json').notNull().default('[]'),
  subject: text('subject').notNull().default(''),
  html: text('html').notNull().default(''),
  /** Set while the draft's message sits in the outbox's undo window; hidden from the drafts list. */
  sentAs: integer('sent_as'),
  /** Migration 0013: Bcc, and the message a reply/forward draft answers (sent through messages.reply). */
  bccJson: text('bcc_json').notNull().default('[]'),
  replyToMessageId: integer('reply_to_message_id'),
  replyMode: text('reply_mode', { enum: ['reply', 'replyAll', 'forward'] }),
  ...stamps(),
}, (t) => [index('drafts_updated_idx').on(t.updatedAt)])

export const mailboxDailyCounts = sqliteTable('mailbox_daily_counts', {
  mailboxId: integer('mailbox_id').notNull().references(() => mailboxes.id, { onDelete: 'cascade' }),
  /** YYYY-MM-DD in the time zone of the mailbox's business. */
  day: text('day').notNull(),
  sent: integer('sent').notNull().default(0),
  lastSendAt: integer('last_send_at'),
}, (t) => [primaryKey({ columns: [t.mailboxId, t.day] })])

export const messageEvents = sqliteTable('message_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  outboundId: integer('outbound_id').notNull().references(() => outboundMessages.id, { onDelete: 'cascade' }),
  type: text('type').notNull(),
  detail: text('detail'),
  /** Provider's event id (Mailgun), so a re-polled page is not recorded twice. */
  providerEventId: text('provider_event_id'),
  at: integer('at').notNull(),
}, (t) => [index('message_events_outbound_idx').on(t.outboundId, t.id), uniqueIndex('message_events_provider_uq').on(t.providerEventId).where(sql`provider_event_id IS NOT NULL`)])

export const deadLetters = sqliteTable('dead_letters', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  outboundId: integer('outbound_id').notNull().references(() => outboundMessages.id, { onDelete: 'cascade' }),
  errorKind: text('error_kind').notNull(),
  error: text('error').notNull(),
  attempts: integer('attempts').notNull(),
  createdAt: createdAt(),
}, (t) => [index('dead_letters_outbound_idx').on(t.outboundId)])

/** Small engine state: the current user, provider poll cursors. */
export const appSettings = sqliteTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
})

/** Files attached to outgoing mail (migration 0013): bytes in the data dir's content-hash store, owned by a
 * draft or an outbox row (neither while an upload waits for its draft's next save). */
export const mailAttachments = sqliteTable('mail_attachments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  draftId: integer('draft_id').references(() => drafts.id, { onDelete: 'cascade' }),
  outboundId: integer('outbound_id').references(() => outboundMessages.id, { onDelete: 'cascade' }),
  position: integer('position').notNull().default(0),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: createdAt(),
}, (t) => [
  index('mail_attachments_draft_idx').on(t.draftId, t.position).where(sql`draft_id IS NOT NULL`),
  index('mail_attachments_outbound_idx').on(t.outboundId, t.position).where(sql`outbound_id IS NOT NULL`),
  // Received mail's removal asks whether any outgoing message still needs a file before deleting it.
  index('mail_attachments_sha_idx').on(t.sha256),
])
