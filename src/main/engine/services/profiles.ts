// Sender profiles (the From identities of a business), what they send through, and which staff may use them.
import type { ParsedInput } from '../../../shared/contract'
import type { Profile, Transport, User } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { sanitizeEmailHtml } from '../inbound/sanitize'
import { mailgunRowOf } from '../repos/mailgun'
import { deleteProfileRow, flowsSendingFrom, insertProfile, listProfileRows, profileRow, updateProfile as updateProfileRow, waitingFromProfile, type ProfileRow } from '../repos/profiles'
import { assignProfile, clearDefaultProfile, unassignProfile } from '../repos/users'
import { requireMailbox } from './mailboxes'
import { assertOwnAddressFree, requireObject } from './objects'
import { getUser } from './users'
import { allowedProfileIds } from './permissions'

export const toProfile = (r: ProfileRow): Profile => ({
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

function requireProfile(ctx: Ctx, id: number, field = 'id'): ProfileRow {
  const row = profileRow(ctx, id)
  if (!row) throw new AppError('NOT_FOUND', `Sender profile ${id} does not exist`, field)
  return row
}

/** A profile may only send through its own business's Mailgun domain or one of its own mailboxes. */
function transportColumns(ctx: Ctx, objectId: number, transport: Transport) {
  if (transport.kind === 'smtp') {
    const mailbox = requireMailbox(ctx, transport.mailboxId, 'transport.mailboxId')
    if (mailbox.objectId !== objectId) throw new AppError('VALIDATION', 'That mailbox belongs to another object', 'transport.mailboxId')
    return { transport: 'smtp' as const, mailboxId: mailbox.id }
  }
  if (!mailgunRowOf(ctx, objectId)?.apiKeySealed) throw new AppError('VALIDATION', 'Business Mailgun not configured', 'transport.kind')
  return { transport: 'mailgun' as const, mailboxId: null }
}

export function listProfiles(ctx: Ctx, objectId?: number): Profile[] {
  const allowed = allowedProfileIds(ctx)
  return listProfileRows(ctx, objectId).map((r) => ({ ...toProfile(r), mayUse: allowed === null || allowed.has(r.id) }))
}

export function createProfile(ctx: Ctx, input: ParsedInput<'profiles.create'>): Profile {
  requireObject(ctx, input.objectId)
  assertOwnAddressFree(ctx, 'profile', input.objectId, input.email)
  const now = ctx.clock.now()
  const row = insertProfile(ctx, {
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
  ctx.emit('objects.changed', {})
  return toProfile(row)
}

export function updateProfile(ctx: Ctx, { id, email, displayName, replyTo, transport, isActive, signatureHtml }: ParsedInput<'profiles.update'>): Profile {
  const current = requireProfile(ctx, id)
  if (email !== undefined) assertOwnAddressFree(ctx, 'profile', current.objectId, email, id)
  const row = updateProfileRow(ctx, id, {
    ...(email !== undefined ? { emailAddress: email } : {}),
    ...(displayName !== undefined ? { displayName } : {}),
    ...(replyTo !== undefined ? { replyToAddress: replyTo } : {}),
    ...(transport !== undefined ? transportColumns(ctx, current.objectId, transport) : {}),
    ...(isActive !== undefined ? { isActive } : {}),
    ...(signatureHtml !== undefined ? { signatureHtml: cleanSignature(signatureHtml) } : {}),
    updatedAt: ctx.clock.now(),
  })
  ctx.emit('objects.changed', {})
  return toProfile(row)
}

/**
 * Deletes a sender profile. Mail already sent keeps its From address in the outbox; staff lose the assignment.
 * Refused while mail from it still waits to leave, or a flow's step sends from it: either would go on without
 * a sender (the user cancels or moves that first, or turns the profile off instead).
 */
export function deleteProfile(ctx: Ctx, id: number): { id: number; deleted: true } {
  return ctx.sqlite.transaction(() => {
    const p = requireProfile(ctx, id)
    const waiting = waitingFromProfile(ctx, id)
    if (waiting > 0)
      throw new AppError('CONFLICT', `${waiting === 1 ? 'A message is' : `${waiting} messages are`} still waiting to go from ${p.emailAddress}. Send or cancel ${waiting === 1 ? 'it' : 'them'} in the outbox first, or turn the profile off.`, 'id')
    const flows = flowsSendingFrom(ctx, id)
    if (flows.length > 0)
      throw new AppError('CONFLICT', `${flows.length === 1 ? `The flow “${flows[0]}” sends` : `The flows ${flows.map((f) => `“${f}”`).join(', ')} send`} from ${p.emailAddress}. Choose another sender there first, or turn the profile off.`, 'id')
    deleteProfileRow(ctx, id)
    ctx.emit('objects.changed', {})
    return { id, deleted: true as const }
  })()
}

export function assignProfileToUser(ctx: Ctx, { userId, profileId, assigned, isDefault }: ParsedInput<'profiles.assign'>): User {
  getUser(ctx, userId)
  requireProfile(ctx, profileId, 'profileId')
  ctx.sqlite.transaction(() => {
    if (!assigned) return unassignProfile(ctx, userId, profileId)
    // One default per user: setting a new one clears the old.
    if (isDefault) clearDefaultProfile(ctx, userId)
    assignProfile(ctx, userId, profileId, isDefault, ctx.clock.now())
  })()
  return getUser(ctx, userId)
}
