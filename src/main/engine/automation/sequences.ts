// Sequences (seed 002): ordered steps with waits, enrolment by selection, tag or CSV, mailboxes rotated
// across contacts. This file holds definitions and enrolment; sequenceRun.ts sends the steps.
import type { z } from 'zod'
import type { Enroll, NewSequence, Sequence, SequenceContact, SequencePatch, SendWindow } from '../../../shared/automation'
import { AppError } from '../../../shared/result'
import type { HoldReason } from '../../../shared/outbound'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { delayMs } from './autoresponders'
import { profileOfMailbox } from './sender'
import { parseWindow } from './sendWindow'
import { validateTemplate } from './templates'

type NewInput = z.output<typeof NewSequence>
type PatchInput = z.output<typeof SequencePatch>
type StepIn = NewInput['steps'][number]

interface SeqRow {
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
}

const SEQ_COLS = 'id, name, object_id AS objectId, status, window_json AS windowJson, rotation, created_at AS createdAt, updated_at AS updatedAt'

export function seqRow(ctx: Ctx, id: number): SeqRow | undefined {
  return stmt(ctx.sqlite, `SELECT ${SEQ_COLS} FROM sequences WHERE id = ?`).get(id) as SeqRow | undefined
}
export function stepsOf(ctx: Ctx, id: number): StepRow[] {
  return stmt(ctx.sqlite, 'SELECT id, position, subject, body_html AS bodyHtml, wait_value AS waitValue, wait_unit AS waitUnit FROM sequence_steps WHERE sequence_id = ? ORDER BY position').all(
    id,
  ) as StepRow[]
}
export function mailboxesOf(ctx: Ctx, id: number): number[] {
  return (stmt(ctx.sqlite, 'SELECT mailbox_id AS id FROM sequence_mailboxes WHERE sequence_id = ? ORDER BY position').all(id) as Array<{ id: number }>).map((r) => r.id)
}
export const stepWaitMs = (s: Pick<StepRow, 'waitValue' | 'waitUnit'>) => delayMs({ value: s.waitValue, unit: s.waitUnit })

function toSequence(ctx: Ctx, r: SeqRow): Sequence {
  const counts: Record<string, number> = {}
  for (const c of stmt(ctx.sqlite, 'SELECT status, count(*) AS n FROM sequence_contacts WHERE sequence_id = ? GROUP BY status').all(r.id) as Array<{ status: string; n: number }>)
    counts[c.status] = c.n
  return {
    id: r.id,
    name: r.name,
    objectId: r.objectId,
    status: r.status,
    steps: stepsOf(ctx, r.id).map((s) => ({ id: s.id, position: s.position, subject: s.subject, bodyHtml: s.bodyHtml, wait: { value: s.waitValue, unit: s.waitUnit } })),
    mailboxIds: mailboxesOf(ctx, r.id),
    window: parseWindow(r.windowJson),
    counts,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

export function getSequence(ctx: Ctx, id: number, field = 'id'): Sequence {
  const r = seqRow(ctx, id)
  if (!r) throw new AppError('NOT_FOUND', `Sequence ${id} does not exist`, field)
  return toSequence(ctx, r)
}

export function listSequences(ctx: Ctx, objectId?: number): Sequence[] {
  const rows = (objectId
    ? ctx.sqlite.prepare(`SELECT ${SEQ_COLS} FROM sequences WHERE object_id = ? ORDER BY name COLLATE NOCASE, id`).all(objectId)
    : ctx.sqlite.prepare(`SELECT ${SEQ_COLS} FROM sequences ORDER BY name COLLATE NOCASE, id`).all()) as SeqRow[]
  return rows.map((r) => toSequence(ctx, r))
}

function validate(ctx: Ctx, objectId: number, v: { steps?: StepIn[]; mailboxIds?: number[] }): void {
  v.steps?.forEach((s, i) => validateTemplate(s.subject, s.bodyHtml, `steps.${i}.`))
  v.mailboxIds?.forEach((id, i) => {
    const m = ctx.sqlite.prepare('SELECT object_id AS objectId, email FROM mailboxes WHERE id = ?').get(id) as { objectId: number; email: string } | undefined
    if (!m) throw new AppError('NOT_FOUND', `Mailbox ${id} does not exist`, `mailboxIds.${i}`)
    if (m.objectId !== objectId) throw new AppError('VALIDATION', `${m.email} belongs to another business`, `mailboxIds.${i}`)
    if (!profileOfMailbox(ctx, id)) throw new AppError('VALIDATION', `${m.email} has no active sender profile to send as`, `mailboxIds.${i}`)
  })
  if (v.mailboxIds && new Set(v.mailboxIds).size !== v.mailboxIds.length) throw new AppError('VALIDATION', 'A mailbox is listed twice', 'mailboxIds')
}

function writeSteps(ctx: Ctx, id: number, steps: StepIn[]): void {
  // Steps are replaced by position; contacts keep their position (a shorter sequence completes them).
  ctx.sqlite.prepare('DELETE FROM sequence_steps WHERE sequence_id = ?').run(id)
  const ins = ctx.sqlite.prepare('INSERT INTO sequence_steps (sequence_id, position, subject, body_html, wait_value, wait_unit) VALUES (?, ?, ?, ?, ?, ?)')
  steps.forEach((s, i) => ins.run(id, i + 1, s.subject, s.bodyHtml, s.wait.value, s.wait.unit))
}
function writeMailboxes(ctx: Ctx, id: number, ids: number[]): void {
  ctx.sqlite.prepare('DELETE FROM sequence_mailboxes WHERE sequence_id = ?').run(id)
  const ins = ctx.sqlite.prepare('INSERT INTO sequence_mailboxes (sequence_id, mailbox_id, position) VALUES (?, ?, ?)')
  ids.forEach((m, i) => ins.run(id, m, i))
}

export function createSequence(ctx: Ctx, input: NewInput): Sequence {
  if (!ctx.sqlite.prepare('SELECT 1 FROM objects WHERE id = ?').get(input.objectId)) throw new AppError('NOT_FOUND', `Object ${input.objectId} does not exist`, 'objectId')
  validate(ctx, input.objectId, input)
  const now = ctx.clock.now()
  const id = ctx.sqlite.transaction(() => {
    const id = Number(
      ctx.sqlite
        .prepare("INSERT INTO sequences (name, object_id, status, window_json, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?)")
        .run(input.name, input.objectId, input.window ? JSON.stringify(input.window) : null, now, now).lastInsertRowid,
    )
    writeSteps(ctx, id, input.steps)
    writeMailboxes(ctx, id, input.mailboxIds)
    return id
  })()
  return getSequence(ctx, id)
}

export function updateSequence(ctx: Ctx, input: PatchInput): Sequence {
  const cur = seqRow(ctx, input.id)
  if (!cur) throw new AppError('NOT_FOUND', `Sequence ${input.id} does not exist`, 'id')
  validate(ctx, cur.objectId, input)
  const now = ctx.clock.now()
  ctx.sqlite.transaction(() => {
    const window = input.window === undefined ? cur.windowJson : input.window ? JSON.stringify(input.window satisfies SendWindow) : null
    ctx.sqlite.prepare('UPDATE sequences SET name = ?, window_json = ?, updated_at = ? WHERE id = ?').run(input.name ?? cur.name, window, now, input.id)
    if (input.steps) writeSteps(ctx, input.id, input.steps)
    if (input.mailboxIds) writeMailboxes(ctx, input.id, input.mailboxIds)
  })()
  return getSequence(ctx, input.id)
}

// ---------- enrolment ----------
type EnrollInput = z.output<typeof Enroll>

/**
 * Enrols contacts (by id, by tag, or both) in one transaction. Idempotent: a contact already in the
 * sequence is counted, not enrolled again. Contacts of another business, without an email or no longer
 * active are skipped. Mailboxes rotate across new contacts from where the last enrolment stopped.
 */
export function enroll(ctx: Ctx, input: EnrollInput, segment?: { sql: string; params: unknown[] }): { enrolled: number; alreadyEnrolled: number; skipped: number } {
  const seq = seqRow(ctx, input.sequenceId)
  if (!seq) throw new AppError('NOT_FOUND', `Sequence ${input.sequenceId} does not exist`, 'sequenceId')
  const steps = stepsOf(ctx, seq.id)
  const boxes = mailboxesOf(ctx, seq.id)
  if (input.tagId !== undefined && !ctx.sqlite.prepare('SELECT 1 FROM tags WHERE id = ?').get(input.tagId)) throw new AppError('NOT_FOUND', `Tag ${input.tagId} does not exist`, 'tagId')
  const now = ctx.clock.now()
  const firstAt = now + (steps[0] ? stepWaitMs(steps[0]) : 0)
  const ids = input.contactIds?.length ? [...new Set(input.contactIds)] : []
  if (ids.length) {
    const found = (ctx.sqlite.prepare('SELECT count(*) AS n FROM json_each(?) j CROSS JOIN contacts c ON c.id = j.value').get(JSON.stringify(ids)) as { n: number }).n
    if (found !== ids.length) {
      const known = new Set((ctx.sqlite.prepare('SELECT c.id FROM json_each(?) j CROSS JOIN contacts c ON c.id = j.value').all(JSON.stringify(ids)) as Array<{ id: number }>).map((r) => r.id))
      throw new AppError('NOT_FOUND', `Contact ${ids.find((id) => !known.has(id))} does not exist`, 'contactIds')
    }
  }
  // The candidates (ids and/or a tag's contacts, once each), then the eligible ones: this business, an
  // email, still active. One INSERT … SELECT enrols them all; the unique key makes it idempotent and
  // mailboxes rotate by row number from where the last enrolment stopped.
  const sources: string[] = []
  const params: unknown[] = []
  if (ids.length) (sources.push('SELECT value AS id FROM json_each(?)'), params.push(JSON.stringify(ids)))
  if (input.tagId !== undefined) (sources.push('SELECT contact_id AS id FROM contact_tags WHERE tag_id = ?'), params.push(input.tagId))
  // A segment's contacts (issue 19): its compiled condition, resolved now.
  if (segment) (sources.push(`SELECT c.id FROM contacts c WHERE ${segment.sql}`), params.push(...segment.params))
  const cand = `cand AS (${sources.join(' UNION ')})`
  const eligible = `elig AS (SELECT c.id FROM cand CROSS JOIN contacts c ON c.id = cand.id WHERE c.primary_object_id = ? AND c.email IS NOT NULL AND c.status = 'active')`
  return ctx.sqlite.transaction(() => {
    const counts = ctx.sqlite
      .prepare(
        `WITH ${cand}, ${eligible} SELECT (SELECT count(*) FROM cand) AS total, (SELECT count(*) FROM elig) AS eligible,
           (SELECT count(*) FROM elig CROSS JOIN sequence_contacts sc ON sc.sequence_id = ? AND sc.contact_id = elig.id) AS already`,
      )
      .get(...params, seq.objectId, seq.id) as { total: number; eligible: number; already: number }
    const n = Math.max(boxes.length, 1)
    const enrolled = ctx.sqlite
      .prepare(
        `WITH ${cand}, ${eligible},
           fresh AS (SELECT elig.id, (row_number() OVER (ORDER BY elig.id) - 1 + ?) % ? AS slot FROM elig
                     WHERE NOT EXISTS (SELECT 1 FROM sequence_contacts x WHERE x.sequence_id = ? AND x.contact_id = elig.id))
         INSERT OR IGNORE INTO sequence_contacts (sequence_id, contact_id, status, current_step, next_step_at, mailbox_id, enrolled_at, updated_at)
         SELECT ?, fresh.id, 'active', 1, ?, b.value, ?, ? FROM fresh LEFT JOIN json_each(?) b ON b.key = fresh.slot ORDER BY fresh.id`,
      )
      .run(...params, seq.objectId, seq.rotation, n, seq.id, seq.id, firstAt, now, now, JSON.stringify(boxes)).changes
    ctx.sqlite.prepare('UPDATE sequences SET rotation = ?, updated_at = ? WHERE id = ?').run((seq.rotation + enrolled) % n, now, seq.id)
    return { enrolled, alreadyEnrolled: counts.already, skipped: counts.total - counts.eligible }
  })()
}

// ---------- the per-contact table ----------
/** An outbound row in one of these went out: the step counts as sent (opens, clicks and a later bounce included). */
const SENT_STATUSES = "'sent', 'delivered', 'opened', 'clicked', 'bounced'"
const HOLD_WORDS: Record<HoldReason, string> = {
  offline: 'Waiting for the network',
  unreachable: 'Can’t reach the mail server',
  capacity: 'Daily limit reached',
  window: 'Outside the sending window',
  auth: 'Mailbox sign-in failed',
  paused: 'Mailbox paused',
}

const sentOf = (json: string): { stepsSent: number; lastSentStep: number | null } => {
  const [n, last] = JSON.parse(json) as [number, number | null]
  return { stepsSent: n, lastSentStep: last }
}

interface ProgressRow {
  status: SequenceContact['status']
  currentStep: number
  nextStepAt: number | null
  lastError: string | null
  pendingStatus: string | null
  pendingAt: number | null
  pendingReason: string | null
  stepsSent: number | null
  lastSentStep: number | null
}

/**
 * Where a contact really stands, from the rows that say so: the steps whose messages went out, the
 * outbox row of the step in flight (its own send time, not the moment it was written), and why it stopped.
 */
export function progressOf(r: ProgressRow, sequenceStatus: string, stepCount: number) {
  const stepsSent = r.stepsSent ?? 0
  const lastSentStep = r.lastSentStep ?? null
  const running = r.status === 'active' || r.status === 'paused'
  const after = lastSentStep ? ` after step ${lastSentStep}` : ' before the first step'
  let stoppedReason: string | null = null
  if (r.status === 'replied') stoppedReason = `Replied${after}`
  else if (r.status === 'bounced') stoppedReason = `Bounced${after}${r.lastError ? `: ${r.lastError.replace(/^permanent_failure: /, '')}` : ''}`
  else if (r.status === 'unsubscribed') stoppedReason = `Unsubscribed${after}`
  else if (r.status === 'failed') stoppedReason = r.lastError ?? `Stopped${after}`
  if (!running) return { nextStepAt: null, stepsSent, lastSentStep, nextStep: null, nextState: null, heldReason: null, stoppedReason }

  const nextStep = Math.min(r.currentStep, stepCount)
  const paused = r.status === 'paused' || sequenceStatus === 'paused'
  let nextState: SequenceContact['nextState'] = 'waiting'
  let at = r.nextStepAt
  let heldReason: string | null = null
  if (r.pendingStatus) {
    at = r.pendingAt
    if (r.pendingStatus === 'sending') nextState = 'sending'
    else if (r.pendingStatus === 'retry_wait') nextState = 'retrying'
    else if (r.pendingStatus === 'held') {
      nextState = 'held'
      heldReason = (r.pendingReason && HOLD_WORDS[r.pendingReason as HoldReason]) || r.pendingReason || 'Held by its mailbox'
    } else nextState = 'scheduled'
  }
  if (paused && nextState !== 'sending') nextState = 'paused'
  return { nextStepAt: at === null ? null : iso(at), stepsSent, lastSentStep, nextStep, nextState, heldReason, stoppedReason }
}

export function listSequenceContacts(ctx: Ctx, input: { sequenceId: number; status?: SequenceContact['status']; cursor?: string; limit: number }) {
  const seq = getSequence(ctx, input.sequenceId, 'sequenceId')
  const seqStatus = seq.status
  const stepCount = seq.steps.length
  const after = input.cursor ? Number(input.cursor) : 0
  if (!Number.isInteger(after) || after < 0) throw new AppError('VALIDATION', 'Not a valid cursor', 'cursor')
  const where = `sc.sequence_id = ? ${input.status ? 'AND sc.status = ?' : ''}`
  const params: unknown[] = [input.sequenceId, ...(input.status ? [input.status] : [])]
  const total = (ctx.sqlite.prepare(`SELECT count(*) AS n FROM sequence_contacts sc WHERE ${where}`).get(...params) as { n: number }).n
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
    .all(...params, after, input.limit + 1) as Array<{
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
    sentJson: string
  }>
  const more = rows.length > input.limit
  const items: SequenceContact[] = rows.slice(0, input.limit).map((r) => ({
    id: r.id,
    contactId: r.contactId,
    name: `${r.firstName} ${r.lastName}`.trim() || (r.email ?? ''),
    email: r.email ?? '',
    status: r.status,
    currentStep: r.currentStep,
    mailboxId: r.mailboxId,
    mailboxEmail: r.mailboxEmail,
    lastSentAt: r.lastSentAt === null ? null : iso(r.lastSentAt),
    lastError: r.lastError,
    // Per page row, through sequence_messages_sc_idx: a page costs the same in a sequence of 100,000.
    ...progressOf({ ...r, ...sentOf(r.sentJson) }, seqStatus, stepCount),
  }))
  return { items, total, nextCursor: more ? String(items[items.length - 1]!.id) : null }
}
