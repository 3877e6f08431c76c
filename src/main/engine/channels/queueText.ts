// Putting a text in the one outbox: the row (transport 'twilio', its channel, sender and number) is written
// before anything leaves, like queueMessage for mail. An opted-out contact's text is written `skipped` with
// the reason; WhatsApp free text outside the 24-hour window is refused before any row or request.
import { randomUUID } from 'node:crypto'
import { WINDOW_CLOSED, WINDOW_FIELD, type TemplateRef, type TextChannel } from '../../../shared/channels'
import { textSegments } from '../../../shared/textSegments'
import type { MessageSource, OutboxStatus } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import { addEvent, fromSql, getRow, type OutboxRow, type SqlRow } from '../repos/outbox'
import { twilioRowOf } from '../repos/twilio'
import { optOutReason } from './consent'
import { whatsappWindow } from './window'
// issue 22 item 5: who queued it
import { queuerEmail } from '../repos/authors'

export interface TextInput {
  contactId: number
  channel: TextChannel
  body?: string
  template?: TemplateRef
  /** A number of the contact's (E.164); default their phone. */
  to?: string
  sendAt?: number
  source?: MessageSource
  idempotencyKey?: string
  communicationId?: number | null
}

interface ContactRow {
  id: number
  objectId: number | null
  phone: string
}

export function textContact(ctx: Ctx, contactId: number): ContactRow {
  const c = stmt(ctx.sqlite, 'SELECT id, primary_object_id AS objectId, phone FROM contacts WHERE id = ?').get(contactId) as ContactRow | undefined
  if (!c) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
  if (c.objectId === null) throw new AppError('VALIDATION', 'Contact not assigned to any object', 'contactId')
  return c
}

/** The sender a business texts from on a channel: a number, or (SMS) a Messaging Service; null when it has none. */
export function senderFor(ctx: Ctx, objectId: number, channel: TextChannel): string | null {
  const s = twilioRowOf(ctx, objectId)
  if (!s?.authTokenSealed) return null
  return channel === 'whatsapp' ? (s.whatsappFrom ? `whatsapp:${s.whatsappFrom}` : null) : (s.smsFrom ?? s.messagingServiceSid)
}

/** Why this text cannot be queued at all (no sender, no number, WhatsApp window), or null. Never writes. */
export function cannotText(ctx: Ctx, c: ContactRow, channel: TextChannel, hasTemplate: boolean, to?: string): AppError | null {
  if (!twilioRowOf(ctx, c.objectId!)) return new AppError('VALIDATION', 'Business Twilio not configured', 'channel')
  if (!senderFor(ctx, c.objectId!, channel)) return new AppError('VALIDATION', channel === 'whatsapp' ? 'The business has no WhatsApp number to send from' : 'The business has no SMS number to send from', 'channel')
  if (!(to ?? c.phone)) return new AppError('VALIDATION', 'The contact has no phone number', 'to')
  if (channel === 'whatsapp' && !hasTemplate && !whatsappWindow(ctx, c.id).open) return new AppError('CONFLICT', WINDOW_CLOSED, WINDOW_FIELD)
  return null
}

/** Writes the text's outbox row (queued, or skipped with the reason). Call inside a write; returns the row. */
export function queueText(ctx: Ctx, input: TextInput): OutboxRow {
  const c = textContact(ctx, input.contactId)
  if (!input.body && !input.template) throw new AppError('VALIDATION', 'Type a message or choose a template', 'body')
  const refused = cannotText(ctx, c, input.channel, Boolean(input.template), input.to)
  if (refused) throw refused
  if (input.idempotencyKey) {
    const prior = stmtPluck(ctx.sqlite, 'SELECT id FROM outbound_messages WHERE idempotency_key = ?').get(input.idempotencyKey) as number | undefined
    if (prior) return getRow(ctx, prior)!
  }
  const now = ctx.clock.now()
  const skip = optOutReason(ctx, c.id, input.channel)
  const status: OutboxStatus = skip ? 'skipped' : 'queued'
  const scheduledFor = Math.max(input.sendAt ?? now, now)
  const body = input.template ? '' : input.body!
  const row = stmt(
    ctx.sqlite,
    `INSERT INTO outbound_messages (object_id, contact_id, transport, channel, message_id, from_email, from_name, to_json, subject, html, text, source,
       idempotency_key, status, status_reason, scheduled_for, next_attempt_at, segments, content_sid, content_variables_json, communication_id, created_at, updated_at, created_by)
     VALUES (?, ?, 'twilio', ?, ?, ?, '', ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  ).get(
    c.objectId,
    c.id,
    input.channel,
    `<${randomUUID()}@text.switchboard.local>`,
    senderFor(ctx, c.objectId!, input.channel),
    JSON.stringify([input.to ?? c.phone]),
    body,
    input.source ?? 'compose',
    input.idempotencyKey ?? null,
    status,
    skip,
    scheduledFor,
    skip ? null : scheduledFor,
    input.template ? null : textSegments(body).segments,
    input.template?.contentSid ?? null,
    input.template ? JSON.stringify(input.template.variables) : null,
    input.communicationId ?? null,
    now,
    now,
    queuerEmail(ctx, input.source), // issue 22 item 5: who queued it
  ) as SqlRow
  addEvent(ctx, row.id as number, status, skip ?? (scheduledFor > now ? `Scheduled for ${new Date(scheduledFor).toISOString()}` : null), now)
  return fromSql(row)
}
