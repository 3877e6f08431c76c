// outbox.*: what the user can do with a message on its way (services/outbox.ts).
import type { HandlersFor } from '../context'
import * as outbox from '../services/outbox'

export const outboxHandlers: HandlersFor<'outbox'> = {
  'outbox.list': (ctx, input) => outbox.listOutbox(ctx, input),
  'outbox.get': (ctx, { id }) => outbox.getOutbound(ctx, id),
  'outbox.retry': (ctx, { id }) => outbox.retry(ctx, id),
  'outbox.cancel': (ctx, { id }) => outbox.cancel(ctx, id),
  'outbox.undo': (ctx, { id }) => outbox.undo(ctx, id),
}
