// A loop that sleeps until its next piece of work is due and can be woken early: the automation runner and
// the task reminders both run on it (the outbox scheduler and the backup runner have their own, with pacing
// and plans of their own). A timer is capped at a minute so a clock that jumps (sleep, a test clock) is
// noticed soon; a turn that throws tries again after `retryMs`, never in a tight loop.
import type { Clock } from './clock'

export interface WakeLoop {
  start(): void
  /** Run a turn soon (after this tick), cancelling the sleep. */
  wake(): void
  stop(): void
}

export interface LoopWork {
  /** Does one bounded slice of work; true when more is due at once (the loop yields, then turns again). */
  turn(): boolean
  /** When something is next due, in clock ms (Infinity or null when nothing is). */
  nextAt(): number | null
  /** How long to wait when nothing is due (default: sleep until woken). */
  idleMs?: number
}

export function wakeLoop(clock: Clock, work: LoopWork, opts: { name: string; log: (m: string) => void; retryMs?: number }): WakeLoop {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = true
  let scheduled = false

  function turn(): void {
    scheduled = false
    if (stopped) return
    try {
      if (work.turn()) return wake()
    } catch (err) {
      opts.log(`[${opts.name}] turn failed: ${(err as Error).stack}`)
      return arm(opts.retryMs ?? 5_000)
    }
    arm()
  }

  function arm(minWait = 0): void {
    clearTimeout(timer)
    if (stopped) return
    const at = work.nextAt()
    const due = at === null || at === Infinity ? null : Math.max(0, Math.min(at - clock.now(), 60_000))
    const wait = due === null ? work.idleMs : Math.max(minWait, due)
    if (wait === undefined) return
    timer = setTimeout(wake, Math.max(minWait, wait))
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
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
