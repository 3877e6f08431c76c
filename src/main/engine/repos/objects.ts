// Business (object) queries: the list with its counts, lookups, and the rows' writes.
import { eq } from 'drizzle-orm'
import type { Ctx } from '../context'
import { objects } from '../db/schema'
import { stmt } from '../db/stmt'

export type ObjectRow = typeof objects.$inferSelect
export type NewObjectRow = Omit<typeof objects.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>

export interface ObjectListRow {
  id: number
  name: string
  postal_address: string
  timezone: string
  unsubscribe_url: string | null
  /** migration 0020 (issue 17) */
  country: string | null
  created_at: number
  updated_at: number
  contactCount: number
  profileCount: number
  mailboxCount: number
}

/** Every business by name (or the one with `id`), with how many contacts, profiles and mailboxes it has. */
export function listObjectRows(ctx: Ctx, id?: number): ObjectListRow[] {
  return ctx.sqlite
    .prepare(
      `SELECT o.*,
        (SELECT count(*) FROM contacts c WHERE c.primary_object_id = o.id) AS contactCount,
        (SELECT count(*) FROM email_sending_profiles p WHERE p.object_id = o.id) AS profileCount,
        (SELECT count(*) FROM mailboxes m WHERE m.object_id = o.id) AS mailboxCount
       FROM objects o ${id === undefined ? '' : 'WHERE o.id = ?'} ORDER BY o.name COLLATE NOCASE`,
    )
    .all(...(id === undefined ? [] : [id])) as ObjectListRow[]
}

export const objectRow = (ctx: Ctx, id: number): ObjectRow | undefined => ctx.db.select().from(objects).where(eq(objects.id, id)).get()

/** The business with this name (case-insensitive: names are unique that way). */
export const objectIdByName = (ctx: Ctx, name: string): number | undefined =>
  (stmt(ctx.sqlite, 'SELECT id FROM objects WHERE name = ? COLLATE NOCASE').get(name) as { id: number } | undefined)?.id

/** Every business's id by its lower-cased name (CSV import's "Business name" column). */
export function objectIdsByName(ctx: Ctx): Map<string, number> {
  const rows = stmt(ctx.sqlite, 'SELECT id, name FROM objects').all() as Array<{ id: number; name: string }>
  return new Map(rows.map((o) => [o.name.toLowerCase(), o.id]))
}

/** The business's own addresses: its mailboxes, and the From addresses of its sender profiles. */
const OWN_ADDRESS_SQL = {
  mailbox: 'SELECT id FROM mailboxes WHERE object_id = ? AND email = ?',
  profile: 'SELECT id FROM email_sending_profiles WHERE object_id = ? AND email_address = ?',
} as const
export type OwnAddressKind = keyof typeof OWN_ADDRESS_SQL

/** The id of the business's mailbox or profile with this address, if any. */
export const ownAddressId = (ctx: Ctx, kind: OwnAddressKind, objectId: number, email: string): number | undefined =>
  (stmt(ctx.sqlite, OWN_ADDRESS_SQL[kind]).get(objectId, email) as { id: number } | undefined)?.id

export const objectTimezone = (ctx: Ctx, id: number): string =>
  (stmt(ctx.sqlite, 'SELECT timezone FROM objects WHERE id = ?').get(id) as { timezone: string } | undefined)?.timezone ?? 'UTC'

export function insertObject(ctx: Ctx, values: NewObjectRow, now: number): number {
  return ctx.db.insert(objects).values({ ...values, createdAt: now, updatedAt: now }).returning({ id: objects.id }).get().id
}

export function updateObject(ctx: Ctx, id: number, patch: Partial<NewObjectRow>, now: number): void {
  ctx.db.update(objects).set({ ...patch, updatedAt: now }).where(eq(objects.id, id)).run()
}

/** Deletes the business; its profiles go first, as they RESTRICT the deletion of the mailboxes its cascade removes. */
export function deleteObject(ctx: Ctx, id: number): void {
  stmt(ctx.sqlite, 'DELETE FROM email_sending_profiles WHERE object_id = ?').run(id)
  ctx.db.delete(objects).where(eq(objects.id, id)).run()
}
