// Facts about this running engine, and the sample workspace.
import type { Ctx, Handlers, HandlersFor } from '../context'
import { seedDemo } from '../services/demo'

export function appHandlers(all: () => Handlers, secretStore: string): HandlersFor<'app'> {
  return {
    'app.info': (ctx: Ctx) => ({
      version: ctx.info.version,
      host: ctx.info.host,
      dataDir: ctx.info.dataDir,
      secretStore,
      firstRun: !(ctx.sqlite.prepare('SELECT 1 FROM objects LIMIT 1').get() as unknown),
    }),
    'app.seedDemo': (ctx) => seedDemo(ctx, all()),
  }
}
