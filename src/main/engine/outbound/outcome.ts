// What happens to a row that cannot go or did not go: a hold, a retry, or failed with a dead letter. Shared
// by the scheduler (send outcomes) and the claim (rows it cannot send), below both, so neither calls the
// other back. Every function runs inside the caller's transaction and returns the rows whose status changed.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { openRowsWhere, transition, waitingRowsWhere, type OutboxRow, type Transition } from '../repos/outbox'
import { setSetting, settingKeys } from '../repos/settings'
import { twilioAuthErrorKey } from '../repos/twilio'
import { release } from './capacity'
import type { SendFailure } from './failure'
import { holdUntil, releaseHeld } from './holds'

/** Backoff between attempts (seed 003), each step with ±20 % jitter. */
export interface RetryPolicy {
  backoffMs: number[]
  rateLimitBackoffMs: number[]
  random: () => number
}

/** Puts a row on hold; returns whether it moved. */
export function holdRow(ctx: Ctx, row: OutboxRow, reason: string, detail: string, until: number | null = null, extra: Partial<Transition> = {}): boolean {
  // An untimed hold keeps the row's own due time, so its release cannot make it go early (holds.ts).
  return transition(ctx, row.id, null, { status: 'held', statusReason: reason, nextAttemptAt: holdUntil(row, until), leaseOwner: null, leaseUntil: null, ...extra }, 'held', detail)
}

/** Applies a classified failure to a claimed (or just-due) row. */
export function failRow(ctx: Ctx, row: OutboxRow, f: SendFailure, retry: RetryPolicy): number[] {
  const changed: number[] = []
  const hold = (r: OutboxRow, reason: string, detail: string, extra: Partial<Transition>) => holdRow(ctx, r, reason, detail, null, extra) && changed.push(r.id)
  const base = { lastError: f.message, errorKind: f.kind, errorCode: f.code ?? null, leaseOwner: null, leaseUntil: null, capacityDay: null }
  if (row.capacityDay && row.mailboxId) {
    release(ctx, row.mailboxId, row.capacityDay)
    // A slot came back: rows held for the cap (by claims that counted this one) may fit after all.
    for (const r of waitingRowsWhere(ctx, "mailbox_id = ? AND status = 'held' AND status_reason = 'capacity' ORDER BY id", row.mailboxId))
      if (releaseHeld(ctx, r, 'released', 'Capacity came back')) changed.push(r.id)
  }
  changed.push(row.id)
  const refund = row.status === 'sending' ? Math.max(row.attempts - 1, 0) : row.attempts
  switch (f.kind) {
    case 'offline':
      hold(row, f.code && f.code !== 'NETWORK' ? 'unreachable' : 'offline', f.message, { ...base, attempts: refund })
      break
    case 'auth':
      hold(row, 'auth', f.message, { ...base, attempts: refund })
      holdAllForAuth(ctx, row, f.message, f.code ?? 'AUTH', hold)
      break
    case 'permanent':
      dead(ctx, row, f, base)
      break
    case 'transient':
    case 'rate_limit': {
      if (row.attempts >= row.maxAttempts) {
        dead(ctx, row, f, base)
        break
      }
      const table = f.kind === 'rate_limit' ? retry.rateLimitBackoffMs : retry.backoffMs
      const step = table[Math.min(row.attempts - 1, table.length - 1)]!
      const jittered = Math.round(step * (0.8 + 0.4 * retry.random()))
      const wait = Math.max(jittered, f.retryAfterMs ?? 0)
      const next = ctx.clock.now() + wait
      transition(ctx, row.id, null, { status: 'retry_wait', statusReason: f.kind, nextAttemptAt: next, ...base }, 'retry_wait', `${f.message} (retry in ${Math.round(wait / 1000)} s)`)
    }
  }
  return changed
}

function dead(ctx: Ctx, row: OutboxRow, f: SendFailure, base: Partial<Transition>): void {
  transition(ctx, row.id, null, { status: 'failed', statusReason: f.kind, nextAttemptAt: null, ...base }, 'failed', f.message)
  stmt(ctx.sqlite, 'INSERT INTO dead_letters (outbound_id, error_kind, error, attempts, created_at) VALUES (?, ?, ?, ?, ?)').run(row.id, f.kind, f.message, row.attempts, ctx.clock.now())
}

/**
 * An auth failure stops the whole mailbox (or Mailgun domain) until its settings change. Only rows already
 * due are held: a scheduled row stays scheduled, and is held by the claim only if it comes due before
 * the fix.
 */
function holdAllForAuth(ctx: Ctx, row: OutboxRow, message: string, code: string, hold: (r: OutboxRow, reason: string, detail: string, extra: Partial<Transition>) => unknown): void {
  const now = ctx.clock.now()
  if (row.transport === 'smtp') {
    stmt(ctx.sqlite, "UPDATE mailboxes SET status = 'auth_error', status_reason = ?, status_code = ?, updated_at = updated_at WHERE id = ?").run(message, code, row.mailboxId)
    for (const r of waitingRowsWhere(ctx, "mailbox_id = ? AND status IN ('queued', 'retry_wait') AND next_attempt_at <= ?", row.mailboxId, now)) hold(r, 'auth', message, { errorCode: code })
  } else if (row.transport === 'twilio') {
    // Twilio refused the account: every text of the business waits for new settings (twilio.upsert).
    setSetting(ctx, twilioAuthErrorKey(row.objectId), message)
    for (const r of openRowsWhere(ctx, "object_id = ? AND transport = 'twilio' AND status IN ('queued', 'retry_wait') AND next_attempt_at <= ?", row.objectId, now)) hold(r, 'auth', message, { errorCode: code })
  } else {
    setSetting(ctx, settingKeys.mailgunAuthError(row.objectId), message)
    for (const r of openRowsWhere(ctx, "object_id = ? AND transport = 'mailgun' AND status IN ('queued', 'retry_wait') AND next_attempt_at <= ?", row.objectId, now)) hold(r, 'auth', message, { errorCode: code })
  }
  ctx.emit('objects.changed', {})
}
