// Queries of a mailbox's folders (folders.list) and what each is for: the inbox views, triage
// (inbound/triage.ts) and the sync worker find their Archive, Trash or Sent here.
import type { Folder, FolderRole } from '../../../shared/inbox'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

/** What a folder is for: RFC 6154 special use first, then INBOX, then the names servers use without it. */
export function roleOf(path: string, specialUse: string | null, syncRole?: string): FolderRole {
  const su = (specialUse ?? '').toLowerCase()
  if (path.toUpperCase() === 'INBOX') return 'inbox'
  const bySu: Record<string, FolderRole> = { '\\sent': 'sent', '\\drafts': 'drafts', '\\archive': 'archive', '\\trash': 'trash', '\\junk': 'junk', '\\all': 'all' }
  if (bySu[su]) return bySu[su]
  if (syncRole === 'sent') return 'sent'
  const name = path.split(/[/.]/).pop()!.toLowerCase()
  if (/^(sent|sent items|sent messages|sent mail)$/.test(name)) return 'sent'
  if (/^(drafts?)$/.test(name)) return 'drafts'
  if (/^(archives?|all mail)$/.test(name)) return name === 'all mail' ? 'all' : 'archive'
  if (/^(trash|deleted items|deleted messages|bin)$/.test(name)) return 'trash'
  if (/^(junk|spam|junk e-mail|junk email|bulk mail)$/.test(name)) return 'junk'
  return 'other'
}

/** Names used when the server has no folder for a role: Thunderbird's, which most servers also pre-create. */
export const DEFAULT_FOLDER: Record<'archive' | 'trash' | 'junk' | 'inbox', string> = { archive: 'Archive', trash: 'Trash', junk: 'Junk', inbox: 'INBOX' }

export interface FolderRow {
  id: number
  mailboxId: number
  path: string
  name: string | null
  specialUse: string | null
  role: string
  synced: number
}

const FOLDER_COLS = 'id, mailbox_id AS mailboxId, path, name, special_use AS specialUse, role, synced'

export function listFolders(ctx: Ctx, mailboxId: number): Folder[] {
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM mailboxes WHERE id = ?').get(mailboxId)) throw new AppError('NOT_FOUND', `Mailbox ${mailboxId} does not exist`, 'mailboxId')
  const rows = stmt(ctx.sqlite, `SELECT ${FOLDER_COLS} FROM sync_folders WHERE mailbox_id = ? AND listed = 1`).all(mailboxId) as FolderRow[]
  const counts = new Map(
    (
      stmt(
        ctx.sqlite,
        `SELECT folder, count(*) AS total, coalesce(sum(read = 0 AND direction = 'in'), 0) AS unread FROM messages WHERE mailbox_id = ? GROUP BY folder`,
      ).all(mailboxId) as Array<{ folder: string; total: number; unread: number }>
    ).map((r) => [r.folder, r]),
  )
  const order: FolderRole[] = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash', 'all', 'other']
  return rows
    .map((r) => ({
      id: r.id,
      mailboxId: r.mailboxId,
      path: r.path,
      name: r.name ?? r.path.split('/').pop() ?? r.path,
      role: roleOf(r.path, r.specialUse, r.role),
      unread: counts.get(r.path)?.unread ?? 0,
      total: counts.get(r.path)?.total ?? 0,
      synced: r.synced === 1,
    }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.path.localeCompare(b.path))
}

/** The folder of a mailbox that plays `role` (null when the server has none yet). */
export function folderForRole(ctx: Ctx, mailboxId: number, role: FolderRole): FolderRow | null {
  const rows = stmt(ctx.sqlite, `SELECT ${FOLDER_COLS} FROM sync_folders WHERE mailbox_id = ? AND listed = 1 ORDER BY id`).all(mailboxId) as FolderRow[]
  // A declared special use beats a folder that only has the name.
  return rows.find((r) => r.specialUse && roleOf(r.path, r.specialUse, r.role) === role) ?? rows.find((r) => roleOf(r.path, r.specialUse, r.role) === role) ?? null
}

export function folderById(ctx: Ctx, id: number): FolderRow {
  const r = stmt(ctx.sqlite, `SELECT ${FOLDER_COLS} FROM sync_folders WHERE id = ?`).get(id) as FolderRow | undefined
  if (!r) throw new AppError('NOT_FOUND', `Folder ${id} does not exist`, 'to')
  return r
}

/** Makes sure a sync_folders row exists for a target path (so the inbox counts know it is not Sent). */
export function ensureFolderRow(ctx: Ctx, mailboxId: number, path: string, role: FolderRole): void {
  stmt(
    ctx.sqlite,
    `INSERT INTO sync_folders (mailbox_id, path, role, name, special_use, listed, synced) VALUES (?, ?, ?, ?, ?, 1, 1)
     ON CONFLICT (mailbox_id, path) DO NOTHING`,
  ).run(mailboxId, path, path === 'INBOX' ? 'inbox' : 'other', path.split('/').pop(), role === 'other' || role === 'inbox' ? null : `\\${role[0]!.toUpperCase()}${role.slice(1)}`)
}

