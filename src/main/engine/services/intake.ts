// Web-form intake (issue 18, seed 000's "form submission adds tag"): rules say which inbound mail is a form;
// its fields become a contact (created, or blanks filled in, by e-mail), tags are added and a sequence joined,
// in the store's own transaction, once per message. The autoresponders and flows follow from the hooks that
// contacts.create and tagging already fire. A preview runs a rule on stored mail and writes nothing.
import type { ParsedInput } from '../../../shared/contract'
import type { IntakePreview, IntakeRule } from '../../../shared/intake'
import { SUBJECT_TEST_MAX, unsafeRegex } from '../../../shared/intake'
import { AppError } from '../../../shared/result'
import { toE164 } from '../../../shared/phones'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { findByEmail, getContact } from '../repos/contacts'
import * as repo from '../repos/intake'
import { createContact, updateContact } from './contacts'
import { formContact, formSource, readFields, type FormContact } from './intakeForm'
import { businessCountry, requireObject } from './objects'
import { enroll } from './sequences'
import { requireTags, tagContacts } from './tags'

/** Mail dated this long before a rule was made is not handled by it: an old form never fires today's autoresponder. */
const BEFORE_RULE_GRACE_MS = 24 * 3600_000

function toRule(r: repo.RuleRow): IntakeRule {
  return {
    id: r.id,
    objectId: r.objectId,
    name: r.name,
    enabled: r.enabled === 1,
    fromMatch: r.fromMatch,
    toMatch: r.toMatch,
    subjectMatch: r.subjectMatch,
    subjectMode: r.subjectMode,
    fieldMap: JSON.parse(r.fieldMapJson) as Record<string, string>,
    tagIds: JSON.parse(r.tagIdsJson) as number[],
    sequenceId: r.sequenceId,
    handled: r.handled,
    lastHandledAt: r.lastHandledAt === null ? null : iso(r.lastHandledAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }
}

function requireRule(ctx: Ctx, id: number): repo.RuleRow {
  const r = repo.ruleRow(ctx, id)
  if (!r) throw new AppError('NOT_FOUND', `Intake rule ${id} does not exist`, 'id')
  return r
}

function checkRefs(ctx: Ctx, objectId: number, v: Pick<repo.RuleValues, 'tagIds' | 'sequenceId'>): void {
  requireTags(ctx, v.tagIds, 'tagIds')
  if (v.sequenceId !== null && !repo.sequenceName(ctx, v.sequenceId)) throw new AppError('NOT_FOUND', `Sequence ${v.sequenceId} does not exist`, 'sequenceId')
  void objectId
}

export const listRules = (ctx: Ctx, objectId?: number): IntakeRule[] => repo.listRuleRows(ctx, objectId).map(toRule)

export function createRule(ctx: Ctx, input: ParsedInput<'intake.rules.create'>): IntakeRule {
  requireObject(ctx, input.objectId, 'objectId')
  const { objectId, ...v } = input
  checkRefs(ctx, objectId, v)
  const id = repo.insertRule(ctx, objectId, { ...v, tagIds: [...new Set(v.tagIds)] }, ctx.clock.now())
  ctx.emit('intake.changed', { objectId })
  return toRule(requireRule(ctx, id))
}

export function updateRule(ctx: Ctx, { id, ...patch }: ParsedInput<'intake.rules.update'>): IntakeRule {
  const cur = toRule(requireRule(ctx, id))
  const next: repo.RuleValues = {
    name: patch.name ?? cur.name,
    enabled: patch.enabled ?? cur.enabled,
    fromMatch: patch.fromMatch === undefined ? cur.fromMatch : patch.fromMatch,
    toMatch: patch.toMatch === undefined ? cur.toMatch : patch.toMatch,
    subjectMatch: patch.subjectMatch ?? cur.subjectMatch,
    subjectMode: patch.subjectMode ?? cur.subjectMode,
    fieldMap: patch.fieldMap ?? cur.fieldMap,
    tagIds: [...new Set(patch.tagIds ?? cur.tagIds)],
    sequenceId: patch.sequenceId === undefined ? cur.sequenceId : patch.sequenceId,
  }
  // A switch to regex mode checks the kept pattern too.
  const why = next.subjectMode === 'regex' ? unsafeRegex(next.subjectMatch) : null
  if (why) throw new AppError('VALIDATION', why, 'subjectMatch')
  if (!next.fromMatch && !next.toMatch && !next.subjectMatch) throw new AppError('VALIDATION', 'Say which mail is a form: a sender, a receiving address or a subject', 'fromMatch')
  checkRefs(ctx, cur.objectId, next)
  repo.updateRule(ctx, id, next, ctx.clock.now())
  ctx.emit('intake.changed', { objectId: cur.objectId })
  return toRule(requireRule(ctx, id))
}

export function deleteRule(ctx: Ctx, id: number): { id: number; deleted: true } {
  const cur = requireRule(ctx, id)
  repo.deleteRule(ctx, id)
  ctx.emit('intake.changed', { objectId: cur.objectId })
  return { id, deleted: true }
}

export const samples = (ctx: Ctx, { objectId, limit }: ParsedInput<'intake.samples'>) =>
  repo.intakeSamples(ctx, objectId, limit).map((m) => ({ ...m, date: iso(m.date) }))

// ---------------------------------------------------------------- matching and planning (reads only)

type RuleLike = Pick<IntakeRule, 'fromMatch' | 'toMatch' | 'subjectMatch' | 'subjectMode' | 'fieldMap' | 'tagIds' | 'sequenceId'>

const addrs = (json: string): string[] => {
  try {
    return (JSON.parse(json) as Array<{ email?: string }>).map((a) => (a.email ?? '').toLowerCase()).filter(Boolean)
  } catch {
    return []
  }
}

/** Whether the rule takes this message, with a line per condition saying why (shown in the preview). */
export function ruleMatches(rule: RuleLike, m: repo.IntakeMessage): { matches: boolean; reasons: string[] } {
  const reasons: string[] = []
  let ok = m.direction === 'in'
  if (!ok) reasons.push('✗ The message is one we sent, not one we received')
  const from = (m.fromEmail ?? '').toLowerCase()
  if (rule.fromMatch) {
    const hit = rule.fromMatch.startsWith('@') ? from.endsWith(rule.fromMatch) : from === rule.fromMatch
    reasons.push(`${hit ? '✓' : '✗'} Sender ${from || '(none)'} ${hit ? 'is' : 'is not'} ${rule.fromMatch}`)
    ok &&= hit
  }
  if (rule.toMatch) {
    const to = [...addrs(m.toJson), ...addrs(m.ccJson)]
    const hit = to.includes(rule.toMatch)
    reasons.push(`${hit ? '✓' : '✗'} ${hit ? 'Sent' : 'Not sent'} to ${rule.toMatch}`)
    ok &&= hit
  }
  if (rule.subjectMatch) {
    const subject = m.subject.slice(0, SUBJECT_TEST_MAX)
    let hit: boolean
    if (rule.subjectMode === 'regex') {
      // Saved rules were checked when saved; an unsafe pattern (from an older version) never runs.
      hit = unsafeRegex(rule.subjectMatch) === null && new RegExp(rule.subjectMatch, 'iu').test(subject)
    } else hit = subject.toLowerCase().includes(rule.subjectMatch.toLowerCase())
    reasons.push(`${hit ? '✓' : '✗'} Subject ${hit ? 'matches' : 'does not match'} ${rule.subjectMode === 'regex' ? `/${rule.subjectMatch}/` : `“${rule.subjectMatch}”`}`)
    ok &&= hit
  }
  return { matches: ok, reasons }
}

interface Plan {
  preview: IntakePreview
  contact: FormContact
}

/** What the rule would do with the message: fields, the contact created or updated, tags added. Reads only. */
function plan(ctx: Ctx, rule: RuleLike, m: repo.IntakeMessage): Plan {
  const { matches, reasons } = ruleMatches(rule, m)
  const source = formSource(m.text, m.html)
  const { fields, contact } = formContact(readFields(source), rule.fieldMap)
  // No e-mail field: the form's Reply-To (form mailers set it to the visitor) stands in.
  if (!contact.email) {
    const reply = addrs(m.replyToJson).find((a) => a !== (m.fromEmail ?? '').toLowerCase())
    if (reply) contact.email = reply
  }
  // The phone is stored E.164, read by the business's country; one that cannot be read stays on the contact
  // as a custom field, so a typo on a web form never loses the whole submission.
  if (contact.phone) {
    const read = toE164(contact.phone, businessCountry(ctx, m.objectId))
    if (read.ok) contact.phone = read.e164
    else {
      contact.fields.phone ??= contact.phone
      contact.phone = ''
    }
  }
  const out: IntakePreview = {
    matches,
    reasons,
    fields,
    contact: { action: 'none', contactId: null, email: contact.email, firstName: contact.firstName, lastName: contact.lastName, changes: [], reason: null },
    tags: [],
    sequence: rule.sequenceId === null ? null : (repo.sequenceName(ctx, rule.sequenceId) ?? null),
    handled: repo.processedOf(ctx, m.id) ?? null,
  }
  if (!contact.email) {
    out.contact.reason = fields.length ? 'The form has no e-mail address, so there is no contact to create or update' : 'No form fields were found in this message'
  } else {
    const existing = findByEmail(ctx, m.objectId, contact.email) ?? findByEmail(ctx, null, contact.email)
    if (existing) {
      const c = getContact(ctx, existing.id)
      out.contact.action = 'update'
      out.contact.contactId = c.id
      // Only blanks are filled: what staff typed on the contact is never overwritten by a form.
      for (const f of ['firstName', 'lastName', 'phone', 'company'] as const) {
        if (!c[f] && contact[f]) out.contact.changes.push({ field: f, from: '', to: contact[f] })
      }
      for (const [k, v] of Object.entries(contact.fields)) if (!c.fields[k]) out.contact.changes.push({ field: `custom:${k}`, from: '', to: v })
    } else {
      out.contact.action = 'create'
      for (const f of ['firstName', 'lastName', 'phone', 'company'] as const) if (contact[f]) out.contact.changes.push({ field: f, from: '', to: contact[f] })
      for (const [k, v] of Object.entries(contact.fields)) out.contact.changes.push({ field: `custom:${k}`, from: '', to: v })
    }
  }
  const names = new Map(repo.tagNames(ctx, rule.tagIds).map((t) => [t.id, t.name]))
  out.tags = rule.tagIds
    .filter((id) => names.has(id))
    .map((id) => ({ id, name: names.get(id)!, added: !(out.contact.contactId !== null && repo.contactHasTag(ctx, out.contact.contactId, id)) }))
  return { preview: out, contact }
}

export function previewRule(ctx: Ctx, input: ParsedInput<'intake.rules.preview'>): IntakePreview {
  const m = repo.intakeMessage(ctx, input.messageId)
  if (!m) throw new AppError('NOT_FOUND', `Message ${input.messageId} does not exist`, 'messageId')
  const rule: RuleLike = input.ruleId !== undefined ? toRule(requireRule(ctx, input.ruleId)) : input.rule!
  return plan(ctx, rule, m).preview
}

// ---------------------------------------------------------------- running on new mail (in the store's transaction)

const errText = (e: unknown): string => (e instanceof AppError ? e.message : 'Intake could not handle this message').slice(0, 500)

/** Runs the business's rules on one newly stored message: the first rule that matches handles it, once. */
export function runIntake(ctx: Ctx, messageId: number, objectId: number): void {
  const rules = repo.enabledRuleRows(ctx, objectId)
  if (!rules.length || repo.processedOf(ctx, messageId)) return
  const m = repo.intakeMessage(ctx, messageId)
  if (!m) return
  const now = ctx.clock.now()
  const mark = (r: repo.ProcessedRow) => repo.markProcessed(ctx, messageId, objectId, r, now)
  for (const row of rules) {
    const rule = toRule(row)
    if (!ruleMatches(rule, m).matches) continue
    if (m.date < row.createdAt - BEFORE_RULE_GRACE_MS) return mark({ outcome: 'skipped', ruleId: row.id, contactId: null, detail: 'Dated before the rule was made' })
    // The same form in a second copy (another folder, or Mailgun and IMAP both) was handled already.
    if (m.messageId && repo.handledElsewhere(ctx, objectId, m.messageId, messageId))
      return mark({ outcome: 'duplicate', ruleId: row.id, contactId: null, detail: 'Another copy of this message was handled' })
    try {
      // A savepoint: a failure undoes this form's changes, never the stored mail around it.
      const r = ctx.sqlite.transaction(() => apply(ctx, rule, m, now))()
      mark(r)
    } catch (e) {
      mark({ outcome: 'failed', ruleId: row.id, contactId: null, detail: errText(e) })
    }
    ctx.emit('intake.changed', { objectId })
    return
  }
}

function apply(ctx: Ctx, rule: IntakeRule, m: repo.IntakeMessage, now: number): repo.ProcessedRow {
  const { preview, contact } = plan(ctx, rule, m)
  if (preview.contact.action === 'none' || !contact.email) return { outcome: 'skipped', ruleId: rule.id, contactId: null, detail: preview.contact.reason }
  let contactId: number
  if (preview.contact.action === 'create') {
    contactId = createContact(ctx, {
      email: contact.email,
      firstName: contact.firstName,
      lastName: contact.lastName,
      company: contact.company,
      phone: contact.phone,
      timezone: null,
      primaryObjectId: m.objectId,
      fields: contact.fields,
      extraEmails: [],
      tagIds: [],
    }, null).id
  } else {
    contactId = preview.contact.contactId!
    const c = getContact(ctx, contactId)
    const patch: Record<string, unknown> = {}
    for (const ch of preview.contact.changes) if (!ch.field.startsWith('custom:')) patch[ch.field] = ch.to
    const fields = { ...c.fields }
    for (const ch of preview.contact.changes) if (ch.field.startsWith('custom:')) fields[ch.field.slice(7)] = ch.to
    if (preview.contact.changes.length) updateContact(ctx, { id: contactId, ...patch, fields }, null)
  }
  for (const t of preview.tags) tagContacts(ctx, [contactId], t.id, now)
  if (rule.sequenceId !== null && preview.sequence) enroll(ctx, { sequenceId: rule.sequenceId, contactIds: [contactId] })
  repo.linkIntakeContact(ctx, m.id, contactId)
  const detail = [preview.contact.action === 'create' ? 'Contact created' : 'Contact updated', preview.tags.length ? `tagged ${preview.tags.map((t) => t.name).join(', ')}` : '']
    .filter(Boolean)
    .join('; ')
  return { outcome: preview.contact.action === 'create' ? 'created' : 'updated', ruleId: rule.id, contactId, detail }
}

/** Intake listens to the inbound store from the start (in its transaction). */
export function wireIntake(ctx: Ctx): Array<() => void> {
  return [ctx.hooks.on('messages.stored', ({ messageId, objectId }) => runIntake(ctx, messageId, objectId))]
}
