// Daily cap and pacing per mailbox. A send is counted when it is claimed (a reservation), inside the same
// transaction that marks the row `sending`, so two claims can never both take the last slot, and a crash
// after the claim still counts. A send that did not leave gives its slot back.
import type { Ctx } from '../context'
import { localDay, nextLocalMidnight } from './localDay'
import { stmt } from '../db/stmt'

export interface MailboxPace {
  id: number
  dailyCapacity: number
  minGapSeconds: number
  timezone: string
}

export type CapacityVerdict =
  | { ok: true; day: string; sent: number }
  | { ok: false; reason: 'capacity'; until: number }
  | { ok: false; reason: 'gap'; until: number }

export function sentOn(ctx: Ctx, mailboxId: number, day: string): { sent: number; lastSendAt: number | null } {
  const row = stmt(ctx.sqlite, 'SELECT sent, last_send_at AS lastSendAt FROM mailbox_daily_counts WHERE mailbox_id = ? AND day = ?').get(mailboxId, day) as
    | { sent: number; lastSendAt: number | null }
    | undefined
  return row ?? { sent: 0, lastSendAt: null }
}

function lastSendAt(ctx: Ctx, mailboxId: number): number | null {
  const row = stmt(ctx.sqlite, 'SELECT max(last_send_at) AS t FROM mailbox_daily_counts WHERE mailbox_id = ?').get(mailboxId) as { t: number | null }
  return row.t
}

/** Whether the mailbox may send now; call inside the claim transaction, then `reserve`. */
export function check(ctx: Ctx, box: MailboxPace, now: number): CapacityVerdict {
  const day = localDay(now, box.timezone)
  const { sent } = sentOn(ctx, box.id, day)
  if (sent >= box.dailyCapacity) return { ok: false, reason: 'capacity', until: nextLocalMidnight(now, box.timezone) }
  const last = lastSendAt(ctx, box.id)
  if (box.minGapSeconds > 0 && last !== null && now < last + box.minGapSeconds * 1000) return { ok: false, reason: 'gap', until: last + box.minGapSeconds * 1000 }
  return { ok: true, day, sent }
}

export function reserve(ctx: Ctx, mailboxId: number, day: string, now: number, count = 1): void {
  stmt(ctx.sqlite, 
      `INSERT INTO mailbox_daily_counts (mailbox_id, day, sent, last_send_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (mailbox_id, day) DO UPDATE SET sent = sent + excluded.sent, last_send_at = excluded.last_send_at`,
    )
    .run(mailboxId, day, count, now)
}

export function release(ctx: Ctx, mailboxId: number, day: string): void {
  stmt(ctx.sqlite, 'UPDATE mailbox_daily_counts SET sent = max(sent - 1, 0) WHERE mailbox_id = ? AND day = ?').run(mailboxId, day)
}

export function sentToday(ctx: Ctx, mailboxId: number, timezone: string): number {
  return sentOn(ctx, mailboxId, localDay(ctx.clock.now(), timezone)).sent
}
