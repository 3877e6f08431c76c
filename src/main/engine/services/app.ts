// app.info: facts about this running engine (app.seedDemo is services/demo.ts).
import type { Output } from '../../../shared/contract'
import type { Ctx } from '../context'
import { currentUserId, hasBusiness } from '../repos/app'

export function appInfo(ctx: Ctx): Output<'app.info'> {
  return {
    version: ctx.info.version,
    host: ctx.info.host,
    dataDir: ctx.info.dataDir,
    secretStore: ctx.secrets.kind,
    firstRun: !hasBusiness(ctx),
    currentUserId: currentUserId(ctx),
    testClock: ctx.outbound.advanceClock !== undefined,
    undoSeconds: Math.round(ctx.outbound.undoMs / 1000),
  }
}

