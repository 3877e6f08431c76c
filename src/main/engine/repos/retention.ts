// Queries for the mail retention setting (issue 18): how many months of a business's mail are kept, and the daily
// pass that deletes what is older (services/retention.ts).
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface RetentionRow {
  objectId: number
  months: number | null
  lastRunAt: number | null
}

export const retentionOf = (ctx: Ctx, objectId: number): RetentionRow =>
  (stmt(ctx.sqlite, 'SELECT object_id AS objectId, months, last_run_at AS lastRunAt FROM data_retention WHERE object_id = ?').get(objectId) as RetentionRow | undefined) ?? {
    objectId,
    months: null,
    lastRunAt: null,
  }

export function setRetention(ctx: Ctx, objectId: number, months: number | null, now: number): void {
  stmt(
    ctx.sqlite,
    'INSERT INTO data_retention (object_id, months, updated_at) VALUES (?, ?, ?) ON CONFLICT (object_id) DO UPDATE SET months = excluded.months, updated_at = excluded.updated_at',
  ).run(objectId, months, now)
}

export const retentionDue = (ctx: Ctx, dueBefore: number): RetentionRow[] =>
  stmt(
    ctx.sqlite,
    'SELECT object_id AS objectId, months, last_run_at AS lastRunAt FROM data_retention WHERE months IS NOT NULL AND (last_run_at IS NULL OR last_run_at <= ?)',
  ).all(dueBefore) as RetentionRow[]

export const markRetentionRun = (ctx: Ctx, objectId: number, at: number): void => void stmt(ctx.sqlite, 'UPDATE data_retention SET last_run_at = ? WHERE object_id = ?').run(at, objectId)

/** Local mail of the business older than the cut, oldest first, a page at a time. */
export const messagesOlderThan = (ctx: Ctx, objectId: number, before: number, limit: number): number[] =>
  stmtPluck(ctx.sqlite, 'SELECT id FROM messages WHERE object_id = ? AND date < ? ORDER BY date, id LIMIT ?').all(objectId, before, limit) as number[]
