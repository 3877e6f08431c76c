// Autoresponders (seed 000): the boundary. Rules in services/autoresponders.ts, queries in repos/autoresponders.ts.
import type { HandlersFor } from '../context'
import { createAutoresponder, deleteAutoresponder, listAutoresponders, listExecutions, updateAutoresponder } from '../services/autoresponders'

export const autorespondersHandlers: HandlersFor<'autoresponders'> = {
  'autoresponders.list': (ctx, { objectId }) => listAutoresponders(ctx, objectId),
  'autoresponders.create': (ctx, input) => createAutoresponder(ctx, input),
  'autoresponders.update': (ctx, input) => updateAutoresponder(ctx, input),
  'autoresponders.delete': (ctx, { id }) => deleteAutoresponder(ctx, id),
  'autoresponders.executions': (ctx, input) => listExecutions(ctx, input),
}
