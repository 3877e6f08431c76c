// The sync window (issue 23): a mailbox keeps all its mail (the default) or the last N months. The folder
// sync fetches only mail whose internal date is in the window (IMAP SEARCH SINCE) and widens by itself
// when the window grows (folder.ts); narrowing it removes the older local copies here, in small
// transactions (removeMail.ts), and never touches the server.
import type { Ctx } from '../../context'
import { stmt, stmtPluck } from '../../db/stmt'
import { removeInChunks } from '../removeMail'

/** UTC midnight `months` calendar months before `now` (IMAP SINCE compares whole days). */
export function monthsAgo(now: number, months: number): number {
  const d = new Date(now)
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1)
  // The same day of that month, or its last day (31 March minus one month is 28/29 February).
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months + 1, 0)).getUTCDate()
  return day + (Math.min(d.getUTCDate(), last) - 1) * 86_400_000
}

export function windowMonths(ctx: Ctx, mailboxId: number): number | null {
  const r = stmt(ctx.sqlite, 'SELECT sync_window_months AS m FROM mailboxes WHERE id = ?').get(mailboxId) as { m: number | null } | undefined
  return r?.m ?? null
}

/** Where the mailbox's window starts now (ms), or null when it keeps all mail. */
export function windowSince(ctx: Ctx, mailboxId: number): number | null {
  const months = windowMonths(ctx, mailboxId)
  return months === null ? null : monthsAgo(ctx.clock.now(), months)
}

/**
 * Removes the mailbox's local copies dated before `since` (bodies, attachments rows and files no one else
 * uses, FTS rows, contact links; threads recounted, emptied ones deleted) and records the folders' new
 * window. Copies with a move still queued for the server stay until it is pushed. Returns how many went.
 */
export async function narrowWindow(ctx: Ctx, mailboxId: number, since: number, isStopped: () => boolean = () => false): Promise<number> {
  // Recorded first, so a pass running meanwhile does not fetch the mail back, and counts what is older again.
  stmt(
    ctx.sqlite,
    'UPDATE sync_folders SET window_since = CASE WHEN window_since IS NULL OR window_since < ? THEN ? ELSE window_since END, older_count = NULL WHERE mailbox_id = ?',
  ).run(since, since, mailboxId)
  const pick = stmtPluck(
    ctx.sqlite,
    `SELECT id FROM messages m WHERE m.mailbox_id = ? AND m.date < ? AND m.id > ?
       AND NOT EXISTS (SELECT 1 FROM pending_moves p WHERE p.message_id = m.id) ORDER BY m.id LIMIT ?`,
  )
  return removeInChunks(ctx, (after, limit) => pick.all(mailboxId, since, after, limit) as number[], isStopped)
}
