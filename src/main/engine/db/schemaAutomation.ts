// The automation tables (migration 0006, hand-written): autoresponders (seed 000) and sequences (seed 002).
// Every message they send is a row of outbound_messages; these tables only say why it was sent.
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt, stamps, updatedAt } from './columns'
import { contacts, mailboxes, objects, tags } from './schema'
import { outboundMessages } from './schemaOutbound'

const WAIT_UNITS = ['minutes', 'hours', 'days'] as const
/** What an autoresponder action and a sequence step both are: a message template at a place in order. */
const templateColumns = () => ({
  position: integer('position').notNull(),
  subject: text('subject').notNull(),
  bodyHtml: text('body_html').notNull(),
})

export const autoresponders = sqliteTable('autoresponders', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  objectId: integer('object_id').references(() => objects.id, { onDelete: 'cascade' }),
  isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
  triggerType: text('trigger_type', { enum: ['TAG_ADDED', 'CONTACT_CREATED', 'DATE_BASED'] }).notNull(),
  triggerTagId: integer('trigger_tag_id').references(() => tags.id, { onDelete: 'set null' }),
  triggerField: text('trigger_field'),
  triggerOffsetDays: integer('trigger_offset_days'),
  totalSent: integer('total_sent').notNull().default(0),
  totalFailed: integer('total_failed').notNull().default(0),
  totalSkipped: integer('total_skipped').notNull().default(0),
  lastFiredAt: integer('last_fired_at'),
  /** DATE_BASED: the last local day already checked (catch-up starts after it). */
  dateCheckedThrough: text('date_checked_through'),
  ...stamps(),
}, (t) => [index('autoresponders_trigger_idx').on(t.triggerType, t.isActive)])

export const autoresponderActions = sqliteTable('autoresponder_actions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  autoresponderId: integer('autoresponder_id').notNull().references(() => autoresponders.id, { onDelete: 'cascade' }),
  ...templateColumns(),
  delayValue: integer('delay_value').notNull().default(0),
  delayUnit: text('delay_unit', { enum: WAIT_UNITS }).notNull().default('minutes'),
  createdAt: createdAt(),
}, (t) => [index('autoresponder_actions_ar_idx').on(t.autoresponderId, t.position)])

export const autoresponderExecutions = sqliteTable('autoresponder_executions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  autoresponderId: integer('autoresponder_id').notNull().references(() => autoresponders.id, { onDelete: 'cascade' }),
  actionId: integer('action_id').notNull().references(() => autoresponderActions.id, { onDelete: 'cascade' }),
  contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
  /** What fired it: 'tag:<ms>', 'created', or the date 'YYYY-MM-DD' of a date trigger (never twice per date). */
  fireKey: text('fire_key').notNull(),
  status: text('status', { enum: ['PENDING', 'SENT', 'FAILED', 'SKIPPED'] }).notNull(),
  error: text('error'),
  outboundId: integer('outbound_id').references(() => outboundMessages.id, { onDelete: 'set null' }),
  scheduledFor: integer('scheduled_for').notNull(),
  ...stamps(),
}, (t) => [
  uniqueIndex('autoresponder_executions_fire_uq').on(t.autoresponderId, t.contactId, t.actionId, t.fireKey),
  index('autoresponder_executions_list_idx').on(t.autoresponderId, t.id),
  index('autoresponder_executions_contact_idx').on(t.contactId, t.status),
  index('autoresponder_executions_outbound_idx').on(t.outboundId).where(sql`outbound_id IS NOT NULL`),
])

export const sequences = sqliteTable('sequences', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  status: text('status', { enum: ['active', 'paused'] }).notNull().default('active'),
  /** SendWindow as JSON, or null for any time. */
  windowJson: text('window_json'),
  /** Round-robin cursor over the sequence's mailboxes for new enrolments. */
  rotation: integer('rotation').notNull().default(0),
  ...stamps(),
})

export const sequenceSteps = sqliteTable('sequence_steps', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sequenceId: integer('sequence_id').notNull().references(() => sequences.id, { onDelete: 'cascade' }),
  ...templateColumns(),
  waitValue: integer('wait_value').notNull().default(0),
  waitUnit: text('wait_unit', { enum: WAIT_UNITS }).notNull().default('days'),
}, (t) => [uniqueIndex('sequence_steps_uq').on(t.sequenceId, t.position)])

export const sequenceMailboxes = sqliteTable('sequence_mailboxes', {
  sequenceId: integer('sequence_id').notNull().references(() => sequences.id, { onDelete: 'cascade' }),
  mailboxId: integer('mailbox_id').notNull().references(() => mailboxes.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
}, (t) => [primaryKey({ columns: [t.sequenceId, t.mailboxId] })])

export const sequenceContacts = sqliteTable('sequence_contacts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sequenceId: integer('sequence_id').notNull().references(() => sequences.id, { onDelete: 'cascade' }),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  status: text('status', { enum: ['active', 'paused', 'completed', 'replied', 'bounced', 'unsubscribed', 'failed'] }).notNull().default('active'),
  currentStep: integer('current_step').notNull().default(1),
  nextStepAt: integer('next_step_at'),
  /** The mailbox that sent (or will send) step 1; every later step keeps it. */
  mailboxId: integer('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
  /** The outbound row of the step on its way; null while the next step waits. */
  pendingOutboundId: integer('pending_outbound_id'),
  /** Step 1's Message-ID: follow-ups carry it in In-Reply-To/References. */
  firstMessageId: text('first_message_id'),
  lastSentAt: integer('last_sent_at'),
  lastError: text('last_error'),
  enrolledAt: integer('enrolled_at').notNull(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('sequence_contacts_uq').on(t.sequenceId, t.contactId),
  index('sequence_contacts_contact_idx').on(t.contactId),
  index('sequence_contacts_due_idx').on(t.nextStepAt, t.id).where(sql`status = 'active' AND pending_outbound_id IS NULL`),
  index('sequence_contacts_list_idx').on(t.sequenceId, t.status, t.id),
])

export const sequenceMessages = sqliteTable('sequence_messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sequenceId: integer('sequence_id').notNull().references(() => sequences.id, { onDelete: 'cascade' }),
  sequenceContactId: integer('sequence_contact_id').notNull().references(() => sequenceContacts.id, { onDelete: 'cascade' }),
  stepPosition: integer('step_position').notNull(),
  outboundId: integer('outbound_id').notNull().references(() => outboundMessages.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('sequence_messages_outbound_uq').on(t.outboundId),
  index('sequence_messages_seq_idx').on(t.sequenceId, t.stepPosition),
  index('sequence_messages_sc_idx').on(t.sequenceContactId),
])
