// Applying operations pulled from PostgreSQL to this desktop's SQLite (issue 22). Runs inside one SQLite
// transaction with team_state.applying = 1, so the capture triggers do not record them again. The rules are
// the same on every desktop, so every desktop ends with the same rows:
//   - per field, the op with the higher position wins (team_field_versions remembers who wrote each field);
//   - a delete beats every update of the row, earlier or later (team_tombstones);
//   - a field this desktop changed and has not pushed yet is left alone: its op will be pushed after this
//     one is already in PostgreSQL, so it gets the higher position and wins everywhere.
// An op that SQLite refuses (a row whose parent was deleted, a clash on a unique name) is skipped; the
// other desktops refuse it for the same reason.
import type { Sqlite } from '../db/open'
import { addTombstone, fieldVersions, isTombstoned, pendingFieldsOf, setFieldVersion } from '../repos/team'
import { keyValues, sharedTable, type SharedTable } from './tables'

export interface RemoteOp {
  position: number
  id: string
  deviceId: number
  tbl: string
  rowKey: string
  kind: 'insert' | 'update' | 'delete'
  fields: Record<string, unknown>
}

/** What an apply changed, for the renderer's events. */
export interface Applied {
  applied: number
  skipped: number
  tables: Set<string>
  contactIds: Set<number>
  noteContactIds: Set<number>
  taskIds: Set<number>
}

// What a service does beside the INSERT itself, which a row arriving from another desktop needs too:
// contacts join the search index in the repo, not by a trigger (migration 0001 says why).
const AFTER_INSERT: Record<string, string> = {
  contacts: `INSERT INTO contacts_fts (rowid, email, first_name, last_name, company, phone)
    SELECT id, ifnull(email, ''), first_name, last_name, company, phone_search FROM contacts WHERE id = ?`,
}

const where = (t: SharedTable) => t.pk.map((k) => `${k} = ?`).join(' AND ')

function pendingFields(sqlite: Sqlite, tbl: string, rowKey: string): { fields: Set<string>; deleted: boolean } {
  const fields = new Set<string>()
  let deleted = false
  for (const p of pendingFieldsOf(sqlite, tbl, rowKey)) {
    if (p.kind === 'delete') deleted = true
    for (const f of Object.keys(JSON.parse(p.fields) as object)) fields.add(f)
  }
  return { fields, deleted }
}

function applyOne(sqlite: Sqlite, t: SharedTable, op: RemoteOp, out: Applied): boolean {
  const key = keyValues(t, op.rowKey)
  if (isTombstoned(sqlite, t.name, op.rowKey)) return false
  if (op.kind === 'delete') {
    const before = t.name === 'contact_notes' ? (sqlite.prepare('SELECT contact_id FROM contact_notes WHERE id = ?').get(...key) as { contact_id: number } | undefined) : undefined
    sqlite.prepare(`DELETE FROM ${t.name} WHERE ${where(t)}`).run(...key)
    addTombstone(sqlite, t.name, op.rowKey, op.position)
    if (before) out.noteContactIds.add(before.contact_id)
    return true
  }
  const pending = pendingFields(sqlite, t.name, op.rowKey)
  if (pending.deleted) return false
  const versions = fieldVersions(sqlite, t.name, op.rowKey)
  const exists = sqlite.prepare(`SELECT 1 FROM ${t.name} WHERE ${where(t)}`).get(...key) !== undefined
  const known = Object.keys(op.fields).filter((f) => t.cols.includes(f))
  let written: string[]
  if (exists) {
    written = known.filter((f) => (versions.get(f) ?? 0) < op.position && !pending.fields.has(f))
    if (written.length) sqlite.prepare(`UPDATE ${t.name} SET ${written.map((f) => `${f} = ?`).join(', ')} WHERE ${where(t)}`).run(...written.map((f) => op.fields[f] as never), ...key)
  } else {
    if (op.kind !== 'insert') return false
    written = known
    const cols = [...t.pk, ...written]
    sqlite.prepare(`INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...key, ...written.map((f) => op.fields[f] as never))
    if (AFTER_INSERT[t.name]) sqlite.prepare(AFTER_INSERT[t.name]).run(...key)
  }
  for (const f of written) setFieldVersion(sqlite, t.name, op.rowKey, f, op.position)
  return written.length > 0
}

/** Applies ops in position order; the caller holds the transaction and the applying flag. */
export function applyRemoteOps(sqlite: Sqlite, ops: RemoteOp[]): Applied {
  const out: Applied = { applied: 0, skipped: 0, tables: new Set(), contactIds: new Set(), noteContactIds: new Set(), taskIds: new Set() }
  const savepoint = sqlite.transaction((t: SharedTable, op: RemoteOp) => applyOne(sqlite, t, op, out))
  for (const op of ops) {
    const t = sharedTable(op.tbl)
    // A table this version does not share (a newer desktop's domain): skipped until this one is updated.
    if (!t) {
      out.skipped++
      continue
    }
    let changed: boolean
    try {
      changed = savepoint(t, op)
    } catch {
      out.skipped++
      continue
    }
    if (!changed) continue
    out.applied++
    out.tables.add(t.name)
    const id = keyValues(t, op.rowKey)
    if (t.name === 'contacts') out.contactIds.add(id[0])
    if (t.name === 'contact_tags') out.contactIds.add(id[1])
    if (t.name === 'tasks') out.taskIds.add(id[0])
    if (t.name === 'contact_notes') {
      const row = sqlite.prepare('SELECT contact_id FROM contact_notes WHERE id = ?').get(id[0]) as { contact_id: number } | undefined
      if (row) out.noteContactIds.add(row.contact_id)
    }
  }
  return out
}
