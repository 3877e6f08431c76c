// Sender profiles (the From identities of an object) and which staff may send from them.
import { and, eq } from 'drizzle-orm'
import type { Profile, Transport, User } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx, HandlersFor } from '../context'
import { emailSendingProfiles, objectMailgunSettings, userEmailProfileAssignments, users } from '../db/schema'
import { sanitizeEmailHtml } from '../inbound/sanitize'
import { requireMailbox } from './mailboxes'
import { requireObject } from './objects'
import { deleteSetting, setSetting, settingKeys } from '../repos/settings'

type Row = typeof emailSendingProfiles.$inferSelect

export const toProfile = (r: Row): Profile => ({
  id: r.id,
  objectId: r.objectId,
  email: r.emailAddress,
  displayName: r.displayName,
  replyTo: r.replyToAddress,
  transport: r.transport === 'smtp' && r.mailboxId !== null ? { kind: 'smtp', mailboxId: r.mailboxId } : { kind: 'mailgun' },
  isActive: r.isActive,
  signatureHtml: r.signatureHtml,
  createdAt: iso(r.createdAt),
})

/** A signature goes into mail others read: the same sanitiser as incoming mail, remote logos allowed. */
const cleanSignature = (html: string): string => (html.trim() ? sanitizeEmailHtml(html, { allowRemote: true, inline: new Map() }).html.trim() : '')

function requireProfile(ctx: Ctx, id: number, field = 'id'): Row {
  const row = ctx.db.select().from(emailSendingProfiles).where(eq(emailSendingProfiles.id, id)).get()
  if (!row) throw new AppError('NOT_FOUND', `Sender profile ${id} does not exist`, field)
  return row
}

/** A profile may only send through its own object's Mailgun domain or one of its own mailboxes. */
function transportColumns(ctx: Ctx, objectId: number, transport: Transport) {
  if (transport.kind === 'smtp') {
    const mailbox = requireMailbox(ctx, transport.mailboxId, 'transport.mailboxId')
    if (mailbox.objectId !== objectId) throw new AppError('VALIDATION', 'That mailbox belongs to another object', 'transport.mailboxId')
    return { transport: 'smtp' as const, mailboxId: mailbox.id }
  }
  const mailgun = ctx.db.select().from(objectMailgunSettings).where(eq(objectMailgunSettings.objectId, objectId)).get()
  if (!mailgun?.apiKeySealed) throw new AppError('VALIDATION', 'Object Mailgun not configured', 'transport.kind')
  return { transport: 'mailgun' as const, mailboxId: null }
}

function assertEmailFree(ctx: Ctx, objectId: number, email: string, exceptId?: number): void {
  const clash = ctx.db
    .select({ id: emailSendingProfiles.id })
    .from(emailSendingProfiles)
    .where(and(eq(emailSendingProfiles.objectId, objectId), eq(emailSendingProfiles.emailAddress, email)))
    .get()
  if (clash && clash.id !== exceptId) throw new AppError('CONFLICT', `This object already has a sender profile for ${email}`, 'email')
}

export function getUser(ctx: Ctx, id: number): User {
  const user = ctx.db.select().from(users).where(eq(users.id, id)).get()
  if (!user) throw new AppError('NOT_FOUND', `User ${id} does not exist`, 'userId')
  return withAssignments(ctx, [user])[0]
}

function withAssignments(ctx: Ctx, rows: Array<typeof users.$inferSelect>): User[] {
  const assignments = ctx.db.select().from(userEmailProfileAssignments).all()
  return rows.map((u) => {
    const mine = assignments.filter((a) => a.userId === u.id)
    return {
      id: u.id,
      name: u.name,
      email: u.email,
      profileIds: mine.map((a) => a.profileId),
      defaultProfileId: mine.find((a) => a.isDefault)?.profileId ?? null,
      createdAt: iso(u.createdAt),
    }
  })
}

export const profileHandlers: HandlersFor<'profiles' | 'users'> = {
  'profiles.list': (ctx, { objectId }) => {
    const q = ctx.db.select().from(emailSendingProfiles)
    return (objectId === undefined ? q : q.where(eq(emailSendingProfiles.objectId, objectId))).orderBy(emailSendingProfiles.emailAddress).all().map(toProfile)
  },

  'profiles.create': (ctx, input) => {
    requireObject(ctx, input.objectId)
    assertEmailFree(ctx, input.objectId, input.email)
    const now = ctx.clock.now()
    const row = ctx.db
      .insert(emailSendingProfiles)
      .values({
        objectId: input.objectId,
        emailAddress: input.email,
        displayName: input.displayName,
        replyToAddress: input.replyTo ?? null,
        ...transportColumns(ctx, input.objectId, input.transport),
        isActive: input.isActive,
        signatureHtml: cleanSignature(input.signatureHtml ?? ''),
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get()
    ctx.emit('objects.changed', {})
    return toProfile(row)
  },

  'profiles.update': (ctx, { id, email, displayName, replyTo, transport, isActive, signatureHtml }) => {
    const current = requireProfile(ctx, id)
    if (email !== undefined) assertEmailFree(ctx, current.objectId, email, id)
    const row = ctx.db
      .update(emailSendingProfiles)
      .set({
        ...(email !== undefined ? { emailAddress: email } : {}),
        ...(displayName !== undefined ? { displayName } : {}),
        ...(replyTo !== undefined ? { replyToAddress: replyTo } : {}),
        ...(transport !== undefined ? transportColumns(ctx, current.objectId, transport) : {}),
        ...(isActive !== undefined ? { isActive } : {}),
        ...(signatureHtml !== undefined ? { signatureHtml: cleanSignature(signatureHtml) } : {}),
        updatedAt: ctx.clock.now(),
      })
      .where(eq(emailSendingProfiles.id, id))
      .returning()
      .get()
    ctx.emit('objects.changed', {})
    return toProfile(row)
  },

  'profiles.assign': (ctx, { userId, profileId, assigned, isDefault }) => {
    getUser(ctx, userId)
    requireProfile(ctx, profileId, 'profileId')
    ctx.sqlite.transaction(() => {
      const key = and(eq(userEmailProfileAssignments.userId, userId), eq(userEmailProfileAssignments.profileId, profileId))
      if (!assigned) {
        ctx.db.delete(userEmailProfileAssignments).where(key).run()
        return
      }
      // One default per user: setting a new one clears the old.
      if (isDefault) ctx.db.update(userEmailProfileAssignments).set({ isDefault: false }).where(eq(userEmailProfileAssignments.userId, userId)).run()
      ctx.db
        .insert(userEmailProfileAssignments)
        .values({ userId, profileId, isDefault, createdAt: ctx.clock.now() })
        .onConflictDoUpdate({ target: [userEmailProfileAssignments.userId, userEmailProfileAssignments.profileId], set: { isDefault } })
        .run()
    })()
    return getUser(ctx, userId)
  },

  'users.setCurrent': (ctx, { id }) => {
    if (id === null) deleteSetting(ctx, settingKeys.currentUser)
    else {
      getUser(ctx, id)
      setSetting(ctx, settingKeys.currentUser, String(id))
    }
    return { currentUserId: id }
  },

  'users.list': (ctx) => withAssignments(ctx, ctx.db.select().from(users).orderBy(users.name).all()),

  'users.create': (ctx, input) => {
    const clash = ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()
    if (clash) throw new AppError('CONFLICT', `A user with ${input.email} already exists`, 'email')
    const row = ctx.db.insert(users).values({ ...input, createdAt: ctx.clock.now() }).returning().get()
    return getUser(ctx, row.id)
  },
}
