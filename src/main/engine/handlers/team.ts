// team.*: the team workspace on PostgreSQL (issue 22). Boundary only; the rules are in services/team.ts.
import type { HandlersFor } from '../context'
import { createTeam, createTeamUser, joinTeam, leaveTeam, listTeamUsers, removeTeamUser, setTeamUserProfiles, syncTeam, teamStatus } from '../services/team'

export const teamHandlers: HandlersFor<'team'> = {
  'team.create': (ctx, input) => createTeam(ctx, input),
  'team.join': (ctx, input) => joinTeam(ctx, input),
  'team.status': (ctx) => teamStatus(ctx),
  'team.sync': (ctx) => syncTeam(ctx),
  'team.users.create': (ctx, input) => createTeamUser(ctx, input),
  'team.users.list': (ctx) => listTeamUsers(ctx),
  'team.users.setProfiles': (ctx, input) => setTeamUserProfiles(ctx, input),
  'team.leave': (ctx, input) => leaveTeam(ctx, input),
  'team.users.remove': (ctx, input) => removeTeamUser(ctx, input),
}
