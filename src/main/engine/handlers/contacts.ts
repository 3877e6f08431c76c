// Contacts: the people a business talks to, with tags, extra addresses and custom fields.
import { contactTimeline } from '../queries/inbox'
import type { Contact } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import type { Ctx, HandlersFor } from '../context'
import { contactInserter, findByEmail, getContact, indexContacts, listContacts, sortNameOf } from '../repos/contacts'
import { importContacts } from '../services/importContacts'
import { segmentGridFilter } from '../services/segments'
import { requireObject } from './objects'
import { requireTags } from './tags'

function assertEmailFree(ctx: Ctx, objectId: number | null, email: string | null, exceptId?: number): void {
  if (!email) return
  const clash = findByEmail(ctx, objectId, email)
  if (clash && clash.id !== exceptId) {
    const where = objectId === null ? 'among unassigned contacts' : `in ${requireObject(ctx, objectId).name}`
    throw new AppError('CONFLICT', `A contact with ${email} already exists ${where}`, 'email')
  }
}

function replaceExtraEmails(ctx: Ctx, contactId: number, emails: string[], now: number): void {
  ctx.sqlite.prepare('DELETE FROM contact_emails WHERE contact_id = ?').run(contactId)
  const insert = ctx.sqlite.prepare('INSERT OR IGNORE INTO contact_emails (contact_id, email, created_at) VALUES (?, ?, ?)')
  for (const email of emails) insert.run(contactId, email, now)
}

/** Unsubscribes, bounces and complaints keep the address off every future send for that object. */
function suppressIfNeeded(ctx: Ctx, c: Pick<Contact, 'status' | 'email' | 'primaryObjectId'>, now: number): void {
  if (c.status === 'active' || !c.email) return
  ctx.sqlite
    .prepare('INSERT OR IGNORE INTO suppressions (object_id, email, reason, created_at) VALUES (?, ?, ?, ?)')
    .run(c.primaryObjectId, c.email, c.status, now)
}

/** Tags the contacts; only the newly tagged ones fire the `contacts.tagged` hook (autoresponders). */
function tagContacts(ctx: Ctx, contactIds: number[], tagId: number, now: number): number {
  const insert = ctx.sqlite.prepare('INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, created_at) VALUES (?, ?, ?)')
  const tagged = contactIds.filter((id) => insert.run(tagId, id, now).changes > 0)
  if (tagged.length) ctx.hooks.emit('contacts.tagged', { contactIds: tagged, tagId })
  return tagged.length
}

function requireContacts(ctx: Ctx, ids: number[]): number[] {
  const unique = [...new Set(ids)]
  const found = new Set<number>()
  // Chunked so 100k ids never exceed SQLite's parameter limit.
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500)
    for (const r of ctx.sqlite.prepare(`SELECT id FROM contacts WHERE id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as Array<{ id: number }>)
      found.add(r.id)
  }
  const missing = unique.find((id) => !found.has(id))
  if (missing !== undefined) throw new AppError('NOT_FOUND', `Contact ${missing} does not exist`, 'contactIds')
  return unique
}

export const contactHandlers: HandlersFor<'contacts'> = {
  'contacts.list': (ctx, input) => listContacts(ctx, input, input.segmentId === undefined ? undefined : segmentGridFilter(ctx, input.segmentId)),
  'contacts.get': (ctx, { id }) => getContact(ctx, id),
  'contacts.timeline': (ctx, { contactId, cursor, limit }) => contactTimeline(ctx, contactId, cursor, limit),

  'contacts.create': (ctx, input) => {
    if (input.primaryObjectId !== null) requireObject(ctx, input.primaryObjectId, 'primaryObjectId')
    assertEmailFree(ctx, input.primaryObjectId, input.email)
    requireTags(ctx, input.tagIds, 'tagIds')
    const now = ctx.clock.now()
    const id = ctx.sqlite.transaction(() => {
      const contactId = contactInserter(ctx)(input, now)
      indexContacts(ctx, [contactId])
      replaceExtraEmails(ctx, contactId, input.extraEmails, now)
      ctx.hooks.emit('contacts.created', { ids: [contactId] })
      for (const tagId of input.tagIds) tagContacts(ctx, [contactId], tagId, now)
      return contactId
    })()
    ctx.emit('contacts.changed', { ids: [id] })
    return getContact(ctx, id)
  },

  'contacts.update': (ctx, { id, extraEmails, ...patch }) => {
    const current = getContact(ctx, id)
    const next = { ...current, ...patch }
    if (patch.primaryObjectId != null) requireObject(ctx, patch.primaryObjectId, 'primaryObjectId')
    if (patch.email !== undefined || patch.primaryObjectId !== undefined) assertEmailFree(ctx, next.primaryObjectId, next.email, id)
    const now = ctx.clock.now()
    ctx.sqlite.transaction(() => {
      ctx.sqlite
        .prepare(
          `UPDATE contacts SET primary_object_id = ?, email = ?, first_name = ?, last_name = ?, company = ?, phone = ?, timezone = ?,
             fields_json = ?, status = ?, sort_name = ?, updated_at = ? WHERE id = ?`,
        )
        .run(next.primaryObjectId, next.email, next.firstName, next.lastName, next.company, next.phone, next.timezone, JSON.stringify(next.fields), next.status, sortNameOf(next), now, id)
      if (extraEmails) replaceExtraEmails(ctx, id, extraEmails, now)
      if (patch.status && patch.status !== current.status) suppressIfNeeded(ctx, next, now)
      // Automation stops for a contact marked unsubscribed or complained by hand (same transaction).
      if ((patch.status === 'unsubscribed' || patch.status === 'complained') && patch.status !== current.status) ctx.hooks.emit('contacts.unsubscribed', { contactId: id, reason: patch.status })
    })()
    ctx.emit('contacts.changed', { ids: [id] })
    return getContact(ctx, id)
  },

  'contacts.delete': (ctx, { ids }) => {
    const unique = requireContacts(ctx, ids)
    const del = ctx.sqlite.prepare('DELETE FROM contacts WHERE id = ?')
    const deleted = ctx.sqlite.transaction(() => unique.reduce((n, id) => n + del.run(id).changes, 0))()
    ctx.emit('contacts.changed', { ids: unique })
    ctx.emit('tags.changed', {})
    return { deleted }
  },

  'contacts.addTag': (ctx, { contactIds, tagId }) => {
    requireTags(ctx, [tagId], 'tagId')
    const ids = requireContacts(ctx, contactIds)
    const changed = ctx.sqlite.transaction(() => tagContacts(ctx, ids, tagId, ctx.clock.now()))()
    ctx.emit('contacts.changed', { ids })
    ctx.emit('tags.changed', {})
    return { changed }
  },

  'contacts.removeTag': (ctx, { contactIds, tagId }) => {
    requireTags(ctx, [tagId], 'tagId')
    const ids = requireContacts(ctx, contactIds)
    const del = ctx.sqlite.prepare('DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?')
    const changed = ctx.sqlite.transaction(() => ids.reduce((n, id) => n + del.run(tagId, id).changes, 0))()
    ctx.emit('contacts.changed', { ids })
    ctx.emit('tags.changed', {})
    return { changed }
  },

  'contacts.import': (ctx, input) => importContacts(ctx, input),
}
