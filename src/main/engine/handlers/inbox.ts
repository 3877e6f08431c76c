// inbox.*: the unified inbox's thread list (services/inbox.ts).
import type { HandlersFor } from '../context'
import { listInbox } from '../services/inbox'

export const inboxHandlers: HandlersFor<'inbox'> = {
  'inbox.list': (ctx, input) => listInbox(ctx, input),
}
