// net.status: connectivity as the net monitor sees it, with the count of messages waiting for it.
import type { NetStatus } from '../../../shared/outbound'
import type { Ctx } from '../context'
import { heldOfflineCount } from '../repos/outbox'

/** Messages held because the network (or their server) is out of reach. */
export const heldOffline = (ctx: Ctx): number => heldOfflineCount(ctx)

export const netStatus = (ctx: Ctx): NetStatus => ctx.outbound.net.status(heldOffline(ctx))
