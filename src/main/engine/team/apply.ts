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
import { stmt, stmtPluck } from '../db/stmt'
import { sortNameOf } from '../repos/contacts'
import { addTombstone, fieldVersions, isTombstoned, pendingFieldsOf, setFieldVersion, setFieldVersions } from '../repos/team'
import { keyValues, sharedTable, type SharedTable } from './tables'
import { ERASED_REASON, markErasePending } from '../repos/dataRights'
import { countRemoteSend, outboxBefore } from './sharedCaps'
import { placeUnique, resolve } from './unique'
import { birthPosition, countingFields, freeAddress, holderOf, mergeContactInto, placeContactInsert, redirectOp } from './merge'

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
  /** Outbox rows that arrived or changed (their own or their events'). */
  outboundIds: Set<number>
  /** Flows whose definition, graph, leads or paths arrived or changed. */
  flowIds: Set<number>
  /** Keys of messages another desktop erased (erased_messages): this desktop's copies of them go too. */
  erasedMessageKeys: Set<string>
  /** Erased people's blocks that arrived (suppressions, reason 'erased'): they are cut out of the mail that stays. */
  erasedBlocks: Array<{ objectId: number | null; key: string }>
  /** Mailboxes whose settings arrived, changed or went: their sync workers start, restart or stop. */
  mailboxIds: Set<number>
}

// What a service does beside the INSERT itself, which a row arriving from another desktop needs too:
// contacts join the search index in the repo, not by a trigger (migration 0001 says why).
const AFTER_INSERT: Record<string, string> = {
  contacts: `INSERT INTO contacts_fts (rowid, email, first_name, last_name, company, phone)
    SELECT id, ifnull(email, ''), first_name, last_name, company, phone_search FROM contacts WHERE id = ?`,
}

/**
 * Rows whose key can come back (contact_tags: the same tag on the same contact, removed and added again) get
 * no tombstone: their presence is one more field, '__row', and the later of insert and delete wins it.
 */
export const ROW_FIELD = '__row'

// Derived from replicated fields by the service that writes them: recomputed here from the merged values, so
// concurrent edits of the first and the last name still sort by the name every desktop ends with.
function rederive(sqlite: Sqlite, t: SharedTable, key: number[], written: string[], fields: Record<string, unknown>): void {
  // sort_name too: a stale one riding on an op whose names lost (merge.ts moves name versions) is recomputed.
  if (t.name !== 'contacts' || !written.some((f) => f === 'first_name' || f === 'last_name' || f === 'email' || f === 'sort_name')) return
  // Every name field came from this op (a new contact): the row holds the op's values, so no read-back.
  const whole = written.includes('first_name') && written.includes('last_name') && written.includes('email')
  const r = whole
    ? { firstName: fields.first_name as string, lastName: fields.last_name as string, email: fields.email as string | null }
    : (stmt(sqlite, 'SELECT first_name AS firstName, last_name AS lastName, email FROM contacts WHERE id = ?').get(...key) as { firstName: string; lastName: string; email: string | null } | undefined)
  if (!r) return
  const sortName = sortNameOf(r)
  // Already right (the op carried it, as the writing desktop's service computed it): no second write of the row.
  if (whole && written.includes('sort_name') && fields.sort_name === sortName) return
  stmt(sqlite, 'UPDATE contacts SET sort_name = ? WHERE id = ? AND sort_name IS NOT ?').run(sortName, ...key, sortName)
}

interface ForeignKey {
  from: string
  table: string
  to: string
  onDelete: string
}
const fkCache = new WeakMap<Sqlite, Map<string, ForeignKey[]>>()
function foreignKeys(sqlite: Sqlite, tbl: string): ForeignKey[] {
  let m = fkCache.get(sqlite)
  if (!m) fkCache.set(sqlite, (m = new Map()))
  let fks = m.get(tbl)
  if (!fks) {
    const rows = stmt(sqlite, `PRAGMA foreign_key_list(${tbl})`).all() as Array<{ from: string; table: string; to: string | null; on_delete: string }>
    m.set(tbl, (fks = rows.map((r) => ({ from: r.from, table: r.table, to: r.to ?? 'id', onDelete: r.on_delete }))))
  }
  return fks
}

/**
 * A row that points at a row deleted elsewhere: on the desktop that wrote it, the delete's ON DELETE action
 * ran (or will run) on it, so it is applied here as that action would leave it: SET NULL clears the reference,
 * CASCADE (and RESTRICT) drop the op. Returns false when the op is to be dropped.
 */
function settleReferences(sqlite: Sqlite, t: SharedTable, fields: Record<string, unknown>): boolean {
  for (const fk of foreignKeys(sqlite, t.name)) {
    const v = fields[fk.from]
    if (v === null || v === undefined) continue
    if (stmt(sqlite, `SELECT 1 FROM ${fk.table} WHERE ${fk.to} = ?`).get(v as never) !== undefined) continue
    // A row made apart as the same as another (a contact enrolled in a flow on two desktops): what points at the
    // copy points at the survivor (unique.ts renames the copy with its rows on the desktop that made it).
    const survivor = fk.to === 'id' ? resolve(sqlite, fk.table, String(v)) : String(v)
    if (survivor !== String(v) && stmt(sqlite, `SELECT 1 FROM ${fk.table} WHERE id = ?`).get(Number(survivor)) !== undefined) {
      fields[fk.from] = Number(survivor)
      continue
    }
    if (fk.onDelete !== 'SET NULL') return false
    fields[fk.from] = null
  }
  return true
}

/**
 * A row this desktop is sending right now (a device-local status it holds the claim for) keeps its status
 * until the send ends: its own outcome is recorded then and, pushed later, wins everywhere.
 */
function sendingHere(sqlite: Sqlite, t: SharedTable, field: string, key: number[], exists: boolean): boolean {
  const local = t.localValues?.[field]
  if (!local || !exists) return false
  const r = stmt(sqlite, `SELECT ${field} AS v FROM ${t.name} WHERE ${where(t)}`).get(...key) as { v: string } | undefined
  return r !== undefined && local.includes(r.v)
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

/**
 * An insert that wrote every column stores one version row for all of them (repos/team.ts ALL_FIELDS). Not for
 * tables with a unique key: unique.ts and migration 0036's triggers read each row's created_at version in SQL.
 */
export const stampsEveryColumn = (t: SharedTable, inserted: boolean, fields: string[]): boolean =>
  inserted && !!t.autoId && !t.unique && t.cols.every((c) => fields.includes(c))

function applyOne(sqlite: Sqlite, t: SharedTable, pulled: RemoteOp, out: Applied): boolean {
  // Same contact made on two desktops (merge.ts): ops about the later copy go to the survivor.
  let op = redirectOp(sqlite, t, pulled)
  // team-domains: a second row of one unique key (a suppression, a segment name) merges into the first (unique.ts)
  op = placeUnique(sqlite, t, op)
  let losers: number[] = []
  if (t.name === 'contacts' && op.kind === 'insert') {
    const placed = placeContactInsert(sqlite, op, out)
    if ('aliasOf' in placed) op = { ...op, kind: 'update', rowKey: String(placed.aliasOf), fields: countingFields(op.fields) }
    else losers = placed.losers
  }
  const key = keyValues(t, op.rowKey)
  // The renderer hears about the contact the op landed on (the survivor), beside the one it named.
  if (t.name === 'contacts' && op.rowKey !== pulled.rowKey) out.contactIds.add(key[0])
  if (t.name === 'contact_tags' && op.rowKey !== pulled.rowKey) out.contactIds.add(key[1])
  if (!t.autoId) return applyReusable(sqlite, t, op, key)
  if (isTombstoned(sqlite, t.name, op.rowKey)) return false
  if (op.kind === 'delete') {
    const before = t.name === 'contact_notes' ? (stmt(sqlite, 'SELECT contact_id FROM contact_notes WHERE id = ?').get(...key) as { contact_id: number } | undefined) : undefined
    stmt(sqlite, `DELETE FROM ${t.name} WHERE ${where(t)}`).run(...key)
    addTombstone(sqlite, t.name, op.rowKey, op.position)
    if (before) out.noteContactIds.add(before.contact_id)
    return true
  }
  const pending = pendingFields(sqlite, t.name, op.rowKey)
  if (pending.deleted) return false
  if (!settleReferences(sqlite, t, op.fields)) return false
  const versions = fieldVersions(sqlite, t.name, op.rowKey)
  const exists = stmt(sqlite, `SELECT 1 FROM ${t.name} WHERE ${where(t)}`).get(...key) !== undefined
  const known = Object.keys(op.fields).filter((f) => t.cols.includes(f) && !sendingHere(sqlite, t, f, key, exists))
  let written: string[]
  // A send made on another desktop counts against the mailbox's daily cap here too (sharedCaps.ts).
  const outbox = t.name === 'outbound_messages' && known.includes('status') ? { before: exists ? outboxBefore(sqlite, key[0]) : undefined } : null
  if (exists) {
    written = known.filter((f) => (versions.get(f) ?? 0) < op.position && !pending.fields.has(f))
    // An address changed to one another contact holds: the earlier-born of the two stays, with both.
    const holder = t.name === 'contacts' && written.some((f) => f === 'email' || f === 'primary_object_id') ? addressHolder(sqlite, key[0], op.fields, written) : undefined
    if (holder !== undefined) {
      if (birthPosition(sqlite, holder) < birthPosition(sqlite, key[0])) {
        mergeContactInto(sqlite, holder, key[0], out)
        return applyOne(sqlite, t, { ...op, rowKey: String(holder) }, out)
      }
      mergeContactInto(sqlite, key[0], holder, out)
    }
    if (written.length) stmt(sqlite, `UPDATE ${t.name} SET ${written.map((f) => `${f} = ?`).join(', ')} WHERE ${where(t)}`).run(...written.map((f) => op.fields[f] as never), ...key)
  } else {
    if (op.kind !== 'insert') return false
    written = known
    // NOT NULL device-local columns (a mailbox's password) start empty: this desktop enters its own.
    const defaults = Object.entries(t.localDefaults ?? {})
    for (const l of losers) freeAddress(sqlite, l)
    const cols = [...t.pk, ...written, ...defaults.map(([c]) => c)]
    stmt(sqlite, `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...key, ...written.map((f) => op.fields[f] as never), ...defaults.map(([, v]) => v))
    if (AFTER_INSERT[t.name]) stmt(sqlite, AFTER_INSERT[t.name]).run(...key)
  }
  if (outbox && written.includes('status')) countRemoteSend(sqlite, outbox.before, op.fields)
  setFieldVersions(sqlite, t.name, op.rowKey, written, op.position, stampsEveryColumn(t, !exists, written))
  rederive(sqlite, t, key, written, op.fields)
  for (const l of losers) mergeContactInto(sqlite, key[0], l, out)
  return written.length > 0 || losers.length > 0
}

function addressHolder(sqlite: Sqlite, id: number, fields: Record<string, unknown>, written: string[]): number | undefined {
  const now = stmt(sqlite, 'SELECT primary_object_id, email FROM contacts WHERE id = ?').get(id) as Record<string, unknown>
  for (const f of written) if (f === 'email' || f === 'primary_object_id') now[f] = fields[f]
  return holderOf(sqlite, now, id)
}

/** A row of a reusable key: the later of insert and delete decides whether it exists; fields merge as above. */
function applyReusable(sqlite: Sqlite, t: SharedTable, op: RemoteOp, key: number[]): boolean {
  // Our own insert or delete of this row is still to be pushed: it will be later than this one.
  if (pendingFieldsOf(sqlite, t.name, op.rowKey).length) return false
  const versions = fieldVersions(sqlite, t.name, op.rowKey)
  if ((versions.get(ROW_FIELD) ?? 0) > op.position) return false
  const exists = stmt(sqlite, `SELECT 1 FROM ${t.name} WHERE ${where(t)}`).get(...key) !== undefined
  if (op.kind === 'delete') {
    if (exists) stmt(sqlite, `DELETE FROM ${t.name} WHERE ${where(t)}`).run(...key)
    setFieldVersion(sqlite, t.name, op.rowKey, ROW_FIELD, op.position)
    return exists
  }
  if (op.kind === 'update' && !exists) return false
  if (!settleReferences(sqlite, t, op.fields)) return false
  const known = Object.keys(op.fields).filter((f) => t.cols.includes(f))
  const written = exists ? known.filter((f) => (versions.get(f) ?? 0) < op.position) : known
  if (exists) {
    if (written.length) stmt(sqlite, `UPDATE ${t.name} SET ${written.map((f) => `${f} = ?`).join(', ')} WHERE ${where(t)}`).run(...written.map((f) => op.fields[f] as never), ...key)
  } else {
    const cols = [...t.pk, ...written]
    stmt(sqlite, `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...key, ...written.map((f) => op.fields[f] as never))
  }
  setFieldVersions(sqlite, t.name, op.rowKey, op.kind === 'insert' ? [...written, ROW_FIELD] : written, op.position)
  return !exists || written.length > 0
}

/** Applies ops in position order; the caller holds the transaction and the applying flag. */
export function applyRemoteOps(sqlite: Sqlite, ops: RemoteOp[]): Applied {
  const out: Applied = { applied: 0, skipped: 0, tables: new Set(), contactIds: new Set(), noteContactIds: new Set(), taskIds: new Set(), outboundIds: new Set(), flowIds: new Set(), erasedMessageKeys: new Set(), erasedBlocks: [], mailboxIds: new Set() }
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
    if (t.name === 'mailboxes') out.mailboxIds.add(id[0])
    if (t.name === 'outbound_messages') out.outboundIds.add(id[0])
    if (t.name === 'message_events') {
      const row = stmt(sqlite, 'SELECT outbound_id FROM message_events WHERE id = ?').get(id[0]) as { outbound_id: number } | undefined
      if (row) out.outboundIds.add(row.outbound_id)
    }
    if (t.name === 'flows' || t.name === 'flow_nodes' || t.name === 'flow_edges') out.flowIds.add(id[0])
    if (t.name === 'erased_messages' && op.kind === 'insert') out.erasedMessageKeys.add(op.rowKey)
    if (t.name === 'suppressions' && op.kind === 'insert' && op.fields.reason === ERASED_REASON)
      out.erasedBlocks.push({ objectId: (op.fields.object_id as number | null) ?? null, key: String(op.fields.email) })
    // Another desktop's erase: this desktop's copies of the person's mail are due to go, from this commit on, a
    // restart included (services/eraseWork.ts).
    if ((t.name === 'erased_messages' || (t.name === 'suppressions' && op.fields.reason === ERASED_REASON)) && op.kind === 'insert') markErasePending(sqlite, true)
    if (t.name === 'flow_leads' || t.name === 'flow_lead_events') {
      const sql = t.name === 'flow_leads' ? 'SELECT flow_id FROM flow_leads WHERE id = ?' : 'SELECT l.flow_id FROM flow_lead_events e JOIN flow_leads l ON l.id = e.lead_id WHERE e.id = ?'
      const flowId = stmtPluck(sqlite, sql).get(id[0]) as number | undefined
      if (flowId !== undefined) out.flowIds.add(flowId)
    }
    if (t.name === 'contact_notes') {
      const row = stmt(sqlite, 'SELECT contact_id FROM contact_notes WHERE id = ?').get(id[0]) as { contact_id: number } | undefined
      if (row) out.noteContactIds.add(row.contact_id)
    }
  }
  return out
}

/** The local mailboxes these ops remove: deleted themselves, or with the business they belong to. */
export function mailboxesRemovedBy(sqlite: Sqlite, ops: RemoteOp[]): number[] {
  const ids = new Set<number>()
  for (const op of ops) {
    if (op.kind !== 'delete') continue
    if (op.tbl === 'mailboxes') {
      const id = Number(op.rowKey)
      if (stmt(sqlite, 'SELECT 1 FROM mailboxes WHERE id = ?').get(id)) ids.add(id)
    } else if (op.tbl === 'objects') {
      for (const id of stmtPluck(sqlite, 'SELECT id FROM mailboxes WHERE object_id = ?').all(Number(op.rowKey)) as number[]) ids.add(id)
    }
  }
  return [...ids]
}
