// Suppressing an address after a bounce, complaint or unsubscribe. Shared by Mailgun events and IMAP DSNs so
// both mark the same rows and emit the same hooks. Call inside the caller's transaction.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export type SuppressReason = 'bounced' | 'complained' | 'unsubscribed'

export interface SuppressSource {
  /** The business the failed mail was sent from. */
  objectId: number
  outboundId: number | null
  contactId: number | null
}

/** Records the suppression, sets the contact's status and emits the matching hook. Returns the contact id. */
export function suppress(ctx: Ctx, src: SuppressSource, email: string, reason: SuppressReason): number | null {
  const now = ctx.clock.now()
  const addr = email.trim().toLowerCase()
  // Unsubscribes belong to the business that sent; bounces and complaints are about the address itself.
  const objectId = reason === 'unsubscribed' ? src.objectId : null
  stmt(ctx.sqlite, 'INSERT OR IGNORE INTO suppressions (object_id, email, reason, created_at) VALUES (?, ?, ?, ?)').run(objectId, addr, reason, now)
  const contact = stmt(
    ctx.sqlite,
    'SELECT c.id FROM contacts c LEFT JOIN contact_emails e ON e.contact_id = c.id WHERE (c.email = ? OR e.email = ?) AND (c.primary_object_id = ? OR c.primary_object_id IS NULL) LIMIT 1',
  ).get(addr, addr, src.objectId) as { id: number } | undefined
  const contactId = src.contactId ?? contact?.id ?? null
  if (contactId) {
    stmt(ctx.sqlite, "UPDATE contacts SET status = ?, updated_at = ? WHERE id = ? AND status = 'active'").run(reason, now, contactId)
    ctx.emit('contacts.changed', { ids: [contactId] })
  }
  if (reason === 'bounced') ctx.hooks.emit('outbound.bounced', { outboundId: src.outboundId, contactId, email: addr })
  else if (contactId) ctx.hooks.emit('contacts.unsubscribed', { contactId, reason })
  return contactId
}
