// mail.send's idempotency: a key is unique per business (migration 0023's index).
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export const rowIdByKey = (ctx: Ctx, objectId: number, key: string): number | undefined =>
  (stmt(ctx.sqlite, 'SELECT id FROM outbound_messages WHERE object_id = ? AND idempotency_key = ?').get(objectId, key) as { id: number } | undefined)?.id
