// retention.*: "delete mail older than N months", per business (services/retention.ts).
import type { HandlersFor } from '../context'
import { getRetention, setRetentionMonths } from '../services/retention'

export const retentionHandlers: HandlersFor<'retention'> = {
  'retention.get': (ctx, { objectId }) => getRetention(ctx, objectId),
  'retention.set': (ctx, input) => setRetentionMonths(ctx, input.objectId, input.months),
}
