// Autoresponders (seed 000): the boundary. Rules live in automation/autoresponders.ts.
import type { Ctx, HandlersFor } from '../context'
import {
  createAutoresponder,
  deleteAutoresponder,
  getAutoresponder,
  listAutoresponders,
  listExecutions,
  updateAutoresponder,
} from '../automation/autoresponders'
import { wakeAutomation } from '../automation/runner'
import { cleanTemplates } from '../outbound/outgoingHtml'

const changed = (ctx: Ctx) => {
  ctx.emit('automation.changed', { kind: 'autoresponders' })
  // A new or changed date trigger is checked at once.
  wakeAutomation(ctx)
}

export const autoresponderHandlers: HandlersFor<'autoresponders'> = {
  'autoresponders.list': (ctx, { objectId }) => listAutoresponders(ctx, objectId),
  'autoresponders.create': (ctx, input) => {
    const ar = createAutoresponder(ctx, { ...input, actions: cleanTemplates(input.actions)! })
    changed(ctx)
    return ar
  },
  'autoresponders.update': (ctx, input) => {
    const ar = updateAutoresponder(ctx, input.actions ? { ...input, actions: cleanTemplates(input.actions) } : input)
    changed(ctx)
    return ar
  },
  'autoresponders.delete': (ctx, { id }) => {
    getAutoresponder(ctx, id)
    deleteAutoresponder(ctx, id)
    changed(ctx)
    return { id, deleted: true as const }
  },
  'autoresponders.executions': (ctx, input) => listExecutions(ctx, input),
}
