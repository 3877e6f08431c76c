// Two desktops that made the same contact apart (same business, same address) end with one (issue 22).
//
// Which contacts are one is decided by their insert ops alone, so every desktop pairs the same ones whatever order
// the ops arrive in: a contact inserted with the key (business, address) of an earlier-inserted contact whose
// desktop had not seen that one yet (the op's __cursor is below the earlier insert's position) is an alias of it.
// The survivor is the contact whose insert reached PostgreSQL first (the lower position): the one other desktops
// already show keeps its id, and a copy still queued here (no position yet) always loses. Everything later written
// to the loser goes to the survivor: its fields (per field, the later position wins, but a blank or default the
// loser was created with never replaces a value), its delete (the same contact, deleted), and every row pointing at
// it (found from the schema's foreign keys, one list for all tables). A desktop that already holds the loser when
// the survivor arrives (its own copy) does the same merge at once, and rewrites its queued ops to the survivor, so
// what it pushes later reads as the others apply it. Runs with team_state.applying = 1: nothing here is captured.
import type { Sqlite } from '../db/open'
import { stmt, stmtPluck } from '../db/stmt'
import { sortNameOf } from '../repos/contacts'
import { addTombstone, fieldVersions, pendingFieldsOf, setFieldVersion } from '../repos/team'
import { SHARED_TABLES, keyValues, type SharedTable } from './tables'

export const CURSOR_FIELD = '__cursor'
const ROW = '__row'

// The value a contact column has when nobody typed one: a loser's insert never writes it over the survivor's.
const BLANK: Record<string, unknown> = { first_name: '', last_name: '', company: '', phone: '', fields_json: '{}', status: 'active', sort_name: '', phone_search: '' }
const isBlank = (col: string, v: unknown) => v === null || v === undefined || (col in BLANK && v === BLANK[col])
// The survivor keeps its own: the contact exists since its first creation.
const KEEP = new Set(['created_at'])

/** The contact an id stands for now (itself, or the survivor it was merged into). */
export function resolveContact(sqlite: Sqlite, id: number): number {
  for (let i = 0; i < 64; i++) {
    const r = stmt(sqlite, 'SELECT merged_into AS m FROM team_contact_births WHERE contact_id = ?').get(id) as { m: number | null } | undefined
    if (!r || r.m === null) return id
    id = r.m
  }
  return id
}

/** Every column of every table that points at contacts(id), from the schema (no list to keep up to date). */
const refCache = new WeakMap<Sqlite, Array<{ table: string; column: string }>>()
function contactRefs(sqlite: Sqlite): Array<{ table: string; column: string }> {
  let refs = refCache.get(sqlite)
  if (refs) return refs
  refs = []
  const tables = stmtPluck(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").all() as string[]
  for (const table of tables)
    for (const fk of stmt(sqlite, `PRAGMA foreign_key_list(\`${table}\`)`).all() as Array<{ table: string; from: string }>) if (fk.table === 'contacts') refs.push({ table, column: fk.from })
  refCache.set(sqlite, refs)
  return refs
}

const contactColumns = (sqlite: Sqlite, t: SharedTable): string[] => contactRefs(sqlite).filter((r) => r.table === t.name).map((r) => r.column)

/** An op pulled from PostgreSQL, pointed at survivors instead of merged contacts. */
export function redirectOp<O extends { tbl: string; rowKey: string; fields: Record<string, unknown> }>(sqlite: Sqlite, t: SharedTable, op: O): O {
  const cols = t.name === 'contacts' ? ['id'] : contactColumns(sqlite, t)
  if (!cols.length) return op
  let rowKey = op.rowKey
  const key = rowKey.split(':')
  const fields = { ...op.fields }
  for (const c of cols) {
    const at = t.pk.indexOf(c)
    if (at >= 0) key[at] = String(resolveContact(sqlite, Number(key[at])))
    else if (typeof fields[c] === 'number') fields[c] = resolveContact(sqlite, fields[c] as number)
  }
  rowKey = key.join(':')
  return { ...op, rowKey, fields }
}

const keyOf = (f: Record<string, unknown>): { objectKey: number; email: string } | null =>
  typeof f.email === 'string' && f.email ? { objectKey: typeof f.primary_object_id === 'number' ? f.primary_object_id : 0, email: f.email } : null

/** Only what a loser's insert may write over the survivor: no blanks, not the creation time, no context. */
export function countingFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([c, v]) => !c.startsWith('__') && !KEEP.has(c) && !isBlank(c, v)))
}

function recordBirth(sqlite: Sqlite, id: number, k: { objectKey: number; email: string }, position: number | null, deviceId: number, mergedInto: number | null): void {
  stmt(sqlite, 
      `INSERT INTO team_contact_births (contact_id, object_key, email, position, device_id, merged_into) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (contact_id) DO UPDATE SET position = coalesce(position, excluded.position), merged_into = coalesce(excluded.merged_into, merged_into)`,
    )
    .run(id, k.objectKey, k.email, position, deviceId, mergedInto)
}

/** This desktop's own contact insert reached PostgreSQL at `position` (the push's acknowledgement). */
export function notePushedContact(sqlite: Sqlite, op: { tbl: string; kind: string; rowKey: string; fields: string }, position: number): void {
  if (op.tbl !== 'contacts' || op.kind !== 'insert') return
  const k = keyOf(JSON.parse(op.fields) as Record<string, unknown>)
  if (k) recordBirth(sqlite, Number(op.rowKey), k, position, ownDevice(sqlite), null)
}

export type Placement = { aliasOf: number } | { losers: number[] }

/**
 * Where a pulled contact insert goes. aliasOf: it is a later copy of that contact (apply its counting fields there).
 * losers: it stands, and these contacts of this desktop (later copies of it) are to be merged into it once inserted.
 */
export function placeContactInsert(sqlite: Sqlite, op: { position: number; deviceId: number; rowKey: string; fields: Record<string, unknown> }, out: MergeOut): Placement {
  const id = Number(op.rowKey)
  const k = keyOf(op.fields)
  if (!k) return { losers: [] }
  const cursor = typeof op.fields[CURSOR_FIELD] === 'number' ? (op.fields[CURSOR_FIELD] as number) : 0
  // An earlier insert of the same key, from another desktop, that this one's desktop had not seen: the same contact.
  const earlier = stmtPluck(sqlite, 'SELECT contact_id FROM team_contact_births WHERE object_key = ? AND email = ? AND position < ? AND position > ? AND device_id != ? AND contact_id != ? ORDER BY position LIMIT 1')
    .get(k.objectKey, k.email, op.position, cursor, op.deviceId, id) as number | undefined
  const target = earlier === undefined ? id : resolveContact(sqlite, earlier)
  recordBirth(sqlite, id, k, op.position, op.deviceId, earlier === undefined ? null : target)
  // Copies made here later (pushed after it, or still queued): this desktop had not seen this one when it made them.
  const own = ownDevice(sqlite)
  // (position NULL: still queued; the births trigger of migration 0035 recorded it when it was made)
  const copies = stmtPluck(
    sqlite,
    'SELECT contact_id FROM team_contact_births WHERE object_key = ? AND email = ? AND (position > ? OR position IS NULL) AND device_id = ? AND merged_into IS NULL AND contact_id != ? ORDER BY ifnull(position, 9e18), contact_id',
  )
    .all(k.objectKey, k.email, op.position, own, id) as number[]
  const exists = (x: number) => stmt(sqlite, 'SELECT 1 FROM contacts WHERE id = ?').get(x) !== undefined
  const live = copies.filter(exists)
  const dead = copies.filter((x) => !live.includes(x))
  const gone = (x: number) => {
    rewriteQueue(sqlite, target, x)
    stmt(sqlite, 'DELETE FROM contacts WHERE id = ?').run(x)
    stmt(sqlite, 'UPDATE team_contact_births SET merged_into = ? WHERE contact_id = ? OR merged_into = ?').run(target, x, x)
    out.contactIds.add(x)
  }
  if (dead.length) {
    // A copy deleted here: its delete is the contact's (pushed: a tombstone; queued: the queued delete now names it),
    // and so every copy goes.
    for (const d of dead) {
      const at = stmtPluck(sqlite, "SELECT position FROM team_tombstones WHERE tbl = 'contacts' AND row_key = ?").get(String(d)) as number | undefined
      if (at !== undefined) addTombstone(sqlite, 'contacts', String(target), at)
      rewriteQueue(sqlite, target, d)
      stmt(sqlite, 'UPDATE team_contact_births SET merged_into = ? WHERE contact_id = ? OR merged_into = ?').run(target, d, d)
    }
    for (const l of live) gone(l)
    // The survivor already here goes too (a queued delete of it is pushed later and tombstones it then).
    if (target !== id && stmt(sqlite, 'DELETE FROM contacts WHERE id = ?').run(target).changes) out.contactIds.add(target)
    return earlier === undefined ? { losers: [] } : { aliasOf: target }
  }
  if (earlier !== undefined) {
    // The survivor is here already: merge now; a survivor deleted meanwhile takes the copies with it.
    for (const l of live) if (exists(target)) mergeContactInto(sqlite, target, l, out)
    else gone(l)
    return { aliasOf: target }
  }
  // A contact that holds the address now without an insert of it (its address was changed to it): the earlier-born
  // of the two stays.
  const holder = holderOf(sqlite, op.fields, id)
  if (holder === undefined || live.includes(holder)) return { losers: live }
  if (birthPosition(sqlite, holder) < op.position) {
    stmt(sqlite, 'UPDATE team_contact_births SET merged_into = ? WHERE contact_id = ?').run(holder, id)
    return { aliasOf: holder }
  }
  return { losers: [...live, holder] }
}

const ownDevice = (sqlite: Sqlite): number => (stmtPluck(sqlite, 'SELECT device_id FROM team_state WHERE id = 1').get() as number | undefined) ?? -1

/** Moves a loser out of the way of the survivor's insert (the address is unique per business); merged right after. */
export const freeAddress = (sqlite: Sqlite, id: number): void => void stmt(sqlite, 'UPDATE contacts SET email = NULL WHERE id = ?').run(id)

/** The contact holding this key now, other than `except` (a unique clash the births did not foresee). */
export function holderOf(sqlite: Sqlite, fields: Record<string, unknown>, except: number): number | undefined {
  const k = keyOf(fields)
  if (!k) return undefined
  return (stmtPluck(sqlite, 'SELECT id FROM contacts WHERE ifnull(primary_object_id, 0) = ? AND email = ? AND id != ?').get(k.objectKey, k.email, except) as number | undefined) ?? undefined
}

/** The position a contact's insert has (Infinity: queued here, not pushed; it will come after everything pulled). */
export function birthPosition(sqlite: Sqlite, id: number): number {
  const b = stmtPluck(sqlite, 'SELECT position FROM team_contact_births WHERE contact_id = ?').get(id) as number | null | undefined
  if (typeof b === 'number') return b
  const v = fieldVersions(sqlite, 'contacts', String(id)).get('created_at')
  return v ?? Infinity
}

interface Side {
  row: Record<string, unknown>
  versions: Map<string, number>
  pending: Set<string>
  pendingInsert: boolean
  born: number | undefined
}

function side(sqlite: Sqlite, id: number): Side | undefined {
  const row = stmt(sqlite, 'SELECT * FROM contacts WHERE id = ?').get(id) as Record<string, unknown> | undefined
  if (!row) return undefined
  const versions = fieldVersions(sqlite, 'contacts', String(id))
  const pending = new Set<string>()
  let pendingInsert = false
  for (const p of pendingFieldsOf(sqlite, 'contacts', String(id))) {
    if (p.kind === 'insert') pendingInsert = true
    else for (const f of Object.keys(JSON.parse(p.fields) as object)) pending.add(f)
  }
  return { row, versions, pending, pendingInsert, born: versions.get('created_at') }
}

/** A field's value counts unless it is a blank the row was created with; its version (Infinity: queued here). */
function weigh(s: Side, col: string): { counts: boolean; version: number } {
  if (s.pending.has(col)) return { counts: true, version: Infinity }
  const v = s.versions.get(col)
  const fromInsert = v === undefined ? true : v === s.born
  return { counts: !(fromInsert && isBlank(col, s.row[col])), version: v ?? (s.pendingInsert ? Infinity : 0) }
}

export interface MergeOut {
  contactIds: Set<number>
  noteContactIds: Set<number>
  tables: Set<string>
}

/**
 * Merges contact `loserId` into `survivorId` on this desktop: fields, every reference, this desktop's queued ops;
 * then the loser row goes. Both rows exist.
 */
export function mergeContactInto(sqlite: Sqlite, survivorId: number, loserId: number, out: MergeOut): void {
  if (survivorId === loserId) return
  const s = side(sqlite, survivorId)
  const l = side(sqlite, loserId)
  if (!s || !l) return
  const cols = SHARED_TABLES.find((t) => t.name === 'contacts')!.cols
  const take: string[] = []
  for (const c of cols) {
    if (KEEP.has(c) || c === 'sort_name') continue
    const a = weigh(s, c)
    const b = weigh(l, c)
    if (!b.counts || (a.counts && b.version <= a.version)) continue
    if (s.row[c] !== l.row[c]) take.push(c)
    if (Number.isFinite(b.version)) setFieldVersion(sqlite, 'contacts', String(survivorId), c, b.version)
  }
  // The loser's address is freed first: it may be the survivor's new one.
  stmt(sqlite, 'UPDATE contacts SET email = NULL WHERE id = ?').run(loserId)
  if (take.length) stmt(sqlite, `UPDATE contacts SET ${take.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...take.map((c) => l.row[c] as never), survivorId)
  const r = stmt(sqlite, 'SELECT first_name AS firstName, last_name AS lastName, email FROM contacts WHERE id = ?').get(survivorId) as { firstName: string; lastName: string; email: string | null }
  stmt(sqlite, 'UPDATE contacts SET sort_name = ? WHERE id = ?').run(sortNameOf(r), survivorId)
  moveReferences(sqlite, survivorId, loserId, out)
  rewriteQueue(sqlite, survivorId, loserId)
  stmt(sqlite, 'DELETE FROM contacts WHERE id = ?').run(loserId)
  stmt(sqlite, "DELETE FROM team_field_versions WHERE tbl = 'contacts' AND row_key = ?").run(String(loserId))
  stmt(sqlite, 'UPDATE team_contact_births SET merged_into = ? WHERE contact_id = ? OR merged_into = ?').run(survivorId, loserId, loserId)
  // A loser with no birth here (its address was changed to the survivor's): recorded so later ops about it follow.
  if (!stmt(sqlite, 'SELECT 1 FROM team_contact_births WHERE contact_id = ?').get(loserId))
    recordBirth(sqlite, loserId, { objectKey: (l.row.primary_object_id as number | null) ?? 0, email: typeof l.row.email === 'string' ? l.row.email : '' }, null, ownDevice(sqlite), survivorId)
  out.contactIds.add(survivorId)
  out.contactIds.add(loserId)
  out.noteContactIds.add(survivorId)
  out.tables.add('contacts')
}

/** Every row pointing at the loser points at the survivor; a row the survivor already has the like of stays behind and goes with the loser. */
function moveReferences(sqlite: Sqlite, survivorId: number, loserId: number, out: MergeOut): void {
  for (const ref of contactRefs(sqlite)) {
    const shared = SHARED_TABLES.find((t) => t.name === ref.table)
    if (shared && !shared.autoId && shared.pk.includes(ref.column)) {
      moveReusableRows(sqlite, shared, ref.column, survivorId, loserId)
    } else {
      const n = stmt(sqlite, `UPDATE OR IGNORE \`${ref.table}\` SET \`${ref.column}\` = ? WHERE \`${ref.column}\` = ?`).run(survivorId, loserId).changes
      if (n) out.tables.add(ref.table)
    }
  }
}

/**
 * Rows keyed by the contact (contact_tags: tag + contact): the survivor's key holds whichever of the two was
 * written later (present or removed), as the ops would leave it on a desktop that applies them in order.
 */
function moveReusableRows(sqlite: Sqlite, t: SharedTable, column: string, survivorId: number, loserId: number): void {
  const at = t.pk.indexOf(column)
  const rows = stmt(sqlite, `SELECT ${t.pk.join(', ')} FROM ${t.name} WHERE ${column} = ?`).all(loserId) as Array<Record<string, number>>
  const keysOf = (kind: 'loser' | 'survivor', r: Record<string, number>) => t.pk.map((k, i) => (i === at ? (kind === 'loser' ? loserId : survivorId) : r[k]))
  // Versions of every loser key, present or removed.
  const pattern = t.pk.map((_, i) => (i === at ? String(loserId) : '%')).join(':')
  const versioned = stmtPluck(sqlite, 'SELECT DISTINCT row_key AS k FROM team_field_versions WHERE tbl = ? AND row_key LIKE ?').all(t.name, pattern) as string[]
  const loserKeys = new Set([...rows.map((r) => keysOf('loser', r).join(':')), ...versioned.filter((k) => Number(k.split(':')[at]) === loserId)])
  for (const lk of loserKeys) {
    const parts = keyValues(t, lk) // consent's key holds its channel as text
    const sk = parts.map((v, i) => (i === at ? survivorId : v))
    const skey = sk.join(':')
    const rowVersion = (key: string) => (pendingFieldsOf(sqlite, t.name, key).length ? Infinity : (fieldVersions(sqlite, t.name, key).get(ROW) ?? -1))
    const where = t.pk.map((k) => `${k} = ?`).join(' AND ')
    const lExists = stmt(sqlite, `SELECT 1 FROM ${t.name} WHERE ${where}`).get(...parts) !== undefined
    const sExists = stmt(sqlite, `SELECT 1 FROM ${t.name} WHERE ${where}`).get(...sk) !== undefined
    if (lExists && !sExists && rowVersion(lk) > rowVersion(skey)) stmt(sqlite, `UPDATE ${t.name} SET ${column} = ? WHERE ${where}`).run(survivorId, ...parts)
    for (const [f, v] of fieldVersions(sqlite, t.name, lk)) setFieldVersion(sqlite, t.name, skey, f, v)
    stmt(sqlite, 'DELETE FROM team_field_versions WHERE tbl = ? AND row_key = ?').run(t.name, lk)
  }
}

/** This desktop's queued ops about the loser now speak of the survivor (what the others apply them as). */
function rewriteQueue(sqlite: Sqlite, survivorId: number, loserId: number): void {
  const ops = stmt(sqlite, queuedAboutSql(sqlite)).all({ id: loserId, key: String(loserId) }) as Array<{ seq: number; tbl: string; rowKey: string; kind: string; fields: string }>
  const upd = stmt(sqlite, 'UPDATE team_ops SET row_key = ?, kind = ?, fields = ? WHERE seq = ?')
  for (const o of ops) {
    const t = SHARED_TABLES.find((x) => x.name === o.tbl)
    if (!t) continue
    const moved = redirectOne(sqlite, t, o, survivorId, loserId)
    if (!moved) continue
    if (t.name === 'contacts' && o.kind === 'insert' && Number(o.rowKey) === loserId) {
      // The loser's own creation: what it brings to the survivor, as the others apply it.
      const f = countingFields(JSON.parse(o.fields) as Record<string, unknown>)
      if (!Object.keys(f).length) stmt(sqlite, 'DELETE FROM team_ops WHERE seq = ?').run(o.seq)
      else upd.run(moved.rowKey, 'update', JSON.stringify(f), o.seq)
      continue
    }
    upd.run(moved.rowKey, o.kind, moved.fields, o.seq)
  }
}

/** The queued ops that may name a contact (by key or by a column pointing at contacts), as one query. */
const queuedSqlCache = new WeakMap<Sqlite, string>()
function queuedAboutSql(sqlite: Sqlite): string {
  let sql = queuedSqlCache.get(sqlite)
  if (sql) return sql
  const conds = ["(tbl = 'contacts' AND row_key = @key)"]
  for (const t of SHARED_TABLES)
    for (const c of contactColumns(sqlite, t)) {
      const at = t.pk.indexOf(c)
      if (at >= 0) conds.push(`(tbl = '${t.name}' AND ${t.pk.length === 1 ? 'row_key = @key' : `',' || replace(row_key, ':', ',') || ',' LIKE '%,' || @key || ',%'`})`)
      else conds.push(`(tbl = '${t.name}' AND json_extract(fields, '$.${c}') = @id)`)
    }
  sql = `SELECT seq, tbl, row_key AS rowKey, kind, fields FROM team_ops WHERE ${conds.join(' OR ')} ORDER BY seq`
  queuedSqlCache.set(sqlite, sql)
  return sql
}

function redirectOne(sqlite: Sqlite, t: SharedTable, o: { rowKey: string; fields: string }, survivorId: number, loserId: number): { rowKey: string; fields: string } | null {
  const cols = t.name === 'contacts' ? ['id'] : contactColumns(sqlite, t)
  if (!cols.length) return null
  const key = o.rowKey.split(':')
  const fields = JSON.parse(o.fields) as Record<string, unknown>
  let changed = false
  for (const c of cols) {
    const at = t.pk.indexOf(c)
    if (at >= 0 && Number(key[at]) === loserId) {
      key[at] = String(survivorId)
      changed = true
    } else if (at < 0 && fields[c] === loserId) {
      fields[c] = survivorId
      changed = true
    }
  }
  return changed ? { rowKey: key.join(':'), fields: JSON.stringify(fields) } : null
}
