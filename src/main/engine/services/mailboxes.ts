// A business's SMTP/IMAP mailboxes: the view (passwords never come back out), their rules and writes, the set-up test.
// The sync worker is told about changes by the handler (handlers/sync.ts holds the manager for now).
import type { ParsedInput } from '../../../shared/contract'
import type { Mailbox, ServerView } from '../../../shared/models'
import type { MailboxTestResult } from '../../../shared/setupTest'
import { AppError, notFound } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { sentToday } from '../outbound/capacity'
import { testImap, testSmtp } from '../outbound/setupTest'
import { receiveOnlyMailboxIds } from '../repos/intake'
import { deleteMailbox as deleteMailboxRow, insertMailbox, listMailboxRows, mailboxRow, profilesSendingThrough, updateMailbox as updateMailboxRow, type MailboxRow, type NewMailboxRow } from '../repos/mailboxes'
import { objectTimezone } from '../repos/objects'
import { olderOnServer } from '../repos/mailboxes'
import { removeLastOf, removeMailOf } from '../inbound/removeMail'
import { assertOwnAddressFree, requireObject } from './objects'

export function toMailbox(ctx: Ctx, r: MailboxRow): Mailbox {
  const smtp: ServerView = { host: r.smtpHost, port: r.smtpPort, secure: r.smtpSecurity, user: r.smtpUser, hasPassword: r.smtpPasswordSealed !== '' }
  const imap: ServerView | null =
    r.imapHost && r.imapPort && r.imapSecurity && r.imapUser
      ? { host: r.imapHost, port: r.imapPort, secure: r.imapSecurity, user: r.imapUser, hasPassword: r.imapPasswordSealed !== null }
      : null
  return {
    id: r.id,
    objectId: r.objectId,
    email: r.email,
    displayName: r.displayName,
    dailyCapacity: r.dailyCapacity,
    minGapSeconds: r.minGapSeconds,
    smtp,
    imap,
    sentCopy: r.sentCopy,
    status: r.status,
    statusReason: r.statusReason,
    statusCode: r.statusCode,
    sentToday: sentToday(ctx, r.id, objectTimezone(ctx, r.objectId)),
    createdAt: iso(r.createdAt),
    syncWindowMonths: r.syncWindowMonths ?? null,
    olderOnServer: olderOnServer(ctx, r.id),
  }
}

export function requireMailbox(ctx: Ctx, id: number, field = 'id'): MailboxRow {
  const row = mailboxRow(ctx, id)
  if (!row) throw new AppError('NOT_FOUND', `Mailbox ${id} does not exist`, field)
  return row
}

interface ServerPatch {
  host: string
  port: number
  secure: 'tls' | 'starttls' | 'none'
  user: string
  password?: string
}

function imapColumns(ctx: Ctx, imap: ServerPatch | null, keepSealed: string | null) {
  if (!imap) return { imapHost: null, imapPort: null, imapSecurity: null, imapUser: null, imapPasswordSealed: null }
  return {
    imapHost: imap.host,
    imapPort: imap.port,
    imapSecurity: imap.secure,
    imapUser: imap.user,
    imapPasswordSealed: imap.password ? ctx.secrets.seal(imap.password) : keepSealed,
  }
}

export const listMailboxes = (ctx: Ctx, objectId?: number): Mailbox[] => {
  // Intake (issue 18): the rows that only hold Mailgun-received mail are not mailboxes to show or edit.
  const receiveOnly = receiveOnlyMailboxIds(ctx)
  return listMailboxRows(ctx, objectId)
    .filter((r) => !receiveOnly.has(r.id))
    .map((r) => toMailbox(ctx, r))
}

export function createMailbox(ctx: Ctx, input: ParsedInput<'mailboxes.create'>): Mailbox {
  requireObject(ctx, input.objectId)
  assertOwnAddressFree(ctx, 'mailbox', input.objectId, input.email)
  const now = ctx.clock.now()
  const { smtp, imap, ...plain } = input
  const row = insertMailbox(ctx, {
    ...plain,
    smtpHost: smtp.host,
    smtpPort: smtp.port,
    smtpSecurity: smtp.secure,
    smtpUser: smtp.user,
    smtpPasswordSealed: ctx.secrets.seal(smtp.password),
    ...imapColumns(ctx, imap, null),
    createdAt: now,
    updatedAt: now,
  })
  ctx.emit('objects.changed', {})
  return toMailbox(ctx, row)
}

export function updateMailbox(ctx: Ctx, { id, smtp, imap, ...rest }: ParsedInput<'mailboxes.update'>): Mailbox {
  const current = requireMailbox(ctx, id)
  if (rest.email !== undefined) assertOwnAddressFree(ctx, 'mailbox', current.objectId, rest.email, id)
  const values: Partial<NewMailboxRow> = { ...rest, updatedAt: ctx.clock.now() }
  if (smtp) {
    Object.assign(values, { smtpHost: smtp.host, smtpPort: smtp.port, smtpSecurity: smtp.secure, smtpUser: smtp.user })
    if (smtp.password) values.smtpPasswordSealed = ctx.secrets.seal(smtp.password)
    // New credentials clear an auth hold: the next send or sync tries again.
    if (current.status === 'auth_error') Object.assign(values, { status: 'active', statusReason: null, statusCode: null })
  }
  if (imap !== undefined) {
    if (imap && !imap.password && !current.imapPasswordSealed) throw new AppError('VALIDATION', 'Required', 'imap.password')
    Object.assign(values, imapColumns(ctx, imap, current.imapPasswordSealed))
  }
  const row = updateMailboxRow(ctx, id, values)
  // Held rows (auth, paused) get another chance with the new settings.
  if (row.status === 'active') ctx.outbound.scheduler.settingsChanged({ mailboxId: id })
  else ctx.outbound.scheduler.wake()
  ctx.emit('objects.changed', {})
  return toMailbox(ctx, row)
}

/**
 * Removes the mailbox and the mail stored for it on this computer (never anything on the server). Its sync stops
 * first; the mail goes a chunk per transaction (search index rows, attachment files, emptied threads with it), so
 * the app answers throughout, and the row last. Stopped short (the app quits), the mailbox stays with the mail
 * not yet removed, and removing it again finishes the job.
 */
export async function deleteMailbox(ctx: Ctx, id: number): Promise<{ id: number; deleted: true }> {
  const check = () => {
    requireMailbox(ctx, id)
    const senders = profilesSendingThrough(ctx, id)
    if (senders.length > 0) throw new AppError('CONFLICT', `Sender profile ${senders.join(', ')} sends through this mailbox. Change it first.`, 'id')
  }
  check()
  return ctx.sync.hold([id], async (isStopped) => {
    await removeMailOf(ctx, { mailboxId: id }, isStopped)
    if (isStopped()) throw new AppError('UNAVAILABLE', 'The app closed before the mailbox was removed; remove it again to finish')
    // Checked again (a profile may have been pointed at it meanwhile); a message a stopping sync stored last goes too.
    removeLastOf(ctx, { mailboxId: id }, () => {
      check()
      if (!deleteMailboxRow(ctx, id)) throw notFound('Mailbox', id)
    })
    ctx.emit('objects.changed', {})
    return { id, deleted: true as const }
  })
}

/**
 * Tries the settings (unsaved ones too) without touching the database; both servers at once, each within its
 * time budget. A password left out is the stored one of `mailboxId`.
 */
export async function testMailbox(ctx: Ctx, { mailboxId, smtp, imap }: ParsedInput<'mailboxes.test'>): Promise<MailboxTestResult> {
  const stored = mailboxId !== undefined ? requireMailbox(ctx, mailboxId, 'mailboxId') : null
  const password = (given: string | undefined, sealed: Array<string | null | undefined>, field: string): string => {
    if (given) return given
    const s = sealed.find((x): x is string => Boolean(x))
    if (!s) throw new AppError('VALIDATION', 'Type the password to test the sign-in', field)
    return ctx.secrets.open(s)
  }
  // IMAP usually signs in with the SMTP password: the stored one stands in when IMAP has none yet.
  const smtpServer = smtp && { ...smtp, security: smtp.secure, password: password(smtp.password, [stored?.smtpPasswordSealed], 'smtp.password') }
  const imapServer = imap && { ...imap, security: imap.secure, password: password(imap.password ?? smtp?.password, [stored?.imapPasswordSealed, stored?.smtpPasswordSealed], 'imap.password') }
  const opts = ctx.outbound.setupTest
  const [s, i] = await Promise.all([smtpServer && testSmtp(smtpServer, opts), imapServer && testImap(imapServer, opts)])
  return { ...(s ? { smtp: s } : {}), ...(i ? { imap: i } : {}) }
}
