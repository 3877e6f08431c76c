// Autoresponder queries: definitions and their actions, executions (one per action and contact firing),
// the per-autoresponder counters, and the contacts a date trigger lands on.
import type { Delay, Execution, Trigger } from '../../../shared/automation'
import type { OutboxChannel, TemplateRef } from '../../../shared/channels'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface ArRow {
  id: number
  name: string
  objectId: number | null
  isActive: number
  triggerType: Trigger['type']
  triggerTagId: number | null
  triggerField: string | null
  triggerOffsetDays: number | null
  totalSent: number
  totalFailed: number
  totalSkipped: number
  lastFiredAt: number | null
  dateCheckedThrough: string | null
  createdAt: number
  updatedAt: number
}
export interface ActionRow {
  id: number
  position: number
  subject: string
  bodyHtml: string
  delayValue: number
  delayUnit: Delay['unit']
  /** Issue 17: an email, or a text (body, and a WhatsApp template's ContentSid + variables JSON). */
  channel: OutboxChannel
  textBody: string | null
  contentSid: string | null
  contentVariablesJson: string | null
}
export interface ActionIn {
  subject: string
  bodyHtml: string
  delay: Delay
  channel?: OutboxChannel
  body?: string
  template?: TemplateRef
}
type ExecStatus = Execution['status']

const AR_COLS = `id, name, object_id AS objectId, is_active AS isActive, trigger_type AS triggerType, trigger_tag_id AS triggerTagId,
  trigger_field AS triggerField, trigger_offset_days AS triggerOffsetDays, total_sent AS totalSent, total_failed AS totalFailed,
  total_skipped AS totalSkipped, last_fired_at AS lastFiredAt, date_checked_through AS dateCheckedThrough, created_at AS createdAt, updated_at AS updatedAt`

export function arRow(ctx: Ctx, id: number): ArRow | undefined {
  return stmt(ctx.sqlite, `SELECT ${AR_COLS} FROM autoresponders WHERE id = ?`).get(id) as ArRow | undefined
}
export function actionsOf(ctx: Ctx, id: number): ActionRow[] {
  return stmt(
    ctx.sqlite,
    `SELECT id, position, subject, body_html AS bodyHtml, delay_value AS delayValue, delay_unit AS delayUnit, channel, text_body AS textBody,
            content_sid AS contentSid, content_variables_json AS contentVariablesJson FROM autoresponder_actions WHERE autoresponder_id = ? AND position > 0 ORDER BY position`,
  ).all(id) as ActionRow[]
}
/** Every autoresponder, or those of one object plus the ones for every object. */
export function arRows(ctx: Ctx, objectId?: number): ArRow[] {
  return (objectId
    ? stmt(ctx.sqlite, `SELECT ${AR_COLS} FROM autoresponders WHERE object_id = ? OR object_id IS NULL ORDER BY name COLLATE NOCASE, id`).all(objectId)
    : stmt(ctx.sqlite, `SELECT ${AR_COLS} FROM autoresponders ORDER BY name COLLATE NOCASE, id`).all()) as ArRow[]
}
export function activeWith(ctx: Ctx, type: Trigger['type']): ArRow[] {
  return stmt(ctx.sqlite, `SELECT ${AR_COLS} FROM autoresponders WHERE trigger_type = ? AND is_active = 1 ORDER BY id`).all(type) as ArRow[]
}

export function insertAutoresponder(ctx: Ctx, v: { name: string; objectId: number | null; isActive: boolean }, now: number): number {
  return Number(
    ctx.sqlite
      .prepare("INSERT INTO autoresponders (name, object_id, is_active, trigger_type, created_at, updated_at) VALUES (?, ?, ?, 'CONTACT_CREATED', ?, ?)")
      .run(v.name, v.objectId, v.isActive ? 1 : 0, now, now).lastInsertRowid,
  )
}
export function updateAutoresponderRow(ctx: Ctx, id: number, v: { name: string; objectId: number | null; isActive: number }, now: number): void {
  ctx.sqlite.prepare('UPDATE autoresponders SET name = ?, object_id = ?, is_active = ?, updated_at = ? WHERE id = ?').run(v.name, v.objectId, v.isActive, now, id)
}
/** A new trigger starts its date checks afresh. */
export function writeTrigger(ctx: Ctx, id: number, t: Trigger, now: number): void {
  ctx.sqlite
    .prepare('UPDATE autoresponders SET trigger_type = ?, trigger_tag_id = ?, trigger_field = ?, trigger_offset_days = ?, date_checked_through = NULL, updated_at = ? WHERE id = ?')
    .run(t.type, t.type === 'TAG_ADDED' ? t.tagId : null, t.type === 'DATE_BASED' ? t.field : null, t.type === 'DATE_BASED' ? t.offsetDays : null, now, id)
}
export function writeActions(ctx: Ctx, id: number, actions: ActionIn[], now: number): void {
  // Past executions keep pointing at the actions they ran, so old actions are kept only while referenced.
  ctx.sqlite.prepare('DELETE FROM autoresponder_actions WHERE autoresponder_id = ? AND id NOT IN (SELECT action_id FROM autoresponder_executions WHERE autoresponder_id = ?)').run(id, id)
  ctx.sqlite.prepare('UPDATE autoresponder_actions SET position = -id WHERE autoresponder_id = ?').run(id)
  const ins = ctx.sqlite.prepare(
    'INSERT INTO autoresponder_actions (autoresponder_id, position, subject, body_html, delay_value, delay_unit, created_at, channel, text_body, content_sid, content_variables_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  actions.forEach((a, i) =>
    ins.run(id, i + 1, a.subject, a.bodyHtml, a.delay.value, a.delay.unit, now, a.channel ?? 'email', a.body ?? null, a.template?.contentSid ?? null, a.template ? JSON.stringify(a.template.variables) : null),
  )
}
export const deleteAutoresponderRow = (ctx: Ctx, id: number): number => ctx.sqlite.prepare('DELETE FROM autoresponders WHERE id = ?').run(id).changes
export const setCheckedThrough = (ctx: Ctx, id: number, day: string): void => void stmt(ctx.sqlite, 'UPDATE autoresponders SET date_checked_through = ? WHERE id = ?').run(day, id)
export const markFired = (ctx: Ctx, id: number, now: number): void => void stmt(ctx.sqlite, 'UPDATE autoresponders SET last_fired_at = ? WHERE id = ?').run(now, id)

const COUNTER: Record<ExecStatus, string | null> = { PENDING: null, SENT: 'total_sent', FAILED: 'total_failed', SKIPPED: 'total_skipped' }
/** Counts one more execution that ended in `status` on the autoresponder. */
export function bump(ctx: Ctx, arId: number, status: ExecStatus): void {
  const col = COUNTER[status]
  if (col) stmt(ctx.sqlite, `UPDATE autoresponders SET ${col} = ${col} + 1 WHERE id = ?`).run(arId)
}

// ---------- executions ----------
/** The outbound rows of executions still waiting to go out: of one autoresponder, or of one contact. */
export function pendingOutboundsOf(ctx: Ctx, by: { autoresponderId: number } | { contactId: number }): number[] {
  const [col, v] = 'contactId' in by ? ['contact_id', by.contactId] : ['autoresponder_id', by.autoresponderId]
  return (stmt(ctx.sqlite, `SELECT outbound_id AS id FROM autoresponder_executions WHERE ${col} = ? AND status = 'PENDING' AND outbound_id IS NOT NULL`).all(v) as Array<{ id: number }>).map(
    (r) => r.id,
  )
}
/** Writes a PENDING execution; null when this firing (the unique key with `fireKey`) already happened. */
export function insertExecution(ctx: Ctx, v: { arId: number; actionId: number; contactId: number; fireKey: string; at: number }, now: number): number | null {
  const ins = stmt(
    ctx.sqlite,
    `INSERT OR IGNORE INTO autoresponder_executions (autoresponder_id, action_id, contact_id, fire_key, status, scheduled_for, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)`,
  ).run(v.arId, v.actionId, v.contactId, v.fireKey, v.at, now, now)
  return ins.changes ? Number(ins.lastInsertRowid) : null
}
export function settleExecution(ctx: Ctx, id: number, v: { status: ExecStatus; error: string | null; outboundId: number | null }, now: number): void {
  stmt(ctx.sqlite, 'UPDATE autoresponder_executions SET status = ?, error = ?, outbound_id = ?, updated_at = ? WHERE id = ?').run(v.status, v.error, v.outboundId, now, id)
}
/** Moves the PENDING execution of an outbound row on; returns its autoresponder, or undefined when none waited. */
export function settleByOutbound(ctx: Ctx, outboundId: number, status: ExecStatus, error: string | null, now: number): number | undefined {
  const hit = stmt(
    ctx.sqlite,
    `UPDATE autoresponder_executions SET status = ?, error = ?, updated_at = ? WHERE outbound_id = ? AND status = 'PENDING' RETURNING autoresponder_id AS arId`,
  ).get(status, error, now, outboundId) as { arId: number } | undefined
  return hit?.arId
}

export type ExecutionRow = Omit<Execution, 'contactName' | 'contactEmail' | 'scheduledFor' | 'createdAt'> & {
  firstName: string | null
  lastName: string | null
  email: string | null
  scheduledFor: number
  createdAt: number
}
export function executionRows(ctx: Ctx, q: { autoresponderId: number; status?: ExecStatus; limit: number }): ExecutionRow[] {
  return ctx.sqlite
    .prepare(
      `SELECT e.id, e.autoresponder_id AS autoresponderId, e.action_id AS actionId, a.position AS actionPosition, e.contact_id AS contactId,
              c.first_name AS firstName, c.last_name AS lastName, c.email AS email, e.status, e.error, e.outbound_id AS outboundId,
              e.scheduled_for AS scheduledFor, e.created_at AS createdAt
       FROM autoresponder_executions e JOIN autoresponder_actions a ON a.id = e.action_id LEFT JOIN contacts c ON c.id = e.contact_id
       WHERE e.autoresponder_id = ? ${q.status ? 'AND e.status = ?' : ''} ORDER BY e.id DESC LIMIT ?`,
    )
    .all(...[q.autoresponderId, ...(q.status ? [q.status] : []), q.limit]) as ExecutionRow[]
}

// ---------- date triggers ----------
/** Contacts whose trigger date (field + offset) falls between two local days, optionally among `ids`. */
export function dueOn(ctx: Ctx, ar: ArRow, from: string, to: string, ids?: number[]): Array<{ id: number; d: string }> {
  const offset = `${(ar.triggerOffsetDays ?? 0) >= 0 ? '+' : ''}${ar.triggerOffsetDays ?? 0} days`
  const field = ar.triggerField ?? 'createdAt'
  const dateExpr = field === 'createdAt' ? `date(created_at / 1000, 'unixepoch', ?)` : `date(json_extract(fields_json, ?), ?)`
  const params: unknown[] = field === 'createdAt' ? [offset] : [`$."${field.replace(/"/g, '')}"`, offset]
  const source = ids ? 'json_each(?) j CROSS JOIN contacts c ON c.id = j.value' : 'contacts c'
  const where = ar.objectId !== null ? 'AND primary_object_id = ?' : ''
  return ctx.sqlite
    .prepare(`SELECT id, d FROM (SELECT c.id, c.primary_object_id, ${dateExpr.replace(/created_at|fields_json/g, (m) => `c.${m}`)} AS d FROM ${source}) WHERE d BETWEEN ? AND ? ${where} ORDER BY d, id`)
    .all(...params, ...(ids ? [JSON.stringify(ids)] : []), from, to, ...(ar.objectId !== null ? [ar.objectId] : [])) as Array<{ id: number; d: string }>
}

/** Every business's id (an autoresponder for every business may text from any of them). */
export const objectIds = (ctx: Ctx): number[] => stmtPluck(ctx.sqlite, 'SELECT id FROM objects ORDER BY id').all() as number[]

// ---------- firings waiting for their claim (team workspace, migration 0038) ----------
export interface PendingFiring {
  id: number
  arId: number
  contactId: number
  fireKey: string
  keyTbl: string
  keyRow: number
}
export function addPendingFiring(ctx: Ctx, v: Omit<PendingFiring, 'id'>, now: number): boolean {
  return (
    stmt(ctx.sqlite, 'INSERT OR IGNORE INTO team_pending_firings (autoresponder_id, contact_id, fire_key, key_tbl, key_row, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      v.arId,
      v.contactId,
      v.fireKey,
      v.keyTbl,
      v.keyRow,
      now,
    ).changes > 0
  )
}
export const pendingFirings = (ctx: Ctx, limit: number): PendingFiring[] =>
  stmt(ctx.sqlite, 'SELECT id, autoresponder_id AS arId, contact_id AS contactId, fire_key AS fireKey, key_tbl AS keyTbl, key_row AS keyRow FROM team_pending_firings ORDER BY id LIMIT ?').all(
    limit,
  ) as PendingFiring[]
export const dropPendingFiring = (ctx: Ctx, id: number): void => void stmt(ctx.sqlite, 'DELETE FROM team_pending_firings WHERE id = ?').run(id)
export const hasPendingFirings = (ctx: Ctx): boolean => stmt(ctx.sqlite, 'SELECT 1 FROM team_pending_firings LIMIT 1').get() !== undefined
