// app.*: the boundary over services/app.ts and services/demo.ts. `all` is the engine's handler table, which
// the sample workspace is made through; it is passed in, not imported, so no handler imports another.
import type { Handlers, HandlersFor } from '../context'
import { appInfo } from '../services/app'
import { seedDemo } from '../services/demo'

export function appHandlers(all: () => Handlers): HandlersFor<'app'> {
  return {
    'app.info': (ctx) => appInfo(ctx),
    'app.seedDemo': (ctx) => seedDemo(ctx, all()),
  }
}
