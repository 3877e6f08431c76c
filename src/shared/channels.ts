// SMS and WhatsApp through Twilio (issue 17, seed 003): settings, texts, segments, the WhatsApp window and
// communications with fallback. Shared by the engine (validation at the contract) and the renderer (composer).
import { z } from 'zod'
import { BusinessRecord, Id, IsoTime } from './models'

export const CHANNELS = ['email', 'sms', 'whatsapp'] as const
export type OutboxChannel = (typeof CHANNELS)[number]
export const TEXT_CHANNELS = ['sms', 'whatsapp'] as const
export const TextChannel = z.enum(TEXT_CHANNELS, { error: 'Choose SMS or WhatsApp' })
export type TextChannel = z.infer<typeof TextChannel>

// Segments (GSM-7 160/153, UCS-2 70/67) are counted by src/shared/textSegments.ts (the composer's counter too).

/** Twilio refuses bodies over 1,600 characters (error 21617). */
export const TEXT_MAX = 1600
export const TextBody = z.string().trim().min(1, 'Type a message').max(TEXT_MAX, `A text can be ${TEXT_MAX} characters at most`)

// ---- Twilio settings per business
const Sid = (prefix: string, what: string) =>
  z.string().trim().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `${what} starts with ${prefix} followed by 32 letters and digits`)
const E164 = z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'Use the number in international form, like +15555550123')
const PerSecond = z.number().positive('Must be more than 0').max(1000, 'At most 1,000 a second')

export const TwilioUpsert = z
  .object({
    objectId: Id,
    accountSid: Sid('AC', 'The account SID'),
    /** Omit to keep the stored token. */
    authToken: z.string().trim().min(16, 'The auth token looks too short').max(200).optional(),
    smsFrom: E164.nullable().optional(),
    messagingServiceSid: Sid('MG', 'The Messaging Service SID').nullable().optional(),
    /** The WhatsApp sender's number (sent as whatsapp:+1…). */
    whatsappFrom: E164.nullable().optional(),
    apiBaseUrl: z
      .url({ protocol: /^https?$/, error: 'Must be an http(s) URL' })
      .transform((u) => u.replace(/\/+$/, ''))
      .nullable()
      .optional(),
    /** Pace per sender: 1 message a second per long code by default (Twilio's own limit for SMS). */
    smsPerSecond: PerSecond.optional(),
    whatsappPerSecond: PerSecond.optional(),
  })
  .strict()

export const TwilioSettings = z.object({
  objectId: Id,
  accountSid: z.string(),
  hasAuthToken: z.boolean(),
  smsFrom: z.string().nullable(),
  messagingServiceSid: z.string().nullable(),
  whatsappFrom: z.string().nullable(),
  apiBaseUrl: z.string().nullable(),
  smsPerSecond: z.number(),
  whatsappPerSecond: z.number(),
  /** Twilio refused the credentials (20003): texts are held until the settings change. */
  authError: z.string().nullable(),
  updatedAt: IsoTime,
})
export type TwilioSettings = z.infer<typeof TwilioSettings>

/** As twilio.upsert takes it; with `objectId` of a saved business a left-out token is the stored one. */
export const TwilioTest = z
  .object({ objectId: Id.optional(), accountSid: Sid('AC', 'The account SID').optional(), authToken: z.string().trim().min(1).max(200).optional(), apiBaseUrl: z.url().nullable().optional() })
  .strict()
export const TwilioTestResult = z.object({ ok: z.boolean(), code: z.string(), message: z.string(), friendlyName: z.string().nullable() })
export type TwilioTestResult = z.infer<typeof TwilioTestResult>

// ---- Texts: send, conversations, the WhatsApp window
/** A WhatsApp template approved in Twilio's Content API: its ContentSid and the values of its {{1}}, {{2}} … */
export const TemplateRef = z
  .object({ contentSid: Sid('HX', 'A template (ContentSid)'), variables: z.record(z.string().regex(/^\d{1,2}$/), z.string().max(1024)).default({}) })
  .strict()
export type TemplateRef = z.infer<typeof TemplateRef>

export const SendText = z
  .object({
    contactId: Id,
    channel: TextChannel,
    body: TextBody.optional(),
    template: TemplateRef.optional(),
    /** Which of the contact's numbers; default their first (primary) one. */
    to: E164.optional(),
  })
  .strict()
  .refine((v) => v.body || v.template, { message: 'Type a message or choose a template', path: ['body'] })

/** Free text outside WhatsApp's 24-hour window: refused before anything is sent (CONFLICT with this field). */
export const WINDOW_FIELD = 'whatsappWindow'
export const WINDOW_CLOSED = 'WhatsApp allows free text only within 24 hours of the customer’s last message. Send an approved template instead.'

export const WhatsappWindow = z.object({
  contactId: Id,
  open: z.boolean(),
  /** The contact's last WhatsApp message to the business, when there was one. */
  lastInboundAt: IsoTime.nullable(),
  /** When free text stops being allowed (null when it is not allowed now). */
  closesAt: IsoTime.nullable(),
})
export type WhatsappWindow = z.infer<typeof WhatsappWindow>

export const TextMessage = z.object({
  /** 'in:<id>' for a received text, 'out:<outbox id>' for one sent; unique across both. */
  key: z.string(),
  direction: z.enum(['in', 'out']),
  channel: TextChannel,
  contactId: Id.nullable(),
  body: z.string(),
  /** Outbound: the outbox status (queued, sent, delivered, failed, skipped, …); inbound: 'received'. */
  status: z.string(),
  statusReason: z.string().nullable(),
  outboundId: Id.nullable(),
  segments: z.number().nullable(),
  from: z.string(),
  to: z.string(),
  at: IsoTime,
  read: z.boolean(),
})
export type TextMessage = z.infer<typeof TextMessage>

/** One conversation per contact and channel (the inbox's text threads). */
export const TextConversation = z.object({
  contactId: Id,
  contactName: z.string(),
  phone: z.string().nullable(),
  channel: TextChannel,
  objectId: Id,
  lastAt: IsoTime,
  lastBody: z.string(),
  lastDirection: z.enum(['in', 'out']),
  unread: z.number(),
})
export type TextConversation = z.infer<typeof TextConversation>

export const ListConversations = z.object({ objectId: Id.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict().default({ limit: 100 })
export const GetConversation = z.object({ contactId: Id, channel: TextChannel, limit: z.number().int().min(1).max(1000).default(200) }).strict()
export const ConversationDetail = z.object({ contactId: Id, channel: TextChannel, messages: z.array(TextMessage), window: WhatsappWindow.nullable() })
export const MarkConversationRead = z.object({ contactId: Id, channel: TextChannel }).strict()

// ---- Communications: one message to one contact over the best channel, with fallback (seed 003)
export const URGENCIES = ['critical', 'high', 'normal', 'low'] as const
export const Urgency = z.enum(URGENCIES, { error: 'Choose critical, high, normal or low' })
export type Urgency = z.infer<typeof Urgency>
export const DEFAULT_FALLBACK: readonly OutboxChannel[] = ['email', 'whatsapp', 'sms']

export const SendCommunication = z
  .object({
    contactId: Id,
    urgency: Urgency,
    /** In order of preference; default the contact's preference, else email → WhatsApp → SMS. */
    channels: z.array(z.enum(CHANNELS)).min(1, 'Choose at least one channel').max(3).optional(),
    email: z.object({ subject: z.string().trim().min(1, 'A subject is required').max(998), html: z.string().max(2_000_000), profileId: Id.optional() }).strict().optional(),
    text: z.object({ body: TextBody }).strict().optional(),
    template: TemplateRef.optional(),
  })
  .strict()
  .refine((v) => v.email || v.text || v.template, { message: 'Give the email, the text or a template to send', path: ['text'] })

export const QuietHours = z.object({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(0).max(24) }).strict()

export const COMMUNICATION_STATUSES = ['scheduled', 'sending', 'delivered', 'failed', 'skipped'] as const
export const Communication = z.object({
  ...BusinessRecord,
  contactId: Id,
  urgency: Urgency,
  /** The channels to try, in order. */
  plan: z.array(z.enum(CHANNELS)),
  status: z.enum(COMMUNICATION_STATUSES),
  statusReason: z.string().nullable(),
  /** When the first attempt may leave (business hours, quiet hours, the daily batch). */
  sendAt: IsoTime,
  /** Every attempt, oldest first: its own outbox row. */
  attempts: z.array(z.object({ outboundId: Id, channel: z.enum(CHANNELS), status: z.string(), statusReason: z.string().nullable() })),
  createdAt: IsoTime,
})
export type Communication = z.infer<typeof Communication>

// ---- A contact's preferred channel (issue 17): the primary of a communication sent without `channels`
export const ChannelPreference = z
  .object({
    contactId: Id,
    /** null: no preference (email → WhatsApp → SMS). */
    channel: z.enum(CHANNELS, { error: 'Choose email, SMS or WhatsApp' }).nullable(),
  })
  .strict()
export type ChannelPreference = z.infer<typeof ChannelPreference>

/** The order a communication without `channels` tries: the contact's preference first, then the default order. */
export const planFor = (preferred: OutboxChannel | null): OutboxChannel[] => (preferred ? [preferred, ...DEFAULT_FALLBACK.filter((c) => c !== preferred)] : [...DEFAULT_FALLBACK])

// ---- WhatsApp templates from Twilio's Content API (issue 17): what the composer offers outside the window
export const WhatsappTemplate = z.object({
  contentSid: z.string(),
  name: z.string(),
  language: z.string(),
  /** Its words, placeholders as {{1}}, {{2}} … (the text part of whatever type it is). */
  body: z.string(),
  /** The placeholders it takes, in order ("1", "2" …), with Twilio's sample values. */
  variables: z.array(z.object({ key: z.string(), sample: z.string() })),
  /**
   * WhatsApp's verdict on it, as Twilio reports it (approved, pending, received, rejected, paused, disabled,
   * unsubmitted), or "unknown" when it could not be read. Only an approved template can go outside the window.
   */
  approval: z.string(),
  /** Why WhatsApp rejected it, when it did. */
  rejectionReason: z.string().nullable(),
})
export type WhatsappTemplate = z.infer<typeof WhatsappTemplate>
