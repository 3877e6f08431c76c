// Puts received mail into a test workspace's inbox without a mail server: a second connection to the
// engine's SQLite file and the store's own storeMessages, the function the IMAP sync workers call. For specs
// that need a full inbox on screen (layout, themes) and have no mail users of their own.
import { join } from 'node:path'
import { systemClock } from '../src/main/engine/clock'
import type { Ctx } from '../src/main/engine/context'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { createHooks } from '../src/main/engine/hooks'
import { storeMessages } from '../src/main/engine/inbound/store'
import type { ParsedMessage } from '../src/main/engine/inbound/types'
import type { App } from './fixtures'

export type SeedMessage = Pick<ParsedMessage, 'subject' | 'from' | 'to' | 'text' | 'html'> & Partial<ParsedMessage>

export function seedInbox(dataDir: string, mailboxId: number, messages: SeedMessage[]): void {
  const { sqlite, db } = openDatabase(join(dataDir, 'switchboard.db'), findMigrationsDir())
  try {
    const ctx = { db, sqlite, clock: systemClock, info: { version: 'e2e', host: 'web', dataDir }, hooks: createHooks(), emit: () => undefined } as unknown as Ctx
    const now = Date.now()
    const batch: ParsedMessage[] = messages.map((m, i) => ({
      uid: i + 1,
      flags: [],
      modseq: null,
      internalDate: now - (messages.length - i) * 3_600_000,
      size: 2000,
      messageId: `<seed${i + 1}.${now}@client.test>`,
      inReplyTo: null,
      references: [],
      date: now - (messages.length - i) * 3_600_000,
      cc: [],
      replyTo: [],
      headers: [],
      attachments: [],
      dsn: null,
      parseError: null,
      raw: null,
      ...m,
    }))
    storeMessages(ctx, { mailboxId, folder: 'INBOX', folderRole: 'inbox', uidValidity: 1n }, batch)
  } finally {
    sqlite.close()
  }
}

/** A business whose one mailbox points at a closed port (nothing is ever sent) with a sender profile on it:
 * enough for an inbox to show seeded mail and for a reply or compose to open. */
export async function offlineBusiness(app: App, name: string, email: string) {
  const object = await app.rpc('objects.create', { name, timezone: 'Europe/London', postalAddress: '4 Quay Street, Bristol' })
  const smtp = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: email, password: 'pw' }
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email, displayName: 'Desk', smtp })
  const profile = await app.rpc('profiles.create', { objectId: object.id, email, displayName: name, transport: { kind: 'smtp', mailboxId: mailbox.id } })
  return { object, mailbox, profile }
}
