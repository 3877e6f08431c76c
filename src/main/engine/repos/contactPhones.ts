// A contact's phone numbers (issue 17, migration 0020): contact_phones rows, with contacts.phone kept as the
// primary's number and contacts.phone_search (what the search indexes) as every number in searchable forms.
import type { ContactPhone, PhoneLabel } from '../../../shared/phones'
import { phoneSearchText } from '../../../shared/phones'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

interface PhoneRow {
  contactId: number
  number: string
  label: PhoneLabel
  isPrimary: number
}

/** Every listed contact's numbers, primary first then in the order they were added. */
export function phonesOf(ctx: Ctx, contactIds: number[]): Map<number, ContactPhone[]> {
  const out = new Map<number, ContactPhone[]>()
  if (contactIds.length === 0) return out
  const rows = stmt(
    ctx.sqlite,
    `SELECT contact_id AS contactId, number, label, is_primary AS isPrimary FROM contact_phones
     WHERE contact_id IN (SELECT value FROM json_each(?)) ORDER BY contact_id, is_primary DESC, id`,
  ).all(JSON.stringify(contactIds)) as PhoneRow[]
  for (const r of rows) {
    const list = out.get(r.contactId) ?? []
    list.push({ number: r.number, label: r.label, primary: r.isPrimary === 1 })
    out.set(r.contactId, list)
  }
  return out
}

/** Adds a new contact's numbers (its contacts row already holds the primary and the search text). */
export function insertPhones(ctx: Ctx, contactId: number, phones: readonly ContactPhone[], now: number): void {
  const insert = stmt(ctx.sqlite, 'INSERT INTO contact_phones (contact_id, number, label, is_primary, created_at) VALUES (?, ?, ?, ?, ?)')
  for (const p of phones) insert.run(contactId, p.number, p.label, p.primary ? 1 : 0, now)
}

/**
 * The contact's numbers become exactly `phones` (primary first); contacts.phone and phone_search follow in the
 * same statement order, so the search index (updated by trigger) never holds a number the contact lost.
 * Numbers kept keep their row (and created time).
 */
export function replacePhones(ctx: Ctx, contactId: number, phones: readonly ContactPhone[], now: number): void {
  const keep = JSON.stringify(phones.map((p) => p.number))
  stmt(ctx.sqlite, 'DELETE FROM contact_phones WHERE contact_id = ? AND number NOT IN (SELECT value FROM json_each(?))').run(contactId, keep)
  // Clear the primary first: the one-primary index is checked per row.
  stmt(ctx.sqlite, 'UPDATE contact_phones SET is_primary = 0 WHERE contact_id = ? AND is_primary = 1').run(contactId)
  const upsert = stmt(
    ctx.sqlite,
    `INSERT INTO contact_phones (contact_id, number, label, is_primary, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (contact_id, number) DO UPDATE SET label = excluded.label, is_primary = excluded.is_primary`,
  )
  for (const p of phones) upsert.run(contactId, p.number, p.label, p.primary ? 1 : 0, now)
  const primary = phones.find((p) => p.primary)?.number ?? ''
  stmt(ctx.sqlite, 'UPDATE contacts SET phone = ?, phone_search = ? WHERE id = ?').run(primary, phoneSearchText(phones.map((p) => p.number)), contactId)
}

/** The numbers of every contact whose numbers are not all E.164 yet, with its business's country inputs. */
export function contactsWithLoosePhones(ctx: Ctx): Array<{ contactId: number; objectId: number | null }> {
  return stmt(
    ctx.sqlite,
    `SELECT DISTINCT p.contact_id AS contactId, c.primary_object_id AS objectId FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
     WHERE NOT (p.number GLOB '+[1-9]*' AND substr(p.number, 2) NOT GLOB '*[^0-9]*')`,
  ).all() as Array<{ contactId: number; objectId: number | null }>
}
