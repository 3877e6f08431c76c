// clock.advance: moves the test clock (dispatch refuses the method unless the engine runs on one).
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'

export function advanceClock(ctx: Ctx, ms: number): { now: string } {
  const advance = ctx.outbound.advanceClock
  if (!advance) throw new AppError('UNAVAILABLE', 'This engine does not run on a test clock')
  advance(ms)
  // Rows that came due meanwhile go now (the runners re-plan inside advance).
  ctx.outbound.scheduler.wake()
  return { now: iso(ctx.clock.now()) }
}
