// Facts about this running engine, and the sample workspace.
import type { Ctx, Handlers, HandlersFor } from '../context'
import { iso } from '../clock'
import { seedDemo } from '../services/demo'
import { getSetting, settingKeys } from '../repos/settings'

export function currentUserId(ctx: Ctx): number | null {
  const stored = getSetting(ctx, settingKeys.currentUser)
  const id = stored ? Number(stored) : null
  return id && ctx.sqlite.prepare('SELECT 1 FROM users WHERE id = ?').get(id) ? id : null
}

export function appHandlers(all: () => Handlers, secretStore: string): HandlersFor<'app' | 'clock'> {
  return {
    'app.info': (ctx: Ctx) => ({
      version: ctx.info.version,
      host: ctx.info.host,
      dataDir: ctx.info.dataDir,
      secretStore,
      firstRun: !(ctx.sqlite.prepare('SELECT 1 FROM objects LIMIT 1').get() as unknown),
      currentUserId: currentUserId(ctx),
      testClock: ctx.outbound.advanceClock !== undefined,
      undoSeconds: Math.round(ctx.outbound.undoMs / 1000),
    }),
    'clock.advance': (ctx, { ms }) => {
      // dispatch refuses this method unless the engine runs on a test clock.
      ctx.outbound.advanceClock!(ms)
      ctx.outbound.scheduler.wake()
      return { now: iso(ctx.clock.now()) }
    },
    'app.seedDemo': (ctx) => seedDemo(ctx, all()),
  }
}
