// Held rows and their release, in one place. A hold pauses a row; it never owns the row's time. So every
// way out of `held` (offline back, capacity back, cap or window over, new settings, a mailbox resumed, the
// user's Retry) goes through `releaseAt`, which never makes a row due before its own time: its
// `scheduled_for`, the end of its undo window, or the retry time it had when it was held.
import type { Ctx } from '../context'
import { transition, type OutboxRow } from '../repos/outbox'

/** Holds with no end of their own (they end on an event). The row keeps its own due time in next_attempt_at. */
export const UNTIMED_HOLDS: readonly string[] = ['offline', 'unreachable', 'auth', 'paused']

/**
 * The earliest a row may go once its hold ends. Timed holds (capacity, window) use next_attempt_at as the
 * hold's end, which a release before it (capacity came back) must not keep; untimed holds leave the row's
 * own due time there.
 */
export function releaseAt(row: Pick<OutboxRow, 'status' | 'statusReason' | 'scheduledFor' | 'undoUntil' | 'nextAttemptAt'>, now: number): number {
  const own = row.status === 'held' && row.statusReason !== null && UNTIMED_HOLDS.includes(row.statusReason) ? (row.nextAttemptAt ?? 0) : 0
  return Math.max(notBefore(row, now), own)
}

/** The earliest a row may ever go, whatever the user or the loop does: not before its time, nor inside its undo window. */
export const notBefore = (row: Pick<OutboxRow, 'scheduledFor' | 'undoUntil'>, now: number): number => Math.max(now, row.scheduledFor, row.undoUntil ?? 0)

/** What a hold writes as next_attempt_at: the hold's end when it has one, else the row's own due time. */
export const holdUntil = (row: Pick<OutboxRow, 'nextAttemptAt'>, until: number | null): number | null => until ?? row.nextAttemptAt

/** held → queued at `releaseAt`. Call inside a transaction; returns whether the row moved. */
export function releaseHeld(ctx: Ctx, row: OutboxRow, event: 'released' | 'resumed', detail: string): boolean {
  return transition(ctx, row.id, ['held'], { status: 'queued', statusReason: null, nextAttemptAt: releaseAt(row, ctx.clock.now()) }, event, detail)
}
