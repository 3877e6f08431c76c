// Set-based lookups for one stored batch: one query each instead of one per message (or per referenced
// id). They only tell which ids exist when the batch starts; a hit is still read row by row, so what the
// batch itself changes (a stale copy revived, an outbox row bounced) is seen exactly as before.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import type { FolderRef, ParsedMessage } from './types'

const idList = (xs: Iterable<string | null | undefined>) => JSON.stringify([...new Set([...xs].filter((x): x is string => !!x))])

/** The uids of these that this folder copy (mailbox, folder, uidvalidity) already holds. */
export function storedUids(ctx: Ctx, ref: FolderRef, uv: string, uids: number[]): Set<number> {
  if (uids.length === 0) return new Set()
  const rows = stmt(
    ctx.sqlite,
    'SELECT uid FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity = ? AND uid IN (SELECT value FROM json_each(?))',
  ).all(ref.mailboxId, ref.folder, uv, JSON.stringify(uids)) as Array<{ uid: number }>
  return new Set(rows.map((r) => r.uid))
}

export interface BatchLookups {
  /** Message-IDs of our outbound mail among those the batch mentions (own copies, DSN originals, references). */
  outbound: Set<string>
  /** Message-IDs that have a stale copy in this folder (left by a uidvalidity reset). */
  stale: Set<string>
  /** Address → contact ids, filled as the batch is matched (contacts do not change while it is stored). */
  contacts: Map<string, number[]>
}

/** Call inside the write, before the batch's first insert. */
export function batchLookups(ctx: Ctx, ref: FolderRef, messages: ParsedMessage[]): BatchLookups {
  const mentioned = idList(messages.flatMap((m) => [m.messageId, m.dsn?.originalMessageId, m.inReplyTo, ...m.references]))
  const outbound = stmt(ctx.sqlite, 'SELECT message_id AS m FROM outbound_messages WHERE message_id IN (SELECT value FROM json_each(?))').all(mentioned) as Array<{
    m: string
  }>
  const stale = stmt(
    ctx.sqlite,
    'SELECT DISTINCT message_id AS m FROM messages WHERE mailbox_id = ? AND folder = ? AND stale = 1 AND message_id IN (SELECT value FROM json_each(?))',
  ).all(ref.mailboxId, ref.folder, idList(messages.map((m) => m.messageId))) as Array<{ m: string }>
  return { outbound: new Set(outbound.map((r) => r.m)), stale: new Set(stale.map((r) => r.m)), contacts: new Map() }
}
