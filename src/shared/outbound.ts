// zod models of the outbound domain: the outbox, drafts, connectivity. See ARCHITECTURE §4 for the state machine.
import { z } from 'zod'
import { BusinessRecord, Email, Id, IsoTime, Stamps } from './models'
// issue 22 item 5: who queued a message
import { QueuedBy } from './authors'

export const OUTBOX_STATUSES = [
  'queued',
  'sending',
  'sent',
  'retry_wait',
  'held',
  'failed',
  'skipped',
  'cancelled',
  'delivered',
  'opened',
  'clicked',
  'bounced',
] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]
export const OutboxStatusZ = z.enum(OUTBOX_STATUSES)
// 'unreachable': the server's address or port does not answer while the network is up (outbound/holds.ts).
export const HOLD_REASONS = ['offline', 'capacity', 'window', 'auth', 'paused', 'unreachable'] as const
export type HoldReason = (typeof HOLD_REASONS)[number]
export const FAILURE_KINDS = ['transient', 'rate_limit', 'auth', 'permanent', 'offline'] as const
export const MESSAGE_SOURCES = ['compose', 'reply', 'autoresponder', 'sequence', 'flow', 'bulk'] as const
export type MessageSource = (typeof MESSAGE_SOURCES)[number]

/** Statuses a row can still leave on its own (the scheduler owns them). */
export const PENDING_STATUSES = ['queued', 'sending', 'retry_wait', 'held'] as const satisfies readonly OutboxStatus[]

const Recipients = z.array(Email).max(100, 'At most 100 recipients')
const Subject = z.string().trim().max(998, 'At most 998 characters')
const Html = z.string().max(2_000_000, 'The message is too large (2 MB of HTML at most)')
const SendAt = z.iso.datetime({ offset: true, error: 'Use an ISO date and time, like 2026-11-23T09:00:00Z' }).optional()

// ---- Attachments, Bcc and reply drafts (issue 20). Attachment bytes travel once, as base64; after that a
// file is named by its attachmentId (an upload, or a file of a draft, e.g. one kept from a forwarded message).
/** Total size of a message's attachments, like Gmail and Mailgun's 25 MB message limit. */
export const ATTACHMENTS_MAX_BYTES = 25 * 1024 * 1024
export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`
const tooBig = `Attachments can be 25 MB in total at most`
export const NewAttachment = z
  .object({
    filename: z.string().trim().min(1, 'A file needs a name').max(255, 'File names can be 255 characters at most'),
    contentType: z
      .string()
      .trim()
      .max(255)
      .regex(/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(;.*)?$/, 'Not a content type, like application/pdf')
      .default('application/octet-stream'),
    contentBase64: z
      .string()
      .max(Math.ceil(ATTACHMENTS_MAX_BYTES / 3) * 4 + 4, tooBig)
      .regex(/^[A-Za-z0-9+/\r\n]*={0,2}$/, 'The file is not base64-encoded'),
  })
  .strict()
export type NewAttachment = z.infer<typeof NewAttachment>
export const AttachmentRef = z.union([
  NewAttachment,
  z.object({ attachmentId: Id }).strict(),
  /** A file of a received message (messages.get's attachments), e.g. one a forward keeps. */
  z.object({ messageAttachmentId: Id }).strict(),
])
export type AttachmentRef = z.infer<typeof AttachmentRef>
export const AttachmentRefs = z.array(AttachmentRef).max(100, 'At most 100 attachments')
export const OutgoingAttachment = z.object({ id: Id, filename: z.string(), contentType: z.string(), size: z.number() })
export type OutgoingAttachment = z.infer<typeof OutgoingAttachment>
export const REPLY_MODES = ['reply', 'replyAll', 'forward'] as const
export type ReplyMode = (typeof REPLY_MODES)[number]
/** What a reply or forward draft answers; sending it threads onto that message (messages.reply). */
export const ReplyContext = z.object({ messageId: Id, mode: z.enum(REPLY_MODES) }).strict()
export type ReplyContext = z.infer<typeof ReplyContext>
export const ListDrafts = z.object({ replyTo: Id.optional(), threadId: Id.optional() }).strict().default({})
// ---- end of attachments block

export const OutboundMessage = z.object({
  ...BusinessRecord,
  profileId: Id.nullable(),
  mailboxId: Id.nullable(),
  contactId: Id.nullable(),
  transport: z.enum(['smtp', 'mailgun', 'twilio']),
  messageId: z.string(),
  from: z.string(),
  replyTo: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  source: z.enum(MESSAGE_SOURCES),
  tracking: z.boolean(),
  status: OutboxStatusZ,
  /** Hold reason, skip reason, or what the last failure was. */
  statusReason: z.string().nullable(),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  errorKind: z.enum(FAILURE_KINDS).nullable(),
  /** The connection or sign-in problem behind it (shared/serverErrors: AUTH, TLS_MISMATCH, …), for the status label. */
  errorCode: z.string().nullable().optional(),
  scheduledFor: IsoTime,
  nextAttemptAt: IsoTime.nullable(),
  /** Until then the message can be pulled back to drafts (undo send). */
  undoUntil: IsoTime.nullable(),
  providerId: z.string().nullable(),
  sentAt: IsoTime.nullable(),
  ...Stamps,
  /** mail.send with an idempotencyKey already used in this business: this is the earlier row, nothing was queued. */
  idempotencyReused: z.boolean().optional(),
  // channels (issue 17): texts share the outbox; a fallback chain shares a communication
  channel: z.enum(['email', 'sms', 'whatsapp']).default('email'),
  /** Billing segments of a text (GSM-7 160/153, UCS-2 70/67); null for mail. */
  segments: z.number().nullable().default(null),
  communicationId: Id.nullable().default(null),
  // issue 22 item 5: who queued it (migration 0037), a person or the automation
  queuedBy: QueuedBy.nullable().optional(),
})
export type OutboundMessage = z.infer<typeof OutboundMessage>

export const MessageEvent = z.object({ id: Id, type: z.string(), detail: z.string().nullable(), at: IsoTime })
export type MessageEvent = z.infer<typeof MessageEvent>
export const OutboundDetail = OutboundMessage.extend({ html: z.string(), text: z.string(), events: z.array(MessageEvent), attachments: z.array(OutgoingAttachment) })
export type OutboundDetail = z.infer<typeof OutboundDetail>

export const SendMail = z
  .object({
    profileId: Id,
    to: Recipients.min(1, 'Add at least one recipient'),
    cc: Recipients.default([]),
    bcc: Recipients.default([]),
    attachments: AttachmentRefs.optional(),
    subject: Subject.min(1, 'A subject is required'),
    html: Html,
    text: z.string().max(1_000_000).optional(),
    contactId: Id.optional(),
    sendAt: SendAt,
    /** Open and click tracking (Mailgun only; SMTP mail is never rewritten). */
    tracking: z.boolean().default(false),
    /** The draft this was written in: it is kept (hidden) until the undo window closes. */
    draftId: Id.optional(),
    /** The same key in the same business returns the first message (idempotencyReused) and queues nothing. */
    idempotencyKey: z.string().trim().min(1, 'An idempotency key cannot be empty').max(200, 'At most 200 characters').optional(),
    /** The saved template compose inserted (analytics count the message under it). */
    templateId: Id.optional(),
  })
  .strict()
export type SendMail = z.infer<typeof SendMail>

export const Draft = z.object({
  id: Id,
  profileId: Id.nullable(),
  contactId: Id.nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  html: z.string(),
  attachments: z.array(OutgoingAttachment),
  replyTo: ReplyContext.nullable(),
  /** The library template inserted into it: the sent message counts under it in analytics. */
  templateId: Id.nullable(),
  ...Stamps,
})
export type Draft = z.infer<typeof Draft>
// Drafts are lenient: a half-typed address is kept as typed and only checked when the draft is sent.
export const SaveDraft = z
  .object({
    id: Id.optional(),
    profileId: Id.nullable().default(null),
    contactId: Id.nullable().default(null),
    to: z.array(z.string().trim().max(320)).max(100).default([]),
    cc: z.array(z.string().trim().max(320)).max(100).default([]),
    bcc: z.array(z.string().trim().max(320)).max(100).default([]),
    subject: z.string().max(998).default(''),
    html: Html.default(''),
    /** The draft's files, in order; omitted = unchanged. */
    attachments: AttachmentRefs.optional(),
    /** Set when the draft is made (later saves may omit it): a reply or forward of that message. */
    replyTo: ReplyContext.optional(),
    /** The library template inserted into it (analytics by template); omitted = unchanged, null = none. */
    templateId: Id.nullable().optional(),
  })
  .strict()
export const SendDraft = z.object({ draftId: Id, sendAt: SendAt }).strict()

export const ListOutbox = z
  .object({
    status: z.union([OutboxStatusZ, z.literal('pending')]).optional(),
    objectId: Id.optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict()
  .default({ limit: 200 })
export const OutboxPage = z.object({
  items: z.array(OutboundMessage),
  /** Rows per status over the whole outbox (not just this page), for every status but the history's. */
  counts: z.record(z.string(), z.number()),
  /** The history: sent, delivered, opened and clicked rows together. */
  done: z.number().int(),
})
export type OutboxPage = z.infer<typeof OutboxPage>

export const Endpoint = z.object({
  key: z.string(),
  label: z.string(),
  online: z.boolean(),
  since: IsoTime,
  lastError: z.string().nullable(),
  /** The problem's code (shared/serverErrors) while it is down, so the UI can tell the network from a wrong address. */
  code: z.string().nullable().optional(),
})
export const NetStatus = z.object({
  /** False when the host says the computer is offline, or the last contact with every server failed. */
  online: z.boolean(),
  hostOnline: z.boolean(),
  endpoints: z.array(Endpoint),
  held: z.number(),
})
export type NetStatus = z.infer<typeof NetStatus>
