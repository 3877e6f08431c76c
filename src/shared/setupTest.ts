// The set-up test (issue 20, capability 4): before a mailbox or a Mailgun domain is saved, the app tries it,
// as Thunderbird does. Each server answers {ok, code, message}: `code` is stable (shared/serverErrors, or
// OK), `message` is in words with what fixes it.
import { z } from 'zod'
import { Id, MailgunUpsert, ServerInput } from './models'
import { SERVER_ERROR_CODES } from './serverErrors'

export const CheckCode = z.enum(['OK', ...SERVER_ERROR_CODES])
export type CheckCode = z.infer<typeof CheckCode>
export const ServerCheck = z.object({ ok: z.boolean(), code: CheckCode, message: z.string() })
export type ServerCheck = z.infer<typeof ServerCheck>

/** A server to try; the password may be left out to try the one stored for `mailboxId`. */
const ServerToTest = ServerInput.extend({ password: z.string().min(1).max(1000).optional() })

export const MailboxTest = z
  .object({
    /** An existing mailbox: its stored passwords fill in the ones left out. */
    mailboxId: Id.optional(),
    smtp: ServerToTest.optional(),
    imap: ServerToTest.optional(),
  })
  .strict()
  .refine((v) => v.smtp || v.imap, { message: 'Give the SMTP or the IMAP settings to test', path: ['smtp'] })
export const MailboxTestResult = z.object({ smtp: ServerCheck.optional(), imap: ServerCheck.optional() })
export type MailboxTestResult = z.infer<typeof MailboxTestResult>

/** As mailgun.upsert takes it; without `objectId` the key must be given, with it a left-out key is the stored one. */
export const MailgunTest = MailgunUpsert.extend({ objectId: Id.optional() })
export const MailgunTestResult = ServerCheck.extend({
  /** Mailgun's state of the domain when it was found: 'active', or 'unverified' (its DNS records are not in place yet). */
  state: z.string().nullable(),
})
export type MailgunTestResult = z.infer<typeof MailgunTestResult>
