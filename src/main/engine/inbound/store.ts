// The message store: what the sync workers hand fetched mail to (see types.ts for the contract).
// One transaction per call: insert the copy, match contacts, thread, classify (auto-reply, DSN bounce, reply
// to our outbound mail), index FTS; then `inbox.changed` after commit. Attachment files are written first.
//
// uidvalidity changes: resetFolder marks the folder's copies stale instead of deleting them, so read state,
// manual contact links and thread membership survive; storeMessages revives a stale copy by Message-ID when the
// folder is fetched again, and the next removeMissing with a full uid list drops the stale copies left over.
import { OUTBOX_STATUSES } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { addEvent, transition } from '../repos/outbox'
import { suppress } from '../services/suppression'
import { removeAttachment, saveAttachment } from './attachmentFiles'
import { htmlText } from './sanitize'
import { failedRecipients, isAutoReply, isUnsubscribeRequest } from './classify'
import { linkAuto, matchContacts, normalizeAddress, ownAddresses } from './match'
import { assignThread, refreshThreads, threadKeys } from './thread'
import type { FlagUpdate, FolderRef, ParsedAddress, ParsedMessage, PendingFlagOp } from './types'

const FTS_BODY_MAX = 100_000
const HTML_TEXT_MAX = 2_000_000
const NOT_BOUNCED = OUTBOX_STATUSES.filter((s) => s !== 'bounced')

interface MailboxInfo {
  objectId: number
  email: string
}

function mailboxInfo(ctx: Ctx, mailboxId: number): MailboxInfo {
  const r = stmt(ctx.sqlite, 'SELECT object_id AS objectId, lower(email) AS email FROM mailboxes WHERE id = ?').get(mailboxId) as MailboxInfo | undefined
  if (!r) throw new AppError('NOT_FOUND', `Mailbox ${mailboxId} does not exist`)
  return r
}

export function snippetOf(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200)
}

function bodyText(m: ParsedMessage): string {
  if (m.text?.trim()) return m.text
  if (m.html) return htmlText(m.html.slice(0, HTML_TEXT_MAX))
  if (m.raw) return m.raw.subarray(0, 4096).toString('latin1')
  return ''
}

interface OutRow {
  id: number
  objectId: number
  contactId: number | null
  toJson: string
}
const outByMessageId = (ctx: Ctx, mid: string): OutRow | undefined =>
  stmt(ctx.sqlite, 'SELECT id, object_id AS objectId, contact_id AS contactId, to_json AS toJson FROM outbound_messages WHERE message_id = ?').get(mid) as
    | OutRow
    | undefined

/** Pre-commit work per message that may touch the disk. Returns attachment hashes in order. */
function writeAttachments(ctx: Ctx, m: ParsedMessage): string[] {
  return m.attachments.map((a) => saveAttachment(ctx.info.dataDir, a.content, a.sha256))
}

// Hostile mail can carry megabyte subjects or thousands of recipients; the list and its JSON stay small.
const SUBJECT_MAX = 2000
const NAME_MAX = 300
const RECIPIENTS_MAX = 500
const trimAddr = (a: ParsedAddress): ParsedAddress => ({ name: a.name.slice(0, NAME_MAX), email: a.email.slice(0, 320) })

/** The same message with its display fields bounded (bodies and headers are kept whole). */
function bounded(m: ParsedMessage): ParsedMessage {
  return {
    ...m,
    subject: m.subject.slice(0, SUBJECT_MAX),
    from: m.from && trimAddr(m.from),
    to: m.to.slice(0, RECIPIENTS_MAX).map(trimAddr),
    cc: m.cc.slice(0, RECIPIENTS_MAX).map(trimAddr),
    replyTo: m.replyTo.slice(0, 10).map(trimAddr),
  }
}

export function storeMessages(ctx: Ctx, ref: FolderRef, batch: ParsedMessage[]): { stored: number; duplicates: number } {
  const messages = batch.map(bounded)
  const mb = mailboxInfo(ctx, ref.mailboxId)
  const uv = ref.uidValidity.toString()
  const exists = stmt(ctx.sqlite, 'SELECT 1 FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity = ? AND uid = ?')
  // Skip what is already stored before touching the disk, so a re-fetched batch costs only lookups.
  const fresh = messages.filter((m) => !exists.get(ref.mailboxId, ref.folder, uv, m.uid))
  const hashes = fresh.map((m) => writeAttachments(ctx, m))
  const touched = new Set<number>()
  let newMessages = 0
  let stored = 0
  ctx.sqlite
    .transaction(() => {
      const own = ownAddresses(ctx, mb.objectId)
      own.add(mb.email)
      const now = ctx.clock.now()
      const seen = new Set<number>()
      fresh.forEach((m, i) => {
        // A uid twice in one batch: the first copy wins (the pre-check above covers earlier calls).
        if (seen.has(m.uid)) return
        seen.add(m.uid)
        if (reviveStale(ctx, ref, uv, m, touched)) {
          stored++
          return
        }
        const r = insertOne(ctx, ref, uv, mb, own, m, hashes[i]!, now, touched)
        stored++
        if (r.countsAsNew) newMessages++
      })
      refreshThreads(ctx, touched, false)
    })
    .immediate()
  if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages })
  return { stored, duplicates: messages.length - stored }
}

function reviveStale(ctx: Ctx, ref: FolderRef, uv: string, m: ParsedMessage, touched: Set<number>): boolean {
  if (!m.messageId) return false
  const row = stmt(ctx.sqlite, 'SELECT id, thread_id AS threadId FROM messages WHERE mailbox_id = ? AND folder = ? AND message_id = ? AND stale = 1 LIMIT 1').get(
    ref.mailboxId,
    ref.folder,
    m.messageId,
  ) as { id: number; threadId: number } | undefined
  if (!row) return false
  const pending = stmt(ctx.sqlite, "SELECT 1 FROM pending_flag_ops WHERE message_id = ? AND flag = '\\Seen'").get(row.id)
  stmt(ctx.sqlite, `UPDATE messages SET uidvalidity = ?, uid = ?, stale = 0, modseq = ?, flagged = ?${pending ? '' : ', read = ?'} WHERE id = ?`).run(
    ...[uv, m.uid, m.modseq?.toString() ?? null, m.flags.includes('\\Flagged') ? 1 : 0, ...(pending ? [] : [m.flags.includes('\\Seen') ? 1 : 0]), row.id],
  )
  touched.add(row.threadId)
  return true
}

function insertOne(
  ctx: Ctx,
  ref: FolderRef,
  uv: string,
  mb: MailboxInfo,
  own: Set<string>,
  m: ParsedMessage,
  hashes: string[],
  now: number,
  touched: Set<number>,
): { countsAsNew: boolean } {
  const fromEmail = m.from ? normalizeAddress(m.from.email) : null
  const ownCopy = m.messageId ? outByMessageId(ctx, m.messageId) : undefined
  const fromUs = fromEmail !== null && own.has(fromEmail)
  const direction: 'in' | 'out' = ownCopy || fromUs || ref.folderRole === 'sent' ? 'out' : 'in'
  const auto = direction === 'in' && isAutoReply(m)
  const bounce = m.dsn !== null

  // Which of our outbound messages this copy is, bounces for, or replies to (nearest reference first).
  let outbound: OutRow | undefined = ownCopy
  if (!outbound && bounce && m.dsn!.originalMessageId) outbound = outByMessageId(ctx, m.dsn!.originalMessageId)
  if (!outbound && direction === 'in') {
    for (const id of [m.inReplyTo, ...[...m.references].reverse()]) {
      if (id && (outbound = outByMessageId(ctx, id))) break
    }
  }

  const threadId = assignThread(ctx, mb.objectId, threadKeys(m), m.subject, now, touched)
  const text = bodyText(m)
  const read = m.flags.includes('\\Seen') || direction === 'out'
  const id = Number(
    stmt(
      ctx.sqlite,
      `INSERT INTO messages (object_id, mailbox_id, folder, uidvalidity, uid, modseq, message_id, in_reply_to, references_json, direction,
         from_name, from_email, to_json, cc_json, reply_to_json, subject, snippet, date, size, read, flagged, is_auto_reply, is_bounce,
         has_attachments, parse_error, outbound_id, thread_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      mb.objectId,
      ref.mailboxId,
      ref.folder,
      uv,
      m.uid,
      m.modseq?.toString() ?? null,
      m.messageId,
      m.inReplyTo,
      JSON.stringify(m.references.slice(-100)),
      direction,
      m.from?.name ?? '',
      fromEmail,
      JSON.stringify(m.to),
      JSON.stringify(m.cc),
      JSON.stringify(m.replyTo),
      m.subject,
      snippetOf(text),
      Number.isFinite(m.date) ? m.date : m.internalDate,
      m.size,
      read ? 1 : 0,
      m.flags.includes('\\Flagged') ? 1 : 0,
      auto ? 1 : 0,
      bounce ? 1 : 0,
      m.attachments.some((a) => !a.inline) ? 1 : 0,
      m.parseError,
      outbound?.id ?? null,
      threadId,
      now,
    ).lastInsertRowid,
  )
  stmt(ctx.sqlite, 'INSERT INTO message_bodies (message_id, text, html, headers_json, raw) VALUES (?, ?, ?, ?, ?)').run(
    id,
    m.text,
    m.html,
    JSON.stringify(m.headers),
    m.parseError ? m.raw : null,
  )
  const att = stmt(ctx.sqlite, 'INSERT INTO attachments (message_id, filename, content_type, size, sha256, content_id, inline) VALUES (?, ?, ?, ?, ?, ?, ?)')
  m.attachments.forEach((a, i) => att.run(id, a.filename || 'attachment', a.contentType, a.size, hashes[i], a.contentId, a.inline ? 1 : 0))

  const people = [m.from, ...m.to, ...m.cc].filter((a): a is NonNullable<typeof a> => !!a)
  stmt(ctx.sqlite, 'INSERT INTO messages_fts (rowid, subject, body, names, addresses) VALUES (?, ?, ?, ?, ?)').run(
    id,
    m.subject,
    text.slice(0, FTS_BODY_MAX),
    people.map((p) => p.name).join(' '),
    people.map((p) => p.email).join(' '),
  )
  const contactIds = matchContacts(ctx, mb.objectId, people.map((p) => p.email), own)
  linkAuto(ctx, id, contactIds)

  if (bounce && outbound) recordBounce(ctx, outbound, m)
  else if (outbound && direction === 'in' && !auto && !bounce) {
    // The provider-event key makes the 'replied' event (and its hook) happen once per outbound message.
    if (addEvent(ctx, outbound.id, 'replied', `message ${id}`, now, `replied:${outbound.id}`)) {
      ctx.hooks.emit('outbound.replied', { outboundId: outbound.id, contactId: outbound.contactId ?? contactIds[0] ?? null, messageId: id })
    }
  }
  // Honouring the List-Unsubscribe mailto: the sender leaves this business's mailing (sequences stop,
  // pending autoresponder mail is withdrawn through the contacts.unsubscribed hook).
  if (direction === 'in' && !auto && !bounce && fromEmail && isUnsubscribeRequest(m)) suppress(ctx, { objectId: mb.objectId, outboundId: null, contactId: null }, fromEmail, 'unsubscribed')
  return { countsAsNew: direction === 'in' && !read && !fromUs }
}

/** A DSN for one of our messages: bounce the outbox row, suppress each failed address, mark contacts. */
function recordBounce(ctx: Ctx, row: OutRow, m: ParsedMessage): void {
  const failed = failedRecipients(m.dsn!)
  if (failed.length === 0) return
  const detail = m.dsn!.recipients.map((r) => [r.email, r.status, r.diagnostic].filter(Boolean).join(' ')).join('; ').slice(0, 1000)
  transition(ctx, row.id, NOT_BOUNCED, { status: 'bounced', statusReason: 'bounced', lastError: detail || null }, 'bounced', detail || 'DSN')
  const to = (JSON.parse(row.toJson) as string[]).map(normalizeAddress)
  for (const email of failed) {
    // The outbox row's contact is the failed one only if the address was its recipient.
    const contactId = row.contactId !== null && to.length === 1 && to[0]!.includes(email) ? row.contactId : null
    suppress(ctx, { objectId: row.objectId, outboundId: row.id, contactId }, email, 'bounced')
  }
}

/** Deletes these messages with their FTS rows; their threads go into `touched`, their attachment hashes into `hashes`. */
export function deleteMessages(ctx: Ctx, ids: number[], touched: Set<number>, hashes?: Set<string>): number {
  const thread = stmt(ctx.sqlite, 'SELECT thread_id AS t FROM messages WHERE id = ?')
  const shas = stmt(ctx.sqlite, 'SELECT sha256 FROM attachments WHERE message_id = ?').pluck()
  const fts = stmt(ctx.sqlite, 'DELETE FROM messages_fts WHERE rowid = ?')
  const del = stmt(ctx.sqlite, 'DELETE FROM messages WHERE id = ?')
  let n = 0
  for (const id of ids) {
    const t = thread.get(id) as { t: number } | undefined
    if (!t) continue
    touched.add(t.t)
    if (hashes) for (const h of shas.all(id) as string[]) hashes.add(h)
    fts.run(id)
    n += del.run(id).changes
  }
  return n
}

export function applyFlags(ctx: Ctx, ref: FolderRef, updates: FlagUpdate[]): number {
  const uv = ref.uidValidity.toString()
  const touched = new Set<number>()
  let changed = 0
  ctx.sqlite
    .transaction(() => {
      const find = stmt(
        ctx.sqlite,
        `SELECT m.id, m.thread_id AS threadId, m.read, m.flagged,
           EXISTS (SELECT 1 FROM pending_flag_ops p WHERE p.message_id = m.id AND p.flag = '\\Seen') AS pending
         FROM messages m WHERE m.mailbox_id = ? AND m.folder = ? AND m.uidvalidity = ? AND m.uid = ?`,
      )
      const upd = stmt(ctx.sqlite, 'UPDATE messages SET read = ?, flagged = ?, modseq = coalesce(?, modseq) WHERE id = ?')
      for (const u of updates) {
        const r = find.get(ref.mailboxId, ref.folder, uv, u.uid) as { id: number; threadId: number; read: number; flagged: number; pending: number } | undefined
        if (!r) continue
        // A local change not yet pushed is newer than what the server reports.
        const read = r.pending ? r.read : u.flags.includes('\\Seen') ? 1 : 0
        const flagged = u.flags.includes('\\Flagged') ? 1 : 0
        upd.run(read, flagged, u.modseq?.toString() ?? null, r.id)
        if (read !== r.read || flagged !== r.flagged) {
          changed++
          touched.add(r.threadId)
        }
      }
      refreshThreads(ctx, touched, false)
    })
    .immediate()
  if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages: 0 })
  return changed
}

export function removeMissing(ctx: Ctx, ref: FolderRef, present: number[] | { below: number; present: number[] }): number {
  const uv = ref.uidValidity.toString()
  const full = Array.isArray(present)
  const uids = JSON.stringify(full ? present : present.present)
  const below = full ? Number.MAX_SAFE_INTEGER : present.below
  const touched = new Set<number>()
  const hashes = new Set<string>()
  let n = 0
  ctx.sqlite
    .transaction(() => {
      const gone = stmt(
        ctx.sqlite,
        `SELECT id FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity = ? AND uid < ?
           AND uid NOT IN (SELECT value FROM json_each(?))`,
      ).all(ref.mailboxId, ref.folder, uv, below, uids) as Array<{ id: number }>
      // After a full listing, stale copies that did not come back are gone from the server.
      const stale = full
        ? (stmt(ctx.sqlite, 'SELECT id FROM messages WHERE mailbox_id = ? AND folder = ? AND stale = 1').all(ref.mailboxId, ref.folder) as Array<{ id: number }>)
        : []
      n = deleteMessages(ctx, [...gone, ...stale].map((r) => r.id), touched, hashes)
      refreshThreads(ctx, touched)
    })
    .immediate()
  dropUnreferencedFiles(ctx, hashes)
  if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages: 0 })
  return n
}

/** After the rows are gone: files no attachment row points at any more. Only ever called after commit. */
function dropUnreferencedFiles(ctx: Ctx, hashes: Set<string>): void {
  if (ctx.sqlite.inTransaction) return // the caller's transaction may still roll back; a stray file is harmless
  const used = stmt(ctx.sqlite, 'SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1')
  for (const h of hashes) if (!used.get(h)) removeAttachment(ctx.info.dataDir, h)
}

export function resetFolder(ctx: Ctx, ref: FolderRef): void {
  const uv = ref.uidValidity.toString()
  const touched = new Set<number>()
  ctx.sqlite
    .transaction(() => {
      stmt(ctx.sqlite, 'UPDATE messages SET stale = 1 WHERE mailbox_id = ? AND folder = ? AND uidvalidity != ? AND message_id IS NOT NULL').run(
        ref.mailboxId,
        ref.folder,
        uv,
      )
      // Without a Message-ID a copy cannot be recognised when it comes back: drop it now, it will be re-fetched.
      const anon = stmt(ctx.sqlite, 'SELECT id FROM messages WHERE mailbox_id = ? AND folder = ? AND uidvalidity != ? AND message_id IS NULL').all(
        ref.mailboxId,
        ref.folder,
        uv,
      ) as Array<{ id: number }>
      deleteMessages(ctx, anon.map((r) => r.id), touched)
      refreshThreads(ctx, touched)
    })
    .immediate()
  if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages: 0 })
}

export function pendingFlagOps(ctx: Ctx, mailboxId: number): PendingFlagOp[] {
  const rows = stmt(
    ctx.sqlite,
    `SELECT p.id, m.mailbox_id AS mailboxId, m.folder, m.uid, m.uidvalidity, p.value FROM pending_flag_ops p
       JOIN messages m ON m.id = p.message_id WHERE m.mailbox_id = ? AND m.stale = 0 ORDER BY p.id`,
  ).all(mailboxId) as Array<{ id: number; mailboxId: number; folder: string; uid: number; uidvalidity: string; value: number }>
  return rows.map((r) => ({ id: r.id, mailboxId: r.mailboxId, folder: r.folder, uid: r.uid, uidValidity: BigInt(r.uidvalidity), flag: '\\Seen', set: r.value === 1 }))
}

export function ackFlagOps(ctx: Ctx, ids: number[]): void {
  if (ids.length === 0) return
  stmt(ctx.sqlite, 'DELETE FROM pending_flag_ops WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids))
}

/** The app changed \Seen: local at once, and queued for the sync worker (replacing an older op for the message). */
export function queueSeen(ctx: Ctx, messageIds: number[], read: boolean): { changed: number; threadIds: number[] } {
  const touched = new Set<number>()
  let changed = 0
  const now = ctx.clock.now()
  const upd = stmt(ctx.sqlite, 'UPDATE messages SET read = ? WHERE id = ? AND read != ? RETURNING thread_id AS t')
  // REPLACE gives the op a new id, so an ack of the op the worker pushed earlier cannot drop this newer one.
  const op = stmt(ctx.sqlite, "INSERT OR REPLACE INTO pending_flag_ops (message_id, flag, value, created_at) VALUES (?, '\\Seen', ?, ?)")
  for (const id of messageIds) {
    const r = upd.get(read ? 1 : 0, id, read ? 1 : 0) as { t: number } | undefined
    if (!r) continue
    changed++
    touched.add(r.t)
    op.run(id, read ? 1 : 0, now)
  }
  refreshThreads(ctx, touched, false)
  return { changed, threadIds: [...touched] }
}
