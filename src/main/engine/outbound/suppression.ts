// Suppressing an address after a bounce, complaint or unsubscribe: the one scope rule (suppressionScope), used by
// Mailgun events, IMAP DSNs and unsubscribe mail (suppress) and by a contact marked by hand (contacts.update).
// Call inside the caller's transaction.
import type { Ctx } from '../context'
import { contactIdForAddress, insertSuppression, markContactIfActive } from '../repos/suppressions'
import { stmt } from '../db/stmt'
import { recipientsOf, transition } from '../repos/outbox'
import { suppressionOf } from './queue'

export type SuppressReason = 'bounced' | 'complained' | 'unsubscribed'

export interface SuppressSource {
  /** The business the failed mail was sent from. */
  objectId: number
  outboundId: number | null
  contactId: number | null
}

/**
 * Which businesses may no longer mail the address (null: every one). An unsubscribe is from one business: the one
 * that sent, or by hand the contact's own (a contact of no business: every one). Bounces and complaints are about
 * the address itself, whoever sent.
 */
export const suppressionScope = (reason: SuppressReason, objectId: number | null): number | null => (reason === 'unsubscribed' ? objectId : null)

/** Records the address as suppressed for `reason` in the scope the rule gives. */
export function recordSuppression(ctx: Ctx, objectId: number | null, email: string, reason: SuppressReason): void {
  insertSuppression(ctx, suppressionScope(reason, objectId), email.trim().toLowerCase(), reason, ctx.clock.now())
}

/** Records the suppression, sets the contact's status and emits the matching hook. Returns the contact id. */
export function suppress(ctx: Ctx, src: SuppressSource, email: string, reason: SuppressReason): number | null {
  const addr = email.trim().toLowerCase()
  recordSuppression(ctx, src.objectId, addr, reason)
  const contactId = src.contactId ?? contactIdForAddress(ctx, addr, src.objectId) ?? null
  if (contactId) {
    markContactIfActive(ctx, contactId, reason, ctx.clock.now())
    ctx.emit('contacts.changed', { ids: [contactId] })
  }
  if (reason === 'bounced') ctx.hooks.emit('outbound.bounced', { outboundId: src.outboundId, contactId, email: addr })
  else if (contactId) ctx.hooks.emit('contacts.unsubscribed', { contactId, reason })
  return contactId
}

/**
 * Due e-mail rows to an address suppressed since they were queued are skipped, not sent: the suppression may have
 * been recorded later on this desktop or, in a team workspace, on another one (issue 22: a suppression made on one
 * desktop stops the sends of every desktop). Call in the claim's transaction with the rows this desktop may send;
 * returns those that may still go and adds the skipped ones to `changed`.
 */
export function skipSuppressed<T extends { id: number; objectId: number; channel?: string | null }>(ctx: Ctx, heads: T[], changed: number[]): T[] {
  const mail = heads.filter((h) => (h.channel ?? 'email') === 'email')
  if (!mail.length || stmt(ctx.sqlite, 'SELECT 1 FROM suppressions LIMIT 1').get() === undefined) return heads
  const rows = stmt(ctx.sqlite, "SELECT id, to_json AS toJson, cc_json AS ccJson, ifnull(bcc_json, '[]') AS bccJson FROM outbound_messages WHERE id IN (SELECT value FROM json_each(?))").all(
    JSON.stringify(mail.map((h) => h.id)),
  ) as Array<{ id: number; toJson: string; ccJson: string; bccJson: string }>
  const byId = new Map(rows.map((r) => [r.id, r]))
  const skipped = new Set<number>()
  for (const h of mail) {
    const r = byId.get(h.id)
    if (!r) continue
    const { to, cc, bcc } = recipientsOf(r)
    const why = suppressionOf(ctx, h.objectId, [...to, ...cc, ...bcc], null)
    if (why && transition(ctx, h.id, ['queued', 'retry_wait'], { status: 'skipped', statusReason: why, nextAttemptAt: null }, 'skipped', why)) {
      skipped.add(h.id)
      changed.push(h.id)
    }
  }
  return skipped.size ? heads.filter((h) => !skipped.has(h.id)) : heads
}
