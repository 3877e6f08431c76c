// The one way to withdraw a message that has not left yet (user cancel, a deleted sequence or
// autoresponder, a contact who replied). Only waiting rows move; a row already being sent or sent is left
// alone and the caller learns it from the false return.
import type { Ctx } from '../context'
import { transition } from '../repos/outbox'

/** The statuses a message waits in before it leaves (queued, retrying, held). */
export const WAITING_STATUSES = ['queued', 'retry_wait', 'held'] as const

/**
 * Cancels one waiting message with `reason` shown in the outbox. `detail` is what the message's history
 * records (defaults to the reason; null for the user's own cancel, which needs no explanation).
 */
export function cancelWaiting(ctx: Ctx, id: number, reason: string, detail: string | null = reason): boolean {
  return transition(ctx, id, WAITING_STATUSES, { status: 'cancelled', statusReason: reason, nextAttemptAt: null }, 'cancelled', detail)
}
