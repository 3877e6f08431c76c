// Reply, reply-all and forward of a stored message: recipients, subject prefix, quoted original and the
// threading headers, queued through the outbox (source 'reply') from the business's profile.
import type { z } from 'zod'
import type { ReplyMail } from '../../../shared/inbox'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import type { OutboxRow } from '../repos/outbox'
import { queueMessage } from '../outbound/queue'
import { originalAttachments, type Resolved } from '../outbound/attachments'
import { messageRow, quotableBody, unpreparedHtml, type MessageRow } from '../repos/messages'
import { ownAddresses } from './match'
import { finishHtml, sanitizeEmailHtml, textAsHtml } from './sanitize'

type ReplyInput = z.output<typeof ReplyMail>
type Addr = { name: string; email: string }

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
const fmt = (a: Addr) => (a.name ? `${a.name} <${a.email}>` : a.email)

export function replySubject(subject: string, mode: ReplyInput['mode']): string {
  const s = subject.trim()
  if (mode === 'forward') return /^(fwd?|fw)\s*:/i.test(s) ? s : `Fwd: ${s}`
  return /^re\s*:/i.test(s) ? s : `Re: ${s}`
}

/** Default recipients per mode, never including our own addresses. */
export function replyRecipients(r: MessageRow, mode: ReplyInput['mode'], own: Set<string>): { to: string[]; cc: string[] } {
  if (mode === 'forward') return { to: [], cc: [] }
  const from = r.fromEmail ? [{ name: r.fromName, email: r.fromEmail }] : []
  const replyTo = JSON.parse(r.replyToJson) as Addr[]
  const to = JSON.parse(r.toJson) as Addr[]
  const cc = JSON.parse(r.ccJson) as Addr[]
  // Replying to our own sent mail continues the conversation with its recipients.
  const primary = r.direction === 'out' ? to : replyTo.length ? replyTo : from
  const seen = new Set<string>()
  const pick = (list: Addr[]) => {
    const out: string[] = []
    for (const a of list) {
      const e = a.email.trim().toLowerCase()
      if (!e || own.has(e) || seen.has(e)) continue
      seen.add(e)
      out.push(e)
    }
    return out
  }
  const toList = pick(primary)
  if (mode === 'reply') return { to: toList, cc: [] }
  return { to: [...toList, ...pick(r.direction === 'out' ? [] : to)], cc: pick(cc) }
}

/** The quoted original in a reply or forward: the stored sanitised HTML with nothing remote or inline loaded. */
export function quotableHtml(ctx: Ctx, id: number): string | null {
  const b = quotableBody(ctx, id)
  if (!b?.hasHtml) return null
  if (b.state === 'ok' && b.safeHtml !== null) return finishHtml(b.safeHtml, { allowRemote: false, inline: new Map() })
  if (b.state) return textAsHtml(b.text?.trim() ? b.text : (b.htmlText ?? ''))
  // Stored before 0010 and not yet backfilled: the same hardened sanitiser, with its budgets.
  const legacy = unpreparedHtml(ctx, id)
  return legacy ? sanitizeEmailHtml(legacy.html, { allowRemote: false, inline: new Map() }).html : null
}

function quoted(ctx: Ctx, r: MessageRow, mode: ReplyInput['mode']): string {
  const body = stmt(ctx.sqlite, 'SELECT text FROM message_bodies WHERE message_id = ?').get(r.id) as { text: string | null } | undefined
  // The stored sanitised HTML (hardened sanitiser, budgets), nothing remote or inline loaded.
  const original = quotableHtml(ctx, r.id) ?? `<div style="white-space:pre-wrap">${esc(body?.text ?? '')}</div>`
  const when = new Date(r.date).toUTCString()
  const who = esc(r.fromEmail ? fmt({ name: r.fromName, email: r.fromEmail }) : 'unknown sender')
  if (mode === 'forward') {
    const to = (JSON.parse(r.toJson) as Addr[]).map(fmt).join(', ')
    return `<p>---------- Forwarded message ----------<br>From: ${who}<br>Date: ${esc(when)}<br>Subject: ${esc(r.subject)}<br>To: ${esc(to)}</p>${original}`
  }
  return `<p>On ${esc(when)}, ${who} wrote:</p><blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${original}</blockquote>`
}

function profileFor(ctx: Ctx, r: MessageRow, requested: number | undefined): number {
  if (requested !== undefined) {
    const p = stmt(ctx.sqlite, 'SELECT object_id AS o FROM email_sending_profiles WHERE id = ?').get(requested) as { o: number } | undefined
    if (!p) throw new AppError('NOT_FOUND', `Sender profile ${requested} does not exist`, 'profileId')
    if (p.o !== r.objectId) throw new AppError('VALIDATION', 'That profile belongs to another business', 'profileId')
    return requested
  }
  // The profile sending through the mailbox the mail arrived in, else any active one of the business.
  const p = stmt(
    ctx.sqlite,
    'SELECT id FROM email_sending_profiles WHERE object_id = ? AND is_active = 1 ORDER BY (mailbox_id IS ?) DESC, id LIMIT 1',
  ).get(r.objectId, r.mailboxId) as { id: number } | undefined
  if (!p) throw new AppError('VALIDATION', 'This business has no active sender profile to reply from', 'profileId')
  return p.id
}

/**
 * The files a reply carries: those given (already resolved, see resolveRefs), and for a forward the
 * original's unless told not to (a forward used to drop them silently).
 */
export function replyAttachments(ctx: Ctx, input: Pick<ReplyInput, 'messageId' | 'mode' | 'includeOriginalAttachments'>, given: readonly Resolved[] = []): Resolved[] {
  const originals = input.mode === 'forward' && input.includeOriginalAttachments !== false ? originalAttachments(ctx, input.messageId) : []
  return [...originals, ...given]
}

/** The profile a reply goes from: the one asked for (it must be of the thread's business), else the business's. */
export function replyProfileId(ctx: Ctx, input: Pick<ReplyInput, 'messageId' | 'profileId'>): number {
  return profileFor(ctx, messageRow(ctx, input.messageId), input.profileId)
}

/** Queues the reply; call inside a write transaction. `files` come from replyAttachments. */
export function queueReply(ctx: Ctx, input: ReplyInput, files: readonly Resolved[] = []): OutboxRow {
  const r = messageRow(ctx, input.messageId)
  const own = ownAddresses(ctx, r.objectId)
  const defaults = replyRecipients(r, input.mode, own)
  const to = (input.to ?? defaults.to).filter(Boolean)
  const cc = (input.cc ?? defaults.cc).filter(Boolean)
  const bcc = (input.bcc ?? []).filter(Boolean)
  if (to.length === 0) throw new AppError('VALIDATION', input.mode === 'forward' ? 'Say who to forward it to' : 'There is no one to reply to', 'to')
  const headers: Record<string, string> = {}
  if (r.messageId && input.mode !== 'forward') {
    const refs = (JSON.parse(r.referencesJson) as string[]).slice(-20)
    if (r.inReplyTo && !refs.includes(r.inReplyTo)) refs.push(r.inReplyTo)
    refs.push(r.messageId)
    headers['In-Reply-To'] = r.messageId
    headers['References'] = refs.join(' ')
  }
  const contact = stmt(ctx.sqlite, 'SELECT contact_id AS c FROM message_contacts WHERE message_id = ? AND linked = 1 ORDER BY manual DESC, contact_id LIMIT 1').get(r.id) as
    | { c: number }
    | undefined
  return queueMessage(ctx, {
    profileId: profileFor(ctx, r, input.profileId),
    to,
    cc,
    bcc,
    attachments: files,
    draftId: input.draftId ?? null,
    subject: replySubject(r.subject, input.mode),
    html: `${input.html}${quoted(ctx, r, input.mode)}`,
    contactId: contact?.c ?? null,
    source: 'reply',
    headers,
    undoMs: ctx.outbound.undoMs,
  })
}
