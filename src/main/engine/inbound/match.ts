// Address → contact matching, scoped to the mailbox's business: contacts of that object or of none.
// Our own mailbox and profile addresses never match (they are us, not a contact).
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

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

/**
 * Contact ids for these addresses (primary email or an extra one), first-seen order, no duplicates.
 * `memo` (address → ids) lets a stored batch look each address up once.
 */
export function matchContacts(ctx: Ctx, objectId: number, emails: string[], own: Set<string>, memo?: Map<string, number[]>): number[] {
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
    let ids = memo?.get(e)
    if (!ids) {
      ids = (q.all({ e, o: objectId }) as Array<{ id: number }>).map((r) => r.id)
      memo?.set(e, ids)
    }
    for (const id of ids) if (!out.includes(id)) out.push(id)
  }
  return out
}

/** Links a message to contacts automatically; manual rows (link or unlink) are left alone. */
export function linkAuto(ctx: Ctx, messageId: number, contactIds: number[]): void {
  const ins = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO message_contacts (message_id, contact_id, manual, linked) VALUES (?, ?, 0, 1)')
  for (const c of contactIds) ins.run(messageId, c)
}

/**
 * What to look an address up by in the FTS addresses column: its local part. The domain's tokens ("client",
 * "com") are in most stored messages, and a phrase query walks every one of their postings; the exact
 * address is checked against the stored lists afterwards. A local part with no letter or digit has no token.
 */
const phraseOf = (email: string): string => {
  const local = email.slice(0, email.lastIndexOf('@'))
  return /[\p{L}\p{N}]/u.test(local) ? local : email
}

/**
 * Links a contact to stored mail that mentions its addresses but predates it (the contact was created or
 * given an extra address after the mail was synced). Found through the FTS addresses column, checked
 * against the stored address lists; manual unlinks stay. Returns how many links were added.
 */
export function linkStoredMail(ctx: Ctx, contactId: number): number {
  const c = stmt(ctx.sqlite, 'SELECT email, primary_object_id AS o FROM contacts WHERE id = ?').get(contactId) as { email: string | null; o: number | null } | undefined
  if (!c) return 0
  const emails = [c.email, ...(stmtPluck(ctx.sqlite, 'SELECT email FROM contact_emails WHERE contact_id = ?').all(contactId) as string[])]
    .filter((e): e is string => !!e)
    .map(normalizeAddress)
  let added = 0
  const find = stmtPluck(
    ctx.sqlite,
    `SELECT m.id FROM messages_fts f JOIN messages m ON m.id = f.rowid
      WHERE messages_fts MATCH @q AND (@o IS NULL OR m.object_id = @o)
        AND (m.from_email = @e OR EXISTS (SELECT 1 FROM json_each(m.to_json) j WHERE lower(j.value ->> 'email') = @e)
             OR EXISTS (SELECT 1 FROM json_each(m.cc_json) j WHERE lower(j.value ->> 'email') = @e))
        AND NOT EXISTS (SELECT 1 FROM message_contacts mc WHERE mc.message_id = m.id AND mc.contact_id = @c)
        AND NOT EXISTS (SELECT 1 FROM mailboxes b WHERE b.object_id = m.object_id AND lower(b.email) = @e)`,
  )
  const ins = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO message_contacts (message_id, contact_id, manual, linked) VALUES (?, ?, 0, 1)')
  for (const e of new Set(emails)) {
    for (const id of find.all({ q: `addresses : "${phraseOf(e).replace(/"/g, '""')}"`, o: c.o, e, c: contactId }) as number[]) added += ins.run(id, contactId).changes
  }
  return added
}

/**
 * Mail synced before a contact (or its extra address) existed is linked when the contact is saved, in the
 * same transaction (the write side), so reading a contact's mail never writes. Returns the unsubscribers.
 */
export function wireContactLinking(ctx: Ctx): Array<() => void> {
  // Emitted on create, import, and a change of addresses or business (services/contacts.ts).
  return [
    ctx.hooks.on('contacts.emailsChanged', ({ contactIds }) => {
      // An empty store (a first import of 100,000 contacts) has nothing to link.
      if (!stmt(ctx.sqlite, 'SELECT 1 FROM messages LIMIT 1').get()) return
      for (const id of contactIds) linkStoredMail(ctx, id)
    }),
  ]
}
