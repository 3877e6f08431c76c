// The scheduler loop. It sleeps until the next row is due (never a fixed cron), wakes at once when
// something is queued, claims due rows with a lease inside one transaction (capacity reserved in the same
// transaction), sends them concurrently, and records each outcome in its own transaction.
import type { Ctx } from '../context'
import { OPEN, openRowsWhere, transition, waitingRowsWhere, type OutboxRow } from '../repos/outbox'
import { claimDue, HOLD_BATCH, laneOf, readClaimed, type ClaimEnv, type Head } from './claim'
import { SendFailure } from './failure'
import { releaseHeld } from './holds'
import type { NetMonitor } from './netMonitor'
import { reconciler, staleRows } from './reconcile'
import { senderOf, type Endpoint, type Senders } from './transport'
import { failRow } from './outcome'
import { inTransaction, stmt } from '../db/stmt'
import { deleteSetting, settingKeys } from '../repos/settings'
import { twilioAuthErrorKey } from '../repos/twilio'
import type { Pacer } from '../channels/pacer'

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
  /**
   * When rows may leave, for those something owns a sending window for (sequences do): the first allowed
   * instant at or after `at` per such row; the others are absent (any time). Injected so the outbox does
   * not know automation; asked once per claim for the whole batch.
   */
  sendWindows?: (rows: readonly Head[], at: number) => Map<number, number>
  /** Pace per text sender (channels/pacer.ts). */
  pace?: Pacer
}

export interface Scheduler {
  start(): void
  wake(): void
  /** Releases rows held for these servers (or all held-offline rows) back into the queue, in queue order. */
  resumeOffline(keys: string[] | 'all'): void
  /** Settings changed (new password, Mailgun key, mailbox resumed): release its auth/paused holds. */
  settingsChanged(scope: { mailboxId?: number; objectId?: number; twilioObjectId?: number }): void
  /** Resolves when nothing is in flight and nothing is due (tests). */
  idle(): Promise<void>
  stop(): Promise<void>
}

type Outcome = { row: OutboxRow; endpoint: Endpoint } & ({ ok: true; providerId: string | null } | { ok: false; failure: SendFailure })

/**
 * How long finished sends may wait to be recorded together. Each turn has a fixed cost (a transaction, the
 * lane checks, the due walk, a commit), so fewer and fuller turns cost less per message. On a 2-core machine
 * shared with the mail server (bench:send's send phase, 3,000 messages): 20 ms / 12 took ~430 turns and
 * 0.25-0.47 ms more CPU per message than raw nodemailer; 100 ms / 48 took 80-90 turns and 0.07-0.19 ms.
 * The lanes keep enough in flight (below) that nodemailer's connections never wait for a turn meanwhile.
 * A lone message is not delayed: with nothing else in flight, its turn runs at once.
 */
const GATHER_MS = 100
const GATHER_UP_TO = 48

/**
 * Sends in flight per lane: nodemailer queues them on the mailbox's 3 pooled connections, about 8 each,
 * which covers a gathering wait at ~30 ms per message and connection. At most 128 in flight in all.
 */
const DEFAULTS = { leaseMs: 5 * 60_000, maxInFlight: 128, perMailbox: 24, backoffMs: [60_000, 300_000, 900_000], rateLimitBackoffMs: [300_000, 900_000, 3_600_000] }

export function createScheduler(ctx: Ctx, senders: Senders, net: NetMonitor, options: SchedulerOptions): Scheduler {
  const opts = { ...DEFAULTS, random: Math.random, log: () => {}, sendWindows: () => new Map<number, number>(), ...options }
  const inFlight = new Map<number, Promise<void>>()
  const lanes = new Map<string, number>()
  let running = false
  let again = false
  let stopped = true
  let timer: ReturnType<typeof setTimeout> | undefined
  let idleWaiters: Array<() => void> = []
  /** Earliest end of a minimum-gap wait seen by the last claim (the timer must wake for it). */
  let gapWake = Infinity
  const changed = new Set<number>()
  /** Finished sends waiting to be recorded by the next tick. */
  const completed: Outcome[] = []
  const reconcile = reconciler(ctx, senders, { leaseMs: opts.leaseMs, log: opts.log, onDone: () => wake() })

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
    // While sends are in flight, let finished ones gather for a moment so one commit records several.
    if (inFlight.size > 0 && completed.length < GATHER_UP_TO) setTimeout(tick, GATHER_MS)
    else setImmediate(tick)
  }

  function tick(): void {
    if (stopped) {
      running = false
      return
    }
    // Nothing finished and no room to claim: this turn has nothing to do (skips an empty transaction).
    const busy = completed.length === 0 && inFlight.size >= opts.maxInFlight
    if (!busy) turn()
    flushChanged()
    running = false
    if (again) {
      again = false
      wake()
      return
    }
    arm()
  }

  function turn(): void {
    try {
      const now = ctx.clock.now()
      const done = completed.splice(0)
      for (const o of done) if (!o.ok && o.failure.kind === 'offline') net.markOffline(o.endpoint, o.failure.message, o.failure.code)
      // One transaction per turn of the loop: outcomes that arrived together, timed holds, and new claims
      // commit as one (group commit), which keeps the database off the critical path of a fast run.
      const claimed = inTransaction(
        ctx.sqlite,
        () => {
          record(done)
          const released = releaseTimedHolds(now)
          return claim(now, HOLD_BATCH - released)
        },
        'immediate',
      )
      after(done)
      for (const row of readClaimed(ctx, claimed)) startSend(row)
    } catch (err) {
      opts.log(`[scheduler] tick failed: ${(err as Error).stack}`)
    }
  }

  /** Writes each finished send's outcome. Inside the tick's transaction (or stop's). */
  function record(done: Outcome[]): void {
    for (const o of done) {
      if (o.ok) {
        transition(ctx, o.row.id, ['sending'], { status: 'sent', sentAt: ctx.clock.now(), providerId: o.providerId, leaseOwner: null, leaseUntil: null, lastError: null, errorKind: null, errorCode: null, statusReason: null }, 'sent', o.providerId ? `Accepted as ${o.providerId}` : 'Accepted by the server')
        changed.add(o.row.id)
      } else fail(o.row, o.failure)
    }
  }

  /** Side effects of recorded outcomes that must follow the commit: a Sent copy is only kept for mail recorded as sent. */
  function after(done: Outcome[]): void {
    for (const o of done) {
      if (!o.ok) continue
      net.markOnline(o.endpoint)
      void senderOf(senders, o.row.transport).afterSent?.(o.row)
    }
  }

  /**
   * Ends the timed holds that are over, at most HOLD_BATCH rows a turn together with the claim's new holds
   * (the next turn comes at once for the rest). Returns how many it moved.
   */
  function releaseTimedHolds(now: number): number {
    const rows = openRowsWhere(ctx, "status = 'held' AND status_reason IN ('capacity', 'window') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", now, HOLD_BATCH + 1)
    if (rows.length > HOLD_BATCH) again = true
    for (const r of rows.slice(0, HOLD_BATCH)) if (releaseHeld(ctx, r, 'released', `The ${r.statusReason} hold ended`)) changed.add(r.id)
    return Math.min(rows.length, HOLD_BATCH)
  }

  /** Claims due rows (inside the turn's transaction); they start once it commits. */
  function claim(now: number, holdBudget: number): number[] {
    const r = claimDue(ctx, claimEnv, now, opts.maxInFlight - inFlight.size, holdBudget)
    gapWake = Math.min(gapWake, r.gapWake)
    for (const id of r.changed) changed.add(id)
    if (r.more) again = true
    return r.ids
  }

  const claimEnv: ClaimEnv = {
    owner: opts.owner,
    leaseMs: opts.leaseMs,
    perMailbox: opts.perMailbox,
    inFlight: lanes,
    senders,
    net,
    sendWindows: opts.sendWindows,
    retry: opts,
    pace: opts.pace,
  }

  function startSend(row: OutboxRow): void {
    const sender = senderOf(senders, row.transport)
    const endpoint = sender.endpoint(row)
    const lane = laneOf(row)
    lanes.set(lane, (lanes.get(lane) ?? 0) + 1)
    const p = sender
      .send(row)
      .then(
        (r): Outcome => ({ row, endpoint, ok: true, providerId: r.providerId }),
        (err: unknown): Outcome => ({ row, endpoint, ok: false, failure: err instanceof SendFailure ? err : new SendFailure('transient', (err as Error)?.message ?? String(err)) }),
      )
      .then((o) => void completed.push(o))
      .finally(() => {
        inFlight.delete(row.id)
        lanes.set(lane, (lanes.get(lane) ?? 1) - 1)
        wake()
      })
    inFlight.set(row.id, p)
  }

  /** Applies a classified failure to a claimed row. Call inside a transaction. */
  function fail(row: OutboxRow, f: SendFailure): void {
    for (const id of failRow(ctx, row, f, opts)) changed.add(id)
  }

  function arm(): void {
    clearTimeout(timer)
    const now = ctx.clock.now()
    const ready = stmt(ctx.sqlite, `SELECT next_attempt_at AS t FROM outbound_messages INDEXED BY outbound_ready_idx
      WHERE status IN ('queued', 'retry_wait') ORDER BY next_attempt_at LIMIT 1`).get() as { t: number } | undefined
    // Timed holds in wake-up order, stepping over the untimed ones (offline, auth: no next_attempt_at).
    const held = stmt(ctx.sqlite, `SELECT next_attempt_at AS t FROM outbound_messages WHERE status = 'held' AND next_attempt_at IS NOT NULL
      AND status_reason IN ('capacity', 'window') AND ${OPEN} ORDER BY next_attempt_at LIMIT 1`).get() as { t: number } | undefined
    const next = { t: Math.min(ready?.t ?? Infinity, held?.t ?? Infinity) }
    let at = Math.min(next.t, gapWake)
    const gapWakeSeen = gapWake
    gapWake = Infinity
    // Due rows that were not claimed wait for a send to finish (which wakes the loop), not for a timer.
    // A paced lane (texts) says when its next slot opens: wake then rather than a second later.
    if (at <= now) at = inFlight.size > 0 ? Infinity : Math.min(now + 1000, gapWakeSeen > now ? gapWakeSeen : Infinity)
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

  /** The servers some mailbox or Mailgun domain sends through now. */
  function endpointsInUse(): Set<string> {
    const keys = new Set<string>()
    for (const { id } of stmt(ctx.sqlite, 'SELECT id FROM mailboxes').all() as Array<{ id: number }>) keys.add(senders.smtp.endpoint({ transport: 'smtp', mailboxId: id, objectId: 0 }).key)
    for (const { id } of stmt(ctx.sqlite, 'SELECT object_id AS id FROM object_mailgun_settings').all() as Array<{ id: number }>)
      keys.add(senders.mailgun.endpoint({ transport: 'mailgun', mailboxId: null, objectId: id }).key)
    if (senders.twilio)
      for (const { id } of stmt(ctx.sqlite, 'SELECT object_id AS id FROM object_twilio_settings').all() as Array<{ id: number }>)
        keys.add(senders.twilio.endpoint({ transport: 'twilio', mailboxId: null, objectId: id }).key)
    return keys
  }

  function resume(rows: OutboxRow[], detail: string): void {
    if (!rows.length) return
    ctx.sqlite.transaction(() => {
      for (const r of rows) if (releaseHeld(ctx, r, 'resumed', detail)) changed.add(r.id)
    }).immediate()
    flushChanged()
    wake()
  }

  return {
    start() {
      stopped = false
      for (const row of staleRows(ctx, opts.owner)) reconcile.run(row)
      wake()
    },
    wake,
    resumeOffline(keys) {
      const held = openRowsWhere(ctx, "status = 'held' AND status_reason IN ('offline', 'unreachable') ORDER BY id")
      const pick = keys === 'all' ? held : held.filter((r) => keys.includes(senderOf(senders, r.transport).endpoint(r).key))
      resume(pick, 'The network is back')
    },
    settingsChanged({ mailboxId, objectId, twilioObjectId }) {
      // Old servers' errors are not the truth about the new settings: forget servers nothing uses now.
      net.retain(endpointsInUse())
      // New settings deserve a try at once, whatever held the rows: a wrong port or TLS mode held them as
      // unreachable, which only a probe of the old address would otherwise lift.
      if (mailboxId !== undefined) {
        senders.smtp.invalidate?.({ mailboxId })
        resume(waitingRowsWhere(ctx, "status = 'held' AND status_reason IN ('auth', 'paused', 'offline', 'unreachable') AND mailbox_id = ? ORDER BY id", mailboxId), 'The mailbox settings changed')
      }
      if (objectId !== undefined) {
        deleteSetting(ctx, settingKeys.mailgunAuthError(objectId))
        resume(openRowsWhere(ctx, "status = 'held' AND status_reason IN ('auth', 'offline', 'unreachable') AND transport = 'mailgun' AND object_id = ? ORDER BY id", objectId), 'The Mailgun settings changed')
      }
      if (twilioObjectId !== undefined) {
        deleteSetting(ctx, twilioAuthErrorKey(twilioObjectId))
        resume(openRowsWhere(ctx, "status = 'held' AND status_reason IN ('auth', 'offline', 'unreachable') AND transport = 'twilio' AND object_id = ? ORDER BY id", twilioObjectId), 'The Twilio settings changed')
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
      // Sends in flight finish and are recorded; a send cut off by a crash keeps its lease instead and the
      // next start reconciles it against the server.
      await Promise.allSettled([...inFlight.values()])
      const done = completed.splice(0)
      if (done.length) {
        ctx.sqlite.transaction(() => record(done)).immediate()
        after(done)
        flushChanged()
      }
      resolveIdle()
    },
  }
}
