// Address → contact matching, scoped to the mailbox's business: contacts of that object or of none.
// Our own mailbox and profile addresses never match (they are us, not a contact).
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export function normalizeAddress(email: string): string {
  return email.trim().toLowerCase()
}

/** Every address the business sends from: its mailboxes and its sender profiles. */
export function ownAddresses(ctx: Ctx, objectId: number): Set<string> {
  const rows = stmt(
    ctx.sqlite,
    'SELECT lower(email) AS e FROM mailboxes WHERE object_id = ? UNION SELECT lower(email_address) FROM email_sending_profiles WHERE object_id = ?',
  ).all(objectId, objectId) as Array<{ e: string }>
  return new Set(rows.map((r) => r.e))
}

/** Contact ids for these addresses (primary email or an extra one), first-seen order, no duplicates. */
export function matchContacts(ctx: Ctx, objectId: number, emails: string[], own: Set<string>): number[] {
  const out: number[] = []
  const q = stmt(
    ctx.sqlite,
    `SELECT id FROM contacts WHERE email = @e AND (primary_object_id = @o OR primary_object_id IS NULL)
     UNION SELECT c.id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
       WHERE e.email = @e AND (c.primary_object_id = @o OR c.primary_object_id IS NULL)`,
  )
  for (const raw of emails) {
    const e = normalizeAddress(raw)
    if (!e || own.has(e)) continue
    for (const r of q.all({ e, o: objectId }) as Array<{ id: number }>) if (!out.includes(r.id)) out.push(r.id)
  }
  return out
}

/** Links a message to contacts automatically; manual rows (link or unlink) are left alone. */
export function linkAuto(ctx: Ctx, messageId: number, contactIds: number[]): void {
  const ins = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO message_contacts (message_id, contact_id, manual, linked) VALUES (?, ?, 0, 1)')
  for (const c of contactIds) ins.run(messageId, c)
}
