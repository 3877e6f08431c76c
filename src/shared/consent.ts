// Consent per contact and channel (issues 17 and 18) and the audit log's entries. Shared by the channels,
// the data-rights screens and the contact page.
import { z } from 'zod'
import { Id, IsoTime } from './models'

export const Channel = z.enum(['email', 'sms', 'whatsapp'], { error: 'Choose email, SMS or WhatsApp' })
export type Channel = z.infer<typeof Channel>

export const ConsentStatus = z.enum(['granted', 'revoked'])
export type ConsentStatus = z.infer<typeof ConsentStatus>

export const Consent = z.object({
  contactId: Id,
  channel: Channel,
  status: ConsentStatus,
  /** Where the answer came from: 'manual', 'import', 'form', 'inbound:STOP', 'twilio:21610', 'unsubscribe', … */
  source: z.string(),
  at: IsoTime,
})
export type Consent = z.infer<typeof Consent>

export const AuditEntry = z.object({
  id: Id,
  objectId: Id.nullable(),
  userId: Id.nullable(),
  action: z.string(),
  /** Ids and counts only: never an address or a name, so it survives an erase. */
  detail: z.record(z.string(), z.unknown()),
  at: IsoTime,
})
export type AuditEntry = z.infer<typeof AuditEntry>
