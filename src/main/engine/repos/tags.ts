// Tag queries: the list with contact counts, lookups by id and name, and which contacts carry a tag.
import type { Tag } from '../../../shared/models'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

const LIST_SQL = `SELECT t.id, t.name, t.color, (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) AS contactCount
  FROM tags t`

export const listTags = (ctx: Ctx): Tag[] => stmt(ctx.sqlite, `${LIST_SQL} ORDER BY t.name COLLATE NOCASE`).all() as Tag[]

export const tagById = (ctx: Ctx, id: number): Tag | undefined => stmt(ctx.sqlite, `${LIST_SQL} WHERE t.id = ?`).get(id) as Tag | undefined

export const tagExists = (ctx: Ctx, id: number): boolean => stmt(ctx.sqlite, 'SELECT 1 FROM tags WHERE id = ?').get(id) !== undefined

/** Case-insensitive, as tag names are unique. */
export const tagIdByName = (ctx: Ctx, name: string): number | undefined =>
  (stmt(ctx.sqlite, 'SELECT id FROM tags WHERE name = ? COLLATE NOCASE').get(name) as { id: number } | undefined)?.id

export const countTags = (ctx: Ctx): number => (stmt(ctx.sqlite, 'SELECT count(*) AS n FROM tags').get() as { n: number }).n

export function insertTag(ctx: Ctx, name: string, color: string, now: number): number {
  return Number(stmt(ctx.sqlite, 'INSERT INTO tags (name, color, created_at) VALUES (?, ?, ?)').run(name, color, now).lastInsertRowid)
}

export function setTagColor(ctx: Ctx, id: number, color: string): void {
  stmt(ctx.sqlite, 'UPDATE tags SET color = ? WHERE id = ?').run(color, id)
}

/** Tags one contact; false when it already had the tag. */
export function addContactTag(ctx: Ctx, tagId: number, contactId: number, now: number): boolean {
  return stmt(ctx.sqlite, 'INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, created_at) VALUES (?, ?, ?)').run(tagId, contactId, now).changes > 0
}

/** Untags one contact; false when it did not have the tag. */
export function removeContactTag(ctx: Ctx, tagId: number, contactId: number): boolean {
  return stmt(ctx.sqlite, 'DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?').run(tagId, contactId).changes > 0
}
