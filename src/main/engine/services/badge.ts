// badge.get, and the badge.changed push the tray and badge follow.
import type { Ctx } from '../context'
import { unreadThreads } from '../repos/badge'

export const badge = (ctx: Ctx): { unreadThreads: number } => ({ unreadThreads: unreadThreads(ctx) })

/**
 * Follows unread mail for the tray and badge: call the returned function on every inbox change; it counts
 * once per burst of changes (on the next turn) and pushes badge.changed only when the count moved.
 */
export function followBadge(ctx: Ctx, stopped: () => boolean): () => void {
  let last = -1
  let pending = false
  return () => {
    if (pending) return
    pending = true
    setImmediate(() => {
      pending = false
      if (stopped()) return
      const n = unreadThreads(ctx)
      if (n !== last) ctx.emit('badge.changed', { unreadThreads: (last = n) })
    })
  }
}
