// Segments (a saved filter over contacts) and companies: the contract's shapes (issue 19).
// A rule is `{field, op, value}`; rules sit in `{all: […]}` or `{any: […]}`, one level of nesting.
// Every invalid rule is reported at once, in words, at its own path (rules.all.2.value).
import { z } from 'zod'
import { CONTACT_STATUSES, Id, IsoTime, Stamps } from './models'

// ---------- fields and operators ----------
export const TEXT_FIELDS = ['email', 'name', 'firstName', 'lastName', 'company', 'phone', 'timezone'] as const
export const DATE_FIELDS = ['lastInboundAt', 'lastOutboundAt', 'createdAt'] as const
export const EVENT_FIELDS = ['replied', 'opened'] as const
export const TEXT_OPS = ['equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'endsWith', 'isEmpty', 'isNotEmpty'] as const
export const DATE_OPS = ['before', 'after', 'between', 'isEmpty', 'isNotEmpty'] as const
/** after = at least once since; notAfter = not once since (never included); ever / never take no value. */
export const EVENT_OPS = ['after', 'before', 'between', 'notAfter', 'ever', 'never'] as const

type FieldKind = 'tag' | 'status' | 'object' | 'companyId' | 'text' | 'date' | 'event'
export function kindOf(field: string): FieldKind | null {
  if (field === 'tag' || field === 'status' || field === 'object' || field === 'companyId') return field
  if ((TEXT_FIELDS as readonly string[]).includes(field) || /^fields\.[A-Za-z0-9_ -]{1,64}$/.test(field)) return 'text'
  if ((DATE_FIELDS as readonly string[]).includes(field)) return 'date'
  if ((EVENT_FIELDS as readonly string[]).includes(field)) return 'event'
  return null
}
export const OPS_BY_KIND: Record<FieldKind, readonly string[]> = {
  tag: ['has', 'notHas'],
  status: ['is', 'isNot'],
  object: ['is', 'isNot', 'isEmpty'],
  companyId: ['is', 'isNot', 'isEmpty', 'isNotEmpty'],
  text: TEXT_OPS,
  date: DATE_OPS,
  event: EVENT_OPS,
}
const NO_VALUE = new Set(['isEmpty', 'isNotEmpty', 'ever', 'never'])

/** Labels for the UI and for error words. */
export const FIELD_LABELS: Record<string, string> = {
  tag: 'Tag', status: 'Status', object: 'Business', companyId: 'Company (linked)', email: 'Email', name: 'Name', firstName: 'First name',
  lastName: 'Last name', company: 'Company name', phone: 'Phone', timezone: 'Time zone', lastInboundAt: 'Last mail from them',
  lastOutboundAt: 'Last mail to them', createdAt: 'Added', replied: 'Replied', opened: 'Opened',
}
export const OP_LABELS: Record<string, string> = {
  has: 'has', notHas: 'has not', is: 'is', isNot: 'is not', equals: 'is', notEquals: 'is not', contains: 'contains',
  notContains: 'does not contain', startsWith: 'starts with', endsWith: 'ends with', isEmpty: 'is empty', isNotEmpty: 'is not empty',
  before: 'before', after: 'after', between: 'between', notAfter: 'not since', ever: 'ever', never: 'never',
}
export const fieldLabel = (f: string): string => FIELD_LABELS[f] ?? (f.startsWith('fields.') ? f.slice(7) : f)

// ---------- values ----------
const DAY_MS = 86_400_000
/** A point in time: an ISO date ("2026-11-01", midnight UTC) or time, or `{days: N}` = N days before now. */
export const RelDate = z.union([z.string(), z.object({ days: z.number() }).strict()])
export type RelDate = z.infer<typeof RelDate>
export type Rule = { field: string; op: string; value?: unknown }
export type Group = { all: Array<Rule | Group> } | { any: Array<Rule | Group> }

const dateProblem = (v: unknown): string | null => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v)
    const days = (v as { days?: unknown }).days
    if (keys.length !== 1 || keys[0] !== 'days') return 'use a date, or {days: N} for N days ago'
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 36_500) return 'the number of days must be a whole number from 0 to 36500'
    return null
  }
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v))) return 'use a date like 2026-11-01, or {days: N} for N days ago'
  return null
}

/** Milliseconds for a RelDate on this clock. */
export const resolveDate = (v: RelDate, now: number): number => (typeof v === 'string' ? Date.parse(v) : now - v.days * DAY_MS)

function ruleProblems(rule: Record<string, unknown>): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = []
  const field = rule.field
  if (typeof field !== 'string' || !field) return [{ path: 'field', message: 'Pick a field for this condition' }]
  const kind = kindOf(field)
  if (!kind) return [{ path: 'field', message: `“${field.slice(0, 80)}” is not a field a segment can filter on` }]
  const label = fieldLabel(field)
  const op = rule.op
  const ops = OPS_BY_KIND[kind]
  if (typeof op !== 'string' || !ops.includes(op))
    return [{ path: 'op', message: `${label} can be filtered with: ${ops.map((o) => OP_LABELS[o]).join(', ')}` }]
  const value = rule.value
  const extra = Object.keys(rule).filter((k) => k !== 'field' && k !== 'op' && k !== 'value')
  if (extra.length) out.push({ path: extra[0]!, message: `Unknown field "${extra[0]!.slice(0, 80)}"` })
  if (NO_VALUE.has(op)) {
    if (value !== undefined && value !== null) out.push({ path: 'value', message: `${label} ${OP_LABELS[op]} takes no value` })
    return out
  }
  const need = (ok: boolean, message: string) => void (ok || out.push({ path: 'value', message }))
  if (kind === 'tag' || kind === 'object' || kind === 'companyId') need(Number.isInteger(value) && (value as number) > 0, `${label}: pick one`)
  else if (kind === 'status') need(typeof value === 'string' && (CONTACT_STATUSES as readonly string[]).includes(value), `Status must be one of: ${CONTACT_STATUSES.join(', ')}`)
  else if (kind === 'text') need(typeof value === 'string' && value.length <= 500 && (value.trim() !== '' || op === 'equals' || op === 'notEquals'), `${label} ${OP_LABELS[op]}: type some text (at most 500 characters)`)
  else if (op === 'between') {
    const v = value as { from?: unknown; to?: unknown } | null
    if (!v || typeof v !== 'object' || !('from' in v) || !('to' in v)) out.push({ path: 'value', message: `${label} between: give a from and a to date` })
    else {
      const a = dateProblem(v.from)
      const b = dateProblem(v.to)
      if (a) out.push({ path: 'value.from', message: `${label} between, from: ${a}` })
      if (b) out.push({ path: 'value.to', message: `${label} between, to: ${b}` })
    }
  } else {
    const p = dateProblem(value)
    if (p) out.push({ path: 'value', message: `${label} ${OP_LABELS[op]}: ${p}` })
  }
  return out
}

const MAX_RULES = 50
const isGroup = (v: unknown): v is Record<'all' | 'any', unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && ('all' in v || 'any' in v) && !('field' in v)

/** Adds an issue for every problem in the group (and its groups, one level down). */
function checkGroup(g: unknown, path: Array<string | number>, depth: number, ctx: z.RefinementCtx): void {
  if (!isGroup(g) || Object.keys(g).length !== 1) {
    ctx.addIssue({ code: 'custom', path, message: depth === 0 ? 'Rules must be {all: […]} or {any: […]}' : 'A group must be {all: […]} or {any: […]}' })
    return
  }
  const key = 'all' in g ? 'all' : 'any'
  const items = g[key]
  if (!Array.isArray(items)) return void ctx.addIssue({ code: 'custom', path: [...path, key], message: 'A group holds a list of conditions' })
  if (items.length > MAX_RULES) return void ctx.addIssue({ code: 'custom', path: [...path, key], message: `At most ${MAX_RULES} conditions in a group` })
  items.forEach((item, i) => {
    const at = [...path, key, i]
    if (isGroup(item)) {
      if (depth >= 1) ctx.addIssue({ code: 'custom', path: at, message: `Condition ${i + 1}: groups nest one level deep at most` })
      else checkGroup(item, at, depth + 1, ctx)
    } else if (!item || typeof item !== 'object' || Array.isArray(item)) ctx.addIssue({ code: 'custom', path: at, message: `Condition ${i + 1} must be {field, op, value}` })
    else for (const p of ruleProblems(item as Record<string, unknown>)) ctx.addIssue({ code: 'custom', path: [...at, ...p.path.split('.')], message: `Condition ${i + 1}: ${p.message}` })
  })
}

export const SegmentRules = z.custom<Group>((v) => v !== undefined, { message: 'Rules are required' }).superRefine((v, ctx) => checkGroup(v, [], 0, ctx))

// ---------- contract shapes ----------
const Name = z.string().trim().min(1, 'Give the segment a name').max(120, 'At most 120 characters')
export const Segment = z.object({
  id: Id,
  objectId: Id.nullable(),
  name: z.string(),
  rules: z.custom<Group>(),
  /** Contacts matching now (live: counted when the list is read). */
  count: z.number(),
  ...Stamps,
})
export type Segment = z.infer<typeof Segment>
export const NewSegment = z.object({ name: Name, objectId: Id.nullable().optional(), rules: SegmentRules }).strict()
export const SegmentPatch = z.object({ id: Id, name: Name.optional(), objectId: Id.nullable().optional(), rules: SegmentRules.optional() }).strict()
export const ListSegments = z.object({ objectId: Id.optional() }).strict().default({})
export const PreviewSegment = z
  .object({ rules: SegmentRules, objectId: Id.nullable().optional(), sampleSize: z.number().int().min(0).max(50).default(10) })
  .strict()
export const SegmentSampleContact = z.object({ id: Id, name: z.string(), email: z.string().nullable(), company: z.string() })
export const SegmentPreview = z.object({ count: z.number(), sample: z.array(SegmentSampleContact) })
export type SegmentPreview = z.infer<typeof SegmentPreview>

// ---------- companies ----------
const Domain = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '') || null : v),
  z
    .string()
    .max(253, 'At most 253 characters')
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, 'Not a valid domain, like acme.com')
    .nullable(),
)
export const Company = z.object({
  id: Id,
  objectId: Id.nullable(),
  name: z.string(),
  domain: z.string().nullable(),
  contactCount: z.number(),
  /** Newest mail in or out with any of its people. */
  lastActivityAt: IsoTime.nullable(),
  ...Stamps,
})
export type Company = z.infer<typeof Company>
export const CompanyPerson = z.object({
  id: Id,
  name: z.string(),
  email: z.string().nullable(),
  lastInboundAt: IsoTime.nullable(),
  lastOutboundAt: IsoTime.nullable(),
})
export const CompanyMail = z.object({
  messageId: Id,
  threadId: Id,
  /** Null: mail from the company's domain by an address no contact has yet. */
  contactId: Id.nullable(),
  direction: z.enum(['in', 'out']),
  subject: z.string(),
  snippet: z.string(),
  fromName: z.string(),
  fromEmail: z.string().nullable(),
  date: IsoTime,
})
export const CompanyDetail = Company.extend({ people: z.array(CompanyPerson), recentMail: z.array(CompanyMail) })
export type CompanyDetail = z.infer<typeof CompanyDetail>
export const NewCompany = z
  .object({ name: z.string().trim().min(1, 'Give the company a name').max(200, 'At most 200 characters'), domain: Domain.optional(), objectId: Id.nullable().optional() })
  .strict()
export const CompanyPatch = z
  .object({ id: Id, name: z.string().trim().min(1, 'Give the company a name').max(200, 'At most 200 characters').optional(), domain: Domain.optional() })
  .strict()
export const ListCompanies = z.object({ objectId: Id.optional(), query: z.string().trim().max(200).optional() }).strict().default({})
/** Puts contacts in a company (or takes them out with companyId null). */
export const AssignCompany = z.object({ companyId: Id.nullable(), contactIds: z.array(Id).min(1, 'Pick at least one contact').max(100_000) }).strict()
