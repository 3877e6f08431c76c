// Who may send from which sender profile (issue 22): PostgreSQL's team_user_profiles is the truth; each desktop
// keeps a copy (team_assignments, migration 0033) so the check works offline. Read on join and after every
// push/pull, so a change an admin makes reaches a staff desktop within one sync.
import type { Sqlite } from '../db/open'
import { assignmentsKey, isAssigned, replaceAssignments, teamState, type Assignment } from '../repos/team'
import type { PgClient } from './pg'

export interface AssignmentSnapshot {
  rows: Assignment[]
  /** This member's role now (an admin may have changed it); undefined when they are no longer a member. */
  role: 'admin' | 'staff' | undefined
}

/** One round trip (it runs after every push/pull). */
export async function readAssignments(c: PgClient, email: string): Promise<AssignmentSnapshot> {
  const r = await c.query<{ role: 'admin' | 'staff' | null; rows: Array<{ email: string; profileId: string | number }> }>(
    `SELECT (SELECT role FROM team_users WHERE lower(email) = lower($1)) AS role,
            coalesce((SELECT json_agg(json_build_object('email', email, 'profileId', profile_id) ORDER BY email, profile_id) FROM team_user_profiles), '[]') AS rows`,
    [email],
  )
  const row = r.rows[0]!
  return { rows: row.rows.map((x) => ({ email: x.email.toLowerCase(), profileId: Number(x.profileId) })), role: row.role ?? undefined }
}

/** Stores a snapshot (written only when it differs); call inside a SQLite transaction. True when it changed. */
export function storeAssignments(sqlite: Sqlite, s: AssignmentSnapshot): boolean {
  const before = assignmentsKey(sqlite)
  const sorted = [...s.rows].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.profileId - b.profileId))
  const role = s.role ?? teamState(sqlite)?.userRole
  if (before === `${role}:${JSON.stringify(sorted.map((x) => ({ email: x.email, p: x.profileId })))}`) return false
  replaceAssignments(sqlite, s.rows, s.role)
  return assignmentsKey(sqlite) !== before
}

/**
 * The rule itself (services/permissions.ts says it to the person; the replicator asks it of a refused push):
 * solo desktops and admins may send from every profile, staff from those assigned to them.
 */
export function maySendFrom(sqlite: Sqlite, profileId: number): boolean {
  const me = teamState(sqlite)
  if (!me || me.userRole === 'admin') return true
  return isAssigned(sqlite, me.userEmail, profileId)
}
