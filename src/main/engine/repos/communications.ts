// Communications: one message to one contact with its plan of channels; each attempt is an outbox row
// carrying communication_id.
import type { OutboxChannel } from '../../../shared/channels'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface CommunicationRow {
  id: number
  objectId: number
  contactId: number
  urgency: string
  planJson: string
  payloadJson: string
  status: string
  statusReason: string | null
  sendAt: number
  createdAt: number
  updatedAt: number
}

const COLS = `id, object_id AS objectId, contact_id AS contactId, urgency, plan_json AS planJson, payload_json AS payloadJson, status, status_reason AS statusReason,
  send_at AS sendAt, created_at AS createdAt, updated_at AS updatedAt`

export const communicationRow = (ctx: Ctx, id: number): CommunicationRow | undefined => stmt(ctx.sqlite, `SELECT ${COLS} FROM communications WHERE id = ?`).get(id) as CommunicationRow | undefined

export const communicationsOf = (ctx: Ctx, contactId: number, limit: number): CommunicationRow[] =>
  stmt(ctx.sqlite, `SELECT ${COLS} FROM communications WHERE contact_id = ? ORDER BY id DESC LIMIT ?`).all(contactId, limit) as CommunicationRow[]

export function insertCommunication(ctx: Ctx, r: Omit<CommunicationRow, 'id' | 'updatedAt'>): number {
  return stmtPluck(
    ctx.sqlite,
    `INSERT INTO communications (object_id, contact_id, urgency, plan_json, payload_json, status, status_reason, send_at, created_at, updated_at)
     VALUES (@objectId, @contactId, @urgency, @planJson, @payloadJson, @status, @statusReason, @sendAt, @createdAt, @createdAt) RETURNING id`,
  ).get(r) as number
}

export const setCommunicationStatus = (ctx: Ctx, id: number, status: string, reason: string | null, at: number): void =>
  void stmt(ctx.sqlite, 'UPDATE communications SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?').run(status, reason, at, id)

export const linkAttempt = (ctx: Ctx, outboundId: number, communicationId: number): void =>
  void stmt(ctx.sqlite, 'UPDATE outbound_messages SET communication_id = ? WHERE id = ?').run(communicationId, outboundId)

export interface AttemptRow { outboundId: number; channel: 'email' | 'sms' | 'whatsapp'; status: string; statusReason: string | null }
export const attemptsOf = (ctx: Ctx, communicationId: number): AttemptRow[] =>
  stmt(ctx.sqlite, 'SELECT id AS outboundId, channel, status, status_reason AS statusReason FROM outbound_messages INDEXED BY outbound_communication_idx WHERE communication_id = ? ORDER BY id').all(communicationId) as AttemptRow[]

export const communicationOfOutbound = (ctx: Ctx, outboundId: number): { communicationId: number | null; channel: string } | undefined =>
  stmt(ctx.sqlite, 'SELECT communication_id AS communicationId, channel FROM outbound_messages WHERE id = ?').get(outboundId) as { communicationId: number | null; channel: string } | undefined

export interface ContactForComms { id: number; objectId: number | null; email: string | null; phone: string; status: string; timezone: string | null; objectTimezone: string | null; preferredChannel: OutboxChannel | null }
export const contactForComms = (ctx: Ctx, id: number): ContactForComms | undefined =>
  stmt(ctx.sqlite, `SELECT c.id, c.primary_object_id AS objectId, c.email, c.phone, c.status, c.timezone, o.timezone AS objectTimezone, c.preferred_channel AS preferredChannel
    FROM contacts c LEFT JOIN objects o ON o.id = c.primary_object_id WHERE c.id = ?`).get(id) as ContactForComms | undefined

/** Sets a contact's preferred channel (null: none); false when the contact does not exist. */
export const setPreferredChannel = (ctx: Ctx, contactId: number, channel: OutboxChannel | null, now: number, by: string | null): boolean =>
  stmt(ctx.sqlite, 'UPDATE contacts SET preferred_channel = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(channel, now, by, contactId).changes > 0

/** The business's first active sender profile (the email attempt's From when none is named). */
export const defaultProfileOf = (ctx: Ctx, objectId: number): number | null =>
  (stmtPluck(ctx.sqlite, 'SELECT id FROM email_sending_profiles WHERE object_id = ? AND is_active = 1 ORDER BY id LIMIT 1').get(objectId) as number | undefined) ?? null

export const quietHoursKey = (objectId: number) => `channels.quietHours.${objectId}`
