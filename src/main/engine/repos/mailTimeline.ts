// The query behind contacts.timeline: a contact's mail both ways. Only reads: mail synced before the contact
// (or its extra address) existed was linked when the contact was saved (inbound/match.ts linkStoredMail).
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { decodeIntCursor, encodeCursor } from './cursor'

/**
 * A contact's mail, both ways: stored copies linked to the contact (one per Message-ID and mailbox), plus
 * outbox rows for the contact that have not come back through a Sent folder yet. Newest first.
 */
export function contactTimeline(ctx: Ctx, contactId: number, cursor: string | undefined, limit: number) {
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM contacts WHERE id = ?').get(contactId)) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
  let offset = 0
  if (cursor) {
    offset = decodeIntCursor(cursor, 1)[0]
    if (offset < 0) throw new AppError('VALIDATION', 'The page cursor is not valid; start again from the first page', 'cursor')
  }
  const rows = stmt(
    ctx.sqlite,
    `SELECT * FROM (
       SELECT CASE m.direction WHEN 'in' THEN 'inbound' ELSE 'outbound' END AS kind, m.id AS id, m.id AS messageId, m.outbound_id AS outboundId,
              m.thread_id AS threadId, m.date AS at, m.subject, m.snippet,
              CASE m.direction WHEN 'out' THEN o.status END AS status, m.is_auto_reply AS isAutoReply, m.is_bounce AS isBounce
         FROM message_contacts mc JOIN messages m ON m.id = mc.message_id
         LEFT JOIN outbound_messages o ON o.id = m.outbound_id
        WHERE mc.contact_id = @c AND mc.linked = 1
          AND (m.message_id IS NULL OR m.id = (SELECT min(m2.id) FROM messages m2 WHERE m2.mailbox_id = m.mailbox_id AND m2.message_id = m.message_id))
       UNION ALL
       SELECT 'outbound', o.id, NULL, o.id, coalesce((SELECT r.thread_id FROM thread_refs r WHERE r.object_id = o.object_id AND r.ref = o.message_id),
                       (SELECT r.thread_id FROM thread_refs r WHERE r.object_id = o.object_id AND r.ref = json_extract(o.headers_json, '$."In-Reply-To"'))),
              coalesce(o.sent_at, o.scheduled_for), o.subject, substr(o.text, 1, 200), o.status, 0, 0
         FROM outbound_messages o
        WHERE o.contact_id = @c AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.mailbox_id = o.mailbox_id AND m.message_id = o.message_id)
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.outbound_id = o.id AND m.direction = 'out')
     ) ORDER BY at DESC, kind, id DESC LIMIT @lim OFFSET @off`,
  ).all({ c: contactId, lim: limit + 1, off: offset }) as Array<{
    kind: 'inbound' | 'outbound'
    id: number
    messageId: number | null
    outboundId: number | null
    threadId: number | null
    at: number
    subject: string
    snippet: string
    status: string | null
    isAutoReply: number
    isBounce: number
  }>
  const items = rows.slice(0, limit).map((r) => ({
    ...r,
    at: iso(r.at),
    snippet: r.snippet.replace(/\s+/g, ' ').trim(),
    isAutoReply: r.isAutoReply === 1,
    isBounce: r.isBounce === 1,
  }))
  return { items, nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null }
}
