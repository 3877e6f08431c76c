// The unread count behind the tray icon and dock/taskbar badge.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

/** Unread conversations, from the trigger-kept per-business totals (no scan). */
export function unreadThreads(ctx: Pick<Ctx, 'sqlite'>): number {
  return (stmt(ctx.sqlite, 'SELECT coalesce(sum(threads), 0) AS n FROM thread_unread_totals').get() as { n: number }).n
}
