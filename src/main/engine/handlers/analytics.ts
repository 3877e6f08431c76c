// Analytics: the dashboard's numbers, read from the outbox event log (services/analytics.ts).
import type { HandlersFor } from '../context'
import { funnel, summary } from '../services/analytics'

export const analyticsHandlers: HandlersFor<'analytics'> = {
  'analytics.summary': (ctx, input) => summary(ctx, input),
  'analytics.funnel': (ctx, { sequenceId }) => funnel(ctx, sequenceId),
}
