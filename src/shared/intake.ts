// Intake (issue 18): web-form e-mails turned into contacts by rules, and receiving through Mailgun.
// zod models for the intake.* contract methods, and the rule checks both the engine and the editor run.
import { z } from 'zod'
import { BusinessRecord, Email, Id, IsoTime, Stamps } from './models'

/** Where a form field can go on the contact: a built-in field, a custom field (`custom:<key>`), or nowhere. */
export const INTAKE_TARGETS = ['name', 'firstName', 'lastName', 'email', 'phone', 'company', 'ignore'] as const
export const IntakeTarget = z.union([z.enum(INTAKE_TARGETS), z.string().regex(/^custom:[A-Za-z0-9 _-]{1,60}$/, 'A custom field is custom: and a name of up to 60 letters')])
export type IntakeTarget = z.infer<typeof IntakeTarget>

/** How much of a subject a rule's pattern is tried on (form subjects are short; hostile ones are not). */
export const SUBJECT_TEST_MAX = 500
const PATTERN_MAX = 200
/** Unbounded quantifiers (`*`, `+`, `{n,}`) a pattern may use: each multiplies the worst case by the subject's length. */
const UNBOUNDED_MAX = 2

/**
 * Null when the pattern is a safe regular expression for a rule, else why not, in words a user reads. Safe:
 * it compiles, is short, has no back-references or look-arounds, repeats no group with * + or {n,} (the
 * shapes that backtrack exponentially), and has at most two unbounded repeats, tried on at most
 * SUBJECT_TEST_MAX characters: a bounded budget on the engine's thread.
 */
export function unsafeRegex(pattern: string): string | null {
  if (pattern.length > PATTERN_MAX) return `A pattern has at most ${PATTERN_MAX} characters`
  try {
    new RegExp(pattern, 'iu')
  } catch {
    return 'This is not a valid regular expression'
  }
  let unbounded = 0
  let inClass = false
  // What came just before: a closed group ')' cannot take a repeat.
  let prev = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\') {
      const n = pattern[i + 1] ?? ''
      if (/[1-9]/.test(n) || n === 'k') return 'Back-references (\\1, \\k<…>) are not allowed'
      i++
      prev = 'x'
      continue
    }
    if (inClass) {
      if (c === ']') (inClass = false), (prev = 'x')
      continue
    }
    if (c === '[') {
      inClass = true
      continue
    }
    if (c === '(') {
      const look = pattern.slice(i + 1, i + 4)
      if (/^\?[=!]/.test(look) || /^\?<[=!]/.test(look)) return 'Look-ahead and look-behind are not allowed'
      prev = '('
      continue
    }
    const open = c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(pattern.slice(i)))
    const bounded = c === '{' && /^\{\d+(,\d+)?\}/.test(pattern.slice(i))
    if (open || bounded) {
      if (prev === ')') return 'A group cannot repeat with *, + or {…} (it can make matching take forever); repeat what is inside it instead'
      if (open) unbounded++
      prev = 'q'
      continue
    }
    prev = c === ')' ? ')' : 'x'
  }
  if (unbounded > UNBOUNDED_MAX) return `At most ${UNBOUNDED_MAX} open-ended repeats (*, +) are allowed in a pattern`
  return null
}

const Pattern = z.string().trim().max(PATTERN_MAX, `At most ${PATTERN_MAX} characters`)
/** `ann@site.test` or `@site.test`; blank means any sender. */
const SenderMatch = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() || null : v),
  z.string().max(320).regex(/^([^\s@]+@[^\s@]+\.[^\s@]+|@[^\s@]+\.[^\s@]+)$/, 'An address (forms@site.com) or a domain (@site.com)').nullable(),
)
const ToMatch = z.preprocess((v) => (typeof v === 'string' ? v.trim() || null : v), Email.nullable())

const ruleFields = {
  name: z.string().trim().min(1, 'Required').max(120, 'At most 120 characters'),
  enabled: z.boolean(),
  fromMatch: SenderMatch,
  toMatch: ToMatch,
  subjectMatch: Pattern,
  subjectMode: z.enum(['contains', 'regex']),
  /** Form label (as written in the mail, any case) → where it goes; over the built-in labels (Name, Email, Phone, …). */
  fieldMap: z.record(z.string().trim().min(1).max(80), IntakeTarget).refine((m) => Object.keys(m).length <= 50, 'At most 50 field mappings'),
  tagIds: z.array(Id).max(20, 'At most 20 tags'),
  sequenceId: Id.nullable(),
}

const checkRule = <T extends { subjectMode?: 'contains' | 'regex'; subjectMatch?: string; fromMatch?: string | null; toMatch?: string | null }>(r: T, ctx: z.RefinementCtx) => {
  if (r.subjectMode === 'regex' && r.subjectMatch !== undefined) {
    const why = unsafeRegex(r.subjectMatch)
    if (why) ctx.addIssue({ code: 'custom', message: why, path: ['subjectMatch'] })
  }
}

export const NewIntakeRule = z
  .object({
    objectId: Id,
    name: ruleFields.name,
    enabled: ruleFields.enabled.default(true),
    fromMatch: ruleFields.fromMatch.default(null),
    toMatch: ruleFields.toMatch.default(null),
    subjectMatch: ruleFields.subjectMatch.default(''),
    subjectMode: ruleFields.subjectMode.default('contains'),
    fieldMap: ruleFields.fieldMap.default({}),
    tagIds: ruleFields.tagIds.default([]),
    sequenceId: ruleFields.sequenceId.default(null),
  })
  .strict()
  .superRefine((r, ctx) => {
    checkRule(r, ctx)
    if (!r.fromMatch && !r.toMatch && !r.subjectMatch)
      ctx.addIssue({ code: 'custom', message: 'Say which mail is a form: a sender, a receiving address or a subject', path: ['fromMatch'] })
  })
export type NewIntakeRule = z.output<typeof NewIntakeRule>

export const IntakeRulePatch = z
  .object({
    id: Id,
    name: ruleFields.name.optional(),
    enabled: ruleFields.enabled.optional(),
    fromMatch: ruleFields.fromMatch.optional(),
    toMatch: ruleFields.toMatch.optional(),
    subjectMatch: ruleFields.subjectMatch.optional(),
    subjectMode: ruleFields.subjectMode.optional(),
    fieldMap: ruleFields.fieldMap.optional(),
    tagIds: ruleFields.tagIds.optional(),
    sequenceId: ruleFields.sequenceId.optional(),
  })
  .strict()
  .superRefine(checkRule)

export const IntakeRule = z.object({
  ...BusinessRecord,
  name: z.string(),
  enabled: z.boolean(),
  fromMatch: z.string().nullable(),
  toMatch: z.string().nullable(),
  subjectMatch: z.string(),
  subjectMode: z.enum(['contains', 'regex']),
  fieldMap: z.record(z.string(), z.string()),
  tagIds: z.array(Id),
  sequenceId: Id.nullable(),
  /** Form submissions this rule turned into contacts (created or updated). */
  handled: z.number(),
  lastHandledAt: IsoTime.nullable(),
  ...Stamps,
})
export type IntakeRule = z.infer<typeof IntakeRule>

/** A rule as saved, or one being edited (the preview runs unsaved rules too). */
export const IntakePreviewInput = z
  .object({
    messageId: Id,
    ruleId: Id.optional(),
    rule: NewIntakeRule.optional(),
  })
  .strict()
  .refine((p) => (p.ruleId === undefined) !== (p.rule === undefined), { message: 'Give a saved rule (ruleId) or a rule to try (rule)', path: ['ruleId'] })

export const IntakeField = z.object({
  label: z.string(),
  value: z.string(),
  /** Where it goes; 'ignore' for a label nothing maps. */
  target: z.string(),
})
export type IntakeField = z.infer<typeof IntakeField>

export const IntakePreview = z.object({
  matches: z.boolean(),
  /** Why the rule does or does not match this message, one line each (sender, address, subject). */
  reasons: z.array(z.string()),
  fields: z.array(IntakeField),
  /** What would happen to the contact: created, updated (with the fields that change), or nothing (and why). */
  contact: z.object({
    action: z.enum(['create', 'update', 'none']),
    contactId: Id.nullable(),
    email: z.string().nullable(),
    firstName: z.string(),
    lastName: z.string(),
    changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
    reason: z.string().nullable(),
  }),
  tags: z.array(z.object({ id: Id, name: z.string(), added: z.boolean() })),
  sequence: z.object({ id: Id, name: z.string() }).nullable(),
  /** Set when the message was already handled by intake (what it did then). */
  handled: z.object({ outcome: z.string(), ruleId: Id.nullable(), contactId: Id.nullable(), detail: z.string().nullable() }).nullable(),
})
export type IntakePreview = z.infer<typeof IntakePreview>

/** Recent inbound mail of a business to try a rule on (the editor's message picker). */
export const IntakeSamplesInput = z.object({ objectId: Id, limit: z.number().int().min(1).max(100).default(30) }).strict()
export const IntakeSample = z.object({ id: Id, fromEmail: z.string().nullable(), fromName: z.string(), subject: z.string(), date: IsoTime })

// ---------- receiving through Mailgun (no webhook: a store() route, polled) ----------
export const MailgunInboundEnable = z
  .object({
    objectId: Id,
    /** The receiving addresses on the business's Mailgun domain (e.g. hello@mg.example.com). */
    addresses: z.array(Email).min(1, 'Give at least one receiving address').max(20, 'At most 20 addresses'),
  })
  .strict()

export const MailgunInboundStatus = z.object({
  objectId: Id,
  enabled: z.boolean(),
  addresses: z.array(z.string()),
  routeId: z.string().nullable(),
  routeExpression: z.string().nullable(),
  lastPollAt: IsoTime.nullable(),
  lastReceivedAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  received: z.number(),
})
export type MailgunInboundStatus = z.infer<typeof MailgunInboundStatus>
