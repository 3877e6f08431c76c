// inbox.*: the unified inbox's thread list (services/inbox.ts), and mail kept only on the server (issue 23).
import type { HandlersFor } from '../context'
import { listInbox, openServer, searchServer } from '../services/inbox'

export const inboxHandlers: HandlersFor<'inbox'> = {
  'inbox.list': (ctx, input) => listInbox(ctx, input),
  'inbox.searchServer': (ctx, input) => searchServer(ctx, input),
  'inbox.openServer': (ctx, input) => openServer(ctx, input),
}
