// team.*: a team workspace on PostgreSQL (issue 22). Creating one makes this desktop's data its start (a
// snapshot of every shared row, queued as ops); joining downloads everything into an empty desktop. After
// that every write is captured by SQLite triggers in its own transaction and the replicator (team/) carries
// it; this service only makes and joins workspaces and staff roles. Passwords never reach PostgreSQL: roles are
// created with a SCRAM verifier made here; this desktop keeps its own password sealed by the SecretBox.
import { randomUUID } from 'node:crypto'
import type { TeamStatus } from '../../../shared/team'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { appendOp, allRows, insertTeamState, moveSequenceTo, pendingCount, tablesEmpty, teamState } from '../repos/team'
import { profileRow } from '../repos/profiles'
import { insertUser, userIdByEmail } from '../repos/users'
import { asRole, connect, databaseName, ident, loginRoleName, memberRoleName, migratePg, pgProblem, scramVerifier, takeBlock, withoutPassword, type PgClient } from '../team/pg'
import { SHARED_TABLES, rowKeyOf } from '../team/tables'
import { uuid7 } from '../team/uuid7'
import { readAssignments, storeAssignments } from '../team/assignments'
import { setCurrentUser } from './users'
import { releaseLeases } from '../team/claims'
import { leaveLocally, waitForSharedSends } from '../team/leave'

interface Member {
  email: string
  displayName: string
  password: string
}

async function closing<T>(c: PgClient, fn: (c: PgClient) => Promise<T>): Promise<T> {
  try {
    return await fn(c)
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined)
    throw pgProblem(e)
  } finally {
    await c.end().catch(() => undefined)
  }
}

function assertSolo(ctx: Ctx): void {
  if (teamState(ctx.sqlite)) throw new AppError('CONFLICT', 'This desktop is already in a team workspace')
}

/** The local users row of a member (replicated like any other row once the workspace exists). */
function localUser(ctx: Ctx, m: { email: string; displayName: string }): number {
  return userIdByEmail(ctx, m.email) ?? insertUser(ctx, { name: m.displayName, email: m.email }, ctx.clock.now())
}

export async function createTeam(ctx: Ctx, input: { databaseUrl: string; admin: Member }): Promise<{ workspaceId: string }> {
  assertSolo(ctx)
  const { admin } = input
  const owner = await connect(input.databaseUrl)
  const made = await closing(owner, async (c) => {
    await migratePg(c, ctx.team.pgMigrationsDir)
    if ((await c.query('SELECT 1 FROM workspace')).rowCount) throw new AppError('CONFLICT', 'This database already holds a team workspace: join it instead', 'databaseUrl')
    const db = (await c.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d
    const workspaceId = randomUUID()
    const member = memberRoleName(workspaceId)
    const login = loginRoleName(db, admin.email)
    await c.query('BEGIN')
    // Grants go to the workspace's member role; each person logs in with a role of their own inside it.
    await c.query(`CREATE ROLE ${ident(member)} NOLOGIN`)
    await c.query(`REVOKE ALL ON DATABASE ${ident(db)} FROM PUBLIC`)
    await c.query(`GRANT CONNECT ON DATABASE ${ident(db)} TO ${ident(member)}`)
    await c.query(`GRANT USAGE ON SCHEMA public TO ${ident(member)}`)
    await c.query(`GRANT SELECT ON workspace, team_users, team_user_profiles TO ${ident(member)}`)
    await c.query(`GRANT SELECT, INSERT ON ops, devices, id_blocks TO ${ident(member)}`)
    await c.query(`GRANT SELECT, INSERT, UPDATE ON claims TO ${ident(member)}`)
    await c.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${ident(member)}`)
    await c.query(`CREATE ROLE ${ident(login)} LOGIN CREATEROLE PASSWORD ${c.escapeLiteral(scramVerifier(admin.password))} IN ROLE ${ident(member)}`)
    await c.query(`GRANT ${ident(member)} TO ${ident(login)} WITH ADMIN OPTION`)
    // WITH GRANT OPTION: this admin can make another admin who can add staff too (createTeamUser).
    await c.query(`GRANT INSERT, UPDATE, DELETE ON team_users, team_user_profiles TO ${ident(login)} WITH GRANT OPTION`)
    await c.query('INSERT INTO workspace (id, member_role) VALUES ($1, $2)', [workspaceId, member])
    await c.query('INSERT INTO team_users (email, display_name, role, role_name) VALUES ($1, $2, $3, $4)', [admin.email, admin.displayName, 'admin', login])
    const deviceId = (await c.query<{ id: number }>('INSERT INTO devices (email) VALUES ($1) RETURNING id', [admin.email])).rows[0].id
    const blockStart = await takeBlock(c, deviceId)
    await c.query('COMMIT')
    return { workspaceId, login, deviceId, blockStart }
  })
  const now = ctx.clock.now()
  const userId = inTransaction(ctx.sqlite, () => {
    const userId = localUser(ctx, admin)
    // From here on the capture triggers record every change; the rows already here go as one snapshot.
    insertTeamState(ctx.sqlite, {
      workspaceId: made.workspaceId,
      deviceId: made.deviceId,
      userEmail: admin.email,
      userRole: 'admin',
      databaseUrl: withoutPassword(input.databaseUrl),
      roleName: made.login,
      passwordSealed: ctx.secrets.seal(admin.password),
      blockStart: made.blockStart,
      createdAt: now,
    })
    for (const t of SHARED_TABLES) {
      for (const row of allRows(ctx.sqlite, t.name, t.cols, t.pk)) {
        // A row being sent at this moment is shared as waiting; its push carries this desktop's claim on it.
        const fields = Object.fromEntries(t.cols.map((c) => [c, t.localValues?.[c]?.includes(row[c] as string) ? t.sharedAs?.[c] : row[c]]))
        appendOp(ctx.sqlite, { id: uuid7(now), tbl: t.name, rowKey: rowKeyOf(t, row), kind: 'insert', fields: JSON.stringify(fields), userEmail: admin.email, at: now })
      }
      if (t.autoId) moveSequenceTo(ctx.sqlite, t.name, made.blockStart)
    }
    setCurrentUser(ctx, userId)
    return userId
  })
  // The admin's replicated user id, for the staff list (best effort: the workspace exists either way).
  await connect(asRole(input.databaseUrl, made.login, admin.password))
    .then((c) => closing(c, (cc) => cc.query('UPDATE team_users SET user_id = $1 WHERE email = $2', [userId, admin.email])))
    .catch(() => undefined)
  ctx.team.replicator.joined()
  return { workspaceId: made.workspaceId }
}

export async function joinTeam(ctx: Ctx, input: { databaseUrl: string; email: string; password: string }): Promise<{ workspaceId: string }> {
  assertSolo(ctx)
  if (!tablesEmpty(ctx.sqlite, SHARED_TABLES.map((t) => t.name)))
    throw new AppError('CONFLICT', 'Join from a desktop with no businesses, contacts or users yet: this one has its own data (create a workspace from it instead)')
  const login = loginRoleName(databaseName(input.databaseUrl), input.email)
  const c = await connect(asRole(input.databaseUrl, login, input.password))
  const got = await closing(c, async (cc) => {
    const ws = (await cc.query<{ id: string }>('SELECT id FROM workspace')).rows[0]
    if (!ws) throw new AppError('NOT_FOUND', 'There is no team workspace in this database', 'databaseUrl')
    const me = (await cc.query<{ role: 'admin' | 'staff' }>('SELECT role FROM team_users WHERE email = $1', [input.email])).rows[0]
    if (!me) throw new AppError('NOT_FOUND', `${input.email} is not a member of this workspace`, 'email')
    const deviceId = (await cc.query<{ id: number }>('INSERT INTO devices (email) VALUES ($1) RETURNING id', [input.email])).rows[0].id
    const blockStart = await takeBlock(cc, deviceId)
    // Which senders this member may use, known from the first moment (the check works offline from this copy).
    const assignments = await readAssignments(cc, input.email)
    return { workspaceId: ws.id, role: me.role, deviceId, blockStart, assignments }
  })
  inTransaction(ctx.sqlite, () => {
    insertTeamState(ctx.sqlite, {
      workspaceId: got.workspaceId,
      deviceId: got.deviceId,
      userEmail: input.email,
      userRole: got.role,
      databaseUrl: withoutPassword(input.databaseUrl),
      roleName: login,
      passwordSealed: ctx.secrets.seal(input.password),
      blockStart: got.blockStart,
      createdAt: ctx.clock.now(),
    })
    for (const t of SHARED_TABLES) if (t.autoId) moveSequenceTo(ctx.sqlite, t.name, got.blockStart)
    storeAssignments(ctx.sqlite, got.assignments)
  })
  ctx.team.replicator.joined()
  // The download: every op of the workspace so far. Offline half-way, it carries on by itself later.
  await ctx.team.replicator.syncNow().catch(() => undefined)
  const userId = userIdByEmail(ctx, input.email)
  if (userId !== undefined) setCurrentUser(ctx, userId)
  return { workspaceId: got.workspaceId }
}

export const teamStatus = (ctx: Ctx): TeamStatus => ctx.team.replicator.status()

/** "Sync now": the problem, if any, shows in the status (offline), not as an error. */
export async function syncTeam(ctx: Ctx): Promise<TeamStatus> {
  if (!teamState(ctx.sqlite)) throw new AppError('CONFLICT', 'This desktop is not in a team workspace')
  await ctx.team.replicator.syncNow().catch(() => undefined)
  return ctx.team.replicator.status()
}

/** Admins open a connection with their own role (which may create roles); PostgreSQL refuses anyone else. */
async function asMe(ctx: Ctx): Promise<{ c: PgClient; s: NonNullable<ReturnType<typeof teamState>> }> {
  const s = teamState(ctx.sqlite)
  if (!s) throw new AppError('CONFLICT', 'This desktop is not in a team workspace')
  try {
    return { c: await connect(asRole(s.databaseUrl, s.roleName, ctx.secrets.open(s.passwordSealed))), s }
  } catch (e) {
    const p = pgProblem(e)
    throw p.code === 'UNAVAILABLE' ? new AppError('UNAVAILABLE', `${p.message}: staff can be added only while connected`) : p
  }
}

export async function createTeamUser(
  ctx: Ctx,
  input: { email: string; displayName: string; password: string; role: 'admin' | 'staff'; profileIds: number[] },
): Promise<{ id: number }> {
  const me = teamState(ctx.sqlite)
  if (!me) throw new AppError('CONFLICT', 'This desktop is not in a team workspace')
  if (me.userRole !== 'admin') throw new AppError('VALIDATION', 'Only an admin of the workspace can add staff')
  for (const id of input.profileIds) if (!profileRow(ctx, id)) throw new AppError('NOT_FOUND', `Sender profile ${id} does not exist`, 'profileIds')
  const { c, s } = await asMe(ctx)
  const login = loginRoleName(databaseName(s.databaseUrl), input.email)
  await closing(c, async (cc) => {
    if ((await cc.query('SELECT 1 FROM team_users WHERE email = $1', [input.email])).rowCount)
      throw new AppError('CONFLICT', `${input.email} is already a member of this workspace`, 'email')
    const member = (await cc.query<{ member_role: string }>('SELECT member_role FROM workspace')).rows[0].member_role
    await cc.query('BEGIN')
    // Someone removed before (team.users.remove) keeps a role that may not sign in: it is let in again.
    if ((await cc.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login])).rowCount) {
      await cc.query(`ALTER ROLE ${ident(login)} LOGIN ${input.role === 'admin' ? 'CREATEROLE' : 'NOCREATEROLE'} PASSWORD ${cc.escapeLiteral(scramVerifier(input.password))}`)
      await cc.query(`GRANT ${ident(member)} TO ${ident(login)}`)
    } else
      await cc.query(`CREATE ROLE ${ident(login)} LOGIN PASSWORD ${cc.escapeLiteral(scramVerifier(input.password))}${input.role === 'admin' ? ' CREATEROLE' : ''} IN ROLE ${ident(member)}`)
    if (input.role === 'admin') {
      // What the first admin was given at the workspace's creation: adding staff (a role inside the member role)
      // and writing the member list and the assignments, and passing both on to a further admin.
      await cc.query(`GRANT ${ident(member)} TO ${ident(login)} WITH ADMIN OPTION`)
      await cc.query(`GRANT INSERT, UPDATE, DELETE ON team_users, team_user_profiles TO ${ident(login)} WITH GRANT OPTION`)
    }
    await cc.query('INSERT INTO team_users (email, display_name, role, role_name) VALUES ($1, $2, $3, $4)', [input.email, input.displayName, input.role, login])
    for (const p of input.profileIds) await cc.query('INSERT INTO team_user_profiles (email, profile_id) VALUES ($1, $2)', [input.email, p])
    await cc.query('COMMIT')
  })
  // The person's users row replicates like any other (captured by its trigger), so tasks can be assigned to them.
  const id = inTransaction(ctx.sqlite, () => localUser(ctx, input))
  await connect(asRole(s.databaseUrl, s.roleName, ctx.secrets.open(s.passwordSealed)))
    .then((cc) => closing(cc, (x) => x.query('UPDATE team_users SET user_id = $1 WHERE email = $2', [id, input.email])))
    .catch(() => undefined)
  return { id }
}

export async function listTeamUsers(ctx: Ctx): Promise<Array<{ id: number; email: string; displayName: string; role: 'admin' | 'staff'; profileIds: number[] }>> {
  const { c } = await asMe(ctx)
  const rows = await closing(c, async (cc) =>
    (await cc.query<{ email: string; display_name: string; role: 'admin' | 'staff'; user_id: string | null; profile_ids: string[] | null }>(
      `SELECT u.email, u.display_name, u.role, u.user_id, array_remove(array_agg(p.profile_id), NULL) AS profile_ids
       FROM team_users u LEFT JOIN team_user_profiles p ON p.email = u.email GROUP BY u.email ORDER BY u.display_name`,
    )).rows,
  )
  // A grant outlives its profile in PostgreSQL (team_user_profiles has no key to it): a profile deleted on any
  // desktop leaves the list once this desktop has pulled the delete.
  const known = (id: number) => profileRow(ctx, id) !== undefined
  return rows
    .map((r) => ({ id: Number(r.user_id ?? userIdByEmail(ctx, r.email) ?? 0), email: r.email, displayName: r.display_name, role: r.role, profileIds: (r.profile_ids ?? []).map(Number).filter(known) }))
    .filter((u) => u.id > 0)
}

/**
 * Admins only: the sender profiles a member may send from, replacing the ones they had. PostgreSQL holds them
 * (row-level security enforces them there); every desktop learns them on its next sync, this one at once.
 */
export async function setTeamUserProfiles(ctx: Ctx, input: { email: string; profileIds: number[] }): Promise<{ email: string; profileIds: number[] }> {
  const me = teamState(ctx.sqlite)
  if (!me) throw new AppError('CONFLICT', 'This desktop is not in a team workspace')
  if (me.userRole !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin of the workspace can choose who sends from which sender', 'email')
  const ids = [...new Set(input.profileIds)].sort((a, b) => a - b)
  for (const id of ids) if (!profileRow(ctx, id)) throw new AppError('NOT_FOUND', `Sender profile ${id} does not exist`, 'profileIds')
  const { c, s } = await asMe(ctx)
  const snap = await closing(c, async (cc) => {
    await cc.query('BEGIN')
    const who = (await cc.query<{ email: string }>('SELECT email FROM team_users WHERE lower(email) = lower($1) FOR UPDATE', [input.email])).rows[0]
    if (!who) throw new AppError('NOT_FOUND', `${input.email} is not a member of this workspace`, 'email')
    await cc.query('DELETE FROM team_user_profiles WHERE email = $1', [who.email])
    if (ids.length) await cc.query('INSERT INTO team_user_profiles (email, profile_id) SELECT $1, unnest($2::bigint[])', [who.email, ids])
    await cc.query('COMMIT')
    return readAssignments(cc, s.userEmail)
  })
  if (inTransaction(ctx.sqlite, () => storeAssignments(ctx.sqlite, snap))) ctx.emit('objects.changed', {})
  return { email: input.email, profileIds: ids }
}

// Leaving and removing (issue 22 item 1).

/** How long a leave waits for sends under way here to finish (their outcome then reaches the workspace). */
const SEND_WAIT_MS = 30_000

const unsynced = (n: number): string =>
  `${n} ${n === 1 ? 'change' : 'changes'} made on this computer ${n === 1 ? 'has' : 'have'} not reached the workspace yet. Connect and sync first, or leave anyway and they stay on this computer only.`

/**
 * This desktop leaves the workspace and works on its own again with all its data. Waiting changes are pushed
 * first; when they cannot be (PostgreSQL unreachable or refusing), the leave is refused unless forced. A member
 * an admin removed may leave without force: their changes can never be pushed.
 */
export async function leaveTeam(ctx: Ctx, input: { force?: boolean }): Promise<{ withdrawn: number; keptHere: number }> {
  const s = teamState(ctx.sqlite)
  if (!s) throw new AppError('CONFLICT', 'This desktop is not in a team workspace')
  const rep = ctx.team.replicator
  const removed = rep.status().state === 'removed'
  const mayDrop = input.force === true || removed
  // From here no claim is used or asked for; sends under way finish, and their outcomes go up with the rest.
  rep.holdClaims(true)
  let gone = false
  try {
    const sending = await waitForSharedSends(ctx, SEND_WAIT_MS)
    if (!removed) await rep.syncNow().catch(() => undefined)
    const pending = pendingCount(ctx.sqlite)
    if (pending > 0 && !mayDrop) throw new AppError('CONFLICT', unsynced(pending))
    if (sending.length && !input.force)
      throw new AppError('CONFLICT', 'A message is being sent from this computer right now. Try again in a moment, once it has gone.')
    // The rows this desktop had claimed go to another desktop at once, not when the lease runs out (best effort:
    // unreachable, the leases run out by themselves). A row still being sent here keeps its lease.
    if (!removed) await releaseMine(ctx, s, sending)
    await rep.left()
    gone = true
    // A change made while this was under way has not been pushed either.
    const late = pendingCount(ctx.sqlite)
    if (late > 0 && !mayDrop) {
      gone = false
      rep.joined()
      throw new AppError('CONFLICT', unsynced(late))
    }
    const out = leaveLocally(ctx)
    ctx.emit('team.status', rep.status())
    ctx.emit('objects.changed', {})
    if (out.withdrawn.length) ctx.emit('outbox.changed', { ids: out.withdrawn })
    if (out.stoppedFlows.length) ctx.emit('flows.changed', { flowIds: out.stoppedFlows })
    return { withdrawn: out.withdrawn.length, keptHere: out.keptHere }
  } finally {
    if (!gone) rep.holdClaims(false)
  }
}

async function releaseMine(ctx: Ctx, s: NonNullable<ReturnType<typeof teamState>>, keep: number[]): Promise<void> {
  try {
    const c = await connect(asRole(s.databaseUrl, s.roleName, ctx.secrets.open(s.passwordSealed)), 5000, 10_000)
    await closing(c, (cc) => releaseLeases(cc, s.deviceId, keep))
  } catch {
    // Unreachable: the leases end by themselves.
  }
}

/**
 * Admins only: takes a member out of the workspace. Their PostgreSQL role may no longer sign in nor connect, its
 * open sessions end, their assignments go and the rows their desktops had claimed are free for the others. Their
 * desktop finds out on its next sync (team.status says removed) and may then leave. Their data stays everywhere.
 */
export async function removeTeamUser(ctx: Ctx, input: { email: string }): Promise<{ email: string }> {
  const me = teamState(ctx.sqlite)
  if (!me) throw new AppError('CONFLICT', 'This desktop is not in a team workspace')
  if (me.userRole !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin of the workspace can remove staff', 'email')
  if (input.email.toLowerCase() === me.userEmail.toLowerCase())
    throw new AppError('VALIDATION', 'You cannot remove yourself: another admin can, or leave the workspace from this desktop', 'email')
  const { c } = await asMe(ctx)
  const who = await closing(c, async (cc) => {
    await cc.query('BEGIN')
    const row = (await cc.query<{ email: string; role_name: string }>('SELECT email, role_name FROM team_users WHERE lower(email) = lower($1) FOR UPDATE', [input.email])).rows[0]
    if (!row) throw new AppError('NOT_FOUND', `${input.email} is not a member of this workspace`, 'email')
    const member = (await cc.query<{ member_role: string }>('SELECT member_role FROM workspace')).rows[0].member_role
    await cc.query('DELETE FROM team_user_profiles WHERE email = $1', [row.email])
    await cc.query('DELETE FROM team_users WHERE email = $1', [row.email])
    await cc.query(
      `UPDATE claims SET state = 'released', lease_until = NULL, updated_at = now()
       WHERE state = 'leased' AND device_id IN (SELECT id FROM devices WHERE lower(email) = lower($1))`,
      [row.email],
    )
    // Without the workspace's role it may not even connect; NOLOGIN turns it away at the door too (a newer
    // PostgreSQL lets an admin alter only the roles it made: the revoke alone is enough then).
    await cc.query(`REVOKE ${ident(member)} FROM ${ident(row.role_name)}`)
    await cc.query('SAVEPOINT nologin')
    await cc.query(`ALTER ROLE ${ident(row.role_name)} NOLOGIN`).catch(() => cc.query('ROLLBACK TO SAVEPOINT nologin'))
    await cc.query('COMMIT')
    await endSessions(cc, row.role_name)
    return { email: row.email, snap: await readAssignments(cc, me.userEmail) }
  })
  // This desktop's copy of who sends from what loses theirs at once (the others' on their next sync).
  if (inTransaction(ctx.sqlite, () => storeAssignments(ctx.sqlite, who.snap))) ctx.emit('objects.changed', {})
  return { email: who.email }
}

/** Ends the sessions a role has open now (best effort: signalling them needs the role's membership for a moment). */
async function endSessions(c: PgClient, role: string): Promise<void> {
  const granted = await c.query(`GRANT ${ident(role)} TO CURRENT_USER`).then(() => true, () => false)
  await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()', [role]).catch(() => undefined)
  if (granted) await c.query(`REVOKE ${ident(role)} FROM CURRENT_USER`).catch(() => undefined)
}
