// Queries of consent per contact and channel: the current answer (consent) and its history (consent_events).
// Callers wrap setConsent in their transaction so the answer and the send it governs change together.
import type { Ctx } from '../context'
import { iso } from '../clock'
import { stmt } from '../db/stmt'
import type { Channel, Consent, ConsentStatus } from '../../../shared/consent'

interface Row { contactId: number; channel: Channel; status: ConsentStatus; source: string; at: number }
const toConsent = (r: Row): Consent => ({ ...r, at: iso(r.at) })

export function consentOf(ctx: Ctx, contactId: number): Consent[] {
  return (
    stmt(ctx.sqlite, 'SELECT contact_id AS contactId, channel, status, source, at FROM consent WHERE contact_id = ? ORDER BY channel').all(contactId) as Row[]
  ).map(toConsent)
}

/** The current answer for one channel, or null when the contact was never asked. */
export function consentFor(ctx: Ctx, contactId: number, channel: Channel): Consent | null {
  const r = stmt(ctx.sqlite, 'SELECT contact_id AS contactId, channel, status, source, at FROM consent WHERE contact_id = ? AND channel = ?').get(contactId, channel) as
    | Row
    | undefined
  return r ? toConsent(r) : null
}

/** True when the contact withdrew consent for this channel (no row means never asked: not revoked). */
export function isRevoked(ctx: Ctx, contactId: number, channel: Channel): boolean {
  return stmt(ctx.sqlite, "SELECT 1 FROM consent WHERE contact_id = ? AND channel = ? AND status = 'revoked'").get(contactId, channel) !== undefined
}

/** Records an answer and its history line; a repeat of the current answer changes nothing. Returns whether it changed. */
export function setConsent(ctx: Ctx, contactId: number, channel: Channel, status: ConsentStatus, source: string, at: number): boolean {
  const cur = stmt(ctx.sqlite, 'SELECT status FROM consent WHERE contact_id = ? AND channel = ?').get(contactId, channel) as { status: string } | undefined
  if (cur?.status === status) return false
  stmt(
    ctx.sqlite,
    'INSERT INTO consent (contact_id, channel, status, source, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (contact_id, channel) DO UPDATE SET status = excluded.status, source = excluded.source, at = excluded.at',
  ).run(contactId, channel, status, source, at)
  stmt(ctx.sqlite, 'INSERT INTO consent_events (contact_id, channel, status, source, at) VALUES (?, ?, ?, ?, ?)').run(contactId, channel, status, source, at)
  return true
}

export function consentHistory(ctx: Ctx, contactId: number): Consent[] {
  return (
    stmt(ctx.sqlite, 'SELECT contact_id AS contactId, channel, status, source, at FROM consent_events WHERE contact_id = ? ORDER BY at, id').all(contactId) as Row[]
  ).map(toConsent)
}
