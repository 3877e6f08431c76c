// Shared rows with a unique key besides their id (issue 22, migration 0036): a suppression is one per business and
// address, a segment one per business and name. Two desktops that made the same one apart end with one row, the
// same on every desktop: the row whose insert reached PostgreSQL first keeps the key and its id; the later insert
// becomes an update of it (its fields win as a later edit would, but the row keeps its creation time), and every
// later op about the later row's id goes to the survivor (team_aliases). A desktop holding the later row itself
// (made here, queued or pushed after the other) renames it to the survivor's id when the survivor arrives, and its
// queued ops follow. Runs with team_state.applying = 1: nothing here is captured.
//
// That desktop applies the earlier insert out of PostgreSQL's order (its own row came later), so a delete of the
// earlier row that lies between the two inserts parts them again there (splitBefore): elsewhere the later insert found
// no row of that key and stands on its own. Not covered the same way: the earlier row's key changed between the two
// inserts (a segment renamed on its desktop while the other made a segment of the old name): there the desktop that
// renamed its copy keeps one row where the others have two.
import type { Sqlite } from '../db/open'
import { stmt } from '../db/stmt'
import { fieldVersions, pendingFieldsOf, setFieldVersion } from '../repos/team'
import type { SharedTable } from './tables'

interface Op {
  position: number
  tbl: string
  rowKey: string
  kind: 'insert' | 'update' | 'delete'
  fields: Record<string, unknown>
}

/** The survivor a merged row's id stands for now (itself when it was never merged). */
function resolve(sqlite: Sqlite, tbl: string, rowKey: string): string {
  for (let i = 0; i < 64; i++) {
    const to = stmt(sqlite, 'SELECT alias_of FROM team_aliases WHERE tbl = ? AND row_key = ?').pluck().get(tbl, rowKey) as string | undefined
    if (to === undefined) return rowKey
    rowKey = to
  }
  return rowKey
}

/** What a later copy's insert brings to the survivor: its fields, not its creation time nor the op's context. */
const asUpdate = (fields: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(fields).filter(([c]) => c !== 'created_at' && !c.startsWith('__')))

/** Where the row's insert stands: its position, Infinity while still queued here (it will come after anything pulled). */
function insertPosition(sqlite: Sqlite, t: SharedTable, rowKey: string): number {
  if (pendingFieldsOf(sqlite, t.name, rowKey).some((p) => p.kind === 'insert')) return Infinity
  return fieldVersions(sqlite, t.name, rowKey).get('created_at') ?? 0
}

/**
 * A pulled op, pointed at the row it is about now. An insert whose unique key a row here holds is placed: it becomes
 * an update of that row when that one came first; otherwise that row becomes this one (renamed) and the insert
 * applies over it, where its own later fields stay. A delete of a row that one of ours was renamed to, earlier in
 * PostgreSQL's order than our row's insert, parts them first: everywhere else ours came after the delete, and stands.
 */
export function placeUnique<O extends Op>(sqlite: Sqlite, t: SharedTable, op: O): O {
  if (!t.unique) return op
  const rowKey = resolve(sqlite, t.name, op.rowKey)
  if (rowKey !== op.rowKey) return { ...op, rowKey, kind: op.kind === 'insert' ? 'update' : op.kind, fields: op.kind === 'insert' ? asUpdate(op.fields) : op.fields }
  if (op.kind === 'delete') splitBefore(sqlite, t, op)
  if (op.kind !== 'insert') return op
  const holder = stmt(sqlite, `SELECT id FROM ${t.name} WHERE ${t.unique.where} AND id != ?`)
    .pluck()
    .get(...t.unique.cols.map((c) => (op.fields[c] ?? null) as never), Number(op.rowKey)) as number | undefined
  if (holder === undefined) return op
  const held = String(holder)
  if (insertPosition(sqlite, t, held) < op.position) {
    stmt(sqlite, 'INSERT OR REPLACE INTO team_aliases (tbl, row_key, alias_of) VALUES (?, ?, ?)').run(t.name, op.rowKey, held)
    return { ...op, kind: 'update', rowKey: held, fields: asUpdate(op.fields) }
  }
  renameRow(sqlite, t, held, op)
  return op
}

/** Sets a field's version as it is (setFieldVersion keeps the higher one; a rename moves a row's birth back). */
const putVersion = (sqlite: Sqlite, tbl: string, rowKey: string, field: string, position: number): void =>
  void stmt(sqlite, 'INSERT OR REPLACE INTO team_field_versions (tbl, row_key, field, position) VALUES (?, ?, ?, ?)').run(tbl, rowKey, field, position)

/** The later row here becomes the earlier one: its id, the creation time of the first insert, its queued ops. */
function renameRow(sqlite: Sqlite, t: SharedTable, from: string, op: Op): void {
  const to = op.rowKey
  const own = stmt(sqlite, `SELECT created_at FROM ${t.name} WHERE id = ?`).pluck().get(Number(from)) as number | null
  const queuedInsert = stmt(sqlite, "SELECT seq FROM team_ops WHERE tbl = ? AND row_key = ? AND kind = 'insert' ORDER BY seq LIMIT 1").pluck().get(t.name, from) as number | undefined
  const pushedAt = queuedInsert === undefined ? (fieldVersions(sqlite, t.name, from).get('created_at') ?? 0) : null
  stmt(sqlite, `UPDATE ${t.name} SET id = ? WHERE id = ?`).run(Number(to), Number(from))
  stmt(sqlite, 'UPDATE OR REPLACE team_field_versions SET row_key = ? WHERE tbl = ? AND row_key = ?').run(to, t.name, from)
  if ('created_at' in op.fields) {
    stmt(sqlite, `UPDATE ${t.name} SET created_at = ? WHERE id = ?`).run(op.fields.created_at as never, Number(to))
    putVersion(sqlite, t.name, to, 'created_at', op.position)
  }
  // Pushed later, these read as the others apply them: an update of the survivor (its creation time stays).
  stmt(
    sqlite,
    `UPDATE team_ops SET row_key = ?, kind = CASE kind WHEN 'insert' THEN 'update' ELSE kind END,
       fields = json_remove(fields, '$.created_at', '$.__cursor') WHERE tbl = ? AND row_key = ?`,
  ).run(to, t.name, from)
  stmt(sqlite, 'INSERT OR REPLACE INTO team_aliases (tbl, row_key, alias_of, split_before, insert_seq, own_created_at, renamed) VALUES (?, ?, ?, ?, ?, ?, 1)').run(
    t.name,
    from,
    to,
    pushedAt,
    queuedInsert ?? null,
    own,
  )
}

/**
 * The survivor is deleted at a position before our renamed row's insert (or while that insert is still queued
 * here, unchanged): in PostgreSQL's order our row came after the delete, so on every other desktop it stands on its
 * own. It gets its id, creation time and queued insert back; the delete then finds no row of that id here.
 */
function splitBefore(sqlite: Sqlite, t: SharedTable, op: Op): void {
  const rows = stmt(sqlite, 'SELECT row_key AS rowKey, split_before AS before, insert_seq AS seq, own_created_at AS createdAt FROM team_aliases WHERE tbl = ? AND alias_of = ? AND renamed = 1').all(
    t.name,
    op.rowKey,
  ) as Array<{ rowKey: string; before: number | null; seq: number | null; createdAt: number | null }>
  for (const r of rows) {
    const queued = r.seq !== null && stmt(sqlite, 'SELECT 1 FROM team_ops WHERE seq = ?').get(r.seq) !== undefined
    if (!(r.before !== null ? op.position < r.before : queued)) continue
    stmt(sqlite, `UPDATE ${t.name} SET id = ?, created_at = ? WHERE id = ?`).run(Number(r.rowKey), r.createdAt, Number(op.rowKey))
    stmt(sqlite, 'UPDATE OR REPLACE team_field_versions SET row_key = ? WHERE tbl = ? AND row_key = ?').run(r.rowKey, t.name, op.rowKey)
    if (r.before !== null) putVersion(sqlite, t.name, r.rowKey, 'created_at', r.before)
    else stmt(sqlite, "DELETE FROM team_field_versions WHERE tbl = ? AND row_key = ? AND field = 'created_at'").run(t.name, r.rowKey)
    stmt(sqlite, 'UPDATE team_ops SET row_key = ? WHERE tbl = ? AND row_key = ?').run(r.rowKey, t.name, op.rowKey)
    if (queued) stmt(sqlite, "UPDATE team_ops SET kind = 'insert', fields = json_set(fields, '$.created_at', ?) WHERE seq = ?").run(r.createdAt, r.seq)
    stmt(sqlite, 'DELETE FROM team_aliases WHERE tbl = ? AND row_key = ?').run(t.name, r.rowKey)
  }
}
