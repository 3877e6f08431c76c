// Team workspace on PostgreSQL (issue 22): the contract's models. The renderer never knows which store
// answers a read; these methods only create, join and watch the workspace.
import { z } from 'zod'
import { Email, Id, IsoTime } from './models'

const DatabaseUrl = z
  .string()
  .trim()
  .min(1, 'Enter the address of the PostgreSQL database')
  .max(2000, 'At most 2000 characters')
  .refine((s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '' && u.pathname.length > 1
    } catch {
      return false
    }
  }, 'Use an address like postgres://user:password@host:5432/database')
const DisplayName = z.string().trim().min(1, 'Required').max(120, 'At most 120 characters')
// Also a PostgreSQL role password: long enough not to be guessed over the network.
const Password = z.string().min(10, 'At least 10 characters').max(200, 'At most 200 characters')

export const TeamRole = z.enum(['admin', 'staff'])
export type TeamRole = z.infer<typeof TeamRole>

export const CreateTeam = z
  .object({ databaseUrl: DatabaseUrl, admin: z.object({ email: Email, displayName: DisplayName, password: Password }).strict() })
  .strict()
export const JoinTeam = z.object({ databaseUrl: DatabaseUrl, email: Email, password: z.string().min(1, 'Enter your password').max(200) }).strict()
export const TeamWorkspace = z.object({ workspaceId: z.string() })

// removed: an admin took this member out of the workspace (their role may no longer sign in); writes stay local.
export const TEAM_STATES = ['solo', 'synced', 'syncing', 'offline', 'removed'] as const
export const TeamStatus = z.object({
  state: z.enum(TEAM_STATES),
  /** Local changes not yet in PostgreSQL. */
  pendingOps: z.number(),
  lastSyncedAt: IsoTime.nullable(),
  user: z.object({ email: z.string(), role: TeamRole }).nullable(),
  workspaceId: z.string().nullable(),
  /** Host, port and database (never the password). */
  database: z.string().nullable(),
  /** Why the last attempt failed, in words (offline). */
  problem: z.string().nullable(),
})
export type TeamStatus = z.infer<typeof TeamStatus>

export const NewTeamUser = z
  .object({ email: Email, displayName: DisplayName, password: Password, role: TeamRole.default('staff'), profileIds: z.array(Id).max(1000).default([]) })
  .strict()
export const TeamUser = z.object({ id: Id, email: z.string(), displayName: z.string(), role: TeamRole, profileIds: z.array(Id) })

// Permissions (issue 22 item 5): which sender profiles a member may send from (admins may use every one).
export const SetTeamUserProfiles = z.object({ email: Email, profileIds: z.array(Id).max(1000) }).strict()
export const TeamUserProfiles = z.object({ email: z.string(), profileIds: z.array(Id) })

// Leaving and removing (issue 22 item 1). force: leave even though changes made here never reached the workspace
// (they stay on this desktop only); without it such a leave is refused with CONFLICT and the count.
export const LeaveTeam = z.object({ force: z.boolean().optional() }).strict()
export const TeamLeft = z.object({
  /** Shared outbox rows withdrawn here because another desktop sends them now. */
  withdrawn: z.number(),
  /** Changes made here that stayed on this desktop only (a forced leave). */
  keptHere: z.number(),
})
export const RemoveTeamUser = z.object({ email: Email }).strict()
export const RemovedTeamUser = z.object({ email: z.string() })
