// Segment queries: the saved rows, and counting / sampling the contacts a compiled segment matches.
import type { Group, Segment } from '../../../shared/segments'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import type { SqlPart } from './segmentSql'

export interface SegmentRow {
  id: number
  objectId: number | null
  name: string
  rulesJson: string
  createdAt: number
  updatedAt: number
}
const COLS = 'id, object_id AS objectId, name, rules_json AS rulesJson, created_at AS createdAt, updated_at AS updatedAt'

export const segmentRow = (ctx: Ctx, id: number): SegmentRow | undefined => stmt(ctx.sqlite, `SELECT ${COLS} FROM segments WHERE id = ?`).get(id) as SegmentRow | undefined

export function segmentRows(ctx: Ctx, objectId?: number): SegmentRow[] {
  // A business's list shows its own segments and the workspace-wide ones.
  if (objectId === undefined) return stmt(ctx.sqlite, `SELECT ${COLS} FROM segments ORDER BY name COLLATE NOCASE, id`).all() as SegmentRow[]
  return stmt(ctx.sqlite, `SELECT ${COLS} FROM segments WHERE object_id IS NULL OR object_id = ? ORDER BY name COLLATE NOCASE, id`).all(objectId) as SegmentRow[]
}

export const segmentNameTaken = (ctx: Ctx, objectId: number | null, name: string, exceptId = 0): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM segments WHERE ifnull(object_id, 0) = ? AND name = ? COLLATE NOCASE AND id <> ?').get(objectId ?? 0, name, exceptId)

export function insertSegment(ctx: Ctx, s: { objectId: number | null; name: string; rules: Group }, now: number): number {
  return Number(
    stmt(ctx.sqlite, 'INSERT INTO segments (object_id, name, rules_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(s.objectId, s.name, JSON.stringify(s.rules), now, now)
      .lastInsertRowid,
  )
}

export function updateSegmentRow(ctx: Ctx, s: { id: number; objectId: number | null; name: string; rules: Group }, now: number): void {
  stmt(ctx.sqlite, 'UPDATE segments SET object_id = ?, name = ?, rules_json = ?, updated_at = ? WHERE id = ?').run(s.objectId, s.name, JSON.stringify(s.rules), now, s.id)
}

export const deleteSegmentRow = (ctx: Ctx, id: number): number => stmt(ctx.sqlite, 'DELETE FROM segments WHERE id = ?').run(id).changes

export const toSegment = (r: SegmentRow, count: number): Segment => ({
  id: r.id,
  objectId: r.objectId,
  name: r.name,
  rules: JSON.parse(r.rulesJson) as Group,
  count,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
})

// Compiled SQL differs per segment shape: prepared per call (microseconds) rather than cached, so a user
// trying rule after rule in the builder never grows the statement cache.
export const countMatching = (ctx: Ctx, where: SqlPart): number =>
  (ctx.sqlite.prepare(`SELECT count(*) AS n FROM contacts c WHERE ${where.sql}`).get(...where.params) as { n: number }).n

export function sampleMatching(ctx: Ctx, where: SqlPart, limit: number): Array<{ id: number; name: string; email: string | null; company: string }> {
  if (limit === 0) return []
  return ctx.sqlite.prepare(
    `SELECT c.id, trim(c.first_name || ' ' || c.last_name) AS name, c.email, c.company FROM contacts c WHERE ${where.sql}
     ORDER BY c.sort_name, c.id LIMIT ?`,
  ).all(...where.params, limit) as Array<{ id: number; name: string; email: string | null; company: string }>
}

export const isMatching = (ctx: Ctx, where: SqlPart, contactId: number): boolean =>
  !!ctx.sqlite.prepare(`SELECT 1 FROM contacts c WHERE c.id = ? AND ${where.sql}`).get(contactId, ...where.params)

/** Which of these ids exist in `table` (tags, objects, companies). */
export function existingIds(ctx: Ctx, table: 'tags' | 'objects' | 'companies', ids: number[]): Set<number> {
  if (ids.length === 0) return new Set()
  return new Set(stmtPluck(ctx.sqlite, `SELECT t.id FROM json_each(?) j JOIN ${table} t ON t.id = j.value`).all(JSON.stringify(ids)) as number[])
}
