// Sequences (seed 002): ordered steps with waits, enrolment by selection, tag or CSV, mailboxes rotated
// across contacts; pause and resume; replies, bounces and unsubscribes stop a contact. Sending the steps
// is automation/sequenceRun.ts.
import type { z } from 'zod'
import type { Enroll, NewSequence, Sequence, SequenceContact, SequencePatch } from '../../../shared/automation'
import type { HoldReason } from '../../../shared/outbound'
import { AppError, found } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { segmentCondition } from './segments'
import { automationChanged, changeAutomation } from '../automation/runner'
import { profileOfMailbox } from '../automation/sender'
import { stepWaitMs } from '../automation/sequenceRun'
import { parseWindow } from '../automation/sendWindow'
import { validateTemplate } from '../automation/templates'
import { messageFieldsOf, validateMessages } from '../automation/textStep'
import { cancelWaiting } from '../outbound/cancel'
import { cleanTemplates } from '../outbound/outgoingHtml'
import { objectExists, tagExists } from '../repos/automation'
import { decodeIntCursor, encodeCursor } from '../repos/cursor'
import { addEvent } from '../repos/outbox'
import * as repo from '../repos/sequences'
import type { SeqRow, StepIn } from '../repos/sequences'
import { assertMaySendFrom } from './permissions'

const setContact = (ctx: Ctx, id: number, sets: Record<string, unknown>) => repo.setContact(ctx, id, sets, ctx.clock.now())

function toSequence(ctx: Ctx, r: SeqRow): Sequence {
  return {
    id: r.id,
    name: r.name,
    objectId: r.objectId,
    status: r.status,
    steps: repo.stepsOf(ctx, r.id).map((s) => ({ id: s.id, position: s.position, subject: s.subject, bodyHtml: s.bodyHtml, wait: { value: s.waitValue, unit: s.waitUnit }, ...messageFieldsOf(s) })),
    mailboxIds: repo.mailboxesOf(ctx, r.id),
    window: parseWindow(r.windowJson),
    counts: repo.statusCounts(ctx, r.id),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

const requireRow = (ctx: Ctx, id: number, field = 'id'): SeqRow => found(repo.seqRow(ctx, id), 'Sequence', id, field)

export const getSequence = (ctx: Ctx, id: number, field = 'id'): Sequence => toSequence(ctx, requireRow(ctx, id, field))
export const listSequences = (ctx: Ctx, objectId?: number): Sequence[] => repo.seqRows(ctx, objectId).map((r) => toSequence(ctx, r))

function validate(ctx: Ctx, objectId: number, v: { steps?: StepIn[]; mailboxIds?: number[] }): void {
  if (v.steps) validateMessages(ctx, v.steps, 'steps', [objectId], validateTemplate)
  v.mailboxIds?.forEach((id, i) => {
    const m = repo.mailboxOwner(ctx, id)
    if (!m) throw new AppError('NOT_FOUND', `Mailbox ${id} does not exist`, `mailboxIds.${i}`)
    if (m.objectId !== objectId) throw new AppError('VALIDATION', `${m.email} belongs to another business`, `mailboxIds.${i}`)
    const sender = profileOfMailbox(ctx, id)
    if (!sender) throw new AppError('VALIDATION', `${m.email} has no active sender profile to send as`, `mailboxIds.${i}`)
    // Each mailbox sends as its own profile: a staff member rotates only through senders assigned to them.
    assertMaySendFrom(ctx, sender.id, `mailboxIds.${i}`)
  })
  if (v.mailboxIds && new Set(v.mailboxIds).size !== v.mailboxIds.length) throw new AppError('VALIDATION', 'A mailbox is listed twice', 'mailboxIds')
}

export function createSequence(ctx: Ctx, input: z.output<typeof NewSequence>): Sequence {
  if (!objectExists(ctx, input.objectId)) throw new AppError('NOT_FOUND', `Business ${input.objectId} does not exist`, 'objectId')
  const steps = cleanTemplates(input.steps)!
  validate(ctx, input.objectId, { ...input, steps })
  const now = ctx.clock.now()
  const id = changeAutomation(ctx, 'sequences', () => {
    const id = repo.insertSequence(ctx, { name: input.name, objectId: input.objectId, windowJson: input.window ? JSON.stringify(input.window) : null }, now)
    repo.writeSteps(ctx, id, steps)
    repo.writeMailboxes(ctx, id, input.mailboxIds)
    return id
  })
  return getSequence(ctx, id)
}

export function updateSequence(ctx: Ctx, input: z.output<typeof SequencePatch>): Sequence {
  const cur = requireRow(ctx, input.id)
  const steps = cleanTemplates(input.steps)
  validate(ctx, cur.objectId, { ...input, steps })
  const now = ctx.clock.now()
  changeAutomation(ctx, 'sequences', () => {
    const windowJson = input.window === undefined ? cur.windowJson : input.window ? JSON.stringify(input.window) : null
    repo.updateSequenceRow(ctx, input.id, { name: input.name ?? cur.name, windowJson }, now)
    if (steps) repo.writeSteps(ctx, input.id, steps)
    if (input.mailboxIds) repo.writeMailboxes(ctx, input.id, input.mailboxIds)
  })
  return getSequence(ctx, input.id)
}

/** Deletes it; steps not yet sent are withdrawn from the outbox with the sequence. */
export function deleteSequence(ctx: Ctx, id: number): { id: number; deleted: true } {
  requireRow(ctx, id)
  changeAutomation(ctx, 'sequences', () => {
    for (const outboundId of repo.detachPending(ctx, id)) cancelWaiting(ctx, outboundId, 'The sequence was deleted')
    repo.deleteSequenceRow(ctx, id)
  })
  return { id, deleted: true }
}

// ---------- enrolment ----------
/**
 * Enrols contacts (by id, by tag, by segment, or several) in one transaction. Idempotent: a contact already in the
 * sequence is counted, not enrolled again. Contacts of another business, without an email (or, when it texts, a phone) or no longer
 * active are skipped. Mailboxes rotate across new contacts from where the last enrolment stopped.
 * Callers that enrol inside a larger write (contacts.import) call automationChanged themselves.
 */
export function enroll(ctx: Ctx, input: z.output<typeof Enroll>): { enrolled: number; alreadyEnrolled: number; skipped: number } {
  const seq = requireRow(ctx, input.sequenceId, 'sequenceId')
  const steps = repo.stepsOf(ctx, seq.id)
  const boxes = repo.mailboxesOf(ctx, seq.id)
  if (input.tagId !== undefined && !tagExists(ctx, input.tagId)) throw new AppError('NOT_FOUND', `Tag ${input.tagId} does not exist`, 'tagId')
  const now = ctx.clock.now()
  const firstAt = now + (steps[0] ? stepWaitMs(steps[0]) : 0)
  const contactIds = input.contactIds?.length ? [...new Set(input.contactIds)] : []
  if (contactIds.length) {
    const known = new Set(repo.existingContacts(ctx, contactIds))
    const missing = contactIds.find((id) => !known.has(id))
    if (missing !== undefined) throw new AppError('NOT_FOUND', `Contact ${missing} does not exist`, 'contactIds')
  }
  const segment = input.segmentId === undefined ? undefined : segmentCondition(ctx, input.segmentId)
  const r = ctx.sqlite.transaction(() => repo.enrolContacts(ctx, seq, { contactIds, tagId: input.tagId, segment, boxes, firstAt, texts: steps.some((s) => s.channel !== 'email') }, now))()
  return { enrolled: r.enrolled, alreadyEnrolled: r.already, skipped: r.total - r.eligible }
}

/**
 * A person who enrols contacts has the sequence's mail sent through its mailboxes' senders: a staff member may enrol
 * only in a sequence whose every mailbox sends as a profile assigned to them (permissions.ts). Automation that enrols
 * (an intake rule, a flow step) was set up earlier and is not asked again.
 */
export function assertMayEnrol(ctx: Ctx, sequenceId: number, field = 'sequenceId'): void {
  for (const box of repo.mailboxesOf(ctx, sequenceId)) {
    const sender = profileOfMailbox(ctx, box)
    if (sender) assertMaySendFrom(ctx, sender.id, field)
  }
}

export function enrollAndWake(ctx: Ctx, input: z.output<typeof Enroll>): ReturnType<typeof enroll> {
  requireRow(ctx, input.sequenceId, 'sequenceId')
  assertMayEnrol(ctx, input.sequenceId)
  const r = enroll(ctx, input)
  automationChanged(ctx, 'sequences')
  return r
}

// ---------- stopping, pausing, resuming ----------
/** Cancels a contact's step that has not left yet (the link is dropped first, so the cancel is not followed). */
function cancelPending(ctx: Ctx, scId: number, reason: string): void {
  const pendingId = repo.enrolmentOf(ctx, scId)?.pendingId
  if (!pendingId) return
  setContact(ctx, scId, { pending_outbound_id: null })
  cancelWaiting(ctx, pendingId, reason)
}

/** Stops enrolments for good (reply, bounce, unsubscribe). Returns how many stopped. */
function stop(ctx: Ctx, scIds: number[], status: 'replied' | 'bounced' | 'unsubscribed', why: string): number {
  let n = 0
  for (const id of scIds) {
    const sc = repo.enrolmentOf(ctx, id)
    if (!sc || (sc.status !== 'active' && sc.status !== 'paused')) continue
    cancelPending(ctx, id, why)
    setContact(ctx, id, { status, next_step_at: null, last_error: status === 'replied' ? null : why })
    n++
  }
  return n
}

/** Analytics count replies and bounces from the event log, once per message whoever else records it. */
function recordOnce(ctx: Ctx, outboundId: number | null, type: 'replied' | 'bounced', detail: string | null): void {
  // A hook listener must not throw: a reply to a row deleted since is only a stop, not an event.
  if (outboundId !== null && repo.outboundStatus(ctx, outboundId) !== undefined && !repo.hasEvent(ctx, outboundId, type)) addEvent(ctx, outboundId, type, detail)
}
/** The enrolments a reply or bounce stops: the one its message belongs to, and every running one of the contact. */
const enrolmentsHit = (ctx: Ctx, p: { outboundId: number | null; contactId: number | null }): number[] => [
  ...new Set([...(p.outboundId !== null ? repo.enrolmentOfOutbound(ctx, p.outboundId) : []), ...(p.contactId !== null ? repo.enrolmentsOfContact(ctx, p.contactId) : [])]),
]

/** A real reply (the inbound engine never reports auto-replies here) stops the contact's sequences. */
export function onReplied(ctx: Ctx, p: { outboundId: number | null; contactId: number | null }): number {
  recordOnce(ctx, p.outboundId, 'replied', null)
  return stop(ctx, enrolmentsHit(ctx, p), 'replied', 'The contact replied')
}

export function onBounced(ctx: Ctx, p: { outboundId: number | null; contactId: number | null; email: string }): number {
  recordOnce(ctx, p.outboundId, 'bounced', p.email)
  return stop(ctx, enrolmentsHit(ctx, p), 'bounced', `${p.email} bounced`)
}

export function onUnsubscribed(ctx: Ctx, p: { contactId: number; reason: string }): number {
  return stop(ctx, repo.enrolmentsOfContact(ctx, p.contactId), 'unsubscribed', `The contact ${p.reason === 'complained' ? 'complained' : 'unsubscribed'}`)
}

/** Pauses a whole sequence, or some of its contacts. A step that has not left yet goes back to waiting. */
export function pauseSequence(ctx: Ctx, id: number, contactIds?: number[]): Sequence {
  const seq = requireRow(ctx, id)
  if (!contactIds && seq.status === 'paused') throw new AppError('CONFLICT', 'The sequence is already paused', 'id')
  const t = ctx.clock.now()
  changeAutomation(ctx, 'sequences', () => {
    const rows = repo.activeEnrolments(ctx, id, contactIds)
    if (!contactIds) repo.setSequenceStatus(ctx, id, 'paused', t)
    for (const scId of rows) {
      // On resume a withdrawn step is due again at once.
      const pending = repo.enrolmentOf(ctx, scId)!.pendingId
      if (pending) {
        cancelPending(ctx, scId, 'The sequence was paused')
        // A step already being sent cannot be pulled back: keep following it.
        if (repo.outboundStatus(ctx, pending) === 'sending') setContact(ctx, scId, { pending_outbound_id: pending })
        else setContact(ctx, scId, { next_step_at: t })
      }
      if (contactIds) setContact(ctx, scId, { status: 'paused' })
    }
  })
  return getSequence(ctx, id)
}

export function resumeSequence(ctx: Ctx, id: number, contactIds?: number[]): Sequence {
  requireRow(ctx, id)
  const t = ctx.clock.now()
  changeAutomation(ctx, 'sequences', () => {
    if (contactIds) repo.resumeContacts(ctx, id, contactIds, t)
    else repo.setSequenceStatus(ctx, id, 'active', t)
  })
  return getSequence(ctx, id)
}

// ---------- the per-contact table ----------
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
  const [after] = input.cursor ? decodeIntCursor(input.cursor, 1) : [0]
  const { rows, total } = repo.contactPage(ctx, { sequenceId: input.sequenceId, status: input.status, after: after!, limit: input.limit })
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
    ...progressOf({ ...r, ...sentOf(r.sentJson) }, seq.status, seq.steps.length),
  }))
  return { items, total, nextCursor: rows.length > input.limit ? encodeCursor([items[items.length - 1]!.id]) : null }
}
