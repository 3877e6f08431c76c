// SMTP/IMAP mailboxes of an object. Passwords go in sealed and never come back out.
import { eq } from 'drizzle-orm'
import type { Mailbox, ServerView } from '../../../shared/models'
import { AppError, notFound } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx, HandlersFor } from '../context'
import { emailSendingProfiles, mailboxes } from '../db/schema'
import { sentToday } from '../outbound/capacity'
import { testImap, testSmtp } from '../outbound/setupTest'
import { requireObject } from './objects'
import { syncMailbox, syncSettingsChanged } from './sync'

type Row = typeof mailboxes.$inferSelect

export function toMailbox(ctx: Ctx, r: Row): Mailbox {
  const smtp: ServerView = { host: r.smtpHost, port: r.smtpPort, secure: r.smtpSecurity, user: r.smtpUser, hasPassword: true }
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
    sentToday: sentToday(ctx, r.id, timezoneOf(ctx, r.objectId)),
    createdAt: iso(r.createdAt),
  }
}

const timezoneOf = (ctx: Ctx, objectId: number): string =>
  (ctx.sqlite.prepare('SELECT timezone FROM objects WHERE id = ?').get(objectId) as { timezone: string } | undefined)?.timezone ?? 'UTC'

export function requireMailbox(ctx: Ctx, id: number, field = 'id'): Row {
  const row = ctx.db.select().from(mailboxes).where(eq(mailboxes.id, id)).get()
  if (!row) throw new AppError('NOT_FOUND', `Mailbox ${id} does not exist`, field)
  return row
}

function assertEmailFree(ctx: Ctx, objectId: number, email: string, exceptId?: number): void {
  const clash = ctx.sqlite.prepare('SELECT id FROM mailboxes WHERE object_id = ? AND email = ?').get(objectId, email) as { id: number } | undefined
  if (clash && clash.id !== exceptId) throw new AppError('CONFLICT', `This object already has a mailbox for ${email}`, 'email')
}

interface ServerPatch {
  host: string
  port: number
  secure: 'tls' | 'starttls' | 'none'
  user: string
  password?: string
}

export const mailboxHandlers: HandlersFor<'mailboxes'> = {
  'mailboxes.list': (ctx, { objectId }) => {
    const q = ctx.db.select().from(mailboxes)
    return (objectId === undefined ? q : q.where(eq(mailboxes.objectId, objectId))).orderBy(mailboxes.email).all().map((r) => toMailbox(ctx, r))
  },

  'mailboxes.create': (ctx, input) => {
    requireObject(ctx, input.objectId)
    assertEmailFree(ctx, input.objectId, input.email)
    const now = ctx.clock.now()
    const row = ctx.db
      .insert(mailboxes)
      .values({
        objectId: input.objectId,
        email: input.email,
        displayName: input.displayName,
        dailyCapacity: input.dailyCapacity,
        minGapSeconds: input.minGapSeconds,
        sentCopy: input.sentCopy,
        smtpHost: input.smtp.host,
        smtpPort: input.smtp.port,
        smtpSecurity: input.smtp.secure,
        smtpUser: input.smtp.user,
        smtpPasswordSealed: ctx.secrets.seal(input.smtp.password),
        ...imapColumns(ctx, input.imap, null),
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get()
    syncSettingsChanged(ctx, row.id)
    ctx.emit('objects.changed', {})
    return toMailbox(ctx, row)
  },

  'mailboxes.update': (ctx, { id, smtp, imap, ...rest }) => {
    const current = requireMailbox(ctx, id)
    if (rest.email !== undefined) assertEmailFree(ctx, current.objectId, rest.email, id)
    const values: Partial<typeof mailboxes.$inferInsert> = { ...rest, updatedAt: ctx.clock.now() }
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
    const row = ctx.db.update(mailboxes).set(values).where(eq(mailboxes.id, id)).returning().get()
    // Held rows (auth, paused) get another chance with the new settings.
    if (row.status === 'active') ctx.outbound.scheduler.settingsChanged({ mailboxId: id })
    else ctx.outbound.scheduler.wake()
    syncSettingsChanged(ctx, id)
    ctx.emit('objects.changed', {})
    return toMailbox(ctx, row)
  },

  'mailboxes.delete': (ctx, { id }) => {
    requireMailbox(ctx, id)
    const users = ctx.db.select({ email: emailSendingProfiles.emailAddress }).from(emailSendingProfiles).where(eq(emailSendingProfiles.mailboxId, id)).all()
    if (users.length > 0)
      throw new AppError('CONFLICT', `Sender profile ${users.map((u) => u.email).join(', ')} sends through this mailbox. Change it first.`, 'id')
    const result = ctx.db.delete(mailboxes).where(eq(mailboxes.id, id)).run()
    if (result.changes === 0) throw notFound('Mailbox', id)
    syncSettingsChanged(ctx, id)
    ctx.emit('objects.changed', {})
    return { id, deleted: true as const }
  },

  'mailboxes.sync': syncMailbox,

  // Tries the settings (unsaved ones too) without touching the database; both servers at once, each within
  // its time budget. A password left out is the stored one of `mailboxId`.
  'mailboxes.test': async (ctx, { mailboxId, smtp, imap }) => {
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
  },
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
