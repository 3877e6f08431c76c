// app.info's reads: is the workspace new, and who is signed in.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { getSetting, settingKeys } from './settings'

/** A workspace with no business yet is on its first run (the welcome screen). */
export const hasBusiness = (ctx: Ctx): boolean => stmt(ctx.sqlite, 'SELECT 1 FROM objects LIMIT 1').get() !== undefined

/** The stored current user, if that user still exists. */
export function currentUserId(ctx: Ctx): number | null {
  const stored = getSetting(ctx, settingKeys.currentUser)
  const id = stored ? Number(stored) : null
  return id && stmt(ctx.sqlite, 'SELECT 1 FROM users WHERE id = ?').get(id) !== undefined ? id : null
}
