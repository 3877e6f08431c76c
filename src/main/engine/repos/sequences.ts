// Sequence queries: definitions (steps, mailboxes), enrolments (sequence_contacts), the messages each
// step sent (sequence_messages), and what the runner reads each tick (due steps, mailbox budgets, windows).
import type { SequenceContact } from '../../../shared/automation'
import type { OutboxChannel, TemplateRef } from '../../../shared/channels'
import type { Ctx } from '../context'
import type { SqlPart } from './segmentSql'
import { stmt } from '../db/stmt'
import { WAITING } from './outbox'

export interface SeqRow {
  id: number
  name: string
  objectId: number
  status: 'active' | 'paused'
  windowJson: string | null
  rotation: number
  createdAt: number
  updatedAt: number
}
export interface StepRow {
  id: number
  position: number
  subject: string
  bodyHtml: string
  waitValue: number
  waitUnit: 'minutes' | 'hours' | 'days'
  /** Issue 17: an email, or a text (body, and a WhatsApp template's ContentSid + variables JSON). */
  channel: OutboxChannel
  textBody: string | null
  contentSid: string | null
  contentVariablesJson: string | null
}
export interface StepIn {
  subject: string
  bodyHtml: string
  wait: { value: number; unit: StepRow['waitUnit'] }
  channel?: OutboxChannel
  body?: string
  template?: TemplateRef
}
type Ids = Array<{ id: number }>
const ids = (rows: unknown): number[] => (rows as Ids).map((r) => r.id)

// ---------- definitions ----------
const SEQ_COLS = 'id, name, object_id AS objectId, status, window_json AS windowJson, rotation, created_at AS createdAt, updated_at AS updatedAt'

export function seqRow(ctx: Ctx, id: number): SeqRow | undefined {
  return stmt(ctx.sqlite, `SELECT ${SEQ_COLS} FROM sequences WHERE id = ?`).get(id) as SeqRow | undefined
}
export function seqRows(ctx: Ctx, objectId?: number): SeqRow[] {
  return (objectId
    ? stmt(ctx.sqlite, `SELECT ${SEQ_COLS} FROM sequences WHERE object_id = ? ORDER BY name COLLATE NOCASE, id`).all(objectId)
    : stmt(ctx.sqlite, `SELECT ${SEQ_COLS} FROM sequences ORDER BY name COLLATE NOCASE, id`).all()) as SeqRow[]
}
export function stepsOf(ctx: Ctx, id: number): StepRow[] {
  return stmt(ctx.sqlite, `SELECT id, position, subject, body_html AS bodyHtml, wait_value AS waitValue, wait_unit AS waitUnit, channel, text_body AS textBody,
            content_sid AS contentSid, content_variables_json AS contentVariablesJson FROM sequence_steps WHERE sequence_id = ? ORDER BY position`).all(
    id,
  ) as StepRow[]
}
export const mailboxesOf = (ctx: Ctx, id: number): number[] =>
  (stmt(ctx.sqlite, 'SELECT mailbox_id AS id FROM sequence_mailboxes WHERE sequence_id = ? ORDER BY position').all(id) as Ids).map((r) => r.id)
/** How many of the sequence's contacts are in each status. */
export function statusCounts(ctx: Ctx, id: number): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const c of stmt(ctx.sqlite, 'SELECT status, count(*) AS n FROM sequence_contacts WHERE sequence_id = ? GROUP BY status').all(id) as Array<{ status: string; n: number }>)
    counts[c.status] = c.n
  return counts
}
export const mailboxOwner = (ctx: Ctx, id: number) =>
  stmt(ctx.sqlite, 'SELECT object_id AS objectId, email FROM mailboxes WHERE id = ?').get(id) as { objectId: number; email: string } | undefined

export function insertSequence(ctx: Ctx, v: { name: string; objectId: number; windowJson: string | null }, now: number): number {
  return Number(
    ctx.sqlite
      .prepare("INSERT INTO sequences (name, object_id, status, window_json, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?)")
      .run(v.name, v.objectId, v.windowJson, now, now).lastInsertRowid,
  )
}
export function updateSequenceRow(ctx: Ctx, id: number, v: { name: string; windowJson: string | null }, now: number): void {
  ctx.sqlite.prepare('UPDATE sequences SET name = ?, window_json = ?, updated_at = ? WHERE id = ?').run(v.name, v.windowJson, now, id)
}
export const setSequenceStatus = (ctx: Ctx, id: number, status: SeqRow['status'], now: number): void =>
  void ctx.sqlite.prepare('UPDATE sequences SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id)
export const setRotation = (ctx: Ctx, id: number, rotation: number): void => void stmt(ctx.sqlite, 'UPDATE sequences SET rotation = ? WHERE id = ?').run(rotation, id)
export const deleteSequenceRow = (ctx: Ctx, id: number): void => void ctx.sqlite.prepare('DELETE FROM sequences WHERE id = ?').run(id)

export function writeSteps(ctx: Ctx, id: number, steps: StepIn[]): void {
  // Steps are replaced by position; contacts keep their position (a shorter sequence completes them).
  ctx.sqlite.prepare('DELETE FROM sequence_steps WHERE sequence_id = ?').run(id)
  const ins = ctx.sqlite.prepare(
    'INSERT INTO sequence_steps (sequence_id, position, subject, body_html, wait_value, wait_unit, channel, text_body, content_sid, content_variables_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  steps.forEach((s, i) =>
    ins.run(id, i + 1, s.subject, s.bodyHtml, s.wait.value, s.wait.unit, s.channel ?? 'email', s.body ?? null, s.template?.contentSid ?? null, s.template ? JSON.stringify(s.template.variables) : null),
  )
}
export function writeMailboxes(ctx: Ctx, id: number, mailboxIds: number[]): void {
  ctx.sqlite.prepare('DELETE FROM sequence_mailboxes WHERE sequence_id = ?').run(id)
  const ins = ctx.sqlite.prepare('INSERT INTO sequence_mailboxes (sequence_id, mailbox_id, position) VALUES (?, ?, ?)')
  mailboxIds.forEach((m, i) => ins.run(id, m, i))
}

// ---------- enrolment ----------
/** Which of these contact ids exist. */
export const existingContacts = (ctx: Ctx, contactIds: number[]): number[] =>
  ids(ctx.sqlite.prepare('SELECT c.id FROM json_each(?) j CROSS JOIN contacts c ON c.id = j.value').all(JSON.stringify(contactIds)))

/**
 * Enrols the candidates (ids and/or a tag's contacts, once each) that are eligible: this business, an
 * email, still active. One INSERT … SELECT enrols them all; the unique key makes it idempotent and
 * mailboxes rotate by row number from `rotation`. Returns the counts before and how many it enrolled.
 */
export function enrolContacts(
  ctx: Ctx,
  seq: Pick<SeqRow, 'id' | 'objectId' | 'rotation'>,
  q: { contactIds: number[]; tagId?: number; segment?: SqlPart; boxes: number[]; firstAt: number; /** issue 17: the sequence has text steps, so a phone will do */ texts?: boolean },
  now: number,
): { total: number; eligible: number; already: number; enrolled: number } {
  const sources: string[] = []
  const params: unknown[] = []
  if (q.contactIds.length) (sources.push('SELECT value AS id FROM json_each(?)'), params.push(JSON.stringify(q.contactIds)))
  if (q.tagId !== undefined) (sources.push('SELECT contact_id AS id FROM contact_tags WHERE tag_id = ?'), params.push(q.tagId))
  // A segment's contacts (issue 19): its compiled condition, resolved now.
  if (q.segment) (sources.push(`SELECT c.id FROM contacts c WHERE ${q.segment.sql}`), params.push(...q.segment.params))
  const cand = `cand AS (${sources.join(' UNION ')})`
  const eligible = `elig AS (SELECT c.id FROM cand CROSS JOIN contacts c ON c.id = cand.id WHERE c.primary_object_id = ? AND ${q.texts ? "(c.email IS NOT NULL OR c.phone != '')" : 'c.email IS NOT NULL'} AND c.status = 'active')`
  const counts = ctx.sqlite
    .prepare(
      `WITH ${cand}, ${eligible} SELECT (SELECT count(*) FROM cand) AS total, (SELECT count(*) FROM elig) AS eligible,
         (SELECT count(*) FROM elig CROSS JOIN sequence_contacts sc ON sc.sequence_id = ? AND sc.contact_id = elig.id) AS already`,
    )
    .get(...params, seq.objectId, seq.id) as { total: number; eligible: number; already: number }
  const n = Math.max(q.boxes.length, 1)
  const enrolled = ctx.sqlite
    .prepare(
      `WITH ${cand}, ${eligible},
         fresh AS (SELECT elig.id, (row_number() OVER (ORDER BY elig.id) - 1 + ?) % ? AS slot FROM elig
                   WHERE NOT EXISTS (SELECT 1 FROM sequence_contacts x WHERE x.sequence_id = ? AND x.contact_id = elig.id))
       INSERT OR IGNORE INTO sequence_contacts (sequence_id, contact_id, status, current_step, next_step_at, mailbox_id, enrolled_at, updated_at)
       SELECT ?, fresh.id, 'active', 1, ?, b.value, ?, ? FROM fresh LEFT JOIN json_each(?) b ON b.key = fresh.slot ORDER BY fresh.id`,
    )
    .run(...params, seq.objectId, seq.rotation, n, seq.id, seq.id, q.firstAt, now, now, JSON.stringify(q.boxes)).changes
  ctx.sqlite.prepare('UPDATE sequences SET rotation = ?, updated_at = ? WHERE id = ?').run((seq.rotation + enrolled) % n, now, seq.id)
  return { ...counts, enrolled }
}

// ---------- enrolments (sequence_contacts) ----------
export function setContact(ctx: Ctx, id: number, sets: Record<string, unknown>, now: number): void {
  const cols = Object.keys(sets)
  stmt(ctx.sqlite, `UPDATE sequence_contacts SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...cols.map((c) => sets[c]), now, id)
}
export const enrolmentOf = (ctx: Ctx, id: number) =>
  stmt(ctx.sqlite, 'SELECT status, pending_outbound_id AS pendingId FROM sequence_contacts WHERE id = ?').get(id) as { status: string; pendingId: number | null } | undefined
/** The running (active or paused) enrolments of a contact. */
export const enrolmentsOfContact = (ctx: Ctx, contactId: number): number[] =>
  ids(stmt(ctx.sqlite, "SELECT id FROM sequence_contacts WHERE contact_id = ? AND status IN ('active', 'paused')").all(contactId))
/** The enrolment a step message belongs to. */
export const enrolmentOfOutbound = (ctx: Ctx, outboundId: number): number[] =>
  ids(stmt(ctx.sqlite, 'SELECT sequence_contact_id AS id FROM sequence_messages WHERE outbound_id = ?').all(outboundId))
/** Active enrolments to pause: the given contacts, or (a whole sequence) those with a step in the outbox. */
export function activeEnrolments(ctx: Ctx, sequenceId: number, contactIds?: number[]): number[] {
  return ids(
    contactIds
      ? ctx.sqlite.prepare(`SELECT sc.id FROM json_each(?) j CROSS JOIN sequence_contacts sc ON sc.contact_id = j.value AND sc.sequence_id = ? WHERE sc.status = 'active'`).all(JSON.stringify(contactIds), sequenceId)
      : ctx.sqlite.prepare("SELECT id FROM sequence_contacts WHERE sequence_id = ? AND status = 'active' AND pending_outbound_id IS NOT NULL").all(sequenceId),
  )
}
export function resumeContacts(ctx: Ctx, sequenceId: number, contactIds: number[], now: number): void {
  ctx.sqlite
    .prepare(`UPDATE sequence_contacts SET status = 'active', last_error = NULL, next_step_at = max(ifnull(next_step_at, ?), ?), updated_at = ? WHERE sequence_id = ? AND status = 'paused' AND contact_id IN (SELECT value FROM json_each(?))`)
    .run(now, now, now, sequenceId, JSON.stringify(contactIds))
}
/** Unlinks every step of a sequence still in the outbox; returns their outbound ids. */
export function detachPending(ctx: Ctx, sequenceId: number): number[] {
  const pending = ids(ctx.sqlite.prepare('SELECT pending_outbound_id AS id FROM sequence_contacts WHERE sequence_id = ? AND pending_outbound_id IS NOT NULL').all(sequenceId))
  ctx.sqlite.prepare('UPDATE sequence_contacts SET pending_outbound_id = NULL WHERE sequence_id = ?').run(sequenceId)
  return pending
}
export const contactStatus = (ctx: Ctx, id: number): string | undefined =>
  (stmt(ctx.sqlite, 'SELECT status FROM contacts WHERE id = ?').get(id) as { status: string } | undefined)?.status

/** An outbound row in one of these went out: the step counts as sent (opens, clicks and a later bounce included). */
const SENT_STATUSES = "'sent', 'delivered', 'opened', 'clicked', 'bounced'"

export interface ContactPageRow {
  id: number
  contactId: number
  firstName: string
  lastName: string
  email: string | null
  status: SequenceContact['status']
  currentStep: number
  nextStepAt: number | null
  mailboxId: number | null
  mailboxEmail: string | null
  lastSentAt: number | null
  lastError: string | null
  pendingStatus: string | null
  pendingAt: number | null
  pendingReason: string | null
  /** [steps whose message went out, the last of them]. */
  sentJson: string
}

/** One page of a sequence's enrolments after id `after`, one row more than `limit` when more follow, and the total. */
export function contactPage(ctx: Ctx, q: { sequenceId: number; status?: SequenceContact['status']; after: number; limit: number }): { rows: ContactPageRow[]; total: number } {
  const where = `sc.sequence_id = ? ${q.status ? 'AND sc.status = ?' : ''}`
  const params: unknown[] = [q.sequenceId, ...(q.status ? [q.status] : [])]
  const total = (ctx.sqlite.prepare(`SELECT count(*) AS n FROM sequence_contacts sc WHERE ${where}`).get(...params) as { n: number }).n
  // The sent steps per page row, through sequence_messages_sc_idx: a page costs the same in a sequence of 100,000.
  const rows = ctx.sqlite
    .prepare(
      `SELECT sc.id, sc.contact_id AS contactId, c.first_name AS firstName, c.last_name AS lastName, c.email, sc.status, sc.current_step AS currentStep,
              sc.next_step_at AS nextStepAt, sc.mailbox_id AS mailboxId, m.email AS mailboxEmail, sc.last_sent_at AS lastSentAt, sc.last_error AS lastError,
              o.status AS pendingStatus, coalesce(o.next_attempt_at, o.scheduled_for) AS pendingAt, o.status_reason AS pendingReason,
              (SELECT json_array(count(DISTINCT sm.step_position), max(sm.step_position)) FROM sequence_messages sm JOIN outbound_messages so ON so.id = sm.outbound_id
                WHERE sm.sequence_contact_id = sc.id AND so.status IN (${SENT_STATUSES})) AS sentJson
       FROM sequence_contacts sc JOIN contacts c ON c.id = sc.contact_id LEFT JOIN mailboxes m ON m.id = sc.mailbox_id
       LEFT JOIN outbound_messages o ON o.id = sc.pending_outbound_id
       WHERE ${where} AND sc.id > ? ORDER BY sc.id LIMIT ?`,
    )
    .all(...params, q.after, q.limit + 1) as ContactPageRow[]
  return { rows, total }
}

// ---------- what the runner reads and writes each tick ----------
export interface DueRow {
  id: number
  sequenceId: number
  contactId: number
  currentStep: number
  nextStepAt: number
  mailboxId: number | null
  firstMessageId: string | null
}
const DUE = `FROM sequence_contacts sc INDEXED BY sequence_contacts_due_idx JOIN sequences s ON s.id = sc.sequence_id
  WHERE sc.status = 'active' AND sc.pending_outbound_id IS NULL AND s.status = 'active'`

/** The earliest due step of an active contact of an active sequence, or null. */
export const firstDueAt = (ctx: Ctx): number | null => (stmt(ctx.sqlite, `SELECT min(sc.next_step_at) AS t ${DUE}`).get() as { t: number | null }).t
export function dueRows(ctx: Ctx, now: number, limit: number): DueRow[] {
  return stmt(
    ctx.sqlite,
    `SELECT sc.id, sc.sequence_id AS sequenceId, sc.contact_id AS contactId, sc.current_step AS currentStep, sc.next_step_at AS nextStepAt,
            sc.mailbox_id AS mailboxId, sc.first_message_id AS firstMessageId
     ${DUE} AND sc.next_step_at <= ? ORDER BY sc.next_step_at, sc.id LIMIT ?`,
  ).all(now, limit) as DueRow[]
}

/** A mailbox's daily cap and zone, what it sent on `day` and how many rows wait for it. */
export function mailboxLoad(ctx: Ctx, mailboxId: number, dayOf: (tz: string) => string): { cap: number; tz: string; sent: number; waiting: number } | undefined {
  const box = stmt(ctx.sqlite, 'SELECT m.daily_capacity AS cap, o.timezone AS tz FROM mailboxes m JOIN objects o ON o.id = m.object_id WHERE m.id = ?').get(mailboxId) as
    | { cap: number; tz: string }
    | undefined
  if (!box) return undefined
  const sent = (stmt(ctx.sqlite, 'SELECT sent FROM mailbox_daily_counts WHERE mailbox_id = ? AND day = ?').get(mailboxId, dayOf(box.tz)) as { sent: number } | undefined)?.sent ?? 0
  const waiting = (stmt(ctx.sqlite, `SELECT count(*) AS n FROM outbound_messages WHERE mailbox_id = ? AND ${WAITING}`).get(mailboxId) as { n: number }).n
  return { ...box, sent, waiting }
}

/** Links a step's outbound row to its enrolment; a step gets `maxAttempts` tries (seed 002). */
export function recordStepMessage(ctx: Ctx, v: { sequenceId: number; scId: number; position: number; outboundId: number; maxAttempts: number }, now: number): void {
  stmt(ctx.sqlite, 'UPDATE outbound_messages SET max_attempts = ? WHERE id = ?').run(v.maxAttempts, v.outboundId)
  stmt(ctx.sqlite, 'INSERT INTO sequence_messages (sequence_id, sequence_contact_id, step_position, outbound_id, created_at) VALUES (?, ?, ?, ?, ?)').run(
    v.sequenceId,
    v.scId,
    v.position,
    v.outboundId,
    now,
  )
}

/** The enrolment whose step in flight is this outbound row. */
export function pendingStepOf(ctx: Ctx, outboundId: number): { scId: number; position: number; sequenceId: number; status: string } | undefined {
  return stmt(
    ctx.sqlite,
    `SELECT sm.sequence_contact_id AS scId, sm.step_position AS position, sm.sequence_id AS sequenceId, sc.status
     FROM sequence_messages sm JOIN sequence_contacts sc ON sc.id = sm.sequence_contact_id WHERE sm.outbound_id = ? AND sc.pending_outbound_id = ?`,
  ).get(outboundId, outboundId) as { scId: number; position: number; sequenceId: number; status: string } | undefined
}

/** The sending window and zone (the contact's, else the object's) of each step message among `rows` whose sequence has a window. */
export function stepWindows(ctx: Ctx, rows: ReadonlyArray<{ id: number; contactId: number | null }>): Array<{ id: number; w: string; tz: string }> {
  return stmt(
    ctx.sqlite,
    `SELECT sm.outbound_id AS id, s.window_json AS w, coalesce(c.timezone, o.timezone) AS tz
     FROM json_each(?) e JOIN sequence_messages sm ON sm.outbound_id = e.value ->> 0
     JOIN sequences s ON s.id = sm.sequence_id JOIN objects o ON o.id = s.object_id LEFT JOIN contacts c ON c.id = e.value ->> 1
     WHERE s.window_json IS NOT NULL`,
  ).all(JSON.stringify(rows.map((r) => [r.id, r.contactId]))) as Array<{ id: number; w: string; tz: string }>
}

// ---------- the outbox rows a stop looks at ----------
export const outboundStatus = (ctx: Ctx, id: number): string | undefined =>
  (stmt(ctx.sqlite, 'SELECT status FROM outbound_messages WHERE id = ?').get(id) as { status: string } | undefined)?.status
export const hasEvent = (ctx: Ctx, outboundId: number, type: string): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM message_events WHERE outbound_id = ? AND type = ?').get(outboundId, type)
