// SMS and WhatsApp (migration 0019, hand-written): Twilio settings per business, received texts, and the
// communications whose fallback chains link outbox rows. The outbox's new columns are in schemaOutbound.ts.
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt, stamps } from './columns'
import { contacts, objects } from './schema'

export const objectTwilioSettings = sqliteTable('object_twilio_settings', {
  objectId: integer('object_id').primaryKey().references(() => objects.id, { onDelete: 'cascade' }),
  accountSid: text('account_sid').notNull(),
  authTokenSealed: text('auth_token_sealed'),
  smsFrom: text('sms_from'),
  messagingServiceSid: text('messaging_service_sid'),
  whatsappFrom: text('whatsapp_from'),
  apiBaseUrl: text('api_base_url'),
  smsPerSecond: real('sms_per_second').notNull().default(1),
  whatsappPerSecond: real('whatsapp_per_second').notNull().default(1),
  ...stamps(),
})

export const communications = sqliteTable('communications', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  urgency: text('urgency').notNull(),
  planJson: text('plan_json').notNull(),
  payloadJson: text('payload_json').notNull(),
  status: text('status').notNull(),
  statusReason: text('status_reason'),
  sendAt: integer('send_at').notNull(),
  ...stamps(),
}, (t) => [index('communications_contact_idx').on(t.contactId, t.id)])

export const textMessages = sqliteTable('text_messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull().references(() => objects.id, { onDelete: 'cascade' }),
  contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
  channel: text('channel', { enum: ['sms', 'whatsapp'] }).notNull(),
  sid: text('sid').notNull(),
  fromPhone: text('from_phone').notNull(),
  toPhone: text('to_phone').notNull(),
  body: text('body').notNull(),
  receivedAt: integer('received_at').notNull(),
  read: integer('read', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('text_messages_sid_uq').on(t.sid), index('text_messages_contact_idx').on(t.contactId, t.channel, t.receivedAt), index('text_messages_recent_idx').on(t.objectId, t.receivedAt)])
