// Shared rows with a unique key besides their id (issue 22, migration 0036): a suppression is one per business and
// address, a segment one per business and name. Two desktops that made the same one apart end with one row, the
// same on every desktop: the row whose insert reached PostgreSQL first stands, with its id and fields; the later
// insert only makes its id an alias of it (team_aliases). What the later row's desktop did under that id before it
// knew of the survivor (edits, a delete) stays with that copy: a delete ends the alias, never the survivor. A
// desktop holding the later row itself (made here, queued or pushed after the other) renames it to the survivor's
// id when the survivor arrives and takes the survivor's fields, but for edits still queued here (pushed later, as
// edits of the survivor, they win everywhere); its queued ops follow the new id. Runs with team_state.applying = 1:
// nothing here is captured.
//
// That desktop applies the earlier insert out of PostgreSQL's order (its own row came later), so a delete of the
// earlier row that lies between the two inserts parts them again there (splitBefore): elsewhere the later insert found
// no row of that key and stands on its own. Not covered the same way: the earlier row's key changed between the two
// inserts (a segment renamed on its desktop while the other made a segment of the old name): there the desktop that
// renamed its copy keeps one row where the others have two.
import type { Sqlite } from '../db/open'
import { stmt, stmtPluck } from '../db/stmt'
import { fieldVersions, pendingFieldsOf } from '../repos/team'
import type { SharedTable } from './tables'

interface Op {
  position: number
  tbl: string
  rowKey: string
  kind: 'insert' | 'update' | 'delete'
  fields: Record<string, unknown>
}

/** The survivor a merged row's id stands for now (itself when it was never merged). */
export function resolve(sqlite: Sqlite, tbl: string, rowKey: string): string {
  for (let i = 0; i < 64; i++) {
    const to = stmtPluck(sqlite, 'SELECT alias_of FROM team_aliases WHERE tbl = ? AND row_key = ?').get(tbl, rowKey) as string | undefined
    if (to === undefined) return rowKey
    rowKey = to
  }
  return rowKey
}

/** The column whose version is the row's insert position (tables.ts `unique.born`). */
const bornField = (t: SharedTable): string => t.unique?.born ?? 'created_at'

/** Where the row's insert stands: its position, Infinity while still queued here (it will come after anything pulled). */
function insertPosition(sqlite: Sqlite, t: SharedTable, rowKey: string): number {
  if (pendingFieldsOf(sqlite, t.name, rowKey).some((p) => p.kind === 'insert')) return Infinity
  return fieldVersions(sqlite, t.name, rowKey).get(bornField(t)) ?? 0
}

/** An op that changes nothing (apply finds no field to write). */
const noop = <O extends Op>(op: O, rowKey: string): O => ({ ...op, kind: 'update', rowKey, fields: {} })

/**
 * A pulled op, pointed at the row it is about now. An insert whose unique key a row here holds is placed: it only
 * aliases that row when that one came first; otherwise that row becomes this one (renamed) and the insert applies
 * over the fields it was made with. A delete of a row that one of ours was renamed to, earlier in PostgreSQL's
 * order than our row's insert, parts them first: everywhere else ours came after the delete, and stands.
 */
export function placeUnique<O extends Op>(sqlite: Sqlite, t: SharedTable, op: O): O {
  if (!t.unique) return op
  const rowKey = resolve(sqlite, t.name, op.rowKey)
  if (rowKey !== op.rowKey) {
    // What the copy's desktop did to it before it knew of the survivor stays with the copy: its desktop did it to
    // that row alone (and, had it kept the row, gave way to the survivor's fields when it arrived). A delete ends the alias.
    if (op.kind === 'delete') stmt(sqlite, 'DELETE FROM team_aliases WHERE tbl = ? AND row_key = ?').run(t.name, op.rowKey)
    return noop(op, rowKey)
  }
  if (op.kind === 'delete') {
    splitBefore(sqlite, t, op)
    // Deleted here too, later: the row is gone since the first delete (deletedHere asks when it went).
    stmt(sqlite, 'UPDATE team_tombstones SET position = ? WHERE tbl = ? AND row_key = ? AND position > ?').run(op.position, t.name, op.rowKey, op.position)
  }
  if (op.kind !== 'insert') return op
  // A row deleted here that held the key at this insert's position comes first: a live one is then a later copy.
  const gone = deletedHolder(sqlite, t, op)
  if (gone !== undefined) {
    stmt(sqlite, 'INSERT OR REPLACE INTO team_aliases (tbl, row_key, alias_of) VALUES (?, ?, ?)').run(t.name, op.rowKey, gone)
    return noop(op, gone)
  }
  const holder = stmtPluck(sqlite, `SELECT id FROM ${t.name} WHERE ${t.unique.where} AND id != ?`)
    .get(...t.unique.cols.map((c) => (op.fields[c] ?? null) as never), Number(op.rowKey)) as number | undefined
  if (holder === undefined) return op
  const held = String(holder)
  if (insertPosition(sqlite, t, held) < op.position) {
    stmt(sqlite, 'INSERT OR REPLACE INTO team_aliases (tbl, row_key, alias_of) VALUES (?, ?, ?)').run(t.name, op.rowKey, held)
    return noop(op, held)
  }
  renameRow(sqlite, t, held, op.rowKey)
  return op
}

/**
 * A row this desktop deleted that held the key at this insert's position: born before it, deleted after it in
 * PostgreSQL's order (the delete still queued, or pushed later). Everywhere else this insert found that row and
 * became its alias, which the delete then took away with it; so here too.
 */
function deletedHolder(sqlite: Sqlite, t: SharedTable, op: Op): string | undefined {
  const gone = stmt(sqlite, 'SELECT row_key AS g, born FROM team_unique_deleted WHERE tbl = ? AND key_json = ?').all(t.name, t.unique!.key(op.fields)) as Array<{ g: string; born: number | null }>
  for (const { g, born } of gone) {
    // Born later (or not yet pushed): this insert came first, and the row deleted here was its alias.
    if (born === null || born > op.position) continue
    const queued = stmt(sqlite, "SELECT 1 FROM team_ops WHERE tbl = ? AND row_key = ? AND kind = 'delete'").get(t.name, g) !== undefined
    const at = stmtPluck(sqlite, 'SELECT position FROM team_tombstones WHERE tbl = ? AND row_key = ?').get(t.name, g) as number | undefined
    if (queued || (at !== undefined && at > op.position)) return g
  }
  return undefined
}

/** Sets a field's version as it is (setFieldVersion keeps the higher one; a split moves a row's birth back). */
const putVersion = (sqlite: Sqlite, tbl: string, rowKey: string, field: string, position: number): void =>
  void stmt(sqlite, 'INSERT OR REPLACE INTO team_field_versions (tbl, row_key, field, position) VALUES (?, ?, ?, ?)').run(tbl, rowKey, field, position)

/**
 * The later row here becomes the earlier one: its id and every field the survivor was made with (its versions go,
 * so the earlier insert writes them all), but for edits still queued here, which are pushed later as edits of the
 * survivor. Its queued insert becomes an empty update (kept, so a split can give it back), its other queued ops
 * follow the new id.
 */
function renameRow(sqlite: Sqlite, t: SharedTable, from: string, to: string): void {
  const row = stmt(sqlite, `SELECT * FROM ${t.name} WHERE id = ?`).get(Number(from)) as Record<string, unknown>
  const queuedInsert = stmt(sqlite, "SELECT seq, fields FROM team_ops WHERE tbl = ? AND row_key = ? AND kind = 'insert' ORDER BY seq LIMIT 1").get(t.name, from) as
    | { seq: number; fields: string }
    | undefined
  const versions = fieldVersions(sqlite, t.name, from)
  const own = Object.fromEntries(t.cols.map((c) => [c, [row[c], versions.get(c) ?? null]]))
  withChildren(sqlite, t, from, to, () => stmt(sqlite, `UPDATE ${t.name} SET id = ? WHERE id = ?`).run(Number(to), Number(from)))
  stmt(sqlite, 'DELETE FROM team_field_versions WHERE tbl = ? AND row_key IN (?, ?)').run(t.name, from, to)
  if (queuedInsert) stmt(sqlite, "UPDATE team_ops SET kind = 'update', fields = '{}' WHERE seq = ?").run(queuedInsert.seq)
  stmt(sqlite, 'UPDATE team_ops SET row_key = ? WHERE tbl = ? AND row_key = ?').run(to, t.name, from)
  stmt(sqlite, 'INSERT OR REPLACE INTO team_aliases (tbl, row_key, alias_of, split_before, insert_seq, own_fields, insert_fields, renamed) VALUES (?, ?, ?, ?, ?, ?, ?, 1)').run(
    t.name,
    from,
    to,
    queuedInsert ? null : (versions.get(bornField(t)) ?? 0),
    queuedInsert?.seq ?? null,
    JSON.stringify(own),
    queuedInsert?.fields ?? null,
  )
}

/**
 * The survivor is deleted at a position before our renamed row's insert (or while that insert is still queued
 * here): in PostgreSQL's order our row came after the delete, so on every other desktop it stands on its own. It
 * gets its id, the fields it was made with and its queued insert back; the delete then finds no row of that id here.
 */
function splitBefore(sqlite: Sqlite, t: SharedTable, op: Op): void {
  const rows = stmt(
    sqlite,
    'SELECT row_key AS rowKey, split_before AS before, insert_seq AS seq, own_fields AS own, insert_fields AS fields FROM team_aliases WHERE tbl = ? AND alias_of = ? AND renamed = 1',
  ).all(t.name, op.rowKey) as Array<{ rowKey: string; before: number | null; seq: number | null; own: string; fields: string | null }>
  for (const r of rows) {
    const queued = r.seq !== null && stmt(sqlite, 'SELECT 1 FROM team_ops WHERE seq = ?').get(r.seq) !== undefined
    if (!(r.before !== null ? op.position < r.before : queued)) continue
    // The row as it was, but for edits queued since (they stay: they are this desktop's latest).
    const own = JSON.parse(r.own) as Record<string, [unknown, number | null]>
    const pending = new Set<string>()
    for (const p of pendingFieldsOf(sqlite, t.name, op.rowKey)) for (const f of Object.keys(JSON.parse(p.fields) as object)) pending.add(f)
    const cols = Object.keys(own).filter((c) => !pending.has(c))
    // Its rows (a lead's path) go with it: which of them came with the survivor is not known here (a gap, docs/team.md).
    withChildren(sqlite, t, op.rowKey, r.rowKey, () =>
      stmt(sqlite, `UPDATE ${t.name} SET id = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ?`).run(Number(r.rowKey), ...cols.map((c) => own[c][0] as never), Number(op.rowKey)),
    )
    stmt(sqlite, 'DELETE FROM team_field_versions WHERE tbl = ? AND row_key IN (?, ?)').run(t.name, op.rowKey, r.rowKey)
    for (const c of cols) if (own[c][1] !== null) putVersion(sqlite, t.name, r.rowKey, c, own[c][1] as number)
    stmt(sqlite, 'UPDATE team_ops SET row_key = ? WHERE tbl = ? AND row_key = ?').run(r.rowKey, t.name, op.rowKey)
    if (queued) stmt(sqlite, "UPDATE team_ops SET kind = 'insert', fields = ? WHERE seq = ?").run(r.fields, r.seq)
    stmt(sqlite, 'DELETE FROM team_aliases WHERE tbl = ? AND row_key = ?').run(t.name, r.rowKey)
  }
}

/** Columns of any table that point at `tbl`'s id (flow_lead_events.lead_id → flow_leads). */
const childCache = new WeakMap<Sqlite, Map<string, Array<{ table: string; column: string }>>>()
function childrenOf(sqlite: Sqlite, tbl: string): Array<{ table: string; column: string }> {
  let m = childCache.get(sqlite)
  if (!m) childCache.set(sqlite, (m = new Map()))
  let list = m.get(tbl)
  if (!list) {
    const tables = stmtPluck(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as string[]
    list = tables.flatMap((name) =>
      (stmt(sqlite, `PRAGMA foreign_key_list(\`${name}\`)`).all() as Array<{ table: string; from: string }>).filter((f) => f.table === tbl).map((f) => ({ table: name, column: f.from })),
    )
    m.set(tbl, list)
  }
  return list
}

/**
 * Gives a row a new id with the rows that point at it (a lead's path follows the lead): the foreign keys are checked
 * at the end of the move rather than at each statement, since parent and children cannot change in one statement.
 */
function withChildren(sqlite: Sqlite, t: SharedTable, from: string, to: string, move: () => void): void {
  const children = childrenOf(sqlite, t.name)
  if (!children.length) return move()
  sqlite.pragma('defer_foreign_keys = ON')
  try {
    move()
    for (const c of children) stmt(sqlite, `UPDATE \`${c.table}\` SET \`${c.column}\` = ? WHERE \`${c.column}\` = ?`).run(Number(to), Number(from))
  } finally {
    sqlite.pragma('defer_foreign_keys = OFF')
  }
}
