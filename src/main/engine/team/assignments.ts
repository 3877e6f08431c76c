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

export async function readAssignments(c: PgClient, email: string): Promise<AssignmentSnapshot> {
  const rows = await c.query<{ email: string; profile_id: string }>('SELECT email, profile_id FROM team_user_profiles ORDER BY email, profile_id')
  const me = await c.query<{ role: 'admin' | 'staff' }>('SELECT role FROM team_users WHERE lower(email) = lower($1)', [email])
  return { rows: rows.rows.map((r) => ({ email: r.email, profileId: Number(r.profile_id) })), role: me.rows[0]?.role }
}

/** Stores a snapshot; call inside a SQLite transaction. True when this desktop's permissions changed. */
export function storeAssignments(sqlite: Sqlite, s: AssignmentSnapshot): boolean {
  const before = assignmentsKey(sqlite)
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
