// SQLite schema (drizzle). Times are integer milliseconds since the epoch; secrets are sealed by a SecretBox.
// After a change here run `npm run db:generate` and commit the new file under resources/migrations.
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt, stamps } from './columns'


// ---------- tenancy ----------
export const objects = sqliteTable('objects', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  postalAddress: text('postal_address').notNull().default(''),
  timezone: text('timezone').notNull().default('UTC'),
  /** Added by migration 0006 (automation): the business's own https unsubscribe page, or null (mailto). */
  unsubscribeUrl: text('unsubscribe_url'),
  /** Added by migration 0020 (issue 17): ISO country national phone numbers are read by; null: from the time zone. */
  country: text('country'),
  ...stamps(),
}, (t) => [uniqueIndex('objects_name_uq').on(sql`${t.name} COLLATE NOCASE`)])

export const objectMailgunSettings = sqliteTable('object_mailgun_settings', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  sendingDomain: text('sending_domain').notNull(),
  apiKeySealed: text('api_key_sealed'),
  region: text('region', { enum: ['us', 'eu'] }).notNull().default('us'),
  apiBaseUrl: text('api_base_url'),
  verifiedAt: integer('verified_at'),
  isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
  ...stamps(),
}, (t) => [uniqueIndex('object_mailgun_settings_object_uq').on(t.objectId)])

export const mailboxes = sqliteTable('mailboxes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  displayName: text('display_name').notNull().default(''),
  dailyCapacity: integer('daily_capacity').notNull().default(200),
  minGapSeconds: integer('min_gap_seconds').notNull().default(30),
  smtpHost: text('smtp_host').notNull(),
  smtpPort: integer('smtp_port').notNull(),
  smtpSecurity: text('smtp_security', { enum: ['tls', 'starttls', 'none'] }).notNull(),
  smtpUser: text('smtp_user').notNull(),
  smtpPasswordSealed: text('smtp_password_sealed').notNull(),
  imapHost: text('imap_host'),
  imapPort: integer('imap_port'),
  imapSecurity: text('imap_security', { enum: ['tls', 'starttls', 'none'] }),
  imapUser: text('imap_user'),
  imapPasswordSealed: text('imap_password_sealed'),
  sentCopy: text('sent_copy', { enum: ['append', 'server', 'none'] }).notNull().default('append'),
  status: text('status', { enum: ['active', 'paused', 'auth_error'] }).notNull().default('active'),
  statusReason: text('status_reason'),
  /** The problem's stable code while sending is stopped for the settings (shared/serverErrors; migration 0012). */
  statusCode: text('status_code'),
  /** Months of mail the sync keeps (null = all of it; migration 0024, issue 23). */
  syncWindowMonths: integer('sync_window_months'),
  ...stamps(),
}, (t) => [uniqueIndex('mailboxes_object_email_uq').on(t.objectId, t.email), index('mailboxes_object_idx').on(t.objectId)])

export const emailSendingProfiles = sqliteTable('email_sending_profiles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  emailAddress: text('email_address').notNull(),
  displayName: text('display_name').notNull(),
  replyToAddress: text('reply_to_address'),
  transport: text('transport', { enum: ['mailgun', 'smtp'] }).notNull(),
  // RESTRICT: a mailbox that a profile sends through cannot vanish under it.
  mailboxId: integer('mailbox_id').references(() => mailboxes.id, { onDelete: 'restrict' }),
  isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
  /** Inserted above the quote in compose and replies (migration 0013). */
  signatureHtml: text('signature_html').notNull().default(''),
  ...stamps(),
}, (t) => [uniqueIndex('profiles_object_email_uq').on(t.objectId, t.emailAddress), index('profiles_mailbox_idx').on(t.mailboxId)])

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('users_email_uq').on(t.email)])

export const userEmailProfileAssignments = sqliteTable('user_email_profile_assignments', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  profileId: integer('profile_id').notNull().references(() => emailSendingProfiles.id, { onDelete: 'cascade' }),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.userId, t.profileId] }), index('assignments_profile_idx').on(t.profileId)])

// ---------- people ----------
export const contacts = sqliteTable('contacts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  // RESTRICT: deleting a business never silently orphans or deletes its customers.
  primaryObjectId: integer('primary_object_id').references(() => objects.id, { onDelete: 'restrict' }),
  email: text('email'),
  firstName: text('first_name').notNull().default(''),
  lastName: text('last_name').notNull().default(''),
  company: text('company').notNull().default(''),
  phone: text('phone').notNull().default(''),
  timezone: text('timezone'),
  fieldsJson: text('fields_json').notNull().default('{}'),
  status: text('status', { enum: ['active', 'unsubscribed', 'bounced', 'complained'] }).notNull().default('active'),
  // Lower-cased "first last" (or the email when nameless): the key the grid sorts by.
  sortName: text('sort_name').notNull().default(''),
  // migration 0015 (issue 19): the company (FK in the migration: companies is declared in schemaCrm.ts),
  // and the last mail in and out, kept by triggers.
  companyId: integer('company_id'),
  lastInboundAt: integer('last_inbound_at'),
  lastOutboundAt: integer('last_outbound_at'),
  // migration 0020 (issue 17): every number in searchable forms, what contacts_fts indexes as `phone`.
  phoneSearch: text('phone_search').notNull().default(''),
  ...stamps(),
}, (t) => [
  // contacts_object_email_uq (email unique per object, NULL object = object 0) and the FTS5 search table
  // live in the hand-written migration 0001: drizzle-kit cannot express either.
  index('contacts_email_idx').on(t.email),
  index('contacts_sort_name_idx').on(t.sortName, t.id),
  index('contacts_company_idx').on(sql`${t.company} COLLATE NOCASE`, t.id),
  index('contacts_created_idx').on(t.createdAt, t.id),
  index('contacts_updated_idx').on(t.updatedAt, t.id),
  index('contacts_object_idx').on(t.primaryObjectId, t.sortName, t.id),
])

export const contactEmails = sqliteTable('contact_emails', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('contact_emails_uq').on(t.contactId, t.email), index('contact_emails_email_idx').on(t.email)])

export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  color: text('color').notNull().default('slate'),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('tags_name_uq').on(sql`${t.name} COLLATE NOCASE`)])

export const contactTags = sqliteTable('contact_tags', {
  tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.tagId, t.contactId] }), index('contact_tags_contact_idx').on(t.contactId)])

export const suppressions = sqliteTable('suppressions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  // NULL: suppressed for every object.
  objectId: integer('object_id').references(() => objects.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  reason: text('reason', { enum: ['unsubscribed', 'bounced', 'complained', 'manual'] }).notNull(),
  createdAt: createdAt(),
  // suppressions_uq (one row per object and address, NULL object = 0) is in migration 0001.
}, (t) => [index('suppressions_email_idx').on(t.email)])

export * from './schemaOutbound'
export * from './schemaInbox'
export * from './schemaSync'
export * from './schemaAutomation'
export * from './schemaCrm'
export * from './schemaChannels'
