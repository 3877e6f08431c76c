// The scheduler loop. It sleeps until the next row is due (never a fixed cron), wakes at once when
// something is queued, claims due rows with a lease inside one transaction (capacity reserved in the same
// transaction), sends them concurrently, and records each outcome in its own transaction.
import type { Ctx } from '../context'
import { addEvent, rowsWhere, transition, type OutboxRow } from '../repos/outbox'
import { check, release, reserve } from './capacity'
import { SendFailure } from './failure'
import type { NetMonitor } from './netMonitor'
import { reconciler } from './reconcile'
import type { Sender } from './transport'

export interface SchedulerOptions {
  /** Identifies this process's leases; rows leased by anyone else at start-up were left by a crash. */
  owner: string
  leaseMs?: number
  maxInFlight?: number
  perMailbox?: number
  /** Transient backoff: 1, 5, 15 minutes (seed 003), each ±20 % jitter. */
  backoffMs?: number[]
  rateLimitBackoffMs?: number[]
  random?: () => number
  log?: (msg: string) => void
}

export interface Scheduler {
  start(): void
  wake(): void
  /** Releases rows held for these servers (or all held-offline rows) back into the queue, in queue order. */
  resumeOffline(keys: string[] | 'all'): void
  /** Settings changed (new password, Mailgun key, mailbox resumed): release its auth/paused holds. */
  settingsChanged(scope: { mailboxId?: number; objectId?: number }): void
  /** Resolves when nothing is in flight and nothing is due (tests). */
  idle(): Promise<void>
  stop(): Promise<void>
}

const DEFAULTS = { leaseMs: 5 * 60_000, maxInFlight: 16, perMailbox: 3, backoffMs: [60_000, 300_000, 900_000], rateLimitBackoffMs: [300_000, 900_000, 3_600_000] }

export function createScheduler(ctx: Ctx, senders: Record<OutboxRow['transport'], Sender>, net: NetMonitor, options: SchedulerOptions): Scheduler {
  const opts = { ...DEFAULTS, random: Math.random, log: () => {}, ...options }
  const inFlight = new Map<number, Promise<void>>()
  const lanes = new Map<string, number>()
  let running = false
  let again = false
  let stopped = true
  let timer: ReturnType<typeof setTimeout> | undefined
  let idleWaiters: Array<() => void> = []
  const changed = new Set<number>()
  const reconcile = reconciler(ctx, senders, { leaseMs: opts.leaseMs, log: opts.log, onDone: () => wake() })

  const laneOf = (row: OutboxRow) => (row.transport === 'smtp' ? `mb:${row.mailboxId}` : `mg:${row.objectId}`)
  const flushChanged = () => {
    if (!changed.size) return
    ctx.emit('outbox.changed', { ids: [...changed] })
    changed.clear()
  }

  function wake(): void {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = true
    clearTimeout(timer)
    setImmediate(tick)
  }

  function tick(): void {
    if (stopped) {
      running = false
      return
    }
    try {
      const now = ctx.clock.now()
      releaseTimedHolds(now)
      for (const row of claim(now)) startSend(row)
    } catch (err) {
      opts.log(`[scheduler] tick failed: ${(err as Error).stack}`)
    }
    flushChanged()
    running = false
    if (again) {
      again = false
      wake()
      return
    }
    arm()
  }

  function releaseTimedHolds(now: number): void {
    const rows = rowsWhere(ctx, "status = 'held' AND status_reason IN ('capacity', 'window') AND next_attempt_at <= ?", now)
    if (!rows.length) return
    ctx.sqlite.transaction(() => {
      for (const r of rows) if (transition(ctx, r.id, ['held'], { status: 'queued', statusReason: null }, 'released', `The ${r.statusReason} hold ended`)) changed.add(r.id)
    }).immediate()
  }

  function hold(row: OutboxRow, reason: string, detail: string, until: number | null = null, extra: Partial<Parameters<typeof transition>[3]> = {}): void {
    if (transition(ctx, row.id, null, { status: 'held', statusReason: reason, nextAttemptAt: until, leaseOwner: null, leaseUntil: null, ...extra }, 'held', detail))
      changed.add(row.id)
  }

  function claim(now: number): OutboxRow[] {
    const slots = opts.maxInFlight - inFlight.size
    if (slots <= 0) return []
    return ctx.sqlite.transaction(() => {
      const due = rowsWhere(ctx, "status IN ('queued', 'retry_wait') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", now, slots * 4 + 32)
      const claimed: OutboxRow[] = []
      const blocked = new Set<string>()
      for (const row of due) {
        if (claimed.length >= slots) break
        const lane = laneOf(row)
        if (blocked.has(lane)) continue
        const sender = senders[row.transport]
        const endpoint = sender.endpoint(row)
        if (!net.isOnline(endpoint.key)) {
          hold(row, 'offline', net.hostOnline() ? `${endpoint.label} is unreachable` : 'The computer is offline')
          continue
        }
        let capacityDay: string | null = null
        if (row.transport === 'smtp') {
          const box = mailboxPace(row.mailboxId)
          if (!box) {
            fail(row, new SendFailure('permanent', 'The mailbox was deleted'))
            continue
          }
          if (box.status !== 'active') {
            hold(row, box.status === 'paused' ? 'paused' : 'auth', box.status === 'paused' ? 'The mailbox is paused' : box.statusReason ?? 'The server refused the login')
            continue
          }
          if ((lanes.get(lane) ?? 0) >= opts.perMailbox) {
            blocked.add(lane)
            continue
          }
          const verdict = check(ctx, box, now)
          if (!verdict.ok) {
            blocked.add(lane)
            if (verdict.reason === 'capacity') holdLane(row.mailboxId!, now, verdict.until, box.dailyCapacity)
            else gapWake = Math.min(gapWake, verdict.until)
            continue
          }
          reserve(ctx, box.id, verdict.day, now)
          capacityDay = verdict.day
        } else if (mailgunAuthError(row.objectId)) {
          hold(row, 'auth', mailgunAuthError(row.objectId)!)
          continue
        }
        transition(ctx, row.id, ['queued', 'retry_wait'], { status: 'sending', attempts: row.attempts + 1, leaseOwner: opts.owner, leaseUntil: now + opts.leaseMs, capacityDay, undoUntil: null }, 'sending', `Attempt ${row.attempts + 1} via ${endpoint.label}`)
        // The draft it was written in stays recoverable until the message actually starts to leave.
        if (row.draftId) ctx.sqlite.prepare('DELETE FROM drafts WHERE id = ? AND sent_as = ?').run(row.draftId, row.id)
        changed.add(row.id)
        lanes.set(lane, (lanes.get(lane) ?? 0) + 1)
        claimed.push({ ...row, status: 'sending', attempts: row.attempts + 1, capacityDay })
      }
      return claimed
    }).immediate()
  }

  let gapWake = Infinity

  function holdLane(mailboxId: number, now: number, until: number, cap: number): void {
    for (const r of rowsWhere(ctx, "mailbox_id = ? AND status IN ('queued', 'retry_wait') AND next_attempt_at <= ?", mailboxId, now))
      hold(r, 'capacity', `Daily cap of ${cap} reached; resumes at the next local midnight`, until)
  }

  function mailboxPace(id: number | null) {
    return ctx.sqlite
      .prepare(
        `SELECT m.id, m.daily_capacity AS dailyCapacity, m.min_gap_seconds AS minGapSeconds, m.status, m.status_reason AS statusReason, o.timezone
         FROM mailboxes m JOIN objects o ON o.id = m.object_id WHERE m.id = ?`,
      )
      .get(id) as { id: number; dailyCapacity: number; minGapSeconds: number; status: string; statusReason: string | null; timezone: string } | undefined
  }

  function mailgunAuthError(objectId: number): string | null {
    const r = ctx.sqlite.prepare('SELECT value FROM app_settings WHERE key = ?').get(`mailgun.authError.${objectId}`) as { value: string } | undefined
    return r?.value ?? null
  }

  function startSend(row: OutboxRow): void {
    const sender = senders[row.transport]
    const endpoint = sender.endpoint(row)
    const lane = laneOf(row)
    const p = sender
      .send(row)
      .then(
        (r) => {
          if (stopped) return
          ctx.sqlite.transaction(() => {
            transition(ctx, row.id, ['sending'], { status: 'sent', sentAt: ctx.clock.now(), providerId: r.providerId, leaseOwner: null, leaseUntil: null, lastError: null, errorKind: null, statusReason: null }, 'sent', r.providerId ? `Accepted as ${r.providerId}` : 'Accepted by the server')
          }).immediate()
          changed.add(row.id)
          net.markOnline(endpoint)
          void sender.afterSent?.(row)
        },
        (err: unknown) => {
          if (stopped) return
          const failure = err instanceof SendFailure ? err : new SendFailure('transient', (err as Error)?.message ?? String(err))
          if (failure.kind === 'offline') net.markOffline(endpoint, failure.message)
          ctx.sqlite.transaction(() => fail(row, failure)).immediate()
        },
      )
      .catch((err: unknown) => opts.log(`[scheduler] recording ${row.messageId} failed: ${(err as Error).stack}`))
      .finally(() => {
        inFlight.delete(row.id)
        lanes.set(lane, (lanes.get(lane) ?? 1) - 1)
        wake()
      })
    inFlight.set(row.id, p)
  }

  /** Applies a classified failure to a claimed (or just-due) row. Call inside a transaction. */
  function fail(row: OutboxRow, f: SendFailure): void {
    const base = { lastError: f.message, errorKind: f.kind, leaseOwner: null, leaseUntil: null, capacityDay: null }
    if (row.capacityDay && row.mailboxId) {
      release(ctx, row.mailboxId, row.capacityDay)
      // A slot came back: rows held for the cap (by claims that counted this one) may fit after all.
      for (const r of rowsWhere(ctx, "mailbox_id = ? AND status = 'held' AND status_reason = 'capacity' ORDER BY id", row.mailboxId))
        if (transition(ctx, r.id, ['held'], { status: 'queued', statusReason: null, nextAttemptAt: ctx.clock.now() }, 'released', 'Capacity came back')) changed.add(r.id)
    }
    changed.add(row.id)
    const refund = row.status === 'sending' ? Math.max(row.attempts - 1, 0) : row.attempts
    switch (f.kind) {
      case 'offline':
        hold(row, 'offline', f.message, null, { ...base, attempts: refund })
        return
      case 'auth':
        hold(row, 'auth', f.message, null, { ...base, attempts: refund })
        holdAllForAuth(row, f.message)
        return
      case 'permanent':
        return dead(row, f, base)
      case 'transient':
      case 'rate_limit': {
        if (row.attempts >= row.maxAttempts) return dead(row, f, base)
        const table = f.kind === 'rate_limit' ? opts.rateLimitBackoffMs : opts.backoffMs
        const step = table[Math.min(row.attempts - 1, table.length - 1)]!
        const jittered = Math.round(step * (0.8 + 0.4 * opts.random()))
        const wait = Math.max(jittered, f.retryAfterMs ?? 0)
        const next = ctx.clock.now() + wait
        transition(ctx, row.id, null, { status: 'retry_wait', statusReason: f.kind, nextAttemptAt: next, ...base }, 'retry_wait', `${f.message} (retry in ${Math.round(wait / 1000)} s)`)
      }
    }
  }

  function dead(row: OutboxRow, f: SendFailure, base: object): void {
    transition(ctx, row.id, null, { status: 'failed', statusReason: f.kind, nextAttemptAt: null, ...base }, 'failed', f.message)
    ctx.sqlite
      .prepare('INSERT INTO dead_letters (outbound_id, error_kind, error, attempts, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, f.kind, f.message, row.attempts, ctx.clock.now())
  }

  /** An auth failure stops the whole mailbox (or Mailgun domain) until its settings change. */
  function holdAllForAuth(row: OutboxRow, message: string): void {
    if (row.transport === 'smtp') {
      ctx.sqlite.prepare("UPDATE mailboxes SET status = 'auth_error', status_reason = ?, updated_at = updated_at WHERE id = ?").run(message, row.mailboxId)
      for (const r of rowsWhere(ctx, "mailbox_id = ? AND status IN ('queued', 'retry_wait')", row.mailboxId)) hold(r, 'auth', message, null)
    } else {
      ctx.sqlite.prepare('INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(`mailgun.authError.${row.objectId}`, message)
      for (const r of rowsWhere(ctx, "object_id = ? AND transport = 'mailgun' AND status IN ('queued', 'retry_wait')", row.objectId)) hold(r, 'auth', message, null)
    }
    ctx.emit('objects.changed', {})
  }

  function arm(): void {
    clearTimeout(timer)
    const now = ctx.clock.now()
    const next = ctx.sqlite
      .prepare(
        `SELECT min(next_attempt_at) AS t FROM outbound_messages
         WHERE status IN ('queued', 'retry_wait') OR (status = 'held' AND status_reason IN ('capacity', 'window'))`,
      )
      .get() as { t: number | null }
    let at = Math.min(next.t ?? Infinity, gapWake)
    gapWake = Infinity
    // Due rows that were not claimed wait for a send to finish (which wakes the loop), not for a timer.
    if (at <= now) at = inFlight.size > 0 ? Infinity : now + 1000
    if (at === Infinity) {
      if (inFlight.size === 0 && !reconcile.pending()) resolveIdle()
      return
    }
    if (inFlight.size === 0 && !reconcile.pending() && at > now) resolveIdle()
    timer = setTimeout(wake, Math.min(at - now, 2 ** 31 - 1))
    timer.unref?.()
  }

  function resolveIdle(): void {
    const w = idleWaiters
    idleWaiters = []
    for (const f of w) f()
  }

  function resume(rows: OutboxRow[], detail: string): void {
    if (!rows.length) return
    const now = ctx.clock.now()
    ctx.sqlite.transaction(() => {
      for (const r of rows) if (transition(ctx, r.id, ['held'], { status: 'queued', statusReason: null, nextAttemptAt: now }, 'resumed', detail)) changed.add(r.id)
    }).immediate()
    flushChanged()
    wake()
  }

  return {
    start() {
      stopped = false
      const stale = rowsWhere(ctx, "status = 'sending' AND (lease_owner IS NULL OR lease_owner != ?)", opts.owner)
      for (const row of stale) reconcile.run(row)
      wake()
    },
    wake,
    resumeOffline(keys) {
      const held = rowsWhere(ctx, "status = 'held' AND status_reason = 'offline' ORDER BY id")
      const pick = keys === 'all' ? held : held.filter((r) => keys.includes(senders[r.transport].endpoint(r).key))
      resume(pick, 'The network is back')
    },
    settingsChanged({ mailboxId, objectId }) {
      if (mailboxId !== undefined) {
        senders.smtp.invalidate?.({ mailboxId })
        resume(rowsWhere(ctx, "status = 'held' AND status_reason IN ('auth', 'paused') AND mailbox_id = ? ORDER BY id", mailboxId), 'The mailbox settings changed')
      }
      if (objectId !== undefined) {
        ctx.sqlite.prepare('DELETE FROM app_settings WHERE key = ?').run(`mailgun.authError.${objectId}`)
        resume(rowsWhere(ctx, "status = 'held' AND status_reason = 'auth' AND transport = 'mailgun' AND object_id = ? ORDER BY id", objectId), 'The Mailgun settings changed')
      }
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve)
        wake()
      }),
    async stop() {
      stopped = true
      clearTimeout(timer)
      reconcile.stop()
      // Rows still in flight keep their lease; the next start reconciles them against the server.
      await Promise.allSettled([...inFlight.values()])
      resolveIdle()
    },
  }

  // Exposed for the reconciler's "hold" decisions: nothing else.
  void addEvent
}
