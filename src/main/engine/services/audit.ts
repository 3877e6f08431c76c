// audit.list: the audit log, newest first, a page at a time (repos/cursor.ts: the one cursor format).
import type { ParsedInput } from '../../../shared/contract'
import type { AuditPage } from '../../../shared/dataRights'
import type { Ctx } from '../context'
import { auditOf } from '../repos/audit'
import { decodeIntCursor, encodeCursor } from '../repos/cursor'

export function listAudit(ctx: Ctx, { objectId, cursor, limit }: ParsedInput<'audit.list'>): AuditPage {
  const before = cursor ? decodeIntCursor(cursor, 1)[0] : undefined
  const rows = auditOf(ctx, objectId ?? null, limit + 1, before)
  const items = rows.slice(0, limit)
  return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null }
}
