// Who may send from which sender profile (issue 22 item 5). One rule, asked by every contract method through
// which a person queues mail from a profile (mail.send, drafts.send, messages.reply, mail.sendMany, outbox.retry,
// communications.send, a sequence's mailboxes when it is saved and when a person enrols contacts in it (sequences.enroll,
// contacts.import), flows with an explicit sender or mailboxes when activated or resumed): on a desktop in a team workspace as a staff member, only
// the profiles an admin assigned to them (the local copy of PostgreSQL's team_user_profiles, refreshed on every
// sync). Admins and solo desktops may use every profile.
//
// The check is at the moment a person asks, not in the scheduler: automation already set up (a sequence's next
// step, an autoresponder) goes on sending from whatever profile it was set up with, on whichever desktop claims
// it. PostgreSQL's row-level security (pg migration 0003) enforces the same rule on the shared log, so a staff
// member cannot get such a row into it with psql either.
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { profileRow } from '../repos/profiles'
import { assignedProfileIds, teamState } from '../repos/team'
import { maySendFrom as mayUse } from '../team/assignments'

/** True when the person at this desktop may send from this profile. */
export const maySendFrom = (ctx: Ctx, profileId: number): boolean => mayUse(ctx.sqlite, profileId)

/** The profiles the person at this desktop may send from; null: every one (an admin, or a solo desktop). */
export function allowedProfileIds(ctx: Ctx): Set<number> | null {
  const me = teamState(ctx.sqlite)
  if (!me || me.userRole === 'admin') return null
  return new Set(assignedProfileIds(ctx.sqlite, me.userEmail))
}

/** FORBIDDEN, in words, when the person at this desktop may not send from this profile. */
export function assertMaySendFrom(ctx: Ctx, profileId: number, field = 'profileId'): void {
  if (maySendFrom(ctx, profileId)) return
  const row = profileRow(ctx, profileId)
  // A profile that does not exist is the caller's NOT_FOUND, said where it is looked up.
  if (!row) return
  const address = row.emailAddress
  throw new AppError('FORBIDDEN', `You may not send from ${address}: ask an admin of the workspace to assign this sender to you.`, field)
}

/** The staff member at this desktop and the profiles assigned to them; null for admins and solo desktops. */
export function staffAtThisDesktop(ctx: Ctx): { email: string; profileIds: number[] } | null {
  const me = teamState(ctx.sqlite)
  if (!me || me.userRole === 'admin') return null
  return { email: me.userEmail.toLowerCase(), profileIds: assignedProfileIds(ctx.sqlite, me.userEmail) }
}
