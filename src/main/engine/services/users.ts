// Staff users: who they are, which sender profiles they may use, and who is using this app now.
import type { User } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { deleteSetting, setSetting, settingKeys } from '../repos/settings'
import { allAssignments, insertUser, listUserRows, userIdByEmail, userRow, type UserRow } from '../repos/users'
import { assertNoClash } from './unique'
import { staffAtThisDesktop } from './permissions'

function withAssignments(ctx: Ctx, rows: UserRow[]): User[] {
  const assignments = allAssignments(ctx)
  // A staff member of a team workspace at this desktop: their senders are the ones an admin assigned to them
  // (PostgreSQL's team_user_profiles), not this desktop's own list.
  const team = staffAtThisDesktop(ctx)
  return rows.map((u) => {
    const mine = assignments.filter((a) => a.userId === u.id)
    const teamIds = team && team.email === u.email.toLowerCase() ? team.profileIds : null
    const profileIds = teamIds ?? mine.map((a) => a.profileId)
    const preferred = mine.find((a) => a.isDefault)?.profileId ?? null
    return {
      id: u.id,
      name: u.name,
      email: u.email,
      profileIds,
      defaultProfileId: preferred !== null && profileIds.includes(preferred) ? preferred : null,
      createdAt: iso(u.createdAt),
    }
  })
}

export function getUser(ctx: Ctx, id: number): User {
  const user = userRow(ctx, id)
  if (!user) throw new AppError('NOT_FOUND', `User ${id} does not exist`, 'userId')
  return withAssignments(ctx, [user])[0]
}

export const listUsers = (ctx: Ctx): User[] => withAssignments(ctx, listUserRows(ctx))

export function createUser(ctx: Ctx, input: { name: string; email: string }): User {
  assertNoClash(userIdByEmail(ctx, input.email), undefined, `A user with ${input.email} already exists`, 'email')
  return getUser(ctx, insertUser(ctx, input, ctx.clock.now()))
}

export function setCurrentUser(ctx: Ctx, id: number | null): { currentUserId: number | null } {
  if (id === null) deleteSetting(ctx, settingKeys.currentUser)
  else {
    getUser(ctx, id)
    setSetting(ctx, settingKeys.currentUser, String(id))
  }
  return { currentUserId: id }
}
