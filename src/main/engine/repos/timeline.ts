// The contact page's one story (issue 19): mail both ways, notes, tasks and automation events, as one
// UNION ALL ordered newest first and keyset-paged on (at, k), where k orders rows of the same instant
// (the type's rank times 2^40 plus the row id, so it is unique). Reads only: mail not yet linked to the
// contact is linked on the write side, never here.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import type { TimelineKind } from '../../../shared/crm'

export interface TimelineRow {
  kind: TimelineKind
  type: string
  id: number
  at: number
  k: number
  title: string
  detail: string
  threadId: number | null
  outboundId: number | null
  status: string | null
  dueAt: number | null
}

const K = (rank: number, id: string) => `(${rank} * 1099511627776 + ${id})`

// One SELECT per kind; each yields the columns of TimelineRow. @c is the contact.
const PARTS: Record<TimelineKind, string[]> = {
  mail: [
    // Stored copies linked to the contact, one per Message-ID and mailbox (a message in two folders shows once).
    `SELECT 'mail', CASE m.direction WHEN 'in' THEN 'inbound' ELSE 'outbound' END, m.id, m.date, ${K(1, 'm.id')}, m.subject, m.snippet,
            m.thread_id, m.outbound_id, CASE m.direction WHEN 'out' THEN o.status WHEN 'in' THEN CASE WHEN m.is_bounce = 1 THEN 'bounce' WHEN m.is_auto_reply = 1 THEN 'auto-reply' END END, NULL
       FROM message_contacts mc JOIN messages m ON m.id = mc.message_id LEFT JOIN outbound_messages o ON o.id = m.outbound_id
      WHERE mc.contact_id = @c AND mc.linked = 1
        AND (m.message_id IS NULL OR m.id = (SELECT min(m2.id) FROM messages m2 WHERE m2.mailbox_id = m.mailbox_id AND m2.message_id = m.message_id))`,
    // Outbox rows for the contact that have not come back through a Sent folder yet.
    `SELECT 'mail', 'outbound', o.id, coalesce(o.sent_at, o.scheduled_for), ${K(2, 'o.id')}, o.subject, substr(o.text, 1, 200), NULL, o.id, o.status, NULL
       FROM outbound_messages o
      WHERE o.contact_id = @c AND o.channel = 'email' AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.mailbox_id = o.mailbox_id AND m.message_id = o.message_id)
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.outbound_id = o.id AND m.direction = 'out')`,
    // Texts sent (issue 17): type 'text_out', the channel as title (a badge, like texts received), the words as detail.
    `SELECT 'mail', 'text_out', o.id, coalesce(o.sent_at, o.scheduled_for), ${K(2, 'o.id')}, CASE o.channel WHEN 'sms' THEN 'SMS' ELSE 'WhatsApp' END,
            CASE WHEN o.content_sid IS NOT NULL AND o.text = '' THEN 'Approved template ' || o.content_sid ELSE substr(o.text, 1, 200) END, NULL, o.id, o.status, NULL
       FROM outbound_messages o WHERE o.contact_id = @c AND o.channel != 'email'`,
    // Texts received (issue 17): type 'text_in', the channel as title; texts sent are outbox rows above.
    `SELECT 'mail', 'text_in', t.id, t.received_at, ${K(9, 't.id')}, CASE t.channel WHEN 'sms' THEN 'SMS' ELSE 'WhatsApp' END, substr(t.body, 1, 200), NULL, NULL, t.channel, NULL
       FROM text_messages t WHERE t.contact_id = @c`,
  ],
  note: [
    `SELECT 'note', 'note', n.id, n.created_at, ${K(3, 'n.id')}, coalesce(u.name, ''), substr(n.body_text, 1, 400), NULL, NULL, CASE n.pinned WHEN 1 THEN 'pinned' END, NULL
       FROM contact_notes n LEFT JOIN users u ON u.id = n.author_user_id WHERE n.contact_id = @c`,
  ],
  task: [
    `SELECT 'task', 'task', t.id, t.created_at, ${K(4, 't.id')}, t.title, coalesce(u.name, ''), t.thread_id, NULL, CASE WHEN t.done_at IS NULL THEN 'open' ELSE 'done' END, t.due_at
       FROM tasks t LEFT JOIN users u ON u.id = t.assignee_user_id WHERE t.contact_id = @c`,
  ],
  automation: [
    `SELECT 'automation', 'enrolled', sc.id, sc.enrolled_at, ${K(5, 'sc.id')}, s.name, '', NULL, NULL, NULL, NULL
       FROM sequence_contacts sc JOIN sequences s ON s.id = sc.sequence_id WHERE sc.contact_id = @c`,
    `SELECT 'automation', 'stopped', sc.id, sc.updated_at, ${K(6, 'sc.id')}, s.name, coalesce(sc.last_error, ''), NULL, NULL, sc.status, NULL
       FROM sequence_contacts sc JOIN sequences s ON s.id = sc.sequence_id WHERE sc.contact_id = @c AND sc.status IN ('completed', 'replied', 'bounced', 'unsubscribed', 'failed')`,
    `SELECT 'automation', 'step', sm.id, o.sent_at, ${K(7, 'sm.id')}, s.name, 'Step ' || sm.step_position, NULL, o.id, o.status, NULL
       FROM sequence_contacts sc JOIN sequence_messages sm ON sm.sequence_contact_id = sc.id JOIN sequences s ON s.id = sc.sequence_id
       JOIN outbound_messages o ON o.id = sm.outbound_id WHERE sc.contact_id = @c AND o.sent_at IS NOT NULL`,
    `SELECT 'automation', 'autoresponder', e.id, e.updated_at, ${K(8, 'e.id')}, a.name, '', NULL, e.outbound_id, e.status, NULL
       FROM autoresponder_executions e JOIN autoresponders a ON a.id = e.autoresponder_id WHERE e.contact_id = @c AND e.status IN ('SENT', 'FAILED', 'SKIPPED')`,
  ],
}

export function timelineRows(ctx: Ctx, contactId: number, kinds: readonly TimelineKind[], after: { at: number; k: number } | null, limit: number): TimelineRow[] {
  const union = kinds.flatMap((kind) => PARTS[kind]).join('\nUNION ALL\n')
  const sql = `SELECT * FROM (SELECT NULL AS kind, NULL AS type, NULL AS id, NULL AS at, NULL AS k, NULL AS title, NULL AS detail, NULL AS threadId, NULL AS outboundId, NULL AS status, NULL AS dueAt WHERE 0
     UNION ALL ${union})
     WHERE @after IS NULL OR at < @at OR (at = @at AND k < @k)
     ORDER BY at DESC, k DESC LIMIT @lim`
  return stmt(ctx.sqlite, sql).all({ c: contactId, after: after ? 1 : null, at: after?.at ?? 0, k: after?.k ?? 0, lim: limit }) as TimelineRow[]
}

export function contactSummaryRow(ctx: Ctx, contactId: number): { lastOut: number | null; lastIn: number | null; openTasks: number; notes: number; nextTaskId: number | null } {
  return stmt(
    ctx.sqlite,
    `SELECT
       max(coalesce((SELECT max(m.date) FROM message_contacts mc JOIN messages m ON m.id = mc.message_id WHERE mc.contact_id = @c AND mc.linked = 1 AND m.direction = 'out'), 0),
           coalesce((SELECT max(o.sent_at) FROM outbound_messages o WHERE o.contact_id = @c), 0)) AS lastOut,
       (SELECT max(m.date) FROM message_contacts mc JOIN messages m ON m.id = mc.message_id WHERE mc.contact_id = @c AND mc.linked = 1 AND m.direction = 'in') AS lastIn,
       (SELECT count(*) FROM tasks WHERE contact_id = @c AND done_at IS NULL) AS openTasks,
       (SELECT count(*) FROM contact_notes WHERE contact_id = @c) AS notes,
       (SELECT id FROM tasks WHERE contact_id = @c AND done_at IS NULL ORDER BY due_at, id LIMIT 1) AS nextTaskId`,
  ).get({ c: contactId }) as { lastOut: number | null; lastIn: number | null; openTasks: number; notes: number; nextTaskId: number | null }
}
