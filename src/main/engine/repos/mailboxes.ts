// Mailbox rows (SMTP/IMAP settings of a business, passwords sealed) and the profiles that send through them.
import { eq } from 'drizzle-orm'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
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

/** The server holds mail of this mailbox from before its sync window (issue 23: the timelines say so). */
export const olderOnServer = (ctx: Ctx, mailboxId: number): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM sync_folders WHERE mailbox_id = ? AND synced = 1 AND older_count > 0 LIMIT 1').get(mailboxId)
