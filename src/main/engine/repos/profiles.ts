// Sender profile rows: the From identities of a business and the transport each sends through.
import type { Ctx } from '../context'
import { emailSendingProfiles } from '../db/schema'
import { stmt, stmtPluck } from '../db/stmt'
import { businessRows } from './businessRows'

export type ProfileRow = typeof emailSendingProfiles.$inferSelect
export type NewProfileRow = typeof emailSendingProfiles.$inferInsert

export const { list: listProfileRows, get: profileRow, insert: insertProfile, update: updateProfile } = businessRows(emailSendingProfiles, emailSendingProfiles.emailAddress)

export const deleteProfileRow = (ctx: Ctx, id: number): boolean => stmt(ctx.sqlite, 'DELETE FROM email_sending_profiles WHERE id = ?').run(id).changes > 0

/** Outbox rows from this profile that have not left yet (held and failed-to-retry included). */
export const waitingFromProfile = (ctx: Ctx, id: number): number =>
  stmtPluck(ctx.sqlite, "SELECT count(*) FROM outbound_messages WHERE profile_id = ? AND status IN ('queued', 'sending', 'retry_wait', 'held')").get(id) as number

/** Flows whose current version has a step that sends from this profile. */
export const flowsSendingFrom = (ctx: Ctx, id: number): string[] =>
  stmtPluck(
    ctx.sqlite,
    `SELECT DISTINCT f.name FROM flows f JOIN flow_nodes n ON n.flow_id = f.id AND n.version = f.version
     WHERE json_valid(n.config_json) AND json_extract(n.config_json, '$.profileId') = ? ORDER BY f.name`,
  ).all(id) as string[]
