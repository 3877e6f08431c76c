// Mail kept only on the server (outside the sync window, issue 23): inbox.searchServer asks the server
// (IMAP SEARCH TEXT over the synced folders) for matches that are not stored locally, and inbox.openServer
// fetches one of them and stores it like synced mail. Each call uses a short connection of its own, so
// the worker's IDLE session is never interrupted.
import { ImapFlow, type FetchMessageObject } from 'imapflow'
import { describeServerError } from '../../../../shared/serverErrors'
import type { OpenedServerMessage, ServerSearchPage } from '../../../../shared/inbox'
import { AppError } from '../../../../shared/result'
import type { Ctx } from '../../context'
import { stmt, stmtPluck } from '../../db/stmt'
import { erasedMessageTest } from '../../repos/dataRights'
import { imapOptions } from '../../imapOptions'
import type { FolderRef, ParsedMessage } from '../types'
import { parseSource } from './parse'
import { loadImapConfig, type FolderRole, type ImapConfig } from './state'
import type { StoreApi } from './storeApi'

/** A search or a fetch gives up after this long (connect, sign-in and each command). */
const BUDGET_MS = 15_000
/** Folders searched at most (INBOX and Sent first): a mailbox with hundreds of folders is not walked whole. */
const MAX_FOLDERS = 20

async function withServer<T>(ctx: Ctx, mailboxId: number, run: (c: ImapFlow) => Promise<T>): Promise<T> {
  const cfg = loadImapConfig(ctx, mailboxId)
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM mailboxes WHERE id = ?').get(mailboxId)) throw new AppError('NOT_FOUND', `Mailbox ${mailboxId} does not exist`, 'mailboxId')
  if (!cfg) throw new AppError('VALIDATION', 'This mailbox has no IMAP settings (or is paused), so its server cannot be searched', 'mailboxId')
  const client = new ImapFlow({ ...imapOptions(cfg, { timeoutMs: BUDGET_MS, insecureTls: ctx.outbound.setupTest.insecureTls }), disableAutoIdle: true })
  client.on('error', () => {}) // reported through the awaited command below
  try {
    await client.connect()
    return await run(client)
  } catch (e) {
    if (e instanceof AppError) throw e
    throw unavailable(e, cfg)
  } finally {
    await Promise.race([client.logout().catch(() => {}), new Promise((r) => setTimeout(r, 1000))])
    client.close()
  }
}

function unavailable(e: unknown, cfg: ImapConfig): AppError {
  const said = describeServerError(e, { service: 'IMAP', host: cfg.host, port: cfg.port, security: cfg.security })
  return new AppError('UNAVAILABLE', said.message)
}

/** The synced folders of the mailbox, INBOX and Sent first. */
function foldersOf(ctx: Ctx, mailboxId: number): Array<{ path: string; role: FolderRole }> {
  const rows = stmt(
    ctx.sqlite,
    `SELECT path, role FROM sync_folders WHERE mailbox_id = ? AND synced = 1 AND listed = 1
      ORDER BY CASE role WHEN 'inbox' THEN 0 WHEN 'sent' THEN 1 ELSE 2 END, path LIMIT ?`,
  ).all(mailboxId, MAX_FOLDERS) as Array<{ path: string; role: FolderRole }>
  return rows.length ? rows : [{ path: 'INBOX', role: 'inbox' }]
}

const storedUids = (ctx: Ctx, mailboxId: number, folder: string, uidValidity: bigint, uids: number[]): Set<number> =>
  new Set(
    stmtPluck(ctx.sqlite, 'SELECT uid FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity = ? AND uid IN (SELECT value FROM json_each(?))')
      .all(mailboxId, folder, uidValidity.toString(), JSON.stringify(uids)) as number[],
  )

export async function searchServer(ctx: Ctx, mailboxId: number, query: string, limit: number): Promise<ServerSearchPage> {
  const folders = foldersOf(ctx, mailboxId)
  return withServer(ctx, mailboxId, async (client) => {
    const found: Array<{ folder: string; uids: number[] }> = []
    let total = 0
    const searched: string[] = []
    for (const f of folders) {
      let box
      try {
        box = await client.mailboxOpen(f.path, { readOnly: true })
      } catch (e) {
        if ((e as { mailboxMissing?: boolean }).mailboxMissing) continue
        throw e
      }
      searched.push(f.path)
      if (!box.exists) continue
      const hits = (await client.search({ text: query }, { uid: true })) || []
      const local = storedUids(ctx, mailboxId, f.path, box.uidValidity, hits)
      const missing = hits.filter((u) => !local.has(u)).sort((a, b) => b - a)
      total += missing.length
      // The newest of each folder (highest UIDs); the page is cut by date below.
      const take = missing.slice(0, limit)
      if (take.length) found.push({ folder: f.path, uids: take })
    }
    const items: ServerSearchPage['items'] = []
    // Mail erased at a person's request is never offered again (repos/dataRights.ts).
    const erased = erasedMessageTest(ctx)
    for (const { folder, uids } of found) {
      const box = await client.mailboxOpen(folder, { readOnly: true })
      for await (const m of client.fetch(uids, { uid: true, envelope: true, internalDate: true }, { uid: true })) {
        if (erased?.({ messageId: m.envelope?.messageId ?? null, mailboxId, folder, uidvalidity: box.uidValidity.toString(), uid: m.uid })) total--
        else items.push(hitOf(folder, m))
      }
    }
    items.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || b.uid - a.uid)
    return { items: items.slice(0, limit), total, folders: searched }
  })
}

function hitOf(folder: string, m: FetchMessageObject): ServerSearchPage['items'][number] {
  const from = m.envelope?.from?.[0]
  const when = m.envelope?.date ?? m.internalDate
  const ms = when instanceof Date ? when.getTime() : when ? Date.parse(when) : NaN
  return {
    uid: m.uid,
    folder,
    subject: (m.envelope?.subject ?? '').slice(0, 2000),
    from: from ? { name: (from.name ?? '').slice(0, 300), email: (from.address ?? '').slice(0, 320) } : null,
    date: Number.isFinite(ms) ? new Date(ms).toISOString() : null,
  }
}

const stored = (ctx: Ctx, mailboxId: number, folder: string, uidValidity: bigint, uid: number) =>
  stmt(ctx.sqlite, 'SELECT id AS messageId, thread_id AS threadId FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity = ? AND uid = ?').get(
    mailboxId,
    folder,
    uidValidity.toString(),
    uid,
  ) as OpenedServerMessage | undefined

/**
 * Fetches one message and stores it through the sync's own store (contacts, thread, FTS, inbox.changed).
 * Its UID is below the folder's high-water mark, so the sync never fetches it twice; opening it again
 * answers the stored copy.
 */
export async function openServerMessage(ctx: Ctx, store: Pick<StoreApi, 'storeMessages'>, mailboxId: number, folder: string, uid: number): Promise<OpenedServerMessage> {
  const role = (stmtPluck(ctx.sqlite, 'SELECT role FROM sync_folders WHERE mailbox_id = ? AND path = ?').get(mailboxId, folder) as FolderRole | undefined) ?? null
  if (!role) throw new AppError('NOT_FOUND', `Folder ${folder} is not synced for this mailbox`, 'folder')
  return withServer(ctx, mailboxId, async (client) => {
    let box
    try {
      box = await client.mailboxOpen(folder, { readOnly: true })
    } catch (e) {
      if ((e as { mailboxMissing?: boolean }).mailboxMissing) throw new AppError('NOT_FOUND', `Folder ${folder} is gone from the server`, 'folder')
      throw e
    }
    const have = stored(ctx, mailboxId, folder, box.uidValidity, uid)
    if (have) return have
    const m = await client.fetchOne(String(uid), { uid: true, flags: true, internalDate: true, size: true, source: true }, { uid: true })
    if (!m || !m.source) throw new AppError('NOT_FOUND', 'That message is no longer on the server', 'uid')
    const internalDate = m.internalDate instanceof Date ? m.internalDate.getTime() : m.internalDate ? Date.parse(m.internalDate) : 0
    const body = await parseSource(m.source, Number.isFinite(internalDate) ? internalDate : 0)
    const msg: ParsedMessage = { ...body, uid: m.uid, flags: [...(m.flags ?? [])], modseq: m.modseq ?? null, internalDate, size: m.size ?? m.source.length }
    // Quiet: an old message fetched on request is not new mail (no notification, no badge bump).
    const ref: FolderRef = { mailboxId, folder, folderRole: role, uidValidity: box.uidValidity, quiet: true }
    store.storeMessages(ctx, ref, [msg])
    const now = stored(ctx, mailboxId, folder, box.uidValidity, uid)
    if (!now && erasedMessageTest(ctx)?.({ messageId: msg.messageId, mailboxId, folder, uidvalidity: box.uidValidity.toString(), uid }))
      throw new AppError('NOT_FOUND', 'That message was erased at a person’s request, so it is not downloaded again', 'uid')
    if (!now) throw new AppError('INTERNAL', 'The message could not be stored')
    return now
  })
}
