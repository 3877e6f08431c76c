// The audit log: what staff did with people's data or the business's settings. Detail holds ids and counts,
// never personal data, so entries outlive an erase.
import type { Ctx } from '../context'
import { iso } from '../clock'
import { stmt } from '../db/stmt'
import type { AuditEntry } from '../../../shared/consent'

export function addAudit(ctx: Ctx, e: { objectId: number | null; userId: number | null; action: string; detail?: Record<string, unknown> }, at: number): void {
  stmt(ctx.sqlite, 'INSERT INTO audit_log (object_id, user_id, action, detail, at) VALUES (?, ?, ?, ?, ?)').run(
    e.objectId,
    e.userId,
    e.action,
    JSON.stringify(e.detail ?? {}),
    at,
  )
}

export function auditOf(ctx: Ctx, objectId: number | null, limit: number, beforeId?: number): AuditEntry[] {
  const rows = stmt(
    ctx.sqlite,
    'SELECT id, object_id AS objectId, user_id AS userId, action, detail, at FROM audit_log WHERE (? IS NULL OR object_id = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?',
  ).all(objectId, objectId, beforeId ?? null, beforeId ?? null, limit) as { id: number; objectId: number | null; userId: number | null; action: string; detail: string; at: number }[]
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown>, at: iso(r.at) }))
}
