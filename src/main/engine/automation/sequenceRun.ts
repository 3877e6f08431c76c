// Sending a sequence: due steps become outbound rows (materialize); the outbox tells us when a step went
// out, and the next step is scheduled inside that same transaction (the 'outbound.status' hook runs in
// the scheduler's). Replies, bounces and unsubscribes stop a contact; pause/resume per sequence or contact.
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { addEvent, WAITING, type OutboxRow } from '../repos/outbox'
import { cancelWaiting } from '../outbound/cancel'
import { localDay, nextLocalMidnight } from '../outbound/localDay'
import { queueMessage } from '../services/outbox'
import { profileOfMailbox } from './sender'
import { nextAllowed, parseWindow } from './sendWindow'
import { mailboxesOf, seqRow, stepsOf, stepWaitMs } from './sequences'
import { renderFor } from './templates'
import { contactRow, objectRow } from '../repos/templates'

/** Three failed attempts (seed 002), then permanent_failure and the sequence contact bounced. */
export const SEQUENCE_MAX_ATTEMPTS = 3

interface DueRow {
  id: number
  sequenceId: number
  contactId: number
  currentStep: number
  nextStepAt: number
  mailboxId: number | null
  firstMessageId: string | null
}

const now = (ctx: Ctx) => ctx.clock.now()

function setContact(ctx: Ctx, id: number, sets: Record<string, unknown>): void {
  const cols = Object.keys(sets)
  stmt(ctx.sqlite, `UPDATE sequence_contacts SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...cols.map((c) => sets[c]), now(ctx), id)
}

const CONTACT_STOP: Record<string, string> = { unsubscribed: 'unsubscribed', complained: 'unsubscribed', bounced: 'bounced' }

/** The next moment a due step is held back to: earliest due step of an active contact of an active sequence. */
export function nextDueAt(ctx: Ctx): number {
  const r = stmt(
    ctx.sqlite,
    `SELECT min(sc.next_step_at) AS t FROM sequence_contacts sc INDEXED BY sequence_contacts_due_idx JOIN sequences s ON s.id = sc.sequence_id
     WHERE sc.status = 'active' AND sc.pending_outbound_id IS NULL AND s.status = 'active'`,
  ).get() as { t: number | null }
  return r.t ?? Infinity
}

/** Turns up to `limit` due steps into outbound rows, in one transaction. Returns how many were handled. */
export function materializeDue(ctx: Ctx, limit = 200): number {
  return ctx.sqlite
    .transaction(() => {
      const t = now(ctx)
      const due = stmt(
        ctx.sqlite,
        `SELECT sc.id, sc.sequence_id AS sequenceId, sc.contact_id AS contactId, sc.current_step AS currentStep, sc.next_step_at AS nextStepAt,
                sc.mailbox_id AS mailboxId, sc.first_message_id AS firstMessageId
         FROM sequence_contacts sc INDEXED BY sequence_contacts_due_idx JOIN sequences s ON s.id = sc.sequence_id
         WHERE sc.status = 'active' AND sc.pending_outbound_id IS NULL AND sc.next_step_at <= ? AND s.status = 'active'
         ORDER BY sc.next_step_at, sc.id LIMIT ?`,
      ).all(t, limit) as DueRow[]
      const seqs = new Map<number, SeqInfo>()
      const budgets = new Map<number, Budget>()
      for (const d of due) {
        let info = seqs.get(d.sequenceId)
        if (!info) {
          const seq = seqRow(ctx, d.sequenceId)!
          seqs.set(d.sequenceId, (info = { seq, steps: stepsOf(ctx, seq.id), boxes: mailboxesOf(ctx, seq.id), object: objectRow(ctx, seq.objectId)! }))
        }
        materializeOne(ctx, d, t, info, budgets)
      }
      return due.length
    })
    .immediate()
}

/** What every contact of one sequence shares, read once per batch. */
interface SeqInfo {
  seq: NonNullable<ReturnType<typeof seqRow>>
  steps: ReturnType<typeof stepsOf>
  boxes: number[]
  object: NonNullable<ReturnType<typeof objectRow>>
}

/**
 * What a mailbox can still send today: its cap less what it sent and what already waits for it. Steps
 * beyond that are not written into the outbox yet (a 100,000-contact enrolment would otherwise park
 * 100,000 rows as held); they wait for the mailbox's next local day.
 */
interface Budget {
  left: number
  nextDay: number
}
function budgetOf(ctx: Ctx, budgets: Map<number, Budget>, mailboxId: number, t: number): Budget {
  let b = budgets.get(mailboxId)
  if (b) return b
  const box = stmt(ctx.sqlite, 'SELECT m.daily_capacity AS cap, o.timezone AS tz FROM mailboxes m JOIN objects o ON o.id = m.object_id WHERE m.id = ?').get(mailboxId) as
    | { cap: number; tz: string }
    | undefined
  if (!box) return { left: Infinity, nextDay: t }
  const sent = (stmt(ctx.sqlite, 'SELECT sent FROM mailbox_daily_counts WHERE mailbox_id = ? AND day = ?').get(mailboxId, localDay(t, box.tz)) as { sent: number } | undefined)?.sent ?? 0
  const waiting = (stmt(ctx.sqlite, `SELECT count(*) AS n FROM outbound_messages WHERE mailbox_id = ? AND ${WAITING}`).get(mailboxId) as { n: number }).n
  budgets.set(mailboxId, (b = { left: box.cap - sent - waiting, nextDay: nextLocalMidnight(t, box.tz) }))
  return b
}

function materializeOne(ctx: Ctx, d: DueRow, t: number, info: SeqInfo, budgets: Map<number, Budget>): void {
  const { seq, steps, boxes, object } = info
  const step = steps.find((s) => s.position === d.currentStep)
  if (!step) return setContact(ctx, d.id, { status: 'completed', next_step_at: null })
  const contact = contactRow(ctx, d.contactId)
  if (!contact) return setContact(ctx, d.id, { status: 'failed', last_error: 'The contact was deleted' })
  const cstatus = (stmt(ctx.sqlite, 'SELECT status FROM contacts WHERE id = ?').get(d.contactId) as { status: string }).status
  if (CONTACT_STOP[cstatus]) return setContact(ctx, d.id, { status: CONTACT_STOP[cstatus], last_error: `The contact is ${cstatus}` })
  if (!contact.email) return setContact(ctx, d.id, { status: 'failed', last_error: 'The contact has no email address' })

  // A contact keeps the mailbox that sent its first step; before that, a mailbox dropped from the
  // sequence is replaced by the next in the rotation.
  let mailboxId = d.mailboxId
  if (mailboxId === null || (d.firstMessageId === null && !boxes.includes(mailboxId))) {
    if (!boxes.length) return setContact(ctx, d.id, { status: 'failed', last_error: 'The sequence has no mailbox' })
    mailboxId = boxes[seq.rotation % boxes.length]!
    seq.rotation = (seq.rotation + 1) % boxes.length
    stmt(ctx.sqlite, 'UPDATE sequences SET rotation = ? WHERE id = ?').run(seq.rotation, seq.id)
  }
  const profile = profileOfMailbox(ctx, mailboxId)
  if (!profile) return setContact(ctx, d.id, { status: 'failed', last_error: 'The mailbox has no active sender profile', mailbox_id: mailboxId })
  const budget = budgetOf(ctx, budgets, mailboxId, t)
  if (budget.left <= 0) return setContact(ctx, d.id, { next_step_at: budget.nextDay, mailbox_id: mailboxId })
  let rendered
  try {
    rendered = renderFor(ctx, { subject: step.subject, html: step.bodyHtml, subjectField: 'subject', htmlField: 'bodyHtml' }, contact, object, profile)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    // Never a blank send: the step is skipped with the reason, and the contact stops here.
    return setContact(ctx, d.id, { status: 'failed', last_error: `Step ${step.position} skipped: ${err.message}`, mailbox_id: mailboxId })
  }
  const window = parseWindow(seq.windowJson)
  const sendAt = window ? nextAllowed(Math.max(t, d.nextStepAt), window, contact.timezone ?? object.timezone) : t
  const headers = { ...rendered.headers }
  if (step.position > 1 && d.firstMessageId) {
    headers['In-Reply-To'] = d.firstMessageId
    headers['References'] = d.firstMessageId
  }
  let row: OutboxRow
  try {
    row = queueMessage(ctx, { profileId: profile.id, to: [contact.email], subject: rendered.subject, html: rendered.html, text: rendered.text, headers, contactId: contact.id, sendAt, source: 'sequence' })
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return setContact(ctx, d.id, { status: 'failed', last_error: err.message, mailbox_id: mailboxId })
  }
  stmt(ctx.sqlite, 'UPDATE outbound_messages SET max_attempts = ? WHERE id = ?').run(SEQUENCE_MAX_ATTEMPTS, row.id)
  stmt(ctx.sqlite, 'INSERT INTO sequence_messages (sequence_id, sequence_contact_id, step_position, outbound_id, created_at) VALUES (?, ?, ?, ?, ?)').run(seq.id, d.id, step.position, row.id, t)
  if (row.status === 'skipped') return setContact(ctx, d.id, { status: 'failed', last_error: row.statusReason, mailbox_id: mailboxId })
  budget.left--
  setContact(ctx, d.id, { pending_outbound_id: row.id, mailbox_id: mailboxId, first_message_id: d.firstMessageId ?? row.messageId, last_error: null })
}

/** The outbox moved a row; if it is a contact's pending step, the contact moves with it. */
export function followOutbound(ctx: Ctx, outboundId: number, status: string, detail: string | null): boolean {
  if (status !== 'sent' && status !== 'failed' && status !== 'skipped' && status !== 'cancelled') return false
  const m = stmt(
    ctx.sqlite,
    `SELECT sm.sequence_contact_id AS scId, sm.step_position AS position, sm.sequence_id AS sequenceId, sc.status
     FROM sequence_messages sm JOIN sequence_contacts sc ON sc.id = sm.sequence_contact_id WHERE sm.outbound_id = ? AND sc.pending_outbound_id = ?`,
  ).get(outboundId, outboundId) as { scId: number; position: number; sequenceId: number; status: string } | undefined
  if (!m) return false
  const t = now(ctx)
  if (status === 'sent') {
    const steps = stepsOf(ctx, m.sequenceId)
    const next = steps.find((s) => s.position === m.position + 1)
    // The next step is scheduled here, in the transaction that records this one as sent.
    if (next) {
      setContact(ctx, m.scId, { pending_outbound_id: null, last_sent_at: t, current_step: next.position, next_step_at: t + stepWaitMs(next) })
      return true
    } else setContact(ctx, m.scId, { pending_outbound_id: null, last_sent_at: t, status: m.status === 'active' || m.status === 'paused' ? 'completed' : m.status, next_step_at: null })
  } else if (status === 'failed') {
    setContact(ctx, m.scId, { pending_outbound_id: null, status: 'bounced', last_error: `permanent_failure: ${detail ?? 'the message could not be sent'}` })
  } else if (status === 'skipped') {
    setContact(ctx, m.scId, { pending_outbound_id: null, status: 'failed', last_error: detail ?? 'Skipped' })
  } else {
    setContact(ctx, m.scId, { pending_outbound_id: null, ...(m.status === 'active' ? { status: 'paused' } : {}), last_error: 'The message was cancelled in the outbox' })
  }
  return false
}

/** Cancels a contact's step that has not left yet (the link is dropped first, so the cancel is not followed). */
function cancelPending(ctx: Ctx, scId: number, reason: string): void {
  const r = stmt(ctx.sqlite, 'SELECT pending_outbound_id AS id FROM sequence_contacts WHERE id = ?').get(scId) as { id: number | null } | undefined
  if (!r?.id) return
  setContact(ctx, scId, { pending_outbound_id: null })
  cancelWaiting(ctx, r.id, reason)
}

/** Stops enrolments for good (reply, bounce, unsubscribe). Returns how many stopped. */
function stop(ctx: Ctx, scIds: number[], status: 'replied' | 'bounced' | 'unsubscribed', why: string): number {
  let n = 0
  for (const id of scIds) {
    const sc = stmt(ctx.sqlite, 'SELECT status FROM sequence_contacts WHERE id = ?').get(id) as { status: string } | undefined
    if (!sc || (sc.status !== 'active' && sc.status !== 'paused')) continue
    cancelPending(ctx, id, why)
    setContact(ctx, id, { status, next_step_at: null, last_error: status === 'replied' ? null : why })
    n++
  }
  return n
}

const enrolmentsOfContact = (ctx: Ctx, contactId: number): number[] =>
  (stmt(ctx.sqlite, "SELECT id FROM sequence_contacts WHERE contact_id = ? AND status IN ('active', 'paused')").all(contactId) as Array<{ id: number }>).map((r) => r.id)
const enrolmentOfOutbound = (ctx: Ctx, outboundId: number | null): number[] =>
  outboundId === null ? [] : (stmt(ctx.sqlite, 'SELECT sequence_contact_id AS id FROM sequence_messages WHERE outbound_id = ?').all(outboundId) as Array<{ id: number }>).map((r) => r.id)

const exists = (ctx: Ctx, outboundId: number) => !!stmt(ctx.sqlite, 'SELECT 1 FROM outbound_messages WHERE id = ?').get(outboundId)

/** A real reply (the inbound engine never reports auto-replies here) stops the contact's sequences. */
export function onReplied(ctx: Ctx, p: { outboundId: number; contactId: number | null }): number {
  // Analytics count replies from the event log (once per message, whoever else records it).
  // (A hook listener must not throw: a reply to a row deleted since is only a stop, not an event.)
  if (exists(ctx, p.outboundId) && !stmt(ctx.sqlite, "SELECT 1 FROM message_events WHERE outbound_id = ? AND type = 'replied'").get(p.outboundId)) addEvent(ctx, p.outboundId, 'replied', null)
  const ids = new Set([...enrolmentOfOutbound(ctx, p.outboundId), ...(p.contactId !== null ? enrolmentsOfContact(ctx, p.contactId) : [])])
  return stop(ctx, [...ids], 'replied', 'The contact replied')
}

export function onBounced(ctx: Ctx, p: { outboundId: number | null; contactId: number | null; email: string }): number {
  if (p.outboundId !== null && exists(ctx, p.outboundId) && !stmt(ctx.sqlite, "SELECT 1 FROM message_events WHERE outbound_id = ? AND type = 'bounced'").get(p.outboundId))
    addEvent(ctx, p.outboundId, 'bounced', p.email)
  const ids = new Set([...enrolmentOfOutbound(ctx, p.outboundId), ...(p.contactId !== null ? enrolmentsOfContact(ctx, p.contactId) : [])])
  return stop(ctx, [...ids], 'bounced', `${p.email} bounced`)
}

export function onUnsubscribed(ctx: Ctx, p: { contactId: number; reason: string }): number {
  return stop(ctx, enrolmentsOfContact(ctx, p.contactId), 'unsubscribed', `The contact ${p.reason === 'complained' ? 'complained' : 'unsubscribed'}`)
}

// ---------- pause / resume ----------
export function pause(ctx: Ctx, sequenceId: number, contactIds?: number[]): void {
  const t = now(ctx)
  ctx.sqlite.transaction(() => {
    const rows = contactIds
      ? (ctx.sqlite.prepare(`SELECT sc.id FROM json_each(?) j CROSS JOIN sequence_contacts sc ON sc.contact_id = j.value AND sc.sequence_id = ? WHERE sc.status = 'active'`).all(JSON.stringify(contactIds), sequenceId) as Array<{ id: number }>)
      : (ctx.sqlite.prepare("SELECT id FROM sequence_contacts WHERE sequence_id = ? AND status = 'active' AND pending_outbound_id IS NOT NULL").all(sequenceId) as Array<{ id: number }>)
    if (!contactIds) ctx.sqlite.prepare("UPDATE sequences SET status = 'paused', updated_at = ? WHERE id = ?").run(t, sequenceId)
    for (const { id } of rows) {
      // A step that has not left yet goes back to waiting; on resume it is due again at once.
      const pending = (stmt(ctx.sqlite, 'SELECT pending_outbound_id AS p FROM sequence_contacts WHERE id = ?').get(id) as { p: number | null }).p
      if (pending) {
        cancelPending(ctx, id, 'The sequence was paused')
        const stillPending = stmt(ctx.sqlite, "SELECT 1 FROM outbound_messages WHERE id = ? AND status = 'sending'").get(pending)
        // A step already being sent cannot be pulled back: keep following it.
        if (stillPending) setContact(ctx, id, { pending_outbound_id: pending })
        else setContact(ctx, id, { next_step_at: t })
      }
      if (contactIds) setContact(ctx, id, { status: 'paused' })
    }
  })()
}

export function resume(ctx: Ctx, sequenceId: number, contactIds?: number[]): void {
  const t = now(ctx)
  ctx.sqlite.transaction(() => {
    if (contactIds) {
      ctx.sqlite
        .prepare(`UPDATE sequence_contacts SET status = 'active', last_error = NULL, next_step_at = max(ifnull(next_step_at, ?), ?), updated_at = ? WHERE sequence_id = ? AND status = 'paused' AND contact_id IN (SELECT value FROM json_each(?))`)
        .run(t, t, t, sequenceId, JSON.stringify(contactIds))
    } else ctx.sqlite.prepare("UPDATE sequences SET status = 'active', updated_at = ? WHERE id = ?").run(t, sequenceId)
  })()
}

type WindowRow = Pick<OutboxRow, 'id' | 'source' | 'contactId'>

/**
 * For the scheduler: the next allowed instant at or after `at` for each sequence row that has a sending
 * window (rows without one are absent). One query for the whole batch, and the local-time arithmetic once
 * per distinct window and time zone: a claim of 100 steps costs about what one did.
 */
export function windowsAllow(ctx: Ctx, rows: readonly WindowRow[], at: number): Map<number, number> {
  const out = new Map<number, number>()
  const steps = rows.filter((r) => r.source === 'sequence')
  if (!steps.length) return out
  const found = stmt(
    ctx.sqlite,
    `SELECT sm.outbound_id AS id, s.window_json AS w, coalesce(c.timezone, o.timezone) AS tz
     FROM json_each(?) e JOIN sequence_messages sm ON sm.outbound_id = e.value ->> 0
     JOIN sequences s ON s.id = sm.sequence_id JOIN objects o ON o.id = s.object_id LEFT JOIN contacts c ON c.id = e.value ->> 1
     WHERE s.window_json IS NOT NULL`,
  ).all(JSON.stringify(steps.map((r) => [r.id, r.contactId]))) as Array<{ id: number; w: string; tz: string }>
  const memo = new Map<string, number | null>()
  for (const f of found) {
    const key = `${f.w}\u0000${f.tz}`
    let next = memo.get(key)
    if (next === undefined) {
      const window = parseWindow(f.w)
      next = window ? nextAllowed(at, window, f.tz) : null
      memo.set(key, next)
    }
    if (next !== null) out.set(f.id, next)
  }
  return out
}
