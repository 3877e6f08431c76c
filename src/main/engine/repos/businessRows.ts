// The plain reads and writes of a table whose rows belong to one business (mailboxes, sender profiles).
import { eq } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Ctx } from '../context'
import type { emailSendingProfiles, mailboxes } from '../db/schema'

type BusinessTable = typeof mailboxes | typeof emailSendingProfiles

/** List (all, or one business's, in `order`), get, insert and update by id, typed by the table's own rows. */
export function businessRows<T extends BusinessTable>(table: T, order: SQLiteColumn) {
  type Row = T['$inferSelect']
  type New = T['$inferInsert']
  // drizzle's builders do not accept a union of tables; both have the id and object_id columns used here.
  const t = table as typeof mailboxes
  return {
    list(ctx: Ctx, objectId?: number): Row[] {
      const q = ctx.db.select().from(t)
      return (objectId === undefined ? q : q.where(eq(t.objectId, objectId))).orderBy(order).all() as Row[]
    },
    get: (ctx: Ctx, id: number): Row | undefined => ctx.db.select().from(t).where(eq(t.id, id)).get() as Row | undefined,
    insert: (ctx: Ctx, values: New): Row => ctx.db.insert(t).values(values as never).returning().get() as Row,
    update: (ctx: Ctx, id: number, values: Partial<New>): Row => ctx.db.update(t).set(values as never).where(eq(t.id, id)).returning().get() as Row,
  }
}
