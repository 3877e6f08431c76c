// Putting a message in the outbox: the one door compose, drafts, replies and automation all go through.
// The row (with its final Message-ID) is written before anything leaves; the scheduler takes it from there.
// Machinery (not a service), so the inbound reply and the automation runner can queue mail too.
import { randomUUID } from 'node:crypto'
import { htmlToText } from '../../../shared/htmlText'
import type { OutboxStatus } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { isErased } from '../repos/dataRights'
// Cached statements: automation queues thousands of rows in one go, and preparing each time dominated.
import { stmt } from '../db/stmt'
import type { SenderProfile } from '../automation/sender'
import { addEvent, fromSql, getRow, type OutboxRow, type SqlRow } from '../repos/outbox'
import { assertTotal, setAttachments, type Resolved } from './attachments'
import { cleanOutgoingHtml } from './outgoingHtml'
// issue 22 item 5: who queued it
import { queuerEmail } from '../repos/authors'

export interface QueueInput {
  profileId: number
  to: string[]
  cc?: string[]
  subject: string
  html: string
  text?: string
  contactId?: number | null
  /** Epoch ms; default now. */
  sendAt?: number
  source?: OutboxRow['source']
  idempotencyKey?: string
  headers?: Record<string, string>
  tracking?: boolean
  /** Undo window in ms (compose only). */
  undoMs?: number
  draftId?: number | null
  /** Blind copies (envelope only). */
  bcc?: string[]
  /** Files already in the store (outbound/attachments.ts resolveRefs); linked to the row here. */
  attachments?: readonly Resolved[]
  /** The HTML is already clean: a template sanitised once, rendered with every value escaped in text (automation/templates.ts). */
  clean?: boolean
  /**
   * Facts the caller read in this same transaction, so thousands of rows queued in one go (a flow's slice, a
   * bulk send) do not look them up again for every row: the profile as `usableProfile` returned it, and the
   * contact's status.
   */
  known?: { profile?: ProfileRow; contactStatus?: string }
}

/** A message rendered for one contact (automation/templates.ts renderFor), addressed to them. */
export function toContact(
  profileId: number,
  contact: { id: number; email: string },
  r: { subject: string; html: string; text: string; headers: Record<string, string>; clean?: boolean },
  rest: Pick<QueueInput, 'sendAt' | 'source' | 'idempotencyKey'>,
): QueueInput {
  return { profileId, to: [contact.email], subject: r.subject, html: r.html, text: r.text, headers: r.headers, contactId: contact.id, clean: r.clean, ...rest }
}

export type ProfileRow = SenderProfile & { isActive: number }

export function loadProfile(ctx: Ctx, id: number, field = 'profileId'): ProfileRow {
  const p = stmt(ctx.sqlite, 
      `SELECT id, object_id AS objectId, email_address AS email, display_name AS displayName, reply_to_address AS replyTo,
              transport, mailbox_id AS mailboxId, is_active AS isActive FROM email_sending_profiles WHERE id = ?`,
    )
    .get(id) as ProfileRow | undefined
  if (!p) throw new AppError('NOT_FOUND', `Sender profile ${id} does not exist`, field)
  return p
}

/**
 * The RFC 5322 Message-ID, on the sender's domain so receivers see a consistent origin. Its id is a UUIDv7
 * (RFC 9562: 48 bits of time, then a 12-bit counter within the millisecond, then 62 random bits), so rows
 * queued together land side by side in the unique index instead of at random places in it (random ids cost
 * about a third of the CPU of queueing 10,000 rows in a microbench).
 */
let lastMs = -1
let seq = 0
export function newMessageId(fromEmail: string, now: number = Date.now()): string {
  const domain = fromEmail.split('@')[1] || 'switchboard.local'
  const ms = Math.max(0, Math.floor(now))
  // A new millisecond starts its counter at a random point in the lower half (room to count up); within one
  // (or with a clock set back) the counter goes on, and past 4,095 the id borrows the next millisecond.
  if (ms > lastMs) [lastMs, seq] = [ms, Math.floor(Math.random() * 0x800)]
  else if (++seq > 0xfff) [lastMs, seq] = [lastMs + 1, Math.floor(Math.random() * 0x800)]
  const t = lastMs.toString(16).padStart(12, '0').slice(-12)
  const r = randomUUID()
  return `<${t.slice(0, 8)}-${t.slice(8)}-7${seq.toString(16).padStart(3, '0')}-${r.slice(19)}@${domain}>`
}

/** A profile that may queue mail now (switched on, with a way to send), or a VALIDATION/NOT_FOUND error saying why not. */
export function usableProfile(ctx: Ctx, id: number): ProfileRow {
  const profile = loadProfile(ctx, id)
  if (!profile.isActive) throw new AppError('VALIDATION', 'That sender profile is switched off', 'profileId')
  if (profile.transport === 'smtp' && profile.mailboxId === null) throw new AppError('VALIDATION', 'The profile has no mailbox to send through', 'profileId')
  if (profile.transport === 'mailgun') {
    const mg = stmt(ctx.sqlite, 'SELECT api_key_sealed AS k FROM object_mailgun_settings WHERE object_id = ?').get(profile.objectId) as { k: string | null } | undefined
    if (!mg?.k) throw new AppError('VALIDATION', 'Business Mailgun not configured', 'profileId')
  }
  return profile
}

/** A contact's status, or undefined when there is no such contact. */
export const contactStatusOf = (ctx: Ctx, id: number): string | undefined =>
  (stmt(ctx.sqlite, 'SELECT status FROM contacts WHERE id = ?').get(id) as { status: string } | undefined)?.status

/**
 * Why a message must not go to these recipients, or null. `contact`: the contact's id, or its status when
 * the caller already read it in this transaction.
 */
export function suppressionOf(ctx: Ctx, objectId: number, recipients: string[], contact: number | { status: string } | null | undefined): string | null {
  const q = stmt(ctx.sqlite, 'SELECT reason FROM suppressions WHERE email = ? AND (object_id IS NULL OR object_id = ?) LIMIT 1')
  for (const addr of recipients) {
    const hit = q.get(addr.toLowerCase(), objectId) as { reason: string } | undefined
    if (hit) return `${addr} is suppressed (${hit.reason})`
    if (isErased(ctx, objectId, addr)) return `${addr} was erased at the person’s request and is not mailed again`
  }
  const status = typeof contact === 'number' ? contactStatusOf(ctx, contact) : contact?.status
  if (status && status !== 'active') return `The contact is ${status}`
  return null
}

/** Writes the outbound row (queued, or skipped with the reason). Call inside a write; returns the row. */
export function queueMessage(ctx: Ctx, input: QueueInput): OutboxRow {
  const r = writeMessage(ctx, input, true)
  return 'row' in r ? r.row : getRow(ctx, r.id)!
}

/**
 * The same door for automation, which queues thousands of rows in one go and needs only the id and status:
 * reading back the whole stored row (its HTML and text) cost about a tenth of each row's queueing.
 */
export function queueMessageId(ctx: Ctx, input: QueueInput): Queued {
  const r = writeMessage(ctx, input, false)
  return 'row' in r ? { id: r.row.id, status: r.row.status, statusReason: r.row.statusReason } : r
}
export interface Queued {
  id: number
  status: OutboxStatus
  statusReason: string | null
}

function writeMessage(ctx: Ctx, input: QueueInput, full: boolean): { row: OutboxRow } | Queued {
  const known = input.known?.profile
  // A known profile stands for the one asked for, never another (a caller's slip would send from the wrong address).
  const profile = known && known.id === input.profileId ? known : usableProfile(ctx, input.profileId)
  const contactStatus = input.contactId ? (input.known?.contactStatus ?? contactStatusOf(ctx, input.contactId)) : null
  if (input.contactId && contactStatus === undefined) throw new AppError('NOT_FOUND', `Contact ${input.contactId} does not exist`, 'contactId')
  const now = ctx.clock.now()
  const cc = input.cc ?? []
  const bcc = input.bcc ?? []
  if (input.attachments) assertTotal(input.attachments)
  // What people write is sanitised like incoming mail. Automation renders a template sanitised once, with
  // every value escaped: when all its variables stand in text, thousands of rows queued in one go do not pay
  // the sanitiser (~0.4 ms a row) again; a variable inside a tag (an href) is checked row by row.
  const html = input.clean ? input.html : cleanOutgoingHtml(input.html)
  const skip = suppressionOf(ctx, profile.objectId, [...input.to, ...cc, ...bcc], contactStatus ? { status: contactStatus } : null)
  const status: OutboxStatus = skip ? 'skipped' : 'queued'
  const scheduledFor = Math.max(input.sendAt ?? now, now)
  const undoUntil = input.undoMs && !skip ? now + input.undoMs : null
  // RETURNING hands back the stored row (defaults included) without a second lookup.
  const row = stmt(ctx.sqlite, 
      `INSERT INTO outbound_messages (object_id, profile_id, mailbox_id, contact_id, transport, message_id, from_email, from_name, reply_to,
         to_json, cc_json, subject, html, text, headers_json, tracking, source, idempotency_key, status, status_reason, scheduled_for,
         next_attempt_at, undo_until, draft_id, created_at, updated_at, bcc_json, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (object_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING ${full ? '*' : 'id, status'}`,
    )
    .get(
      profile.objectId,
      profile.id,
      profile.transport === 'smtp' ? profile.mailboxId : null,
      input.contactId ?? null,
      profile.transport,
      newMessageId(profile.email, now),
      profile.email,
      profile.displayName,
      profile.replyTo,
      JSON.stringify(input.to),
      JSON.stringify(cc),
      input.subject,
      html,
      input.text?.trim() ? input.text : htmlToText(html),
      JSON.stringify(input.headers ?? {}),
      input.tracking ? 1 : 0,
      input.source ?? 'compose',
      input.idempotencyKey ?? null,
      status,
      skip,
      scheduledFor,
      skip ? null : Math.max(scheduledFor, undoUntil ?? 0),
      undoUntil,
      input.draftId ?? null,
      now,
      now,
      JSON.stringify(bcc),
      queuerEmail(ctx, input.source), // issue 22 item 5: who queued it
    ) as SqlRow | undefined
  if (!row) {
    // Keys are unique per business (migration 0023): the same key again is the row already written, not a second one.
    return stmt(ctx.sqlite, 'SELECT id, status, status_reason AS statusReason FROM outbound_messages WHERE object_id = ? AND idempotency_key = ?').get(
      profile.objectId,
      input.idempotencyKey,
    ) as Queued
  }
  if (input.attachments?.length) setAttachments(ctx, { outboundId: row.id as number }, input.attachments)
  addEvent(ctx, row.id as number, status, skip ?? (scheduledFor > now ? `Scheduled for ${new Date(scheduledFor).toISOString()}` : null), now)
  return full ? { row: fromSql(row) } : { id: row.id as number, status, statusReason: skip }
}
