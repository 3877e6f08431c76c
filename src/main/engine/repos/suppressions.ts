// Suppressed addresses (NULL object: every business) and the contact lookups a suppression needs.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

/** One row per scope and address (suppressions_uq); a repeat is ignored. */
export function insertSuppression(ctx: Ctx, objectId: number | null, email: string, reason: string, now: number): void {
  stmt(ctx.sqlite, 'INSERT OR IGNORE INTO suppressions (object_id, email, reason, created_at) VALUES (?, ?, ?, ?)').run(objectId, email, reason, now)
}

/** A contact of this business (or of none) with the address as its email or an extra one. */
export const contactIdForAddress = (ctx: Ctx, email: string, objectId: number): number | undefined =>
  (
    stmt(
      ctx.sqlite,
      'SELECT c.id FROM contacts c LEFT JOIN contact_emails e ON e.contact_id = c.id WHERE (c.email = ? OR e.email = ?) AND (c.primary_object_id = ? OR c.primary_object_id IS NULL) LIMIT 1',
    ).get(email, email, objectId) as { id: number } | undefined
  )?.id

/** Marks an active contact with the suppression's reason; a contact already marked keeps its status. */
export function markContactIfActive(ctx: Ctx, contactId: number, status: string, now: number): void {
  // Nobody changed it by hand (issue 22 item 5): the last change is no longer a person's.
  stmt(ctx.sqlite, "UPDATE contacts SET status = ?, updated_at = ?, updated_by = NULL WHERE id = ? AND status = 'active'").run(status, now, contactId)
}
