// The automation runner: a timer that wakes at the next due sequence step or daily date check, like the
// outbox scheduler does, and runs the work services/automation.ts hands it in small batches.
import type { Ctx } from '../context'
import { wakeLoop } from '../wakeLoop'

export interface AutomationRunner {
  start(): void
  /** Run now (after an enrolment, a resume, a clock change). */
  wake(): void
  /** Does everything that is due, synchronously; returns how many steps and date firings it handled. */
  runDue(): number
  stop(): void
}

/** What the runner runs: the rules live in the services, the loop only decides when. */
export interface RunnerWork {
  /** Fires the date triggers due by now; returns how many executions were written. */
  checkDates(): number
  /** Turns up to `limit` due sequence steps into outbound rows; returns how many it handled. */
  steps(limit: number): number
  /** Advances due flow leads (issue 16) within the limits; returns how many it handled and whether more are due. */
  flows(limits: { limit: number; budgetMs: number }): { handled: number; more: boolean }
  /** When something is next due (Infinity when nothing is). */
  nextAt(): number
}

// Small batches: a turn renders and queues each step, and must not keep the engine busy for long.
const BATCH = 100
/** Flow leads per turn: at most this many, and no more than the time budget (a lead renders and queues a message). */
const FLOW_SLICE = { limit: 2000, budgetMs: 20 }

/**
 * Something an automation depends on changed (a definition saved, contacts enrolled, a pause): the
 * screens reload, and the outbox scheduler and the runner re-read when their next work is due.
 */
export function automationChanged(ctx: Ctx, kind: 'autoresponders' | 'sequences'): void {
  ctx.emit('automation.changed', { kind })
  ctx.outbound.scheduler.wake()
  wakeAutomation(ctx)
}

/** Runs a change to automation in one transaction, then says it changed; returns what `write` returns. */
export function changeAutomation<T>(ctx: Ctx, kind: 'autoresponders' | 'sequences', write: () => T): T {
  const r = ctx.sqlite.transaction(write)()
  automationChanged(ctx, kind)
  return r
}

export function runnerLoop(ctx: Ctx, log: (m: string) => void, work: RunnerWork): AutomationRunner {
  function runDue(): number {
    let n = work.checkDates()
    for (;;) {
      const k = work.steps(BATCH)
      const f = work.flows(FLOW_SLICE)
      n += k + f.handled
      if (k < BATCH && !f.more) break
    }
    if (n) {
      ctx.outbound.scheduler.wake()
      ctx.emit('automation.changed', { kind: 'sequences' })
    }
    return n
  }

  /** One batch per turn, so a big enrolment never blocks the engine for long; true when more is due at once. */
  function turn(): boolean {
    const k = work.steps(BATCH)
    const f = work.flows(FLOW_SLICE)
    const n = work.checkDates() + k + f.handled
    if (n) {
      ctx.outbound.scheduler.wake()
      if (k) ctx.emit('automation.changed', { kind: 'sequences' })
    }
    // More due: the next slice runs after whatever RPC queued up behind this one.
    return k >= BATCH || f.more
  }

  const loop = wakeLoop(ctx.clock, { turn, nextAt: () => work.nextAt() }, { name: 'automation', log })
  return { start: loop.start, wake: loop.wake, runDue, stop: loop.stop }
}

/** Wakes the engine's runner (ctx.automation, built whole with the context). */
export const wakeAutomation = (ctx: Ctx): void => ctx.automation.wake()
