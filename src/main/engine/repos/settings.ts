// Small engine state in app_settings: the current user, Mailgun auth failures, provider poll cursors.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export const settingKeys = {
  currentUser: 'currentUserId',
  mailgunAuthError: (objectId: number) => `mailgun.authError.${objectId}`,
  mailgunEventsCursor: (objectId: number) => `mailgun.eventsCursor.${objectId}`,
}

export function getSetting(ctx: Ctx, key: string): string | null {
  return (stmt(ctx.sqlite, 'SELECT value FROM app_settings WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null
}

export function setSetting(ctx: Ctx, key: string, value: string): void {
  stmt(ctx.sqlite, 'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
}

export function deleteSetting(ctx: Ctx, key: string): void {
  stmt(ctx.sqlite, 'DELETE FROM app_settings WHERE key = ?').run(key)
}
