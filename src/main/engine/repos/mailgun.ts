// A business's Mailgun settings row (one per business) and the sender profiles that depend on it.
import { eq } from 'drizzle-orm'
import type { Ctx } from '../context'
import { objectMailgunSettings } from '../db/schema'
import { stmt } from '../db/stmt'

export type MailgunRow = typeof objectMailgunSettings.$inferSelect
export type MailgunValues = Pick<typeof objectMailgunSettings.$inferInsert, 'sendingDomain' | 'region' | 'apiBaseUrl' | 'apiKeySealed' | 'updatedAt'>

export const allMailgunRows = (ctx: Ctx): MailgunRow[] => ctx.db.select().from(objectMailgunSettings).all()

export const mailgunRowOf = (ctx: Ctx, objectId: number): MailgunRow | undefined =>
  ctx.db.select().from(objectMailgunSettings).where(eq(objectMailgunSettings.objectId, objectId)).get()

/** Writes the business's settings: updates its row, or inserts one. */
export function saveMailgunRow(ctx: Ctx, objectId: number, values: MailgunValues, existingId: number | undefined): MailgunRow {
  return existingId !== undefined
    ? ctx.db.update(objectMailgunSettings).set(values).where(eq(objectMailgunSettings.id, existingId)).returning().get()
    : ctx.db.insert(objectMailgunSettings).values({ ...values, objectId, createdAt: values.updatedAt! }).returning().get()
}

export function deleteMailgunRow(ctx: Ctx, objectId: number): void {
  ctx.db.delete(objectMailgunSettings).where(eq(objectMailgunSettings.objectId, objectId)).run()
}

/** How many of the business's sender profiles send through Mailgun. */
export const mailgunProfileCount = (ctx: Ctx, objectId: number): number =>
  (stmt(ctx.sqlite, "SELECT count(*) AS n FROM email_sending_profiles WHERE object_id = ? AND transport = 'mailgun'").get(objectId) as { n: number }).n
