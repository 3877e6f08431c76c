// The sync's own reads for the contract (the workers keep theirs in inbound/sync/state.ts).
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

/** The mailbox "Sync now" names, with its IMAP host (null: no IMAP settings); undefined when there is none. */
export function syncTarget(ctx: Ctx, mailboxId: number): { imapHost: string | null } | undefined {
  return stmt(ctx.sqlite, 'SELECT imap_host AS imapHost FROM mailboxes WHERE id = ?').get(mailboxId) as { imapHost: string | null } | undefined
}
