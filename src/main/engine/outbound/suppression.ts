// Suppressing an address after a bounce, complaint or unsubscribe: the one scope rule (suppressionScope), used by
// Mailgun events, IMAP DSNs and unsubscribe mail (suppress) and by a contact marked by hand (contacts.update).
// Call inside the caller's transaction.
import type { Ctx } from '../context'
import { contactIdForAddress, insertSuppression, markContactIfActive } from '../repos/suppressions'

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
