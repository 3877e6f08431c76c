// Queries of the team workspace's local side (migration 0029): this desktop's membership (team_state), the
// queue of local changes the capture triggers fill (team_ops), and the per-field versions and tombstones the
// replicator merges remote changes with.
import type { Sqlite } from '../db/open'
import { stmt, stmtPluck } from '../db/stmt'

export interface TeamStateRow {
  workspaceId: string
  deviceId: number
  userEmail: string
  userRole: 'admin' | 'staff'
  databaseUrl: string
  roleName: string
  passwordSealed: string
  blockStart: number
  cursor: number
  lastSyncedAt: number | null
  applying: number
  createdAt: number
}

export interface LocalOp {
  seq: number
  id: string
  tbl: string
  rowKey: string
  kind: 'insert' | 'update' | 'delete'
  fields: string
  userEmail: string | null
  at: number
}

const STATE_COLS = `workspace_id AS workspaceId, device_id AS deviceId, user_email AS userEmail, user_role AS userRole, database_url AS databaseUrl,
  role_name AS roleName, password_sealed AS passwordSealed, block_start AS blockStart, cursor, last_synced_at AS lastSyncedAt, applying, created_at AS createdAt`

export function teamState(sqlite: Sqlite): TeamStateRow | undefined {
  return stmt(sqlite, `SELECT ${STATE_COLS} FROM team_state WHERE id = 1`).get() as TeamStateRow | undefined
}

export function insertTeamState(sqlite: Sqlite, s: Omit<TeamStateRow, 'cursor' | 'lastSyncedAt' | 'applying'>): void {
  stmt(
    sqlite,
    `INSERT INTO team_state (id, workspace_id, device_id, user_email, user_role, database_url, role_name, password_sealed, block_start, created_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.workspaceId, s.deviceId, s.userEmail, s.userRole, s.databaseUrl, s.roleName, s.passwordSealed, s.blockStart, s.createdAt)
}

/** While on, the capture triggers stay silent (the replicator is applying remote ops). */
export function setApplying(sqlite: Sqlite, on: boolean): void {
  stmt(sqlite, 'UPDATE team_state SET applying = ? WHERE id = 1').run(on ? 1 : 0)
}

export function setCursor(sqlite: Sqlite, cursor: number, at: number): void {
  stmt(sqlite, 'UPDATE team_state SET cursor = max(cursor, ?), last_synced_at = ? WHERE id = 1').run(cursor, at)
}

export function setSyncedAt(sqlite: Sqlite, at: number): void {
  stmt(sqlite, 'UPDATE team_state SET last_synced_at = ? WHERE id = 1').run(at)
}

export function setBlockStart(sqlite: Sqlite, blockStart: number): void {
  stmt(sqlite, 'UPDATE team_state SET block_start = ? WHERE id = 1').run(blockStart)
}

export function pendingOps(sqlite: Sqlite, limit: number): LocalOp[] {
  return stmt(sqlite, 'SELECT seq, id, tbl, row_key AS rowKey, kind, fields, user_email AS userEmail, at FROM team_ops ORDER BY seq LIMIT ?').all(limit) as LocalOp[]
}

/** Whether any local op waits to be pushed (what the watch asks often: no count of a long offline queue). */
export function hasPending(sqlite: Sqlite): boolean {
  return stmtPluck(sqlite, 'SELECT EXISTS (SELECT 1 FROM team_ops) AS x').get() === 1
}

export function pendingCount(sqlite: Sqlite): number {
  return (stmt(sqlite, 'SELECT count(*) AS n FROM team_ops').get() as { n: number }).n
}

/** Fields of local ops still waiting to be pushed: a remote op must not overwrite them (ours will come later). */
export function pendingFieldsOf(sqlite: Sqlite, tbl: string, rowKey: string): Array<{ kind: string; fields: string }> {
  return stmt(sqlite, 'SELECT kind, fields FROM team_ops WHERE tbl = ? AND row_key = ?').all(tbl, rowKey) as Array<{ kind: string; fields: string }>
}

export function deleteOp(sqlite: Sqlite, id: string): void {
  stmt(sqlite, 'DELETE FROM team_ops WHERE id = ?').run(id)
}

/** Appends an op by hand (the snapshot a new workspace starts from); the triggers write all the others. */
export function appendOp(sqlite: Sqlite, op: Omit<LocalOp, 'seq'>): void {
  stmt(sqlite, 'INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(op.id, op.tbl, op.rowKey, op.kind, op.fields, op.userEmail, op.at)
}

/**
 * A row's insert stamps every column with its position: one row, field '*', instead of one per column (half the
 * work of applying a new row). A field's version is the later of its own and that.
 */
export const ALL_FIELDS = '*'

class FieldVersions extends Map<string, number> {
  override get(field: string): number | undefined {
    const own = super.get(field)
    const all = field === ALL_FIELDS ? undefined : super.get(ALL_FIELDS)
    return own === undefined ? all : all === undefined ? own : Math.max(own, all)
  }
}

export function fieldVersions(sqlite: Sqlite, tbl: string, rowKey: string): Map<string, number> {
  const rows = stmt(sqlite, 'SELECT field, position FROM team_field_versions WHERE tbl = ? AND row_key = ?').all(tbl, rowKey) as Array<{ field: string; position: number }>
  return new FieldVersions(rows.map((r) => [r.field, r.position]))
}

export function setFieldVersion(sqlite: Sqlite, tbl: string, rowKey: string, field: string, position: number): void {
  stmt(
    sqlite,
    `INSERT INTO team_field_versions (tbl, row_key, field, position) VALUES (?, ?, ?, ?)
     ON CONFLICT (tbl, row_key, field) DO UPDATE SET position = max(position, excluded.position)`,
  ).run(tbl, rowKey, field, position)
}

/**
 * setFieldVersion for several fields of one row at one position, in one statement; `everyColumn` (an insert that
 * wrote all of the table's columns) stores the one ALL_FIELDS row instead.
 */
export function setFieldVersions(sqlite: Sqlite, tbl: string, rowKey: string, fields: string[], position: number, everyColumn = false): void {
  if (everyColumn) fields = [ALL_FIELDS]
  if (!fields.length) return
  stmt(
    sqlite,
    `INSERT INTO team_field_versions (tbl, row_key, field, position) SELECT ?, ?, value, ? FROM json_each(?) WHERE true
     ON CONFLICT (tbl, row_key, field) DO UPDATE SET position = max(position, excluded.position)`,
  ).run(tbl, rowKey, position, JSON.stringify(fields))
}

export function isTombstoned(sqlite: Sqlite, tbl: string, rowKey: string): boolean {
  return stmt(sqlite, 'SELECT 1 FROM team_tombstones WHERE tbl = ? AND row_key = ?').get(tbl, rowKey) !== undefined
}

export function addTombstone(sqlite: Sqlite, tbl: string, rowKey: string, position: number): void {
  stmt(sqlite, 'INSERT OR IGNORE INTO team_tombstones (tbl, row_key, position) VALUES (?, ?, ?)').run(tbl, rowKey, position)
  stmt(sqlite, 'DELETE FROM team_field_versions WHERE tbl = ? AND row_key = ?').run(tbl, rowKey)
}

/** Every row of a table, for the snapshot a new workspace starts from (and the tests' canonical dumps). */
export function allRows(sqlite: Sqlite, tbl: string, cols: string[], pk: string[]): Array<Record<string, unknown>> {
  return sqlite.prepare(`SELECT ${[...pk, ...cols].join(', ')} FROM ${tbl} ORDER BY ${pk.join(', ')}`).all() as Array<Record<string, unknown>>
}

/** True when none of these tables holds a row (a desktop may only join a workspace while empty). */
export function tablesEmpty(sqlite: Sqlite, tbls: string[]): boolean {
  return tbls.every((t) => sqlite.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() === undefined)
}

/**
 * Points AUTOINCREMENT at this desktop's id block: SQLite takes max(sqlite_sequence, max(id)) + 1, so the next
 * new row gets block_start unless this desktop already wrote in the block.
 */
export function moveSequenceTo(sqlite: Sqlite, tbl: string, blockStart: number): void {
  const upd = stmt(sqlite, 'UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(blockStart - 1, tbl)
  if (upd.changes === 0) stmt(sqlite, 'INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(tbl, blockStart - 1)
}

/**
 * The last op of a push PostgreSQL may have (issue 22, migration 0032): set before the batch goes, cleared with
 * its acknowledgement. Rows whose insert is at or before it may already be shared (a push cut off before its
 * answer, even across a restart), so they are sent only with a claim.
 */
export function setPushingThrough(sqlite: Sqlite, seq: number | null): void {
  stmt(sqlite, 'UPDATE team_state SET pushing_through = ? WHERE id = 1').run(seq)
}

export function pushingThrough(sqlite: Sqlite): number | null {
  return (stmt(sqlite, 'SELECT pushing_through AS p FROM team_state WHERE id = 1').get() as { p: number | null } | undefined)?.p ?? null
}

/** True when this row's insert is still queued here and no push of it has started: it is this desktop's alone. */
export function insertUnpushed(sqlite: Sqlite, tbl: string, rowKey: string): boolean {
  return (
    stmt(sqlite, `SELECT 1 FROM team_ops WHERE tbl = ? AND row_key = ? AND kind = 'insert' AND seq > (SELECT ifnull(pushing_through, 0) FROM team_state WHERE id = 1)`).get(tbl, rowKey) !==
    undefined
  )
}

export function maxId(sqlite: Sqlite, tbl: string): number {
  return ((sqlite.prepare(`SELECT max(id) AS m FROM ${tbl}`).get() as { m: number | null }).m ?? 0)
}

/** Who may send from which profile (migration 0033), as PostgreSQL's team_user_profiles said at the last sync. */
export interface Assignment {
  email: string
  profileId: number
}

/** Replaces the local copy of the assignments (and this desktop's role) with what PostgreSQL holds now. */
export function replaceAssignments(sqlite: Sqlite, rows: Assignment[], role: 'admin' | 'staff' | undefined): void {
  stmt(sqlite, 'DELETE FROM team_assignments').run()
  const ins = stmt(sqlite, 'INSERT OR IGNORE INTO team_assignments (email, profile_id) VALUES (?, ?)')
  for (const r of rows) ins.run(r.email.toLowerCase(), r.profileId)
  if (role) stmt(sqlite, 'UPDATE team_state SET user_role = ? WHERE id = 1').run(role)
}

export function isAssigned(sqlite: Sqlite, email: string, profileId: number): boolean {
  return stmt(sqlite, 'SELECT 1 FROM team_assignments WHERE email = ? AND profile_id = ?').get(email.toLowerCase(), profileId) !== undefined
}

export function assignedProfileIds(sqlite: Sqlite, email: string): number[] {
  return (stmt(sqlite, 'SELECT profile_id AS p FROM team_assignments WHERE email = ? ORDER BY profile_id').all(email.toLowerCase()) as Array<{ p: number }>).map((r) => r.p)
}

/** The assignments and this desktop's role as one string, to tell whether a refresh changed anything. */
export function assignmentsKey(sqlite: Sqlite): string {
  const rows = stmt(sqlite, 'SELECT email, profile_id AS p FROM team_assignments ORDER BY email, profile_id').all()
  const role = (stmt(sqlite, 'SELECT user_role AS r FROM team_state WHERE id = 1').get() as { r: string } | undefined)?.r
  return `${role}:${JSON.stringify(rows)}`
}

/**
 * Takes an outbox row's changes out of the queue, with its events' (a push PostgreSQL refused: the row stays on
 * this desktop only). Returns how many ops went.
 */
export function dropOutboundOps(sqlite: Sqlite, outboundId: number): number {
  const own = stmt(sqlite, "DELETE FROM team_ops WHERE tbl = 'outbound_messages' AND row_key = ?").run(String(outboundId)).changes
  const events = stmt(sqlite, "DELETE FROM team_ops WHERE tbl = 'message_events' AND json_extract(fields, '$.outbound_id') = ?").run(outboundId).changes
  return own + events
}

export function profileEmail(sqlite: Sqlite, profileId: number): string | undefined {
  return (stmt(sqlite, 'SELECT email_address AS e FROM email_sending_profiles WHERE id = ?').get(profileId) as { e: string } | undefined)?.e
}

// Leaving the workspace (issue 22 item 1).

/** Outbox rows in these statuses, in id order. */
export function outboxIdsIn(sqlite: Sqlite, statuses: readonly string[]): number[] {
  const marks = statuses.map(() => '?').join(', ')
  return (stmt(sqlite, `SELECT id FROM outbound_messages WHERE status IN (${marks}) ORDER BY id`).all(...statuses) as Array<{ id: number }>).map((r) => r.id)
}

/** True when this desktop holds files of the row's attachments (its claim is pinned here: no one else can send it). */
export function hasLocalAttachments(sqlite: Sqlite, outboundId: number): boolean {
  return stmt(sqlite, 'SELECT 1 FROM mail_attachments WHERE outbound_id = ? LIMIT 1').get(outboundId) !== undefined
}

/**
 * Forgets the workspace on this desktop: its membership (the capture triggers go quiet with it), the queue, the
 * merge bookkeeping and the copy of the assignments. Every data row stays. Returns the ops that were still queued.
 */
export function forgetWorkspace(sqlite: Sqlite): number {
  const queued = stmt(sqlite, 'DELETE FROM team_ops').run().changes
  stmt(sqlite, 'DELETE FROM team_state').run()
  stmt(sqlite, 'DELETE FROM team_assignments').run()
  stmt(sqlite, 'DELETE FROM team_field_versions').run()
  stmt(sqlite, 'DELETE FROM team_tombstones').run()
  stmt(sqlite, 'DELETE FROM team_aliases').run() // team-domains (migration 0036)
  stmt(sqlite, 'DELETE FROM team_unique_deleted').run()
  return queued
}

/** Enrolments still running (active or paused by hand, with a step to come). */
export const runningEnrolments = (sqlite: Sqlite): number[] =>
  stmtPluck(sqlite, "SELECT id FROM sequence_contacts WHERE status IN ('active', 'paused')").all() as number[]

/** Leaving: shared enrolments stop here (paused, with the reason), and firings waiting for a claim are dropped. */
export function pauseEnrolments(sqlite: Sqlite, ids: number[], reason: string, now: number): void {
  const set = stmt(sqlite, "UPDATE sequence_contacts SET status = 'paused', last_error = ?, updated_at = ? WHERE id = ?")
  for (const id of ids) set.run(reason, now, id)
  stmt(sqlite, 'DELETE FROM team_pending_firings').run()
}
