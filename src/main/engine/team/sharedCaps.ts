// A mailbox's daily cap across desktops (issue 22). Each desktop counts its own sends when it claims them
// (outbound/capacity.ts); a send another desktop made reaches this one as the op that marks its row sent, and
// is counted here, on the day of its business, in the apply's transaction. So every desktop counts every send
// of the mailbox once, and the cap holds for the team within the sends in flight at one moment (each desktop
// stops at the cap it sees; two that both see one slot left may both take it: one over, never twice the cap).
import type { Sqlite } from '../db/open'
import { stmt, stmtPluck } from '../db/stmt'
import { localDay } from '../outbound/localDay'

/** Statuses a row reaches only once it has left the mailbox. */
const LEFT = new Set(['sent', 'delivered', 'opened', 'clicked', 'bounced'])

export interface OutboxBefore {
  status: string | null
  mailboxId: number | null
  sentAt: number | null
}

/** The row as it was before a remote op on its status (undefined: the op inserts it). */
export function outboxBefore(sqlite: Sqlite, id: number): OutboxBefore | undefined {
  return stmt(sqlite, 'SELECT status, mailbox_id AS mailboxId, sent_at AS sentAt FROM outbound_messages WHERE id = ?').get(id) as OutboxBefore | undefined
}

/** After the op was written: a row that left the mailbox on another desktop counts against the mailbox here. */
export function countRemoteSend(sqlite: Sqlite, before: OutboxBefore | undefined, fields: Record<string, unknown>): void {
  const status = fields.status
  if (typeof status !== 'string' || !LEFT.has(status) || (before?.status && LEFT.has(before.status))) return
  const mailboxId = (fields.mailbox_id as number | null | undefined) ?? before?.mailboxId ?? null
  const sentAt = (fields.sent_at as number | null | undefined) ?? before?.sentAt ?? null
  if (mailboxId === null || sentAt === null) return
  const tz = stmtPluck(sqlite, 'SELECT o.timezone FROM mailboxes m JOIN objects o ON o.id = m.object_id WHERE m.id = ?').get(mailboxId) as string | undefined
  if (!tz) return
  // last_send_at only moves forward: a late-arriving send of another desktop never shortens the pacing gap.
  stmt(
    sqlite,
    `INSERT INTO mailbox_daily_counts (mailbox_id, day, sent, last_send_at) VALUES (?, ?, 1, ?)
     ON CONFLICT (mailbox_id, day) DO UPDATE SET sent = sent + 1, last_send_at = max(coalesce(last_send_at, 0), excluded.last_send_at)`,
  ).run(mailboxId, localDay(sentAt, tz), sentAt)
}
