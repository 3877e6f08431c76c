// Texts both ways as conversations: received ones (text_messages) and sent ones (the outbox's text rows),
// one conversation per contact and channel.
import type { TextChannel } from '../../../shared/channels'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface ConversationRow {
  contactId: number
  channel: TextChannel
  objectId: number
  lastAt: number
  lastBody: string
  lastDirection: 'in' | 'out'
  unread: number
  contactName: string
  phone: string
}

export function conversationRows(ctx: Ctx, objectId: number | null, limit: number): ConversationRow[] {
  return stmt(
    ctx.sqlite,
    `WITH items AS (
       SELECT contact_id AS c, channel AS ch, object_id AS o, received_at AS at, body, 'in' AS dir, (read = 0) AS unread
         FROM text_messages WHERE contact_id IS NOT NULL AND (@o IS NULL OR object_id = @o)
       UNION ALL
       SELECT contact_id, channel, object_id, coalesce(sent_at, scheduled_for), CASE WHEN content_sid IS NOT NULL THEN '(template)' ELSE text END, 'out', 0
         FROM outbound_messages WHERE channel != 'email' AND contact_id IS NOT NULL AND (@o IS NULL OR object_id = @o)
     ), ranked AS (
       SELECT *, row_number() OVER (PARTITION BY c, ch ORDER BY at DESC, dir) AS rn, sum(unread) OVER (PARTITION BY c, ch) AS unreadN FROM items
     )
     SELECT r.c AS contactId, r.ch AS channel, r.o AS objectId, r.at AS lastAt, r.body AS lastBody, r.dir AS lastDirection, r.unreadN AS unread,
            trim(k.first_name || ' ' || k.last_name) AS contactName, k.phone AS phone, k.email AS email
       FROM ranked r JOIN contacts k ON k.id = r.c WHERE r.rn = 1 ORDER BY r.at DESC LIMIT @lim`,
  ).all({ o: objectId, lim: limit }) as ConversationRow[]
}

export interface TextItemRow {
  dir: 'in' | 'out'
  id: number
  channel: TextChannel
  contactId: number | null
  body: string
  status: string
  statusReason: string | null
  segments: number | null
  fromPhone: string
  toJson: string
  at: number
  read: number
}

/** The latest `limit` texts of one conversation, oldest first. */
export function conversationItems(ctx: Ctx, contactId: number, channel: TextChannel, limit: number): TextItemRow[] {
  const rows = stmt(
    ctx.sqlite,
    `SELECT * FROM (
       SELECT 'in' AS dir, id, channel, contact_id AS contactId, body, 'received' AS status, NULL AS statusReason, NULL AS segments, from_phone AS fromPhone,
              json_array(to_phone) AS toJson, received_at AS at, read FROM text_messages WHERE contact_id = @c AND channel = @ch
       UNION ALL
       SELECT 'out', id, channel, contact_id, CASE WHEN content_sid IS NOT NULL THEN '(template ' || content_sid || ')' ELSE text END, status, status_reason, segments,
              from_email, to_json, coalesce(sent_at, scheduled_for), 1 FROM outbound_messages WHERE contact_id = @c AND channel = @ch
     ) ORDER BY at DESC, dir DESC, id DESC LIMIT @lim`,
  ).all({ c: contactId, ch: channel, lim: limit }) as TextItemRow[]
  return rows.reverse()
}

export const markConversationRead = (ctx: Ctx, contactId: number, channel: TextChannel): number =>
  stmt(ctx.sqlite, 'UPDATE text_messages SET read = 1 WHERE contact_id = ? AND channel = ? AND read = 0').run(contactId, channel).changes

/** Our latest text to a contact on a channel that went out (what a reply by text answers), or null. */
export const lastTextTo = (ctx: Ctx, contactId: number, channel: TextChannel): number | null =>
  (stmtPluck(
    ctx.sqlite,
    "SELECT id FROM outbound_messages WHERE contact_id = ? AND channel = ? AND status IN ('sent', 'delivered') ORDER BY coalesce(sent_at, created_at) DESC, id DESC LIMIT 1",
  )
    .get(contactId, channel) as number | undefined) ?? null
