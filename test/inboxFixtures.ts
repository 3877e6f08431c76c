// ParsedMessage fixtures and a second connection to a test engine's database, so store functions (which the
// sync workers call with the engine's ctx) can be driven directly with real SQLite.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterThisTest } from './support/afterTest'
import { openDatabase, findMigrationsDir } from '../src/main/engine/db/open'
import { createHooks, type HookEvents, type HookName } from '../src/main/engine/hooks'
import type { Ctx } from '../src/main/engine/context'
import type { FolderRef, ParsedAddress, ParsedAttachment, ParsedMessage } from '../src/main/engine/inbound/types'
import type { TestEngine } from './helpers'

export interface StoreCtx {
  ctx: Ctx
  emitted: Array<{ event: string; payload: unknown }>
  hooks: Array<{ name: HookName; payload: HookEvents[HookName] }>
}

export function storeCtx(t: TestEngine): StoreCtx {
  const { sqlite, db } = openDatabase(join(t.dataDir, 'switchboard.db'), findMigrationsDir())
  afterThisTest(() => void sqlite.close())
  const emitted: StoreCtx['emitted'] = []
  const hooks = createHooks()
  const seen: StoreCtx['hooks'] = []
  for (const name of ['outbound.replied', 'outbound.bounced', 'outbound.status', 'contacts.unsubscribed'] as HookName[]) {
    hooks.on(name, (payload) => seen.push({ name, payload }))
  }
  const ctx = {
    db,
    sqlite,
    clock: t.clock,
    info: { version: 'test', host: 'web', dataDir: t.dataDir },
    hooks,
    emit: (event: string, payload: unknown) => emitted.push({ event, payload }),
  } as unknown as Ctx
  return { ctx, emitted, hooks: seen }
}

let uidSeq = 1
export const addr = (email: string, name = ''): ParsedAddress => ({ name, email })

export function attachment(filename: string, body: string, extra: Partial<ParsedAttachment> = {}): ParsedAttachment {
  const content = Buffer.from(body)
  return {
    filename,
    contentType: 'application/octet-stream',
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    contentId: null,
    inline: false,
    content,
    ...extra,
  }
}

export function msg(p: Partial<ParsedMessage> = {}): ParsedMessage {
  const uid = p.uid ?? uidSeq++
  return {
    uid,
    flags: [],
    modseq: null,
    internalDate: Date.UTC(2026, 0, 5, 8, 0, 0) + uid * 1000,
    size: 1000,
    messageId: `<m${uid}.${Math.random().toString(36).slice(2)}@client.test>`,
    inReplyTo: null,
    references: [],
    subject: `Message ${uid}`,
    date: Date.UTC(2026, 0, 5, 8, 0, 0) + uid * 1000,
    from: addr('ann@client.test', 'Ann Client'),
    to: [addr('hello@eve.test', 'Eve')],
    cc: [],
    replyTo: [],
    headers: [],
    text: `Hello from message ${uid}`,
    html: null,
    attachments: [],
    dsn: null,
    parseError: null,
    raw: null,
    ...p,
  }
}

export const inboxRef = (mailboxId: number, uidValidity = 1n): FolderRef => ({ mailboxId, folder: 'INBOX', folderRole: 'inbox', uidValidity })
export const sentRef = (mailboxId: number, uidValidity = 1n): FolderRef => ({ mailboxId, folder: 'Sent', folderRole: 'sent', uidValidity })

/** An object with a mailbox (hello@eve.test) and an SMTP profile on it. */
export async function inboxSetup(t: TestEngine) {
  const object = await t.ok('objects.create', { name: 'Eve Beauty', postalAddress: '1 Main St', timezone: 'America/New_York' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: 'hello@eve.test',
    displayName: 'Eve',
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'hello@eve.test', password: 'pw' },
  })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve Martin', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  return { object, mailbox, profile }
}
