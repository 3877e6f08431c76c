// Sending a sequence, tick by tick: due steps become outbound rows (materializeDue); the outbox tells us
// when a step went out, and the next step is scheduled inside that same transaction (followOutbound runs
// in the 'outbound.status' hook, in the scheduler's transaction). The rules that stop or pause a contact
// are services/sequences.ts.
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { localDay, nextLocalMidnight } from '../outbound/localDay'
import type { OutboxRow } from '../repos/outbox'
import * as repo from '../repos/sequences'
import type { DueRow, SeqRow, StepRow } from '../repos/sequences'
import { contactRow, objectRow } from '../repos/templates'
import type { QueueInput } from '../services/outbox'
import type { TextChannel } from '../../../shared/channels'
import { activeProfile, profileOfMailbox } from './sender'
import { delayMs, nextAllowed, parseWindow } from './sendWindow'
import { renderFor } from './templates'
import { CHANNEL_NAMES, queueTextStep } from './textStep'
import { stepKey, teamStepGate, teamStepWaitMs, unpushedRow, type StepKey } from '../team/stepClaims'

/** Three failed attempts (seed 002), then permanent_failure and the sequence contact bounced. */
export const SEQUENCE_MAX_ATTEMPTS = 3

/** The outbox's one door (services/outbox.ts queueMessage), handed in by the service that runs the ticks. */
export type QueueMessage = (ctx: Ctx, input: QueueInput) => OutboxRow

export const stepWaitMs = (s: Pick<StepRow, 'waitValue' | 'waitUnit'>) => delayMs({ value: s.waitValue, unit: s.waitUnit })
const setContact = (ctx: Ctx, id: number, sets: Record<string, unknown>) => repo.setContact(ctx, id, sets, ctx.clock.now())

const CONTACT_STOP: Record<string, string> = { unsubscribed: 'unsubscribed', complained: 'unsubscribed', bounced: 'bounced' }

/** The turn (clock ms) whose due steps were not all this desktop's to take (team workspace: claims). */
const heldBack = new WeakMap<Ctx['sqlite'], number>()

/**
 * The next moment a due step is held back to: earliest due step of an active contact of an active sequence. In a
 * team workspace, steps another desktop holds (or whose claims are being asked for) are asked again after a
 * while, or at once when a claim is won (the step book wakes the runner): the runner does not spin meanwhile.
 */
export function nextDueAt(ctx: Ctx): number {
  const at = repo.firstDueAt(ctx) ?? Infinity
  const held = heldBack.get(ctx.sqlite)
  if (held === undefined || at > held) return at
  return Math.max(at, ctx.clock.now() + Math.min(teamStepWaitMs(ctx), 60_000))
}

/**
 * The claim of one due step across desktops: the enrolment and which occurrence of which step (a step withdrawn
 * and resumed comes due again at another instant: a new piece of work).
 */
export const stepClaimKey = (d: Pick<DueRow, 'id' | 'currentStep' | 'nextStepAt'>): StepKey => stepKey('seq', d.id, d.currentStep, d.nextStepAt)

/**
 * Turns up to `limit` due steps into outbound rows, in one transaction. Returns how many were handled. In a team
 * workspace only the steps this desktop holds the claim of (or whose enrolment is still its own, not yet pushed)
 * are handled; everything done to a step (queued, deferred to the next day, failed) is done under its claim.
 */
export function materializeDue(ctx: Ctx, queue: QueueMessage, limit = 200): number {
  return ctx.sqlite
    .transaction(() => {
      const t = ctx.clock.now()
      const found = repo.dueRows(ctx, t, limit)
      const due = teamStepGate(ctx, found, stepClaimKey, (d) => unpushedRow(ctx, 'sequence_contacts', d.id))
      if (due.length < found.length) heldBack.set(ctx.sqlite, t)
      else heldBack.delete(ctx.sqlite)
      const seqs = new Map<number, SeqInfo>()
      const budgets = new Map<number, Budget>()
      for (const d of due) {
        let info = seqs.get(d.sequenceId)
        if (!info) {
          const seq = repo.seqRow(ctx, d.sequenceId)!
          seqs.set(d.sequenceId, (info = { seq, steps: repo.stepsOf(ctx, seq.id), boxes: repo.mailboxesOf(ctx, seq.id), object: objectRow(ctx, seq.objectId)! }))
        }
        materializeOne(ctx, queue, d, t, info, budgets)
      }
      return due.length
    })
    .immediate()
}

/** What every contact of one sequence shares, read once per batch. */
interface SeqInfo {
  seq: SeqRow
  steps: StepRow[]
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
  const load = repo.mailboxLoad(ctx, mailboxId, (tz) => localDay(t, tz))
  if (!load) return { left: Infinity, nextDay: t }
  budgets.set(mailboxId, (b = { left: load.cap - load.sent - load.waiting, nextDay: nextLocalMidnight(t, load.tz) }))
  return b
}

function materializeOne(ctx: Ctx, queue: QueueMessage, d: DueRow, t: number, info: SeqInfo, budgets: Map<number, Budget>): void {
  const { seq, steps, boxes, object } = info
  const step = steps.find((s) => s.position === d.currentStep)
  if (!step) return setContact(ctx, d.id, { status: 'completed', next_step_at: null })
  const contact = contactRow(ctx, d.contactId)
  if (!contact) return setContact(ctx, d.id, { status: 'failed', last_error: 'The contact was deleted' })
  const cstatus = repo.contactStatus(ctx, d.contactId)!
  if (CONTACT_STOP[cstatus]) return setContact(ctx, d.id, { status: CONTACT_STOP[cstatus], last_error: `The contact is ${cstatus}` })
  if (step.channel !== 'email') return materializeText(ctx, d, t, info, step, contact)
  if (!contact.email) {
    // In a sequence that also texts, a contact enrolled by phone has its email steps skipped, not the rest.
    if (steps.some((s) => s.channel !== 'email')) return void goOn(ctx, d.id, steps, step.position, t, `Step ${step.position} (Email) skipped: The contact has no email address`)
    return setContact(ctx, d.id, { status: 'failed', last_error: 'The contact has no email address' })
  }

  // A contact keeps the mailbox that sent its first step; before that, a mailbox dropped from the
  // sequence is replaced by the next in the rotation.
  let mailboxId = d.mailboxId
  if (mailboxId === null || (d.firstMessageId === null && !boxes.includes(mailboxId))) {
    if (!boxes.length) return setContact(ctx, d.id, { status: 'failed', last_error: 'The sequence has no mailbox' })
    mailboxId = boxes[seq.rotation % boxes.length]!
    seq.rotation = (seq.rotation + 1) % boxes.length
    repo.setRotation(ctx, seq.id, seq.rotation)
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
    row = queue(ctx, { profileId: profile.id, to: [contact.email], subject: rendered.subject, html: rendered.html, text: rendered.text, headers, contactId: contact.id, sendAt, source: 'sequence', clean: rendered.clean })
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return setContact(ctx, d.id, { status: 'failed', last_error: err.message, mailbox_id: mailboxId })
  }
  repo.recordStepMessage(ctx, { sequenceId: seq.id, scId: d.id, position: step.position, outboundId: row.id, maxAttempts: SEQUENCE_MAX_ATTEMPTS }, t)
  if (row.status === 'skipped') return setContact(ctx, d.id, { status: 'failed', last_error: row.statusReason, mailbox_id: mailboxId })
  budget.left--
  setContact(ctx, d.id, { pending_outbound_id: row.id, mailbox_id: mailboxId, first_message_id: d.firstMessageId ?? row.messageId, last_error: null })
}

/**
 * A text step (issue 17 item 7): no mailbox, cap or threading; queued through the channels code. A contact
 * with no number, opted out of the channel or outside WhatsApp's window has the step skipped with the
 * reason, and the sequence goes on to its next step (as Lemlist does).
 */
function materializeText(ctx: Ctx, d: DueRow, t: number, info: SeqInfo, step: StepRow, contact: NonNullable<ReturnType<typeof contactRow>>): void {
  const { seq, steps, object } = info
  const channel = step.channel as TextChannel
  const label = `Step ${step.position} (${CHANNEL_NAMES[channel]})`
  const window = parseWindow(seq.windowJson)
  const sendAt = window ? nextAllowed(Math.max(t, d.nextStepAt), window, contact.timezone ?? object.timezone) : t
  const out = queueTextStep(ctx, step as StepRow & { channel: TextChannel }, contact, object, activeProfile(ctx, seq.objectId) ?? null, { sendAt, source: 'sequence', field: 'body' })
  if (out.kind === 'failed') return setContact(ctx, d.id, { status: 'failed', last_error: `${label}: ${out.reason}` })
  if (out.kind === 'unfillable') return setContact(ctx, d.id, { status: 'failed', last_error: `${label} skipped: ${out.reason}` })
  if (out.row) repo.recordStepMessage(ctx, { sequenceId: seq.id, scId: d.id, position: step.position, outboundId: out.row.id, maxAttempts: SEQUENCE_MAX_ATTEMPTS }, t)
  if (out.kind === 'skipped') return void goOn(ctx, d.id, steps, step.position, t, `${label} skipped: ${out.reason}`)
  setContact(ctx, d.id, { pending_outbound_id: out.row.id, last_error: null })
}

/** Past a step that was skipped for this contact: the next one after its wait, or completed. True when a next step was scheduled. */
function goOn(ctx: Ctx, scId: number, steps: StepRow[], position: number, t: number, why: string): boolean {
  const next = steps.find((s) => s.position === position + 1)
  if (next) {
    setContact(ctx, scId, { pending_outbound_id: null, current_step: next.position, next_step_at: t + stepWaitMs(next), last_error: why })
    return true
  }
  setContact(ctx, scId, { pending_outbound_id: null, status: 'completed', next_step_at: null, last_error: why })
  return false
}

/** A text the contact cannot get (opted out since it was queued, or WhatsApp's window closed): skipped, not a bounce. */
const contactCannotGet = (detail: string | null) => !!detail && (detail.startsWith('The contact opted out') || detail.startsWith('Outside WhatsApp'))

/** The outbox moved a row; if it is a contact's pending step, the contact moves with it. True when a next step was scheduled. */
export function followOutbound(ctx: Ctx, outboundId: number, status: string, detail: string | null): boolean {
  if (status !== 'sent' && status !== 'failed' && status !== 'skipped' && status !== 'cancelled') return false
  const m = repo.pendingStepOf(ctx, outboundId)
  if (!m) return false
  const t = ctx.clock.now()
  // A text step withdrawn or refused because the contact opted out (or WhatsApp's window closed) is skipped: the sequence goes on.
  if ((status === 'cancelled' || status === 'failed') && contactCannotGet(detail) && m.status === 'active') {
    const steps = repo.stepsOf(ctx, m.sequenceId)
    const step = steps.find((s) => s.position === m.position)
    if (step && step.channel !== 'email') return goOn(ctx, m.scId, steps, m.position, t, `Step ${m.position} (${CHANNEL_NAMES[step.channel]}) skipped: ${detail}`)
  }
  if (status === 'sent') {
    const next = repo.stepsOf(ctx, m.sequenceId).find((s) => s.position === m.position + 1)
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
  const memo = new Map<string, number | null>()
  for (const f of repo.stepWindows(ctx, steps)) {
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
