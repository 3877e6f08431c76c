// zod models of the template library and bulk sends (issue 18, seed 004): saved templates per business with
// immutable versions, strict variables and a text fallback; mail.sendMany's bulk jobs and their progress.
import { z } from 'zod'
import { BusinessRecord, Id, IsoTime } from './models'

const Name = z.string().trim().min(1, 'Give the template a name').max(200, 'At most 200 characters')
const Subject = z.string().trim().min(1, 'A subject is required').max(998, 'At most 998 characters')
const Html = z.string().min(1, 'The message is empty').max(2_000_000, 'The message is too large (2 MB of HTML at most)')
/** A declared custom variable: {{order_id}} in the template, `variables: {order_id: '…'}` at send. */
export const VARIABLE_NAME_RE = /^[a-z][a-z0-9_]{0,63}$/
/** Names the built-in variables own: a custom variable cannot shadow them. */
export const RESERVED_VARIABLES = ['contact', 'object', 'profile', 'unsubscribe_url', 'this'] as const
const VariableName = z
  .string()
  .trim()
  .regex(VARIABLE_NAME_RE, 'A variable name is lower case letters, digits and _ (like order_id), starting with a letter')
  .refine((n) => !(RESERVED_VARIABLES as readonly string[]).includes(n), 'That name belongs to a built-in variable')
const Variables = z
  .array(VariableName)
  .max(50, 'At most 50 variables')
  .refine((a) => new Set(a).size === a.length, 'A variable is declared twice')
/** Values for custom variables at send time. */
export const VariableValues = z.record(z.string().max(64), z.string().max(10_000)).refine((r) => Object.keys(r).length <= 50, 'At most 50 variables')
export type VariableValues = z.infer<typeof VariableValues>

export const TemplateVersion = z.object({
  id: Id,
  templateId: Id,
  version: z.number().int(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  /** True when the text part was made from the HTML (none was typed). */
  textAuto: z.boolean(),
  variables: z.array(z.string()),
  createdAt: IsoTime,
})
export type TemplateVersion = z.infer<typeof TemplateVersion>
export const TemplateSummary = z.object({
  ...BusinessRecord,
  name: z.string(),
  description: z.string(),
  currentVersion: z.number().int(),
  subject: z.string(),
  variables: z.array(z.string()),
  /** Messages from this template still waiting in the outbox. */
  pending: z.number().int(),
  updatedAt: IsoTime,
})
export type TemplateSummary = z.infer<typeof TemplateSummary>
/** One version of a template (the latest unless `version` was asked) with the list of every version. */
export const Template = TemplateSummary.extend({
  version: TemplateVersion,
  versions: z.array(z.object({ version: z.number().int(), subject: z.string(), createdAt: IsoTime })),
})
export type Template = z.infer<typeof Template>

export const ListTemplates = z.object({ objectId: Id.optional(), query: z.string().trim().max(200).optional() }).strict().default({})
export const GetTemplate = z.object({ id: Id, version: z.number().int().positive().optional() }).strict()
export const NewTemplate = z
  .object({
    objectId: Id,
    name: Name,
    description: z.string().trim().max(500).default(''),
    subject: Subject,
    html: Html,
    /** The plain-text part; made from the HTML when left out or empty. */
    text: z.string().max(1_000_000).optional(),
    variables: Variables.default([]),
  })
  .strict()
export type NewTemplate = z.infer<typeof NewTemplate>
/** Any change of subject, html, text or variables makes a new version; name and description do not. */
export const TemplatePatch = z
  .object({
    id: Id,
    name: Name.optional(),
    description: z.string().trim().max(500).optional(),
    subject: Subject.optional(),
    html: Html.optional(),
    /** null: go back to a text part made from the HTML. */
    text: z.string().max(1_000_000).nullable().optional(),
    variables: Variables.optional(),
  })
  .strict()
export const DeleteTemplate = z
  .object({
    id: Id,
    /** The user saw "N messages from it are still waiting" and said delete anyway. */
    confirm: z.boolean().default(false),
  })
  .strict()

/** Renders saved (templateId) or unsaved content for one contact or address, as it would be sent. */
export const RenderTemplate = z
  .object({
    templateId: Id.optional(),
    version: z.number().int().positive().optional(),
    subject: z.string().max(998).optional(),
    html: z.string().max(2_000_000).optional(),
    text: z.string().max(1_000_000).optional(),
    variables: Variables.optional(),
    contactId: Id.optional(),
    /** Compose: the address typed in To (its contact in the profile's business, if any). */
    email: z.string().trim().max(320).optional(),
    profileId: Id.optional(),
    values: VariableValues.optional(),
    /** false: without the business's unsubscribe footer (compose inserts a template into one-to-one mail). */
    footer: z.boolean().default(true),
  })
  .strict()

// ---------- bulk sends ----------
export const Recipient = z.union([
  z.object({ email: z.string().trim().min(1, 'Email is required').max(320), variables: VariableValues.optional() }).strict(),
  z.object({ contactId: Id, variables: VariableValues.optional() }).strict(),
])
export type Recipient = z.infer<typeof Recipient>
const BulkBase = {
  profileId: Id,
  templateId: Id,
  /** Pin a version; default the latest. */
  version: z.number().int().positive().optional(),
  recipients: z.array(Recipient).min(1, 'Add at least one recipient').max(50_000, 'At most 50,000 recipients in one send'),
  sharedVariables: VariableValues.optional(),
}
export const SendMany = z
  .object({ ...BulkBase, idempotencyKey: z.string().trim().min(1, 'An idempotency key is required').max(200, 'At most 200 characters') })
  .strict()
export type SendMany = z.infer<typeof SendMany>
export const BulkPreviewInput = z.object(BulkBase).strict()

/** Why a recipient got no queued message. */
export const SKIP_REASONS = [
  'unsubscribed',
  'bounced',
  'complained',
  'suppressed',
  'erased',
  'missing_variable',
  'no_email',
  'invalid_email',
  'unknown_contact',
  'duplicate',
] as const
export type SkipReason = (typeof SKIP_REASONS)[number]
export const SKIP_REASON_WORDS: Record<SkipReason, string> = {
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced before',
  complained: 'Marked as spam before',
  suppressed: 'On the suppression list',
  erased: 'Erased (data request)',
  missing_variable: 'A variable has no value',
  no_email: 'No email address',
  invalid_email: 'Not a valid address',
  unknown_contact: 'Contact not found',
  duplicate: 'Listed twice',
}
const SkipCounts = z.record(z.string(), z.number().int())
const SkipExample = z.object({ recipient: z.string(), reason: z.enum(SKIP_REASONS), detail: z.string() })
export const BulkPreview = z.object({
  templateId: Id,
  version: z.number().int(),
  requested: z.number().int(),
  willQueue: z.number().int(),
  skipped: SkipCounts,
  /** The first skipped recipients (up to 50) with why. */
  examples: z.array(SkipExample),
})
export type BulkPreview = z.infer<typeof BulkPreview>
export const BulkProgress = z.object({
  /** Still to go out (queued, scheduled, sending, retrying, held). */
  pending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
})
export const BulkJob = z.object({
  ...BusinessRecord,
  profileId: Id.nullable(),
  templateId: Id.nullable(),
  templateName: z.string(),
  version: z.number().int().nullable(),
  idempotencyKey: z.string(),
  requested: z.number().int(),
  /** Rows queued by the send (before any went out). */
  queued: z.number().int(),
  /** Every recipient not queued, by reason (suppressed rows and recipients without a row alike). */
  skipped: SkipCounts,
  examples: z.array(SkipExample),
  /** Counted now from the job's outbox rows. */
  progress: BulkProgress,
  createdAt: IsoTime,
  /** True when the idempotency key had been used: this is the earlier job and nothing new was queued. */
  idempotencyReused: z.boolean(),
})
export type BulkJob = z.infer<typeof BulkJob>
export const ListBulkJobs = z.object({ objectId: Id.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict().default({ limit: 50 })
