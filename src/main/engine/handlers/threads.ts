// threads.*: one conversation (services/threads.ts).
import type { HandlersFor } from '../context'
import { getThread } from '../services/threads'

export const threadsHandlers: HandlersFor<'threads'> = {
  'threads.get': (ctx, { id }) => getThread(ctx, id),
}
