// Reads and writes of the sync state tables (0005_sync_state) and the decrypted IMAP settings.
import { createHash } from 'node:crypto'
import type { Ctx } from '../../context'
import { stmt } from '../../db/stmt'

export type FolderRole = 'inbox' | 'sent' | 'other'

export interface FolderState {
  mailboxId: number
  path: string
  role: FolderRole
  uidvalidity: bigint | null
  lastUid: number
  highestmodseq: bigint | null
  knownCount: number
  /** UIDNEXT observed before the last fetch: every UID below it has been fetched. */
  uidnext: number | null
  lastSyncAt: number | null
  /** Internal date (ms) the folder's mail is stored from; null = the whole folder (migration 0024). */
  windowSince?: number | null
  /** Messages on the server before the window; null = not counted yet. */
  olderCount?: number | null
}

export interface ImapConfig {
  mailboxId: number
  objectId: number
  email: string
  host: string
  port: number
  security: 'tls' | 'starttls' | 'none'
  user: string
  password: string
  /** Changes whenever the settings that decide whether a login can work change. */
  key: string
}

type Row = Record<string, unknown>

/** The mailbox's IMAP settings, or null when it has none, is paused or is gone. */
export function loadImapConfig(ctx: Ctx, mailboxId: number): ImapConfig | null {
  const r = stmt(
    ctx.sqlite,
    `SELECT id, object_id, email, status, imap_host, imap_port, imap_security, imap_user, imap_password_sealed FROM mailboxes WHERE id = ?`,
  ).get(mailboxId) as Row | undefined
  if (!r || r.status === 'paused' || !r.imap_host || !r.imap_port || !r.imap_user || !r.imap_password_sealed) return null
  const key = createHash('sha256')
    .update([r.imap_host, r.imap_port, r.imap_security, r.imap_user, r.imap_password_sealed].join('\u0000'))
    .digest('hex')
    .slice(0, 32)
  return {
    mailboxId: r.id as number,
    objectId: r.object_id as number,
    email: r.email as string,
    host: r.imap_host as string,
    port: r.imap_port as number,
    security: (r.imap_security as ImapConfig['security']) ?? 'tls',
    user: r.imap_user as string,
    password: ctx.secrets.open(r.imap_password_sealed as string),
    key,
  }
}

export function mailboxIds(ctx: Ctx): Array<{ id: number; objectId: number; email: string }> {
  return stmt(ctx.sqlite, 'SELECT id, object_id AS objectId, email FROM mailboxes ORDER BY id').all() as Array<{ id: number; objectId: number; email: string }>
}

// ------------------------------------------------------------------ folders

export function getFolder(ctx: Ctx, mailboxId: number, path: string): FolderState | null {
  const r = stmt(ctx.sqlite, 'SELECT * FROM sync_folders WHERE mailbox_id = ? AND path = ?').get(mailboxId, path) as Row | undefined
  if (!r) return null
  return {
    mailboxId,
    path,
    role: r.role as FolderRole,
    uidvalidity: r.uidvalidity == null ? null : BigInt(r.uidvalidity as string),
    lastUid: r.last_uid as number,
    highestmodseq: r.highestmodseq == null ? null : BigInt(r.highestmodseq as string),
    knownCount: r.known_count as number,
    uidnext: (r.uidnext as number | null) ?? null,
    lastSyncAt: (r.last_sync_at as number | null) ?? null,
    windowSince: (r.window_since as number | null) ?? null,
    olderCount: (r.older_count as number | null) ?? null,
  }
}

export function saveFolder(ctx: Ctx, f: FolderState): void {
  stmt(
    ctx.sqlite,
    `INSERT INTO sync_folders (mailbox_id, path, role, uidvalidity, last_uid, highestmodseq, known_count, uidnext, last_sync_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (mailbox_id, path) DO UPDATE SET role = excluded.role, uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
       highestmodseq = excluded.highestmodseq, known_count = excluded.known_count, uidnext = excluded.uidnext, last_sync_at = excluded.last_sync_at`,
  ).run(
    f.mailboxId,
    f.path,
    f.role,
    f.uidvalidity === null ? null : String(f.uidvalidity),
    f.lastUid,
    f.highestmodseq === null ? null : String(f.highestmodseq),
    f.knownCount,
    f.uidnext,
    f.lastSyncAt,
  )
}

/**
 * The folder's window columns, written only where the sync changes them (first sync, widening, the count of
 * older mail): narrowing (window.ts) writes them too, outside the worker, and a pass must not undo that.
 */
export function saveFolderWindow(ctx: Ctx, f: FolderState): void {
  saveFolder(ctx, f)
  stmt(ctx.sqlite, 'UPDATE sync_folders SET window_since = ?, older_count = ? WHERE mailbox_id = ? AND path = ?').run(f.windowSince ?? null, f.olderCount ?? null, f.mailboxId, f.path)
}

// ------------------------------------------------------------------ per-mailbox state

export interface MailboxSyncRow {
  state: string
  error: string | null
  authFailedKey: string | null
  lastSyncAt: number | null
  firstSyncDone: boolean
}

export function getMailboxSync(ctx: Ctx, mailboxId: number): MailboxSyncRow | null {
  const r = stmt(ctx.sqlite, 'SELECT * FROM sync_mailboxes WHERE mailbox_id = ?').get(mailboxId) as Row | undefined
  if (!r) return null
  return {
    state: r.state as string,
    error: (r.error as string | null) ?? null,
    authFailedKey: (r.auth_failed_key as string | null) ?? null,
    lastSyncAt: (r.last_sync_at as number | null) ?? null,
    firstSyncDone: r.first_sync_done === 1,
  }
}

export function saveMailboxSync(ctx: Ctx, mailboxId: number, patch: Partial<MailboxSyncRow>): void {
  const cur = getMailboxSync(ctx, mailboxId) ?? { state: 'connecting', error: null, authFailedKey: null, lastSyncAt: null, firstSyncDone: false }
  const next = { ...cur, ...patch }
  // The mailbox may have been deleted while its worker was still winding down.
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM mailboxes WHERE id = ?').get(mailboxId)) return
  stmt(
    ctx.sqlite,
    `INSERT INTO sync_mailboxes (mailbox_id, state, error, auth_failed_key, last_sync_at, first_sync_done) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (mailbox_id) DO UPDATE SET state = excluded.state, error = excluded.error, auth_failed_key = excluded.auth_failed_key,
       last_sync_at = excluded.last_sync_at, first_sync_done = excluded.first_sync_done`,
  ).run(mailboxId, next.state, next.error, next.authFailedKey, next.lastSyncAt, next.firstSyncDone ? 1 : 0)
}
