// clock.advance: the boundary over services/clock.ts.
import type { HandlersFor } from '../context'
import { advanceClock } from '../services/clock'

export const clockHandlers: HandlersFor<'clock'> = {
  'clock.advance': (ctx, { ms }) => advanceClock(ctx, ms),
}
