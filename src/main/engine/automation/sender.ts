// Who sends an automated message: always the contact's object's active profile, never whoever set the
// automation up (seed 000). The failure messages are the seed's own words.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export interface SenderProfile {
  id: number
  objectId: number
  email: string
  displayName: string
  replyTo: string | null
  transport: 'smtp' | 'mailgun'
  mailboxId: number | null
}

export const NO_OBJECT = 'Contact not assigned to any business'
export const NO_PROFILE = 'Business has no email sending profile configured'
export const NO_MAILGUN = 'Business Mailgun not configured'

const PROFILE_COLS = `id, object_id AS objectId, email_address AS email, display_name AS displayName, reply_to_address AS replyTo, transport, mailbox_id AS mailboxId`

export function profileById(ctx: Ctx, id: number): SenderProfile | undefined {
  return stmt(ctx.sqlite, `SELECT ${PROFILE_COLS} FROM email_sending_profiles WHERE id = ?`).get(id) as SenderProfile | undefined
}

/** The object's active profile: a usable one first (an SMTP profile needs its mailbox), then the oldest. */
export function activeProfile(ctx: Ctx, objectId: number): SenderProfile | undefined {
  return stmt(
    ctx.sqlite,
    `SELECT ${PROFILE_COLS} FROM email_sending_profiles WHERE object_id = ? AND is_active = 1
     ORDER BY (transport = 'smtp' AND mailbox_id IS NULL), id LIMIT 1`,
  ).get(objectId) as SenderProfile | undefined
}

/** The profile that sends through a mailbox (sequences rotate mailboxes, each with its own From). */
export function profileOfMailbox(ctx: Ctx, mailboxId: number): SenderProfile | undefined {
  return stmt(ctx.sqlite, `SELECT ${PROFILE_COLS} FROM email_sending_profiles WHERE mailbox_id = ? AND transport = 'smtp' AND is_active = 1 ORDER BY id LIMIT 1`).get(
    mailboxId,
  ) as SenderProfile | undefined
}

export function mailgunReady(ctx: Ctx, objectId: number): boolean {
  const mg = stmt(ctx.sqlite, 'SELECT api_key_sealed AS k, is_active AS a FROM object_mailgun_settings WHERE object_id = ?').get(objectId) as
    | { k: string | null; a: number }
    | undefined
  return !!mg?.k && mg.a === 1
}

export type SenderCheck = { ok: true; profile: SenderProfile } | { ok: false; error: string }

export function senderFor(ctx: Ctx, objectId: number | null): SenderCheck {
  if (objectId === null) return { ok: false, error: NO_OBJECT }
  const profile = activeProfile(ctx, objectId)
  if (!profile) return { ok: false, error: NO_PROFILE }
  if (profile.transport === 'mailgun' && !mailgunReady(ctx, objectId)) return { ok: false, error: NO_MAILGUN }
  return { ok: true, profile }
}
