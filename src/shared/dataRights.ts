// Data rights (issue 18): a contact's export and erase, the audit log list, and mail retention per business.
import { z } from 'zod'
import { Id, Page } from './models'
import { AuditEntry, Channel, Consent, ConsentStatus } from './consent'

export const ExportContact = z
  .object({
    id: Id,
    /** A folder the user chose; the data dir's exports/ when absent. */
    dir: z.string().min(1).max(4000).optional(),
  })
  .strict()

export const ExportResult = z.object({ path: z.string(), bytes: z.number(), messages: z.number(), attachments: z.number() })
export type ExportResult = z.infer<typeof ExportResult>

export const EraseCounts = z.object({
  /** Mail only this person is party to: deleted. */
  messages: z.number(),
  /** Mail shared with other contacts: kept, with this person's address and name cut out. */
  sharedMessages: z.number(),
  threads: z.number(),
  attachments: z.number(),
  outbox: z.number(),
  drafts: z.number(),
  notes: z.number(),
  tasks: z.number(),
  consent: z.number(),
  automations: z.number(),
})
export type EraseCounts = z.infer<typeof EraseCounts>

export const ErasePreview = EraseCounts.extend({
  /** How many addresses are blocked by a salted hash afterwards. */
  addresses: z.number(),
  /** Earlier export zips of this contact in the data dir (deleted). */
  exports: z.number(),
  /** Backup snapshots that are replaced by one fresh snapshot. */
  backups: z.number(),
  /** In a team workspace: every other desktop removes its copies of the person's mail and replaces its backups too. */
  team: z.boolean(),
})
export type ErasePreview = z.infer<typeof ErasePreview>

export const ListAudit = z
  .object({ objectId: Id.optional(), cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(200).default(50) })
  .strict()
  .default({ limit: 50 })
export const AuditPage = Page(AuditEntry)
export type AuditPage = z.infer<typeof AuditPage>

export const Retention = z.object({
  objectId: Id,
  /** Delete local mail older than this many months; null: off (the default). */
  months: z.number().int().min(1).max(240).nullable(),
  lastRunAt: z.string().nullable(),
})
export type Retention = z.infer<typeof Retention>
export const SetRetention = z
  .object({ objectId: Id, months: z.number({ error: 'Enter a number of months' }).int('Enter whole months').min(1, 'At least 1 month').max(240, 'At most 240 months (20 years)').nullable() })
  .strict()

/** The contact page's consent card: the current answer per channel and every change. */
export const ContactConsent = z.object({ current: z.array(Consent), history: z.array(Consent) })
export type ContactConsent = z.infer<typeof ContactConsent>
export const SetContactConsent = z.object({ id: Id, channel: Channel, status: ConsentStatus }).strict()
