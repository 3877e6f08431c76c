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
import { stmt, stmtPluck } from '../db/stmt'
import { addEvent, transition } from '../repos/outbox'
import { erasedMessageTest } from '../repos/dataRights'
import { suppress } from '../outbound/suppression'
import { saveAttachment } from './attachmentFiles'
import { prepareBody, snippetOf, type PreparedBody } from './prepare'
import { failedRecipients, isAutoReply, isUnsubscribeRequest } from './classify'
import { batchLookups, storedUids, type BatchLookups } from './batchLookups'
import { linkAuto, matchContacts, normalizeAddress, ownAddresses } from './match'
import { refreshThreads, threadKeys, threader, type Threader } from './thread'
import type { FolderRef, ParsedAddress, ParsedMessage } from './types'

// The sync workers take the whole store API (types.ts) from this module.
export { ackFlagOps, applyFlags, deleteMessages, pendingFlagOps, queueSeen, removeMissing, resetFolder } from './storeChanges'
export { mergeIndexStep } from './ftsMerge'

const FTS_BODY_MAX = 100_000
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

export { snippetOf }

/** What the parse thread prepared, or (a message the pool gave up on, a test's fixture) the same worked out here. */
const preparedOf = (m: ParsedMessage): PreparedBody => m.prepared ?? prepareBody(m)

function bodyText(m: ParsedMessage, p: PreparedBody): string {
  if (m.text?.trim()) return m.text
  if (p.htmlText !== null) return p.htmlText
  if (m.raw) return m.raw.subarray(0, 4096).toString('latin1')
  return ''
}

interface OutRow {
  id: number
  objectId: number
  contactId: number | null
  toJson: string
}
const outRow = (ctx: Ctx, mid: string): OutRow | undefined =>
  stmt(ctx.sqlite, 'SELECT id, object_id AS objectId, contact_id AS contactId, to_json AS toJson FROM outbound_messages WHERE message_id = ?').get(mid) as
    | OutRow
    | undefined

/** Pre-commit work per message that may touch the disk (what the parse thread did not write). Returns attachment hashes in order. */
function writeAttachments(ctx: Ctx, m: ParsedMessage): string[] {
  return m.attachments.map((a) => (a.content ? saveAttachment(ctx.info.dataDir, a.content, a.sha256) : a.sha256))
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

interface FtsRow {
  id: number
  subject: string
  body: string
  names: string
  addresses: string
}

/** What insertOne needs besides the message: shared by the whole batch. */
interface BatchCtx {
  ref: FolderRef
  uv: string
  mb: MailboxInfo
  own: Set<string>
  now: number
  touched: Set<number>
  look: BatchLookups
  threads: Threader
  fts: FtsRow[]
}

export function storeMessages(ctx: Ctx, ref: FolderRef, batch: ParsedMessage[]): { stored: number; duplicates: number } {
  const messages = batch.map(bounded)
  const mb = mailboxInfo(ctx, ref.mailboxId)
  const uv = ref.uidValidity.toString()
  // Skip what is already stored before touching the disk, so a re-fetched batch costs only lookups.
  const have = storedUids(ctx, ref, uv, messages.map((m) => m.uid))
  // Mail erased at a person's request is still on the server: a full fetch must not store it again.
  const erased = erasedMessageTest(ctx)
  const place = (m: ParsedMessage) => ({ messageId: m.messageId, mailboxId: ref.mailboxId, folder: ref.folder, uidvalidity: uv, uid: m.uid })
  const fresh = messages.filter((m) => !have.has(m.uid) && !erased?.(place(m)))
  const hashes = fresh.map((m) => writeAttachments(ctx, m))
  const touched = new Set<number>()
  let newMessages = 0
  let stored = 0
  ctx.sqlite
    .transaction(() => {
      const own = ownAddresses(ctx, mb.objectId)
      own.add(mb.email)
      const b: BatchCtx = {
        ref,
        uv,
        mb,
        own,
        now: ctx.clock.now(),
        touched,
        look: batchLookups(ctx, ref, fresh),
        threads: threader(ctx, mb.objectId, fresh.flatMap(threadKeys)),
        fts: [],
      }
      const seen = new Set<number>()
      fresh.forEach((m, i) => {
        // A uid twice in one batch: the first copy wins (the pre-check above covers earlier calls).
        if (seen.has(m.uid)) return
        seen.add(m.uid)
        if (m.messageId && b.look.stale.has(m.messageId) && reviveStale(ctx, ref, uv, m, touched)) {
          stored++
          return
        }
        const r = insertOne(ctx, b, m, hashes[i]!)
        stored++
        if (r.countsAsNew) newMessages++
      })
      refreshThreads(ctx, touched, false)
      // FTS last: FTS5 writes its pending rows out as a new segment at every savepoint, and each statement
      // above that fires a trigger opens one. Indexed in between, the batch cost a segment (and merges) per message.
      const fts = stmt(ctx.sqlite, 'INSERT INTO messages_fts (rowid, subject, body, names, addresses) VALUES (?, ?, ?, ?, ?)')
      for (const r of b.fts) fts.run(r.id, r.subject, r.body, r.names, r.addresses)
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
  // A read or a star changed here and not yet pushed is newer than the server's flags.
  const pending = stmtPluck(ctx.sqlite, 'SELECT flag FROM pending_flag_ops WHERE message_id = ?').all(row.id) as string[]
  const sets = ['uidvalidity = ?', 'uid = ?', 'stale = 0', 'modseq = ?']
  const args: Array<string | number | null> = [uv, m.uid, m.modseq?.toString() ?? null]
  if (!pending.includes('\\Flagged')) sets.push('flagged = ?'), args.push(m.flags.includes('\\Flagged') ? 1 : 0)
  if (!pending.includes('\\Seen')) sets.push('read = ?'), args.push(m.flags.includes('\\Seen') ? 1 : 0)
  stmt(ctx.sqlite, `UPDATE messages SET ${sets.join(', ')} WHERE id = ?`).run(...args, row.id)
  touched.add(row.threadId)
  return true
}

function insertOne(ctx: Ctx, b: BatchCtx, m: ParsedMessage, hashes: string[]): { countsAsNew: boolean } {
  const { ref, uv, mb, own, now } = b
  // Only Message-IDs the batch found among our outbound mail are read.
  const outByMessageId = (mid: string) => (b.look.outbound.has(mid) ? outRow(ctx, mid) : undefined)
  const fromEmail = m.from ? normalizeAddress(m.from.email) : null
  const ownCopy = m.messageId ? outByMessageId(m.messageId) : undefined
  const fromUs = fromEmail !== null && own.has(fromEmail)
  const direction: 'in' | 'out' = ownCopy || fromUs || ref.folderRole === 'sent' ? 'out' : 'in'
  const auto = direction === 'in' && isAutoReply(m)
  const bounce = m.dsn !== null

  // Which of our outbound messages this copy is, bounces for, or replies to (nearest reference first).
  let outbound: OutRow | undefined = ownCopy
  if (!outbound && bounce && m.dsn!.originalMessageId) outbound = outByMessageId(m.dsn!.originalMessageId)
  if (!outbound && direction === 'in') {
    for (const id of [m.inReplyTo, ...[...m.references].reverse()]) {
      if (id && (outbound = outByMessageId(id))) break
    }
  }

  const threadId = b.threads.assign(threadKeys(m), m.subject, now, b.touched)
  const prep = preparedOf(m)
  const text = bodyText(m, prep)
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
      prep.snippet,
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
  stmt(
    ctx.sqlite,
    'INSERT INTO message_bodies (message_id, text, html, headers_json, raw, safe_html, safe_html_state, safe_html_remote, html_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    id,
    m.text,
    m.html,
    JSON.stringify(m.headers),
    m.parseError ? m.raw : null,
    prep.safeHtml,
    prep.htmlState,
    prep.htmlRemote ? 1 : 0,
    // Only the over-budget view needs it kept; search gets it below.
    prep.htmlState === 'size' || prep.htmlState === 'depth' ? prep.htmlText : null,
  )
  const att = stmt(ctx.sqlite, 'INSERT INTO attachments (message_id, filename, content_type, size, sha256, content_id, inline) VALUES (?, ?, ?, ?, ?, ?, ?)')
  m.attachments.forEach((a, i) => att.run(id, a.filename || 'attachment', a.contentType, a.size, hashes[i], a.contentId, a.inline ? 1 : 0))

  const people = [m.from, ...m.to, ...m.cc].filter((a): a is NonNullable<typeof a> => !!a)
  b.fts.push({
    id,
    subject: m.subject,
    body: text.slice(0, FTS_BODY_MAX),
    names: people.map((p) => p.name).join(' '),
    addresses: people.map((p) => p.email).join(' '),
  })
  const contactIds = matchContacts(ctx, mb.objectId, people.map((p) => p.email), own, b.look.contacts)
  linkAuto(ctx, id, contactIds)

  if (bounce && outbound) recordBounce(ctx, outbound, m)
  else if (outbound && direction === 'in' && !auto && !bounce) {
    // The provider-event key makes the 'replied' event (and its hook) happen once per outbound message.
    if (addEvent(ctx, outbound.id, 'replied', `message ${id}`, now, `replied:${outbound.id}`)) {
      ctx.hooks.emit('outbound.replied', { outboundId: outbound.id, contactId: outbound.contactId ?? contactIds[0] ?? null, messageId: id })
    }
  }
  // The CRM's "remind me if no reply" tasks close on the contact's next real mail (services/tasks.ts).
  if (direction === 'in' && !auto && !bounce && contactIds.length) ctx.hooks.emit('messages.received', { messageId: id, contactIds, date: m.date })
  // Honouring the List-Unsubscribe mailto: the sender leaves this business's mailing (sequences stop,
  // pending autoresponder mail is withdrawn through the contacts.unsubscribed hook).
  if (direction === 'in' && !auto && !bounce && fromEmail && isUnsubscribeRequest(m)) suppress(ctx, { objectId: mb.objectId, outboundId: null, contactId: null }, fromEmail, 'unsubscribed')
  // Intake (issue 18): web-form mail becomes a contact, once, in this transaction (services/intake.ts).
  if (direction === 'in' && !bounce && !ref.quiet) ctx.hooks.emit('messages.stored', { messageId: id, objectId: mb.objectId })
  return { countsAsNew: direction === 'in' && !read && !fromUs && !ref.quiet }
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
