// Contacts: the people a business talks to, with tags, extra addresses and custom fields. Creating a contact or
// changing its addresses emits `contacts.emailsChanged` in the same transaction, so stored mail can follow.
import type { ParsedInput } from '../../../shared/contract'
import type { Contact } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { segmentGridFilter } from './segments'
import { contactTimeline } from './messages'
import { contactInserter, deleteContactRow, existingContactIds, findByEmail, getContact, indexContacts, listContacts as listContactRows, replaceExtraEmails, updateContactRow } from '../repos/contacts'
import { requireObject } from './objects'
import { recordSuppression } from '../outbound/suppression'
import { requireTags, tagContacts, untagContacts } from './tags'
import { assertNotErased } from './dataRights'
// issue 17: phones in any common form, stored E.164, several per contact
import { phonesForInput } from './contactPhones'
import { insertPhones, replacePhones } from '../repos/contactPhones'
import { phoneSearchText } from '../../../shared/phones'
// issue 22 item 5: who added and who last changed a contact
import { actorEmail } from '../repos/authors'

export { getContact }

/** The grid's page; with `segmentId`, only that segment's contacts (one compiled query, issue 19). */
export const listContacts = (ctx: Ctx, input: ParsedInput<'contacts.list'>) =>
  listContactRows(ctx, input, input.segmentId === undefined ? undefined : segmentGridFilter(ctx, input.segmentId))

/** The contact's activity, newest first. */
export const timeline = (ctx: Ctx, { contactId, cursor, limit }: ParsedInput<'contacts.timeline'>) => contactTimeline(ctx, contactId, cursor, limit)

function assertEmailFree(ctx: Ctx, objectId: number | null, email: string | null, exceptId?: number): void {
  if (!email) return
  assertNotErased(ctx, objectId, email) // issue 18: an erased person is not added back
  const clash = findByEmail(ctx, objectId, email)
  if (clash && clash.id !== exceptId) {
    const where = objectId === null ? 'among unassigned contacts' : `in ${requireObject(ctx, objectId).name}`
    throw new AppError('CONFLICT', `A contact with ${email} already exists ${where}`, 'email')
  }
}

function requireContacts(ctx: Ctx, ids: number[]): number[] {
  const unique = [...new Set(ids)]
  const found = existingContactIds(ctx, unique)
  const missing = unique.find((id) => !found.has(id))
  if (missing !== undefined) throw new AppError('NOT_FOUND', `Contact ${missing} does not exist`, 'contactIds')
  return unique
}

/** Stored mail is matched to contacts by address within their business: tell whoever links it (inside the transaction). */
export function contactEmailsChanged(ctx: Ctx, contactIds: number[]): void {
  if (contactIds.length) ctx.hooks.emit('contacts.emailsChanged', { contactIds })
}

const sameEmails = (a: Pick<Contact, 'email' | 'extraEmails' | 'primaryObjectId'>, b: Pick<Contact, 'email' | 'extraEmails' | 'primaryObjectId'>): boolean =>
  a.email === b.email && a.primaryObjectId === b.primaryObjectId && [...a.extraEmails].sort().join('\n') === [...b.extraEmails].sort().join('\n')

/** `by`: the e-mail of who adds it (issue 22 item 5): the person at this desktop, or null for automation (intake). */
export function createContact(ctx: Ctx, { phones: phonesInput, ...input }: ParsedInput<'contacts.create'>, by: string | null = actorEmail(ctx)): Contact {
  if (input.primaryObjectId !== null) requireObject(ctx, input.primaryObjectId, 'primaryObjectId')
  const phones = phonesForInput(ctx, input.primaryObjectId, { phone: input.phone, phones: phonesInput }, []) ?? []
  assertEmailFree(ctx, input.primaryObjectId, input.email)
  requireTags(ctx, input.tagIds, 'tagIds')
  const now = ctx.clock.now()
  const id = ctx.sqlite.transaction(() => {
    const row = { ...input, phone: phones[0]?.number ?? '', phoneSearch: phoneSearchText(phones.map((p) => p.number)), addedBy: by }
    const contactId = contactInserter(ctx)(row, now)
    insertPhones(ctx, contactId, phones, now)
    indexContacts(ctx, [contactId])
    replaceExtraEmails(ctx, contactId, input.extraEmails, now)
    ctx.hooks.emit('contacts.created', { ids: [contactId] })
    contactEmailsChanged(ctx, [contactId])
    for (const tagId of input.tagIds) tagContacts(ctx, [contactId], tagId, now)
    return contactId
  })()
  ctx.emit('contacts.changed', { ids: [id] })
  return getContact(ctx, id)
}

/** `by`: who changes it by hand (issue 22 item 5); null when nobody did (intake filling in a form's answers). */
export function updateContact(ctx: Ctx, { id, extraEmails, phones: phonesInput, ...patch }: ParsedInput<'contacts.update'>, by: string | null = actorEmail(ctx)): Contact {
  const current = getContact(ctx, id)
  const next = { ...current, ...patch, extraEmails: extraEmails ?? current.extraEmails }
  if (patch.primaryObjectId != null) requireObject(ctx, patch.primaryObjectId, 'primaryObjectId')
  const phones = phonesForInput(ctx, next.primaryObjectId, { phone: patch.phone, phones: phonesInput }, current.phones)
  next.phone = phones ? (phones[0]?.number ?? '') : current.phone
  if (patch.email !== undefined || patch.primaryObjectId !== undefined) assertEmailFree(ctx, next.primaryObjectId, next.email, id)
  const now = ctx.clock.now()
  ctx.sqlite.transaction(() => {
    updateContactRow(ctx, id, next, now, by)
    if (phones) replacePhones(ctx, id, phones, now)
    if (extraEmails) replaceExtraEmails(ctx, id, extraEmails, now)
    if (!sameEmails(current, next)) contactEmailsChanged(ctx, [id])
    if (next.status !== current.status && next.status !== 'active') {
      // Marked by hand: the same suppression a bounce, complaint or unsubscribe link records.
      if (next.email) recordSuppression(ctx, next.primaryObjectId, next.email, next.status)
      // Automation stops for a contact marked unsubscribed or complained by hand (same transaction).
      if (next.status !== 'bounced') ctx.hooks.emit('contacts.unsubscribed', { contactId: id, reason: next.status })
    }
  })()
  ctx.emit('contacts.changed', { ids: [id] })
  return getContact(ctx, id)
}

export function deleteContacts(ctx: Ctx, ids: number[]): { deleted: number } {
  const unique = requireContacts(ctx, ids)
  const deleted = ctx.sqlite.transaction(() => unique.reduce((n, id) => n + (deleteContactRow(ctx, id) ? 1 : 0), 0))()
  ctx.emit('contacts.changed', { ids: unique })
  ctx.emit('tags.changed', {})
  return { deleted }
}

/** Adds or removes a tag on many contacts in one transaction; only newly tagged contacts fire `contacts.tagged`. */
export function changeTag(ctx: Ctx, { contactIds, tagId }: ParsedInput<'contacts.addTag'>, add: boolean): { changed: number } {
  requireTags(ctx, [tagId], 'tagId')
  const ids = requireContacts(ctx, contactIds)
  const changed = ctx.sqlite.transaction(() => (add ? tagContacts(ctx, ids, tagId, ctx.clock.now()) : untagContacts(ctx, ids, tagId)))()
  ctx.emit('contacts.changed', { ids })
  ctx.emit('tags.changed', {})
  return { changed }
}
