// The automation runner: wires the domain hooks (which run inside their emitters' transactions) and a
// timer that wakes at the next due sequence step or daily date check, like the outbox scheduler does.
import type { Ctx } from '../context'
import { nextLocalMidnight } from '../outbound/localDay'
import { checkDates, followOutbound as followExecution, nextDateCheck, onContactsCreated, onContactsTagged, skipPendingFor } from '../services/autoresponders'
import { followOutbound as followSequence, materializeDue, nextDueAt, onBounced, onReplied, onUnsubscribed } from './sequenceRun'

export interface AutomationRunner {
  start(): void
  /** Run now (after an enrolment, a resume, a clock change). */
  wake(): void
  /** Does everything that is due, synchronously; returns how many steps and date firings it handled. */
  runDue(): number
  stop(): void
}

// Small batches: a turn renders and queues each step, and must not keep the engine busy for long.
const BATCH = 100

export function wireAutomationHooks(ctx: Ctx): Array<() => void> {
  return [
    // The rows these write are due at once (or later); wake the sender (it ticks after this commit).
    ctx.hooks.on('contacts.created', ({ ids }) => (onContactsCreated(ctx, ids), ctx.outbound.scheduler.wake())),
    ctx.hooks.on('contacts.tagged', ({ contactIds, tagId }) => (onContactsTagged(ctx, contactIds, tagId), ctx.outbound.scheduler.wake())),
    ctx.hooks.on('outbound.status', ({ id, status, detail, source }) => {
      // Only automation's own rows have an execution or a sequence step to follow (a query each, per send).
      if (source !== 'autoresponder' && source !== 'sequence') return
      followExecution(ctx, id, status, detail)
      // A next step was scheduled: the runner's timer must learn about it (it runs after this commits).
      if (followSequence(ctx, id, status, detail)) wakeAutomation(ctx)
    }),
    ctx.hooks.on('outbound.replied', (p) => void onReplied(ctx, p)),
    ctx.hooks.on('outbound.bounced', (p) => {
      onBounced(ctx, p)
      if (p.contactId !== null) skipPendingFor(ctx, p.contactId, `${p.email} bounced`)
    }),
    ctx.hooks.on('contacts.unsubscribed', (p) => {
      onUnsubscribed(ctx, p)
      skipPendingFor(ctx, p.contactId, `The contact ${p.reason === 'complained' ? 'complained' : 'unsubscribed'}`)
    }),
  ]
}

/**
 * Something an automation depends on changed (a definition saved, contacts enrolled, a pause): the
 * screens reload, and the outbox scheduler and the runner re-read when their next work is due.
 */
export function automationChanged(ctx: Ctx, kind: 'autoresponders' | 'sequences'): void {
  ctx.emit('automation.changed', { kind })
  ctx.outbound.scheduler.wake()
  wakeAutomation(ctx)
}

export function createAutomationRunner(ctx: Ctx, log: (m: string) => void): AutomationRunner {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = true
  let scheduled = false

  function runDue(): number {
    let n = checkDates(ctx)
    for (;;) {
      const k = materializeDue(ctx, BATCH)
      n += k
      if (k < BATCH) break
    }
    if (n) {
      ctx.outbound.scheduler.wake()
      ctx.emit('automation.changed', { kind: 'sequences' })
    }
    return n
  }

  function turn(): void {
    scheduled = false
    if (stopped) return
    try {
      // One batch per turn, so a big enrolment never blocks the engine for long.
      const n = checkDates(ctx) + materializeDue(ctx, BATCH)
      if (n) {
        ctx.outbound.scheduler.wake()
        ctx.emit('automation.changed', { kind: 'sequences' })
      }
      if (n >= BATCH) return wake()
    } catch (err) {
      log(`[automation] turn failed: ${(err as Error).stack}`)
    }
    arm()
  }

  function arm(): void {
    clearTimeout(timer)
    if (stopped) return
    const now = ctx.clock.now()
    const at = Math.min(nextDueAt(ctx), nextDateCheck(ctx, nextLocalMidnight))
    if (at === Infinity) return
    // Capped at a minute so a clock that jumps (sleep, a test clock) is noticed soon.
    timer = setTimeout(wake, Math.max(0, Math.min(at - now, 60_000)))
    timer.unref?.()
  }

  function wake(): void {
    if (stopped || scheduled) return
    scheduled = true
    clearTimeout(timer)
    setImmediate(turn)
  }

  return {
    start() {
      stopped = false
      wake()
    },
    wake,
    runDue,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

// The engine's runner per context, so handlers can wake it without a field on Ctx.
const runners = new WeakMap<Ctx, AutomationRunner>()
export const registerRunner = (ctx: Ctx, r: AutomationRunner) => void runners.set(ctx, r)
export const wakeAutomation = (ctx: Ctx) => runners.get(ctx)?.wake()
