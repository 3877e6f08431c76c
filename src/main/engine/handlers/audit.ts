// audit.*: what staff did with people's data and the businesses' settings (services/audit.ts).
import type { HandlersFor } from '../context'
import { listAudit } from '../services/audit'

export const auditHandlers: HandlersFor<'audit'> = {
  'audit.list': (ctx, input) => listAudit(ctx, input),
}
