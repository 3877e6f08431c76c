// Mailbox rows (SMTP/IMAP settings of a business, passwords sealed) and the profiles that send through them.
import { eq } from 'drizzle-orm'
import type { Ctx } from '../context'
import { emailSendingProfiles, mailboxes } from '../db/schema'
import { businessRows } from './businessRows'

export type MailboxRow = typeof mailboxes.$inferSelect
export type NewMailboxRow = typeof mailboxes.$inferInsert

export const { list: listMailboxRows, get: mailboxRow, insert: insertMailbox, update: updateMailbox } = businessRows(mailboxes, mailboxes.email)

/** Deletes the mailbox; false when it was not there. */
export const deleteMailbox = (ctx: Ctx, id: number): boolean => ctx.db.delete(mailboxes).where(eq(mailboxes.id, id)).run().changes > 0

/** The addresses of the sender profiles that send through this mailbox. */
export const profilesSendingThrough = (ctx: Ctx, mailboxId: number): string[] =>
  ctx.db.select({ email: emailSendingProfiles.emailAddress }).from(emailSendingProfiles).where(eq(emailSendingProfiles.mailboxId, mailboxId)).all().map((p) => p.email)
