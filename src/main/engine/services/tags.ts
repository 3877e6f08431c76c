// Tags: global labels (shared by every business) that filter the grid and trigger automation.
import { TAG_COLORS, type Tag } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { addContactTag, countTags, insertTag, listTags, removeContactTag, setTagColor, tagById, tagExists, tagIdByName } from '../repos/tags'

export { listTags }

export function requireTags(ctx: Ctx, ids: number[], field: string): void {
  const missing = ids.find((id) => !tagExists(ctx, id))
  if (missing !== undefined) throw new AppError('NOT_FOUND', `Tag ${missing} does not exist`, field)
}

/** Finds a tag by name (case-insensitive) or makes it, picking the next colour in turn. */
export function ensureTag(ctx: Ctx, name: string): number {
  const found = tagIdByName(ctx, name)
  if (found !== undefined) return found
  return insertTag(ctx, name, TAG_COLORS[countTags(ctx) % TAG_COLORS.length], ctx.clock.now())
}

export function createTag(ctx: Ctx, name: string, color: string | undefined): Tag {
  if (tagIdByName(ctx, name) !== undefined) throw new AppError('CONFLICT', `A tag named "${name}" already exists`, 'name')
  const id = ctx.sqlite.transaction(() => {
    const made = ensureTag(ctx, name)
    if (color) setTagColor(ctx, made, color)
    return made
  })()
  ctx.emit('tags.changed', {})
  return tagById(ctx, id)!
}

/**
 * Tags the contacts (call inside a transaction); only the newly tagged ones fire the `contacts.tagged` hook
 * (autoresponders). Returns how many were newly tagged.
 */
export function tagContacts(ctx: Ctx, contactIds: number[], tagId: number, now: number): number {
  const tagged = contactIds.filter((id) => addContactTag(ctx, tagId, id, now))
  if (tagged.length) ctx.hooks.emit('contacts.tagged', { contactIds: tagged, tagId })
  return tagged.length
}

/** Untags the contacts (call inside a transaction); returns how many had the tag. */
export const untagContacts = (ctx: Ctx, contactIds: number[], tagId: number): number =>
  contactIds.reduce((n, id) => n + (removeContactTag(ctx, tagId, id) ? 1 : 0), 0)
