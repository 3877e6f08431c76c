// zod models for the contract: inputs are checked with these at the boundary, outputs are typed by them.
import { z } from 'zod'
import { HOSTNAME_RE, isEmail, isTimeZone, normalizeEmail } from './validators'
// issue 17: phones (E.164, several per contact) and the business's country
import { ContactPhone, PhoneCountry, PhoneInput, PhoneText } from './phones'
// issue 22 item 5: who did what
import { Author } from './authors'

// A missing field says "Required" rather than zod's "expected string, received undefined".
z.config({ customError: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'Required' : undefined) })

// ---------- building blocks ----------
export const Id = z.number().int().positive()
export const Email = z
  .string()
  .trim()
  .min(1, 'Email is required')
  .refine(isEmail, 'Not a valid email address')
  .transform(normalizeEmail)
export const TimeZone = z.string().trim().refine(isTimeZone, 'Not a known time zone (use an IANA name like Europe/London)')
const Text = (max: number) => z.string().trim().max(max, `At most ${max} characters`)
const Name = (max = 200) => Text(max).min(1, 'Required')
const Empty = z.object({}).strict().default({})
export const IsoTime = z.string()
/** When a stored record was made and last changed, as every record that can change reports them. */
export const Stamps = { createdAt: IsoTime, updatedAt: IsoTime }
/** The first two fields of every record that belongs to one business: its own id and its business's ("object"). */
export const BusinessRecord = { id: Id, objectId: Id }
/** One page of a list read with a cursor (repos/cursor.ts); `nextCursor` is null on the last page. */
export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() })

// ---------- tenancy ----------
export const Region = z.enum(['us', 'eu'])
export const MailgunSettings = z.object({
  objectId: Id,
  sendingDomain: z.string(),
  region: Region,
  apiBaseUrl: z.string().nullable(),
  hasApiKey: z.boolean(),
  /** Mailgun refused the key: its mail is held until the settings change. */
  authError: z.string().nullable(),
  updatedAt: IsoTime,
})
export type MailgunSettings = z.infer<typeof MailgunSettings>

/**
 * The business's own unsubscribe page for automated mail (https). Blank or null: the unsubscribe link is a
 * mailto that the inbox honours by itself. Contacts reach it with `email` and `c` (contact id) appended.
 */
const UnsubscribeUrl = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() || null : v),
  z.url({ protocol: /^https$/, error: 'Must be an https:// address, like https://example.com/unsubscribe' }).max(500, 'At most 500 characters').nullable(),
)

export const BizObject = z.object({
  id: Id,
  name: z.string(),
  postalAddress: z.string(),
  timezone: z.string(),
  unsubscribeUrl: z.string().nullable(),
  mailgun: MailgunSettings.nullable(),
  contactCount: z.number(),
  profileCount: z.number(),
  mailboxCount: z.number(),
  ...Stamps,
  // issue 17: the country national phone numbers are read by ('US'); null when neither set nor implied by
  // the time zone. `countrySet`: chosen in the settings (false: derived from the time zone).
  country: z.string().nullable(),
  countrySet: z.boolean(),
})
export type BizObject = z.infer<typeof BizObject>

export const NewObject = z
  .object({
    name: Name(120),
    postalAddress: Text(500).default(''),
    timezone: TimeZone.default('UTC'),
    unsubscribeUrl: UnsubscribeUrl.optional(),
    /** issue 17: null or omitted: derived from the time zone. */
    country: PhoneCountry.nullable().optional(),
  })
  .strict()
export const ObjectPatch = z
  .object({ id: Id, name: Name(120).optional(), postalAddress: Text(500).optional(), timezone: TimeZone.optional(), unsubscribeUrl: UnsubscribeUrl.optional(),
    /** issue 17: null: derived from the time zone again. */
    country: PhoneCountry.nullable().optional() })
  .strict()

export const MailgunUpsert = z
  .object({
    objectId: Id,
    sendingDomain: z.string().trim().toLowerCase().regex(HOSTNAME_RE, 'Not a valid domain name').refine((d) => d.includes('.'), 'Not a valid domain name'),
    /** Omit to keep the stored key. */
    apiKey: z.string().trim().min(8, 'API key looks too short').max(200).optional(),
    region: Region.default('us'),
    apiBaseUrl: z
      .url({ protocol: /^https?$/, error: 'Must be an http(s) URL' })
      .transform((u) => u.replace(/\/+$/, ''))
      .nullable()
      .optional(),
  })
  .strict()

// SMTP/IMAP security: implicit TLS, STARTTLS, or none. `true`/`false` are accepted as nodemailer's `secure`.
export const Security = z.preprocess(
  (v) => (v === true ? 'tls' : v === false ? 'starttls' : v),
  z.enum(['tls', 'starttls', 'none'], { error: 'Use tls, starttls or none' }),
)
const Port = z.number().int().min(1).max(65535)
const Host = z.string().trim().min(1, 'Host is required').max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'Not a valid host name')
export const ServerInput = z
  .object({
    host: Host,
    port: Port,
    secure: Security,
    user: z.string().trim().min(1, 'User is required').max(320),
    password: z.string().min(1, 'Password is required').max(1000),
  })
  .strict()
const ServerPatch = ServerInput.extend({ password: z.string().min(1).max(1000).optional() })
export const ServerView = z.object({
  host: z.string(),
  port: z.number(),
  secure: z.enum(['tls', 'starttls', 'none']),
  user: z.string(),
  hasPassword: z.boolean(),
})
export type ServerView = z.infer<typeof ServerView>

/**
 * Where the copy of sent mail comes from: the engine appends it to Sent over IMAP (Thunderbird's default),
 * the server files it itself (Gmail, Outlook, or Postfix with a sender BCC), or nobody keeps one.
 */
export const SentCopy = z.enum(['append', 'server', 'none'], { error: 'Use append, server or none' })
// sync window (issue 23): the mailbox dialog offers all mail, 3, 6, 12 or 24 months
export const SYNC_WINDOW_CHOICES = [3, 6, 12, 24] as const
export const SyncWindowMonths = z.number().int().min(1, 'At least 1 month').max(240, 'At most 240 months')

export const Mailbox = z.object({
  ...BusinessRecord,
  email: z.string(),
  displayName: z.string(),
  dailyCapacity: z.number(),
  minGapSeconds: z.number(),
  smtp: ServerView,
  imap: ServerView.nullable(),
  sentCopy: SentCopy,
  status: z.enum(['active', 'paused', 'auth_error']),
  /** Why the mailbox is paused or failing, in words for the user. */
  statusReason: z.string().nullable(),
  /** The problem's stable code when sending stopped for the settings (shared/serverErrors), for the label. */
  statusCode: z.string().nullable().optional(),
  /** Sends counted against today's cap (local day of the mailbox's business). */
  sentToday: z.number(),
  createdAt: IsoTime,
  // sync window (issue 23): months of mail kept (null = all), and whether the server holds mail before it
  syncWindowMonths: z.number().nullable().optional(),
  olderOnServer: z.boolean().optional(),
})
export type Mailbox = z.infer<typeof Mailbox>

/** A mailbox's own settings, checked alike when it is made (with defaults) and when it is changed (each optional). */
const mailboxFields = {
  email: Email,
  displayName: Text(120),
  dailyCapacity: z.number().int().min(1, 'At least 1 per day').max(100000),
  minGapSeconds: z.number().int().min(0).max(86400),
  sentCopy: SentCopy,
  /** Sync only the last N months of mail (null: all of it). Narrowing drops older local copies (never
   * mail on the server); widening fetches the rest. */
  syncWindowMonths: SyncWindowMonths.nullable(),
}
export const NewMailbox = z
  .object({
    objectId: Id,
    ...mailboxFields,
    displayName: mailboxFields.displayName.default(''),
    dailyCapacity: mailboxFields.dailyCapacity.default(200),
    minGapSeconds: mailboxFields.minGapSeconds.default(30),
    smtp: ServerInput,
    imap: ServerInput.nullable().default(null),
    sentCopy: mailboxFields.sentCopy.default('append'),
    syncWindowMonths: mailboxFields.syncWindowMonths.default(null),
  })
  .strict()
export const MailboxPatch = z
  .object({
    id: Id,
    ...partial(mailboxFields),
    smtp: ServerPatch.optional(),
    imap: ServerPatch.nullable().optional(),
    status: z.enum(['active', 'paused']).optional(),
  })
  .strict()

export const Transport = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mailgun') }).strict(),
  z.object({ kind: z.literal('smtp'), mailboxId: Id }).strict(),
])
export type Transport = z.infer<typeof Transport>
export const Profile = z.object({
  ...BusinessRecord,
  email: z.string(),
  displayName: z.string(),
  replyTo: z.string().nullable(),
  transport: Transport,
  isActive: z.boolean(),
  /** Inserted in compose and replies above the quote; sanitised when saved. */
  signatureHtml: z.string(),
  createdAt: IsoTime,
  /**
   * profiles.list only (issue 22): false when the person at this desktop may not send from it (a staff member of
   * a team workspace it is not assigned to); compose offers only the others.
   */
  mayUse: z.boolean().optional(),
})
export type Profile = z.infer<typeof Profile>
/** A sender profile's own fields, for making one (with defaults) and changing one (each optional). */
const profileFields = {
  email: Email,
  displayName: Name(120),
  replyTo: Email.nullable(),
  transport: Transport,
  isActive: z.boolean(),
  signatureHtml: z.string().max(100_000, 'A signature can be 100,000 characters at most'),
}
export const NewProfile = z
  .object({
    objectId: Id,
    ...profileFields,
    replyTo: profileFields.replyTo.optional(),
    isActive: profileFields.isActive.default(true),
    signatureHtml: profileFields.signatureHtml.optional(),
  })
  .strict()
export const ProfilePatch = z.object({ id: Id, ...partial(profileFields) }).strict()

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  profileIds: z.array(Id),
  defaultProfileId: Id.nullable(),
  createdAt: IsoTime,
})
export type User = z.infer<typeof User>
export const NewUser = z.object({ name: Name(120), email: Email }).strict()
export const ProfileAssign = z
  .object({ userId: Id, profileId: Id, assigned: z.boolean().default(true), isDefault: z.boolean().default(false) })
  .strict()

// ---------- people ----------
export const CONTACT_STATUSES = ['active', 'unsubscribed', 'bounced', 'complained'] as const
export const ContactStatus = z.enum(CONTACT_STATUSES)
export const Tag = z.object({ id: Id, name: z.string(), color: z.string(), contactCount: z.number() })
export type Tag = z.infer<typeof Tag>
export const TAG_COLORS = ['slate', 'blue', 'green', 'amber', 'red', 'violet', 'pink', 'teal'] as const
export const NewTag = z.object({ name: Name(80), color: z.enum(TAG_COLORS).optional() }).strict()

const FieldKey = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_ -]+$/, 'Field names use letters, digits, spaces, - and _')
export const CustomFields = z.record(FieldKey, z.string().max(2000, 'At most 2000 characters'))

export const Contact = z.object({
  id: Id,
  email: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  company: z.string(),
  phone: z.string(),
  timezone: z.string().nullable(),
  primaryObjectId: Id.nullable(),
  fields: z.record(z.string(), z.string()),
  status: ContactStatus,
  tags: z.array(Tag.pick({ id: true, name: true, color: true })),
  extraEmails: z.array(z.string()),
  ...Stamps,
  // issue 19: the company it belongs to, and its last mail in and out (migration 0015)
  companyId: Id.nullable().optional(),
  lastInboundAt: IsoTime.nullable().optional(),
  lastOutboundAt: IsoTime.nullable().optional(),
  // issue 17: every number, primary first (`phone` is the primary's number)
  phones: z.array(ContactPhone),
  // issue 22 item 5: who added it and who last changed it by hand (migration 0037)
  createdBy: Author.nullable().optional(),
  updatedBy: Author.nullable().optional(),
})
export type Contact = z.infer<typeof Contact>

/** Any common form ('+1 (555) 555-0123', '555-555-0123'): the engine reads it by the business's country into E.164. */
export const Phone = PhoneText
/** issue 17: a contact's numbers; omitted on update: unchanged. */
const Phones = z.array(PhoneInput).max(10, 'At most 10 phone numbers')
const contactFields = {
  email: Email.nullable(),
  firstName: Text(120),
  lastName: Text(120),
  company: Text(200),
  phone: Phone,
  timezone: TimeZone.nullable(),
  primaryObjectId: Id.nullable(),
  fields: CustomFields,
  status: ContactStatus,
  extraEmails: z.array(Email).max(20),
  phones: Phones,
}
export const NewContact = z
  .object({
    email: contactFields.email.default(null),
    firstName: contactFields.firstName.default(''),
    lastName: contactFields.lastName.default(''),
    company: contactFields.company.default(''),
    phone: contactFields.phone.default(''),
    timezone: contactFields.timezone.default(null),
    primaryObjectId: contactFields.primaryObjectId.default(null),
    fields: contactFields.fields.default({}),
    extraEmails: contactFields.extraEmails.default([]),
    tagIds: z.array(Id).default([]),
    phones: contactFields.phones.optional(),
  })
  .strict()
  .refine((c) => c.email || c.firstName || c.lastName || c.phone || c.phones?.length, {
    message: 'A contact needs at least an email, a name or a phone number',
    path: ['email'],
  })
export const ContactPatch = z.object({ id: Id, ...partial(contactFields) }).strict()
/** Every field of a field group made optional: a patch checks what it changes as the create does. */
export function partial<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as never
}

export const CONTACT_SORT_FIELDS = ['name', 'email', 'company', 'createdAt', 'updatedAt'] as const
export const ListContacts = z
  .object({
    query: z.string().trim().max(200).optional(),
    objectId: Id.nullable().optional(),
    tagId: Id.optional(),
    status: ContactStatus.optional(),
    /** Only the contacts a saved segment matches now (issue 19). */
    segmentId: Id.optional(),
    sort: z
      .object({ field: z.enum(CONTACT_SORT_FIELDS), dir: z.enum(['asc', 'desc']).default('asc') })
      .strict()
      .default({ field: 'name', dir: 'asc' }),
    cursor: z.string().max(500).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict()
  .default({ sort: { field: 'name', dir: 'asc' }, limit: 100 })
export type ListContactsInput = z.input<typeof ListContacts>
export const ContactPage = z.object({ items: z.array(Contact), total: z.number(), nextCursor: z.string().nullable() })
export type ContactPage = z.infer<typeof ContactPage>

export const TagChange = z.object({ contactIds: z.array(Id).min(1, 'Pick at least one contact').max(100000), tagId: Id }).strict()

// ---------- import ----------
export const IMPORT_TARGETS = ['email', 'firstName', 'lastName', 'company', 'phone', 'timezone', 'tags', 'object', 'ignore'] as const
/** A column maps to a contact field, to `fields.<name>` (custom field), or to `ignore`. */
export const ImportTarget = z.union([
  z.enum(IMPORT_TARGETS),
  z.string().regex(/^fields\.[A-Za-z0-9_ -]{1,64}$/, 'Map to a contact field, fields.<name> or ignore'),
])
export const ImportContacts = z
  .object({
    csv: z.string().min(1, 'The file is empty').max(200_000_000, 'The file is larger than 200 MB'),
    objectId: Id.nullable().optional(),
    mapping: z.record(z.string(), ImportTarget).optional(),
    tagIds: z.array(Id).default([]),
    /** Enrol every imported (or updated) contact in this sequence; idempotent like sequences.enroll. */
    sequenceId: Id.optional(),
  })
  .strict()
export const ImportRowError = z.object({ row: z.number(), field: z.string(), message: z.string() })
export type ImportRowError = z.infer<typeof ImportRowError>
/** `skipped` counts rows not imported because of an error; `errors` lists the first 1,000 problems. */
export const ImportResult = z.object({
  imported: z.number(),
  updated: z.number(),
  skipped: z.number(),
  errors: z.array(ImportRowError),
  /** With `sequenceId`: contacts newly enrolled in the sequence. */
  enrolled: z.number().optional(),
})
export type ImportResult = z.infer<typeof ImportResult>

export const AppInfo = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web']),
  dataDir: z.string(),
  secretStore: z.string(),
  firstRun: z.boolean(),
  currentUserId: Id.nullable(),
  /** True when the engine runs on a test clock and `clock.advance` exists. */
  testClock: z.boolean(),
  /** Seconds a sent message can be pulled back (undo send). */
  undoSeconds: z.number(),
})

export { Empty }
