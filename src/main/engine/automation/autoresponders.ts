// Autoresponders (seed 000): a trigger (tag added, contact created, a date) fires ordered actions for a
// contact. Each action of a firing is an execution row plus an outbound row, written together inside the
// transaction that caused the firing (the hook runs in it). The execution then follows its outbound row.
import type { z } from 'zod'
import type { Autoresponder, Delay, Execution, NewAutoresponder, Trigger } from '../../../shared/automation'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { localDay } from '../outbound/localDay'
import { queueMessage } from '../services/outbox'
import { cancelWaiting, WAITING_STATUSES } from '../outbound/cancel'
import { transition } from '../repos/outbox'
import { senderFor } from './sender'
import { renderFor, validateTemplate } from './templates'
import { contactRow, objectRow } from '../repos/templates'

type NewInput = z.output<typeof NewAutoresponder>
type ActionIn = NewInput['actions'][number]

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const
export const delayMs = (d: Delay): number => d.value * UNIT_MS[d.unit]

interface ArRow {
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
interface ActionRow {
  id: number
  position: number
  subject: string
  bodyHtml: string
  delayValue: number
  delayUnit: Delay['unit']
}

const AR_COLS = `id, name, object_id AS objectId, is_active AS isActive, trigger_type AS triggerType, trigger_tag_id AS triggerTagId,
  trigger_field AS triggerField, trigger_offset_days AS triggerOffsetDays, total_sent AS totalSent, total_failed AS totalFailed,
  total_skipped AS totalSkipped, last_fired_at AS lastFiredAt, date_checked_through AS dateCheckedThrough, created_at AS createdAt, updated_at AS updatedAt`

function arRow(ctx: Ctx, id: number): ArRow | undefined {
  return stmt(ctx.sqlite, `SELECT ${AR_COLS} FROM autoresponders WHERE id = ?`).get(id) as ArRow | undefined
}
function actionsOf(ctx: Ctx, id: number): ActionRow[] {
  return stmt(
    ctx.sqlite,
    'SELECT id, position, subject, body_html AS bodyHtml, delay_value AS delayValue, delay_unit AS delayUnit FROM autoresponder_actions WHERE autoresponder_id = ? AND position > 0 ORDER BY position',
  ).all(id) as ActionRow[]
}

function triggerOf(r: ArRow): Trigger {
  if (r.triggerType === 'TAG_ADDED') return { type: 'TAG_ADDED', tagId: r.triggerTagId ?? 0 }
  if (r.triggerType === 'DATE_BASED') return { type: 'DATE_BASED', field: r.triggerField ?? 'createdAt', offsetDays: r.triggerOffsetDays ?? 0 }
  return { type: 'CONTACT_CREATED' }
}

export function toAutoresponder(ctx: Ctx, r: ArRow): Autoresponder {
  return {
    id: r.id,
    name: r.name,
    objectId: r.objectId,
    isActive: r.isActive === 1,
    trigger: triggerOf(r),
    actions: actionsOf(ctx, r.id).map((a) => ({ id: a.id, position: a.position, subject: a.subject, bodyHtml: a.bodyHtml, delay: { value: a.delayValue, unit: a.delayUnit } })),
    totalSent: r.totalSent,
    totalFailed: r.totalFailed,
    totalSkipped: r.totalSkipped,
    lastFiredAt: r.lastFiredAt === null ? null : iso(r.lastFiredAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

export function getAutoresponder(ctx: Ctx, id: number, field = 'id'): Autoresponder {
  const r = arRow(ctx, id)
  if (!r) throw new AppError('NOT_FOUND', `Autoresponder ${id} does not exist`, field)
  return toAutoresponder(ctx, r)
}

export function listAutoresponders(ctx: Ctx, objectId?: number): Autoresponder[] {
  const rows = (objectId
    ? ctx.sqlite.prepare(`SELECT ${AR_COLS} FROM autoresponders WHERE object_id = ? OR object_id IS NULL ORDER BY name COLLATE NOCASE, id`).all(objectId)
    : ctx.sqlite.prepare(`SELECT ${AR_COLS} FROM autoresponders ORDER BY name COLLATE NOCASE, id`).all()) as ArRow[]
  return rows.map((r) => toAutoresponder(ctx, r))
}

/** Save-time checks: the trigger's tag and object exist, every template compiles and names known variables. */
export function validateAutoresponder(ctx: Ctx, v: { objectId?: number | null; trigger?: Trigger; actions?: ActionIn[] }): void {
  if (v.objectId != null && !ctx.sqlite.prepare('SELECT 1 FROM objects WHERE id = ?').get(v.objectId))
    throw new AppError('NOT_FOUND', `Object ${v.objectId} does not exist`, 'objectId')
  if (v.trigger?.type === 'TAG_ADDED' && !ctx.sqlite.prepare('SELECT 1 FROM tags WHERE id = ?').get(v.trigger.tagId))
    throw new AppError('NOT_FOUND', `Tag ${v.trigger.tagId} does not exist`, 'trigger.tagId')
  if (v.trigger?.type === 'DATE_BASED' && v.trigger.field !== 'createdAt' && !/^[A-Za-z0-9_ -]{1,64}$/.test(v.trigger.field))
    throw new AppError('VALIDATION', 'Use createdAt or the name of a custom field that holds a date', 'trigger.field')
  v.actions?.forEach((a, i) => validateTemplate(a.subject, a.bodyHtml, `actions.${i}.`))
}

function writeTrigger(ctx: Ctx, id: number, t: Trigger, now: number): void {
  ctx.sqlite
    .prepare('UPDATE autoresponders SET trigger_type = ?, trigger_tag_id = ?, trigger_field = ?, trigger_offset_days = ?, date_checked_through = NULL, updated_at = ? WHERE id = ?')
    .run(t.type, t.type === 'TAG_ADDED' ? t.tagId : null, t.type === 'DATE_BASED' ? t.field : null, t.type === 'DATE_BASED' ? t.offsetDays : null, now, id)
}

function writeActions(ctx: Ctx, id: number, actions: ActionIn[], now: number): void {
  // Past executions keep pointing at the actions they ran, so old actions are kept only while referenced.
  ctx.sqlite.prepare('DELETE FROM autoresponder_actions WHERE autoresponder_id = ? AND id NOT IN (SELECT action_id FROM autoresponder_executions WHERE autoresponder_id = ?)').run(id, id)
  ctx.sqlite.prepare('UPDATE autoresponder_actions SET position = -id WHERE autoresponder_id = ?').run(id)
  const ins = ctx.sqlite.prepare('INSERT INTO autoresponder_actions (autoresponder_id, position, subject, body_html, delay_value, delay_unit, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
  actions.forEach((a, i) => ins.run(id, i + 1, a.subject, a.bodyHtml, a.delay.value, a.delay.unit, now))
}

export function createAutoresponder(ctx: Ctx, input: NewInput): Autoresponder {
  validateAutoresponder(ctx, input)
  const now = ctx.clock.now()
  const id = ctx.sqlite.transaction(() => {
    const id = Number(
      ctx.sqlite
        .prepare("INSERT INTO autoresponders (name, object_id, is_active, trigger_type, created_at, updated_at) VALUES (?, ?, ?, 'CONTACT_CREATED', ?, ?)")
        .run(input.name, input.objectId ?? null, input.isActive ? 1 : 0, now, now).lastInsertRowid,
    )
    writeTrigger(ctx, id, input.trigger, now)
    writeActions(ctx, id, input.actions, now)
    return id
  })()
  return getAutoresponder(ctx, id)
}

export function updateAutoresponder(ctx: Ctx, input: { id: number; name?: string; objectId?: number | null; isActive?: boolean; trigger?: Trigger; actions?: ActionIn[] }): Autoresponder {
  const cur = arRow(ctx, input.id)
  if (!cur) throw new AppError('NOT_FOUND', `Autoresponder ${input.id} does not exist`, 'id')
  validateAutoresponder(ctx, input)
  const now = ctx.clock.now()
  ctx.sqlite.transaction(() => {
    ctx.sqlite
      .prepare('UPDATE autoresponders SET name = ?, object_id = ?, is_active = ?, updated_at = ? WHERE id = ?')
      .run(input.name ?? cur.name, input.objectId !== undefined ? input.objectId : cur.objectId, input.isActive === undefined ? cur.isActive : input.isActive ? 1 : 0, now, input.id)
    if (input.trigger && JSON.stringify(input.trigger) !== JSON.stringify(triggerOf(cur))) writeTrigger(ctx, input.id, input.trigger, now)
    if (input.actions) writeActions(ctx, input.id, input.actions, now)
  })()
  return getAutoresponder(ctx, input.id)
}

/** Deletes it; actions still waiting in the outbox (delayed ones) are withdrawn with it. */
export function deleteAutoresponder(ctx: Ctx, id: number): number {
  return ctx.sqlite.transaction(() => {
    const pending = ctx.sqlite.prepare("SELECT outbound_id AS id FROM autoresponder_executions WHERE autoresponder_id = ? AND status = 'PENDING' AND outbound_id IS NOT NULL").all(id) as Array<{ id: number }>
    for (const p of pending)
      cancelWaiting(ctx, p.id, 'The autoresponder was deleted')
    return ctx.sqlite.prepare('DELETE FROM autoresponders WHERE id = ?').run(id).changes
  })()
}

export function listExecutions(ctx: Ctx, input: { autoresponderId: number; status?: Execution['status']; limit: number }): Execution[] {
  getAutoresponder(ctx, input.autoresponderId, 'autoresponderId')
  const rows = ctx.sqlite
    .prepare(
      `SELECT e.id, e.autoresponder_id AS autoresponderId, e.action_id AS actionId, a.position AS actionPosition, e.contact_id AS contactId,
              c.first_name AS firstName, c.last_name AS lastName, c.email AS email, e.status, e.error, e.outbound_id AS outboundId,
              e.scheduled_for AS scheduledFor, e.created_at AS createdAt
       FROM autoresponder_executions e JOIN autoresponder_actions a ON a.id = e.action_id LEFT JOIN contacts c ON c.id = e.contact_id
       WHERE e.autoresponder_id = ? ${input.status ? 'AND e.status = ?' : ''} ORDER BY e.id DESC LIMIT ?`,
    )
    .all(...[input.autoresponderId, ...(input.status ? [input.status] : []), input.limit]) as Array<
    Omit<Execution, 'contactName' | 'contactEmail' | 'scheduledFor' | 'createdAt'> & { firstName: string | null; lastName: string | null; email: string | null; scheduledFor: number; createdAt: number }
  >
  return rows.map(({ firstName, lastName, email, ...r }) => ({
    ...r,
    actionPosition: Math.max(r.actionPosition, 0),
    contactName: `${firstName ?? ''} ${lastName ?? ''}`.trim() || (email ?? (r.contactId ? `Contact ${r.contactId}` : 'Deleted contact')),
    contactEmail: email,
    scheduledFor: iso(r.scheduledFor),
    createdAt: iso(r.createdAt),
  }))
}

// ---------- firing ----------
type ExecStatus = Execution['status']
const COUNTER: Record<ExecStatus, string | null> = { PENDING: null, SENT: 'total_sent', FAILED: 'total_failed', SKIPPED: 'total_skipped' }

function bump(ctx: Ctx, arId: number, status: ExecStatus): void {
  const col = COUNTER[status]
  if (col) stmt(ctx.sqlite, `UPDATE autoresponders SET ${col} = ${col} + 1 WHERE id = ?`).run(arId)
}

/**
 * Fires an autoresponder for some contacts. Call inside the transaction that caused it. Actions go out in
 * order, each `delay` after the one before. `fireKey` makes a firing happen once ('created', a date).
 * Returns how many executions were written.
 */
export function fire(ctx: Ctx, ar: ArRow, contactIds: number[], fireKey: string): number {
  const actions = actionsOf(ctx, ar.id)
  if (!actions.length) return 0
  const now = ctx.clock.now()
  let written = 0
  const insert = stmt(
    ctx.sqlite,
    `INSERT OR IGNORE INTO autoresponder_executions (autoresponder_id, action_id, contact_id, fire_key, status, scheduled_for, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)`,
  )
  const settle = stmt(ctx.sqlite, 'UPDATE autoresponder_executions SET status = ?, error = ?, outbound_id = ?, updated_at = ? WHERE id = ?')
  for (const contactId of contactIds) {
    const contact = contactRow(ctx, contactId)
    if (!contact) continue
    if (ar.objectId !== null && contact.primaryObjectId !== ar.objectId) continue
    let at = now
    for (const a of actions) {
      at += delayMs({ value: a.delayValue, unit: a.delayUnit })
      const ins = insert.run(ar.id, a.id, contactId, fireKey, at, now, now)
      if (!ins.changes) continue // this firing already happened
      written++
      const execId = Number(ins.lastInsertRowid)
      const out = outcome(ctx, ar, a, contact, fireKey, at)
      if (out.status !== 'PENDING' || out.outboundId !== null) settle.run(out.status, out.error, out.outboundId, now, execId)
      bump(ctx, ar.id, out.status)
    }
  }
  if (written) stmt(ctx.sqlite, 'UPDATE autoresponders SET last_fired_at = ? WHERE id = ?').run(now, ar.id)
  return written
}

function outcome(
  ctx: Ctx,
  ar: ArRow,
  a: ActionRow,
  contact: NonNullable<ReturnType<typeof contactRow>>,
  fireKey: string,
  at: number,
): { status: ExecStatus; error: string | null; outboundId: number | null } {
  const sender = senderFor(ctx, contact.primaryObjectId)
  if (!sender.ok) return { status: 'FAILED', error: sender.error, outboundId: null }
  if (!contact.email) return { status: 'SKIPPED', error: 'The contact has no email address', outboundId: null }
  const object = objectRow(ctx, sender.profile.objectId)!
  try {
    const r = renderFor(ctx, { subject: a.subject, html: a.bodyHtml, subjectField: 'subject', htmlField: 'bodyHtml' }, contact, object, sender.profile)
    const row = queueMessage(ctx, {
      profileId: sender.profile.id,
      to: [contact.email],
      subject: r.subject,
      html: r.html,
      text: r.text,
      headers: r.headers,
      contactId: contact.id,
      sendAt: at,
      source: 'autoresponder',
      idempotencyKey: `ar:${ar.id}:a:${a.id}:c:${contact.id}:${fireKey}`,
    })
    if (row.status === 'skipped') return { status: 'SKIPPED', error: row.statusReason, outboundId: row.id }
    return { status: 'PENDING', error: null, outboundId: row.id }
  } catch (err) {
    if (err instanceof AppError) {
      // A template that cannot be filled for this contact is skipped with the reason, never sent blank.
      if (err.field === 'subject' || err.field === 'bodyHtml') return { status: 'SKIPPED', error: err.message, outboundId: null }
      return { status: 'FAILED', error: err.message, outboundId: null }
    }
    throw err
  }
}

/** An outbound row moved: its execution follows (sent → SENT, failed → FAILED with the error, …). */
export function followOutbound(ctx: Ctx, outboundId: number, status: string, detail: string | null): void {
  let next: ExecStatus | null = null
  let error: string | null = null
  if (status === 'sent' || status === 'delivered') next = 'SENT'
  else if (status === 'failed' || status === 'bounced') (next = 'FAILED'), (error = detail ?? status)
  else if (status === 'skipped' || status === 'cancelled') (next = 'SKIPPED'), (error = detail ?? (status === 'cancelled' ? 'Cancelled' : 'Skipped'))
  if (!next) return
  const hit = stmt(
    ctx.sqlite,
    `UPDATE autoresponder_executions SET status = ?, error = ?, updated_at = ? WHERE outbound_id = ? AND status = 'PENDING' RETURNING autoresponder_id AS arId`,
  ).get(next, error, ctx.clock.now(), outboundId) as { arId: number } | undefined
  if (hit) bump(ctx, hit.arId, next)
}

/**
 * A contact unsubscribed, complained or bounced: actions still waiting in the outbox (delayed ones) are
 * skipped with the reason instead of going out later.
 */
export function skipPendingFor(ctx: Ctx, contactId: number, reason: string): number {
  const rows = stmt(ctx.sqlite, "SELECT outbound_id AS id FROM autoresponder_executions WHERE contact_id = ? AND status = 'PENDING' AND outbound_id IS NOT NULL").all(contactId) as Array<{ id: number }>
  let n = 0
  for (const r of rows)
    if (transition(ctx, r.id, WAITING_STATUSES, { status: 'skipped', statusReason: reason, nextAttemptAt: null }, 'skipped', reason)) n++
  return n
}

// ---------- triggers ----------
function activeWith(ctx: Ctx, type: Trigger['type']): ArRow[] {
  return stmt(ctx.sqlite, `SELECT ${AR_COLS} FROM autoresponders WHERE trigger_type = ? AND is_active = 1 ORDER BY id`).all(type) as ArRow[]
}

export function onContactsCreated(ctx: Ctx, ids: number[]): void {
  for (const ar of activeWith(ctx, 'CONTACT_CREATED')) fire(ctx, ar, ids, 'created')
  // A contact added after today's date check, whose date is today, still gets today's message.
  for (const ar of activeWith(ctx, 'DATE_BASED')) {
    if (!ar.dateCheckedThrough) continue
    const tz = (ar.objectId !== null && objectRow(ctx, ar.objectId)?.timezone) || 'UTC'
    const today = localDay(ctx.clock.now(), tz)
    if (ar.dateCheckedThrough < today) continue // the next check covers it
    const hits = dueOn(ctx, ar, today, today, ids)
    if (hits.length) fire(ctx, ar, hits.map((h) => h.id), today)
  }
}

/** Contacts whose trigger date (field + offset) falls between two local days, optionally among `ids`. */
function dueOn(ctx: Ctx, ar: ArRow, from: string, to: string, ids?: number[]): Array<{ id: number; d: string }> {
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

export function onContactsTagged(ctx: Ctx, contactIds: number[], tagId: number): void {
  for (const ar of activeWith(ctx, 'TAG_ADDED')) if (ar.triggerTagId === tagId) fire(ctx, ar, contactIds, `tag:${ctx.clock.now()}`)
}

const MAX_CATCH_UP_DAYS = 60
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

/**
 * The daily check of date triggers. Each day since the last check (up to 60 days back, so a laptop that
 * was closed catches up) fires for the contacts whose date lands on it; the unique fire key (the date)
 * keeps a day from firing twice, across restarts too. Runs in one transaction per autoresponder.
 */
export function checkDates(ctx: Ctx): number {
  const now = ctx.clock.now()
  let fired = 0
  for (const ar of activeWith(ctx, 'DATE_BASED')) {
    const tz = (ar.objectId !== null && objectRow(ctx, ar.objectId)?.timezone) || 'UTC'
    const today = localDay(now, tz)
    let from = ar.dateCheckedThrough ? addDays(ar.dateCheckedThrough, 1) : localDay(ar.updatedAt, tz)
    if (from < addDays(today, -MAX_CATCH_UP_DAYS)) from = addDays(today, -MAX_CATCH_UP_DAYS)
    if (from > today) continue
    const rows = dueOn(ctx, ar, from, today)
    ctx.sqlite
      .transaction(() => {
        const byDay = new Map<string, number[]>()
        for (const r of rows) byDay.set(r.d, [...(byDay.get(r.d) ?? []), r.id])
        for (const [day, ids] of byDay) fired += fire(ctx, ar, ids, day)
        stmt(ctx.sqlite, 'UPDATE autoresponders SET date_checked_through = ? WHERE id = ?').run(today, ar.id)
      })
      .immediate()
  }
  return fired
}

/** When the next daily check is due: the next local midnight of any date trigger's zone. */
export function nextDateCheck(ctx: Ctx, nextMidnight: (ms: number, tz: string) => number): number {
  const now = ctx.clock.now()
  let at = Infinity
  for (const ar of activeWith(ctx, 'DATE_BASED')) {
    const tz = (ar.objectId !== null && objectRow(ctx, ar.objectId)?.timezone) || 'UTC'
    at = Math.min(at, nextMidnight(now, tz))
  }
  return at
}
