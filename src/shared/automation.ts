// zod models of automation: templates, autoresponders (seed 000), sequences (seed 002) and analytics.
// See ARCHITECTURE §6. Every automated message is written into the one outbox (outbound.ts).
import { z } from 'zod'
import { Id, IsoTime, partial } from './models'
import { CHANNELS, TEXT_MAX, TemplateRef } from './channels'

const Name = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters')

export const DELAY_UNITS = ['minutes', 'hours', 'days'] as const
export const Delay = z.object({ value: z.number().int().min(0).max(3650), unit: z.enum(DELAY_UNITS) }).strict()
export type Delay = z.infer<typeof Delay>

// ---------- a step or action is an email or a text (issue 17 item 7) ----------
/**
 * What an autoresponder action and a sequence step send: an email (subject + HTML, the default, so every
 * older shape still reads as one) or a text (SMS or WhatsApp) whose `body` is plain text with the same
 * {{contact.*}} variables; a WhatsApp step may carry an approved template (ContentSid) for when the contact's
 * 24-hour window is closed.
 */
const MESSAGE_FIELDS = {
  channel: z.enum(CHANNELS, { error: 'Choose email, SMS or WhatsApp' }).default('email'),
  subject: z.string().trim().max(998, 'At most 998 characters').optional(),
  bodyHtml: z.string().max(2_000_000, 'The message is too large (2 MB of HTML at most)').optional(),
  body: z.string().trim().max(TEXT_MAX, `A text can be ${TEXT_MAX} characters at most`).optional(),
  template: TemplateRef.optional(),
}
const MESSAGE_OUT = {
  channel: z.enum(CHANNELS),
  /** A text's message (null for an email). */
  body: z.string().nullable(),
  template: TemplateRef.nullable(),
}
type MessageIn = { channel: (typeof CHANNELS)[number]; subject?: string; bodyHtml?: string; body?: string; template?: TemplateRef }
function checkMessage(m: MessageIn, ctx: z.RefinementCtx): void {
  if (m.channel === 'email') {
    if (!m.subject) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'A subject is required' })
    if (!m.bodyHtml) ctx.addIssue({ code: 'custom', path: ['bodyHtml'], message: 'The message is empty' })
    return
  }
  if (m.template && m.channel !== 'whatsapp') ctx.addIssue({ code: 'custom', path: ['template'], message: 'Only a WhatsApp message can use an approved template' })
  if (!m.body && !m.template) ctx.addIssue({ code: 'custom', path: ['body'], message: 'Type the text message' })
}
/** Stored shape: an email keeps subject + HTML; a text keeps its body and template (subject and HTML empty). */
const normalMessage = <T extends MessageIn>(m: T) =>
  m.channel === 'email'
    ? { ...m, subject: m.subject ?? '', bodyHtml: m.bodyHtml ?? '', body: undefined, template: undefined }
    : { ...m, subject: '', bodyHtml: '', body: m.body || undefined, template: m.template }
/** An automation's message as typed, with its timing (an action's delay, a step's wait): checked, then stored-shaped. */
function messageInput<T extends z.ZodRawShape>(timing: T) {
  return z
    .object({ ...MESSAGE_FIELDS, ...timing })
    .strict()
    .superRefine((m, ctx) => checkMessage(m as MessageIn, ctx))
    .transform((m) => normalMessage(m as typeof m & MessageIn))
}
/** The same message as stored and listed, with its timing. */
function messageOut<T extends z.ZodRawShape>(timing: T) {
  return z.object({ id: Id, position: z.number(), subject: z.string(), bodyHtml: z.string(), ...timing, ...MESSAGE_OUT })
}

// ---------- templates ----------
export const TemplatePreviewInput = z
  .object({
    subject: z.string().max(998),
    html: z.string().max(2_000_000),
    contactId: Id,
    /** Defaults to the contact's object's active profile. */
    profileId: Id.optional(),
  })
  .strict()
/** A template that names a missing variable is a VALIDATION error (field `subject` or `html`) instead. */
export const TemplatePreview = z.object({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  /** Headers the message will carry, e.g. List-Unsubscribe. */
  headers: z.record(z.string(), z.string()),
})
export type TemplatePreview = z.infer<typeof TemplatePreview>

// ---------- autoresponders ----------
export const TRIGGER_TYPES = ['TAG_ADDED', 'CONTACT_CREATED', 'DATE_BASED'] as const
export const Trigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('TAG_ADDED'), tagId: Id }).strict(),
  z.object({ type: z.literal('CONTACT_CREATED') }).strict(),
  /** `field`: 'createdAt' or a custom field key holding a date (YYYY-MM-DD); fires offsetDays after it. */
  z.object({ type: z.literal('DATE_BASED'), field: z.string().trim().min(1).max(64), offsetDays: z.number().int().min(-365).max(3650) }).strict(),
])
export type Trigger = z.infer<typeof Trigger>

export const ActionInput = messageInput({ delay: Delay.default({ value: 0, unit: 'minutes' }) })
export const Action = messageOut({ delay: Delay })

export const Autoresponder = z.object({
  id: Id,
  name: z.string(),
  /** Null: applies to contacts of every object (each still sends from its own object's profile). */
  objectId: Id.nullable(),
  isActive: z.boolean(),
  trigger: Trigger,
  actions: z.array(Action),
  totalSent: z.number(),
  totalFailed: z.number(),
  totalSkipped: z.number(),
  lastFiredAt: IsoTime.nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
})
export type Autoresponder = z.infer<typeof Autoresponder>

/** An autoresponder's own fields, for making one (with defaults) and changing one (each optional). */
const autoresponderFields = {
  name: Name,
  objectId: Id.nullable(),
  isActive: z.boolean(),
  trigger: Trigger,
  actions: z.array(ActionInput).min(1, 'Add at least one action').max(20),
}
export const NewAutoresponder = z
  .object({ ...autoresponderFields, objectId: autoresponderFields.objectId.optional(), isActive: autoresponderFields.isActive.default(true) })
  .strict()
export const AutoresponderPatch = z.object({ id: Id, ...partial(autoresponderFields) }).strict()

export const EXECUTION_STATUSES = ['PENDING', 'SENT', 'FAILED', 'SKIPPED'] as const
export const Execution = z.object({
  id: Id,
  autoresponderId: Id,
  actionId: Id,
  actionPosition: z.number(),
  contactId: Id.nullable(),
  contactName: z.string(),
  contactEmail: z.string().nullable(),
  status: z.enum(EXECUTION_STATUSES),
  /** The seed's failures in the app's words ("Contact not assigned to any business", ...), or the skip reason. */
  error: z.string().nullable(),
  outboundId: Id.nullable(),
  scheduledFor: IsoTime,
  createdAt: IsoTime,
})
export type Execution = z.infer<typeof Execution>
export const ListExecutions = z
  .object({ autoresponderId: Id, status: z.enum(EXECUTION_STATUSES).optional(), limit: z.number().int().min(1).max(1000).default(200) })
  .strict()

// ---------- sequences ----------
export const SendWindow = z
  .object({
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1, 'Pick at least one day').max(7),
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(1).max(24),
  })
  .strict()
  .refine((w) => w.endHour > w.startHour, { message: 'The window must end after it starts', path: ['endHour'] })
export type SendWindow = z.infer<typeof SendWindow>

export const StepInput = messageInput({ wait: Delay.default({ value: 0, unit: 'days' }) })
export const Step = messageOut({ wait: Delay })

export const SEQUENCE_CONTACT_STATUSES = ['active', 'paused', 'completed', 'replied', 'bounced', 'unsubscribed', 'failed'] as const
export const Sequence = z.object({
  id: Id,
  name: z.string(),
  objectId: Id,
  status: z.enum(['active', 'paused']),
  steps: z.array(Step),
  mailboxIds: z.array(Id),
  window: SendWindow.nullable(),
  /** Contacts per sequence-contact status. */
  counts: z.record(z.string(), z.number()),
  createdAt: IsoTime,
  updatedAt: IsoTime,
})
export type Sequence = z.infer<typeof Sequence>

/** A sequence's own fields (its business is fixed once made), for making one and changing one. */
const sequenceFields = {
  name: Name,
  steps: z.array(StepInput).min(1, 'Add at least one step').max(20),
  mailboxIds: z.array(Id).min(1, 'Pick at least one mailbox').max(50),
  window: SendWindow.nullable(),
}
export const NewSequence = z
  .object({ objectId: Id, ...sequenceFields, window: sequenceFields.window.default(null) })
  .strict()
export const SequencePatch = z.object({ id: Id, ...partial(sequenceFields) }).strict()

export const Enroll = z
  .object({ sequenceId: Id, contactIds: z.array(Id).max(1_000_000).optional(), tagId: Id.optional(), /** issue 19 */ segmentId: Id.optional() })
  .strict()
  .refine((e) => (e.contactIds?.length ?? 0) > 0 || e.tagId !== undefined || e.segmentId !== undefined, { message: 'Pick contacts, a tag or a segment', path: ['contactIds'] })
export const EnrollResult = z.object({ enrolled: z.number(), alreadyEnrolled: z.number(), skipped: z.number() })

export const SequenceContact = z.object({
  id: Id,
  contactId: Id,
  name: z.string(),
  email: z.string(),
  status: z.enum(SEQUENCE_CONTACT_STATUSES),
  /** 1-based step to send next (or the last one sent once finished). */
  currentStep: z.number(),
  nextStepAt: IsoTime.nullable(),
  mailboxId: Id.nullable(),
  mailboxEmail: z.string().nullable(),
  lastSentAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  // ---- progress from the truth (issue 20 defect 7) ----
  /** Steps that actually went out (their outbound row was sent), and the last of them (null: none yet). */
  stepsSent: z.number(),
  lastSentStep: z.number().nullable(),
  /** The step that goes out next while active or paused; null once stopped or completed. */
  nextStep: z.number().nullable(),
  /**
   * Where the next step stands: `waiting` for its wait to pass (nextStepAt), `scheduled` as an outbox row
   * (nextStepAt = when it will be sent), `sending`, `retrying` after a failure, `held` by its mailbox
   * (heldReason), `paused`; null when nothing is next.
   */
  nextState: z.enum(['waiting', 'scheduled', 'sending', 'retrying', 'held', 'paused']).nullable(),
  heldReason: z.string().nullable(),
  /** Why the contact stopped, in words ("Replied after step 2"); null while running or completed. */
  stoppedReason: z.string().nullable(),
})
export type SequenceContact = z.infer<typeof SequenceContact>
export const ListSequenceContacts = z
  .object({
    sequenceId: Id,
    status: z.enum(SEQUENCE_CONTACT_STATUSES).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict()
export const SequenceContactPage = z.object({ items: z.array(SequenceContact), total: z.number(), nextCursor: z.string().nullable() })
/** Pause or resume a whole sequence, or only some of its contacts. */
export const SequenceControl = z.object({ id: Id, contactIds: z.array(Id).min(1).max(100000).optional() }).strict()

// ---------- analytics ----------
export const ANALYTICS_METRICS = ['sent', 'failed', 'skipped', 'replied', 'bounced', 'opened', 'clicked'] as const
const Counts = z.object(Object.fromEntries(ANALYTICS_METRICS.map((m) => [m, z.number()])) as Record<(typeof ANALYTICS_METRICS)[number], z.ZodNumber>)
export const AnalyticsInput = z
  .object({
    objectId: Id.optional(),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    groupBy: z.enum(['day', 'hour']).default('day'),
    /** Only mail written from this library template (issue 18): bulk sends and compose inserts included. */
    templateId: Id.optional(),
  })
  .strict()
export const AnalyticsSummary = z.object({
  buckets: z.array(Counts.extend({ at: IsoTime })),
  totals: Counts,
})
export type AnalyticsSummary = z.infer<typeof AnalyticsSummary>
export const SequenceFunnel = z.object({
  sequenceId: Id,
  steps: z.array(z.object({ position: z.number(), subject: z.string(), sent: z.number(), opened: z.number(), replied: z.number(), bounced: z.number() })),
  enrolled: z.number(),
})
