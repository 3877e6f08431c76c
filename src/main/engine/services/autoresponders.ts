// Autoresponders (seed 000): a trigger (tag added, contact created, a date) fires ordered actions for a
// contact. Each action of a firing is an execution row plus an outbound row, written together inside the
// transaction that caused the firing (the hook runs in it). The execution then follows its outbound row.
import type { z } from 'zod'
import type { Autoresponder, AutoresponderPatch, Execution, NewAutoresponder, Trigger } from '../../../shared/automation'
import { AppError, found } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { createHash } from 'node:crypto'
import { changeAutomation, wakeAutomation } from '../automation/runner'
import { stepKey, teamStepGate, teamStepsOn, teamStepWaitMs, type StepKey } from '../team/stepClaims'
import { resolveContact } from '../team/merge'
import { NO_OBJECT, senderFor } from '../automation/sender'
import { delayMs } from '../automation/sendWindow'
import { renderFor, validateTemplate } from '../automation/templates'
import { messageFieldsOf, queueTextStep, validateMessages } from '../automation/textStep'
import type { TextChannel } from '../../../shared/channels'
import { cancelWaiting, WAITING_STATUSES } from '../outbound/cancel'
import { localDay } from '../outbound/localDay'
import { cleanTemplates } from '../outbound/outgoingHtml'
import * as repo from '../repos/autoresponders'
import type { ActionIn, ActionRow, ArRow } from '../repos/autoresponders'
import { objectExists, objectTimezone, tagExists } from '../repos/automation'
import { transition } from '../repos/outbox'
import { contactRow, objectRow, type ContactRow } from '../repos/templates'
import { queueMessage } from './outbox'
import { toContact } from '../outbound/queue'

type ExecStatus = Execution['status']

function triggerOf(r: ArRow): Trigger {
  if (r.triggerType === 'TAG_ADDED') return { type: 'TAG_ADDED', tagId: r.triggerTagId ?? 0 }
  if (r.triggerType === 'DATE_BASED') return { type: 'DATE_BASED', field: r.triggerField ?? 'createdAt', offsetDays: r.triggerOffsetDays ?? 0 }
  return { type: 'CONTACT_CREATED' }
}

function toAutoresponder(ctx: Ctx, r: ArRow): Autoresponder {
  return {
    id: r.id,
    name: r.name,
    objectId: r.objectId,
    isActive: r.isActive === 1,
    trigger: triggerOf(r),
    actions: repo.actionsOf(ctx, r.id).map((a) => ({ id: a.id, position: a.position, subject: a.subject, bodyHtml: a.bodyHtml, delay: { value: a.delayValue, unit: a.delayUnit }, ...messageFieldsOf(a) })),
    totalSent: r.totalSent,
    totalFailed: r.totalFailed,
    totalSkipped: r.totalSkipped,
    lastFiredAt: r.lastFiredAt === null ? null : iso(r.lastFiredAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

const requireRow = (ctx: Ctx, id: number, field = 'id'): ArRow => found(repo.arRow(ctx, id), 'Autoresponder', id, field)

export const getAutoresponder = (ctx: Ctx, id: number, field = 'id'): Autoresponder => toAutoresponder(ctx, requireRow(ctx, id, field))
export const listAutoresponders = (ctx: Ctx, objectId?: number): Autoresponder[] => repo.arRows(ctx, objectId).map((r) => toAutoresponder(ctx, r))

/** Save-time checks: the trigger's tag and object exist, every template compiles and names known variables. */
function validate(ctx: Ctx, v: { objectId?: number | null; trigger?: Trigger; actions?: ActionIn[] }): void {
  if (v.objectId != null && !objectExists(ctx, v.objectId)) throw new AppError('NOT_FOUND', `Business ${v.objectId} does not exist`, 'objectId')
  if (v.trigger?.type === 'TAG_ADDED' && !tagExists(ctx, v.trigger.tagId)) throw new AppError('NOT_FOUND', `Tag ${v.trigger.tagId} does not exist`, 'trigger.tagId')
  if (v.trigger?.type === 'DATE_BASED' && v.trigger.field !== 'createdAt' && !/^[A-Za-z0-9_ -]{1,64}$/.test(v.trigger.field))
    throw new AppError('VALIDATION', 'Use createdAt or the name of a custom field that holds a date', 'trigger.field')
  // A text action sends from the contact's business: this one, or (for every business) any that can.
  if (v.actions) validateMessages(ctx, v.actions, 'actions', v.objectId != null ? [v.objectId] : repo.objectIds(ctx), validateTemplate, v.objectId == null)
}

export function createAutoresponder(ctx: Ctx, input: z.output<typeof NewAutoresponder>): Autoresponder {
  const actions = cleanTemplates(input.actions)!
  validate(ctx, { ...input, actions })
  const now = ctx.clock.now()
  const id = changeAutomation(ctx, 'autoresponders', () => {
    const id = repo.insertAutoresponder(ctx, { name: input.name, objectId: input.objectId ?? null, isActive: input.isActive }, now)
    repo.writeTrigger(ctx, id, input.trigger, now)
    repo.writeActions(ctx, id, actions, now)
    return id
  })
  return getAutoresponder(ctx, id)
}

export function updateAutoresponder(ctx: Ctx, input: z.output<typeof AutoresponderPatch>): Autoresponder {
  const cur = requireRow(ctx, input.id)
  const actions = cleanTemplates(input.actions)
  validate(ctx, { ...input, objectId: input.objectId !== undefined ? input.objectId : cur.objectId, actions })
  const now = ctx.clock.now()
  changeAutomation(ctx, 'autoresponders', () => {
    const isActive = input.isActive === undefined ? cur.isActive : input.isActive ? 1 : 0
    repo.updateAutoresponderRow(ctx, input.id, { name: input.name ?? cur.name, objectId: input.objectId !== undefined ? input.objectId : cur.objectId, isActive }, now)
    if (input.trigger && JSON.stringify(input.trigger) !== JSON.stringify(triggerOf(cur))) repo.writeTrigger(ctx, input.id, input.trigger, now)
    if (actions) repo.writeActions(ctx, input.id, actions, now)
  })
  return getAutoresponder(ctx, input.id)
}

/** Deletes it; actions still waiting in the outbox (delayed ones) are withdrawn with it. */
export function deleteAutoresponder(ctx: Ctx, id: number): { id: number; deleted: true } {
  requireRow(ctx, id)
  changeAutomation(ctx, 'autoresponders', () => {
    for (const outboundId of repo.pendingOutboundsOf(ctx, { autoresponderId: id })) cancelWaiting(ctx, outboundId, 'The autoresponder was deleted')
    repo.deleteAutoresponderRow(ctx, id)
  })
  return { id, deleted: true }
}

export function listExecutions(ctx: Ctx, input: { autoresponderId: number; status?: ExecStatus; limit: number }): Execution[] {
  requireRow(ctx, input.autoresponderId, 'autoresponderId')
  return repo.executionRows(ctx, input).map(({ firstName, lastName, email, ...r }) => ({
    ...r,
    actionPosition: Math.max(r.actionPosition, 0),
    contactName: `${firstName ?? ''} ${lastName ?? ''}`.trim() || (email ?? (r.contactId ? `Contact ${r.contactId}` : 'Deleted contact')),
    contactEmail: email,
    scheduledFor: iso(r.scheduledFor),
    createdAt: iso(r.createdAt),
  }))
}

// ---------- firing ----------
/**
 * Fires an autoresponder for some contacts. Call inside the transaction that caused it. Actions go out in
 * order, each `delay` after the one before. `fireKey` makes a firing happen once ('created', a date).
 * Returns how many executions were written.
 */
function fire(ctx: Ctx, ar: ArRow, contactIds: number[], fireKey: string): number {
  // In a team workspace another desktop may see the same event (a form mail both sync, the same day's date
  // check): the firing waits for its claim in PostgreSQL, and only the desktop that wins it fires.
  if (teamStepsOn(ctx)) return deferFiring(ctx, ar, contactIds, fireKey)
  return fireNow(ctx, ar, contactIds, fireKey)
}

function fireNow(ctx: Ctx, ar: ArRow, contactIds: number[], fireKey: string): number {
  const actions = repo.actionsOf(ctx, ar.id)
  if (!actions.length) return 0
  const now = ctx.clock.now()
  let written = 0
  for (const contactId of contactIds) {
    const contact = contactRow(ctx, contactId)
    if (!contact) continue
    if (ar.objectId !== null && contact.primaryObjectId !== ar.objectId) continue
    let at = now
    for (const a of actions) {
      at += delayMs({ value: a.delayValue, unit: a.delayUnit })
      const execId = repo.insertExecution(ctx, { arId: ar.id, actionId: a.id, contactId, fireKey, at }, now)
      if (execId === null) continue // this firing already happened
      written++
      const out = outcome(ctx, ar, a, contact, fireKey, at)
      if (out.status !== 'PENDING' || out.outboundId !== null) repo.settleExecution(ctx, execId, out, now)
      repo.bump(ctx, ar.id, out.status)
    }
  }
  if (written) repo.markFired(ctx, ar.id, now)
  return written
}

// ---------- once across desktops (issue 22) ----------
/**
 * The claim of one firing: the autoresponder, what fired it, and the contact as every desktop knows it before the
 * copies of one contact made apart are merged: its business and address (else its id). A tag's firing counts per
 * day: two desktops tag the contact at different instants for the same form mail.
 */
export function firingKey(ar: Pick<ArRow, 'id'>, contact: Pick<ContactRow, 'id' | 'email' | 'primaryObjectId'>, fireKey: string): StepKey {
  const what = fireKey.startsWith('tag:') ? `tag:${new Date(Number(fireKey.slice(4))).toISOString().slice(0, 10)}` : fireKey
  if (!contact.email) return stepKey('ar', contact.id, ar.id, what, 'c')
  const digest = createHash('sha256').update(`${contact.primaryObjectId ?? 0}\u0000${contact.email.toLowerCase()}`).digest()
  return stepKey('ar', digest.readUIntBE(0, 6), ar.id, what, 'e')
}

/** Records the firing for the runner, which fires it once its claim is won (firePending). */
function deferFiring(ctx: Ctx, ar: ArRow, contactIds: number[], fireKey: string): number {
  const now = ctx.clock.now()
  let n = 0
  for (const contactId of contactIds) {
    const contact = contactRow(ctx, contactId)
    if (!contact || (ar.objectId !== null && contact.primaryObjectId !== ar.objectId)) continue
    const key = firingKey(ar, contact, fireKey)
    if (repo.addPendingFiring(ctx, { arId: ar.id, contactId, fireKey, keyTbl: key.tbl, keyRow: key.rowId }, now)) n++
  }
  if (n) wakeAutomation(ctx)
  return n
}

/** The turn (clock ms) whose waiting firings were not all this desktop's to fire. */
const firingsHeld = new WeakMap<Ctx['sqlite'], number>()

/**
 * Fires the firings whose claims this desktop won, and drops those another desktop holds (it fires them; its
 * executions replicate here). One transaction. Returns how many executions were written.
 */
export function firePending(ctx: Ctx, limit = 100): number {
  if (!repo.hasPendingFirings(ctx)) return 0
  return ctx.sqlite
    .transaction(() => {
      const t = ctx.clock.now()
      const rows = repo.pendingFirings(ctx, limit)
      const go = teamStepGate(ctx, rows, (r) => ({ tbl: r.keyTbl, rowId: r.keyRow }), undefined, (r) => repo.dropPendingFiring(ctx, r.id))
      if (go.length < rows.length) firingsHeld.set(ctx.sqlite, t)
      else firingsHeld.delete(ctx.sqlite)
      let n = 0
      for (const r of go) {
        repo.dropPendingFiring(ctx, r.id)
        const ar = repo.arRow(ctx, r.arId)
        // The copy of a contact merged since into the one another desktop made fires for that one.
        if (ar && ar.isActive === 1) n += fireNow(ctx, ar, [resolveContact(ctx.sqlite, r.contactId)], r.fireKey)
      }
      return n
    })
    .immediate()
}

/** When waiting firings are next worth a look: now, or after a while when the last turn held some back. */
export function nextFiringAt(ctx: Ctx): number {
  if (!repo.hasPendingFirings(ctx)) return Infinity
  const held = firingsHeld.get(ctx.sqlite)
  const now = ctx.clock.now()
  return held === undefined ? now : now + Math.min(teamStepWaitMs(ctx), 60_000)
}

function outcome(ctx: Ctx, ar: ArRow, a: ActionRow, contact: ContactRow, fireKey: string, at: number): { status: ExecStatus; error: string | null; outboundId: number | null } {
  if (a.channel !== 'email') return textOutcome(ctx, ar, a, contact, fireKey, at)
  const sender = senderFor(ctx, contact.primaryObjectId)
  if (!sender.ok) return { status: 'FAILED', error: sender.error, outboundId: null }
  if (!contact.email) return { status: 'SKIPPED', error: 'The contact has no email address', outboundId: null }
  const object = objectRow(ctx, sender.profile.objectId)!
  try {
    const r = renderFor(ctx, { subject: a.subject, html: a.bodyHtml, subjectField: 'subject', htmlField: 'bodyHtml' }, contact, object, sender.profile)
    const key = `ar:${ar.id}:a:${a.id}:c:${contact.id}:${fireKey}`
    const row = queueMessage(ctx, toContact(sender.profile.id, { id: contact.id, email: contact.email }, r, { sendAt: at, source: 'autoresponder', idempotencyKey: key }))
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

/** A text action (issue 17 item 7): queued through the channels code from the contact's business. */
function textOutcome(ctx: Ctx, ar: ArRow, a: ActionRow, contact: ContactRow, fireKey: string, at: number): { status: ExecStatus; error: string | null; outboundId: number | null } {
  if (contact.primaryObjectId === null) return { status: 'FAILED', error: NO_OBJECT, outboundId: null }
  const object = objectRow(ctx, contact.primaryObjectId)!
  const profile = senderFor(ctx, contact.primaryObjectId)
  const key = `ar:${ar.id}:a:${a.id}:c:${contact.id}:${fireKey}`
  const out = queueTextStep(ctx, a as ActionRow & { channel: TextChannel }, contact, object, profile.ok ? profile.profile : null, { sendAt: at, source: 'autoresponder', idempotencyKey: key, field: 'body' })
  if (out.kind === 'queued') return { status: 'PENDING', error: null, outboundId: out.row.id }
  if (out.kind === 'skipped') return { status: 'SKIPPED', error: out.reason, outboundId: out.row?.id ?? null }
  if (out.kind === 'unfillable') return { status: 'SKIPPED', error: out.reason, outboundId: null }
  return { status: 'FAILED', error: out.reason, outboundId: null }
}

/** An outbound row moved: its execution follows (sent → SENT, failed → FAILED with the error, …). */
export function followOutbound(ctx: Ctx, outboundId: number, status: string, detail: string | null): void {
  let next: ExecStatus | null = null
  let error: string | null = null
  if (status === 'sent' || status === 'delivered') next = 'SENT'
  else if (status === 'failed' || status === 'bounced') (next = 'FAILED'), (error = detail ?? status)
  else if (status === 'skipped' || status === 'cancelled') (next = 'SKIPPED'), (error = detail ?? (status === 'cancelled' ? 'Cancelled' : 'Skipped'))
  if (!next) return
  const arId = repo.settleByOutbound(ctx, outboundId, next, error, ctx.clock.now())
  if (arId !== undefined) repo.bump(ctx, arId, next)
}

/**
 * A contact unsubscribed, complained or bounced: actions still waiting in the outbox (delayed ones) are
 * skipped with the reason instead of going out later.
 */
export function skipPendingFor(ctx: Ctx, contactId: number, reason: string): number {
  let n = 0
  for (const id of repo.pendingOutboundsOf(ctx, { contactId }))
    if (transition(ctx, id, WAITING_STATUSES, { status: 'skipped', statusReason: reason, nextAttemptAt: null }, 'skipped', reason)) n++
  return n
}

// ---------- triggers ----------
const zoneOf = (ctx: Ctx, ar: ArRow): string => (ar.objectId !== null && objectTimezone(ctx, ar.objectId)) || 'UTC'

export function onContactsCreated(ctx: Ctx, ids: number[]): void {
  for (const ar of repo.activeWith(ctx, 'CONTACT_CREATED')) fire(ctx, ar, ids, 'created')
  // A contact added after today's date check, whose date is today, still gets today's message.
  for (const ar of repo.activeWith(ctx, 'DATE_BASED')) {
    if (!ar.dateCheckedThrough) continue
    const today = localDay(ctx.clock.now(), zoneOf(ctx, ar))
    if (ar.dateCheckedThrough < today) continue // the next check covers it
    const hits = repo.dueOn(ctx, ar, today, today, ids)
    if (hits.length) fire(ctx, ar, hits.map((h) => h.id), today)
  }
}

export function onContactsTagged(ctx: Ctx, contactIds: number[], tagId: number): void {
  for (const ar of repo.activeWith(ctx, 'TAG_ADDED')) if (ar.triggerTagId === tagId) fire(ctx, ar, contactIds, `tag:${ctx.clock.now()}`)
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
  for (const ar of repo.activeWith(ctx, 'DATE_BASED')) {
    const tz = zoneOf(ctx, ar)
    const today = localDay(now, tz)
    let from = ar.dateCheckedThrough ? addDays(ar.dateCheckedThrough, 1) : localDay(ar.updatedAt, tz)
    if (from < addDays(today, -MAX_CATCH_UP_DAYS)) from = addDays(today, -MAX_CATCH_UP_DAYS)
    if (from > today) continue
    const rows = repo.dueOn(ctx, ar, from, today)
    ctx.sqlite
      .transaction(() => {
        const byDay = new Map<string, number[]>()
        for (const r of rows) byDay.set(r.d, [...(byDay.get(r.d) ?? []), r.id])
        for (const [day, ids] of byDay) fired += fire(ctx, ar, ids, day)
        repo.setCheckedThrough(ctx, ar.id, today)
      })
      .immediate()
  }
  return fired
}

/** When the next daily check is due: the next local midnight of any date trigger's zone. */
export function nextDateCheck(ctx: Ctx, nextMidnight: (ms: number, tz: string) => number): number {
  const now = ctx.clock.now()
  let at = Infinity
  for (const ar of repo.activeWith(ctx, 'DATE_BASED')) at = Math.min(at, nextMidnight(now, zoneOf(ctx, ar)))
  return at
}
