// net.*: connectivity and the mail waiting for it (services/net.ts).
import type { HandlersFor } from '../context'
import { netStatus } from '../services/net'

export const netHandlers: HandlersFor<'net'> = {
  'net.status': (ctx) => netStatus(ctx),
}
