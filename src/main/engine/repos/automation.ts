// Lookups every automation domain checks against (an object, a tag) before it saves a definition.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export const objectExists = (ctx: Ctx, id: number): boolean => !!stmt(ctx.sqlite, 'SELECT 1 FROM objects WHERE id = ?').get(id)
export const tagExists = (ctx: Ctx, id: number): boolean => !!stmt(ctx.sqlite, 'SELECT 1 FROM tags WHERE id = ?').get(id)
export const objectTimezone = (ctx: Ctx, id: number): string | undefined =>
  (stmt(ctx.sqlite, 'SELECT timezone FROM objects WHERE id = ?').get(id) as { timezone: string } | undefined)?.timezone
