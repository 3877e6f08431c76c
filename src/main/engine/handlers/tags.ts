// Tags: global labels (shared by every object) that filter the grid and, later, trigger automation.
import { TAG_COLORS, type Tag } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import type { Ctx, HandlersFor } from '../context'

const LIST_SQL = `SELECT t.id, t.name, t.color, (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) AS contactCount
  FROM tags t`

export function requireTags(ctx: Ctx, ids: number[], field: string): void {
  const get = ctx.sqlite.prepare('SELECT id FROM tags WHERE id = ?')
  const missing = ids.find((id) => !get.get(id))
  if (missing !== undefined) throw new AppError('NOT_FOUND', `Tag ${missing} does not exist`, field)
}

/** Finds a tag by name (case-insensitive) or makes it, picking the next colour in turn. */
export function ensureTag(ctx: Ctx, name: string): number {
  const found = ctx.sqlite.prepare('SELECT id FROM tags WHERE name = ? COLLATE NOCASE').get(name) as { id: number } | undefined
  if (found) return found.id
  const count = (ctx.sqlite.prepare('SELECT count(*) AS n FROM tags').get() as { n: number }).n
  const color = TAG_COLORS[count % TAG_COLORS.length]
  return Number(ctx.sqlite.prepare('INSERT INTO tags (name, color, created_at) VALUES (?, ?, ?)').run(name, color, ctx.clock.now()).lastInsertRowid)
}

export const tagHandlers: HandlersFor<'tags'> = {
  'tags.list': (ctx) => ctx.sqlite.prepare(`${LIST_SQL} ORDER BY t.name COLLATE NOCASE`).all() as Tag[],

  'tags.create': (ctx, { name, color }) => {
    if (ctx.sqlite.prepare('SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE').get(name))
      throw new AppError('CONFLICT', `A tag named "${name}" already exists`, 'name')
    const id = ensureTag(ctx, name)
    if (color) ctx.sqlite.prepare('UPDATE tags SET color = ? WHERE id = ?').run(color, id)
    ctx.emit('tags.changed', {})
    return ctx.sqlite.prepare(`${LIST_SQL} WHERE t.id = ?`).get(id) as Tag
  },
}
