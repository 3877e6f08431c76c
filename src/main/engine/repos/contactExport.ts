// What a contact's GDPR export reads (issue 18): everything held about one person, as plain rows. Mail is read a
// page at a time (by id), so a contact with tens of thousands of messages never sits in memory at once.
import type { Ctx } from '../context'
import { iso } from '../clock'
import { stmt, stmtPluck } from '../db/stmt'
import { groupBy } from '../../../shared/groupBy'

const isoOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : iso(ms))
const parse = (s: string | null | undefined, fallback: unknown = null): unknown => {
  if (s == null) return fallback
  try {
    return JSON.parse(s)
  } catch {
    return s
  }
}

export function contactRecord(ctx: Ctx, id: number) {
  const c = stmt(ctx.sqlite, 'SELECT c.*, o.name AS business FROM contacts c LEFT JOIN objects o ON o.id = c.primary_object_id WHERE c.id = ?').get(id) as
    | Record<string, unknown>
    | undefined
  if (!c) return null
  const extraEmails = stmtPluck(ctx.sqlite, 'SELECT email FROM contact_emails WHERE contact_id = ? ORDER BY id').all(id) as string[]
  const tags = stmt(ctx.sqlite, 'SELECT t.name, ct.created_at AS at FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name').all(id) as Array<{
    name: string
    at: number
  }>
  const company = c.company_id ? (stmt(ctx.sqlite, 'SELECT name, domain FROM companies WHERE id = ?').get(c.company_id) as { name: string; domain: string | null } | undefined) : undefined
  return {
    id: c.id as number,
    business: (c.business as string | null) ?? null,
    email: c.email as string | null,
    extraEmails,
    firstName: c.first_name as string,
    lastName: c.last_name as string,
    company: c.company as string,
    companyRecord: company ?? null,
    phone: c.phone as string,
    timezone: c.timezone as string | null,
    fields: parse(c.fields_json as string, {}),
    status: c.status as string,
    createdAt: iso(c.created_at as number),
    updatedAt: iso(c.updated_at as number),
    lastInboundAt: isoOrNull(c.last_inbound_at as number | null),
    lastOutboundAt: isoOrNull(c.last_outbound_at as number | null),
    tags: tags.map((t) => ({ name: t.name, since: iso(t.at) })),
  }
}

export function notesFor(ctx: Ctx, id: number) {
  return (
    stmt(ctx.sqlite, 'SELECT n.id, n.body_text AS text, n.body_html AS html, n.pinned, n.created_at, n.updated_at, u.name AS author FROM contact_notes n LEFT JOIN users u ON u.id = n.author_user_id WHERE n.contact_id = ? ORDER BY n.id').all(id) as Array<
      Record<string, unknown>
    >
  ).map((n) => ({ id: n.id, author: n.author ?? null, pinned: !!n.pinned, text: n.text, html: n.html, createdAt: iso(n.created_at as number), updatedAt: iso(n.updated_at as number) }))
}

export function tasksFor(ctx: Ctx, id: number) {
  return (stmt(ctx.sqlite, 'SELECT id, title, due_at, done_at, created_at FROM tasks WHERE contact_id = ? ORDER BY id').all(id) as Array<Record<string, number | string | null>>).map((t) => ({
    id: t.id,
    title: t.title,
    dueAt: isoOrNull(t.due_at as number),
    doneAt: isoOrNull(t.done_at as number | null),
    createdAt: iso(t.created_at as number),
  }))
}

export function automationFor(ctx: Ctx, id: number) {
  const autoresponders = (
    stmt(
      ctx.sqlite,
      `SELECT a.name, e.status, e.scheduled_for, e.created_at, e.outbound_id FROM autoresponder_executions e JOIN autoresponders a ON a.id = e.autoresponder_id
        WHERE e.contact_id = ? ORDER BY e.id`,
    ).all(id) as Array<Record<string, unknown>>
  ).map((e) => ({ autoresponder: e.name, status: e.status, scheduledFor: iso(e.scheduled_for as number), at: iso(e.created_at as number), outboxId: e.outbound_id ?? null }))
  const sequences = (
    stmt(
      ctx.sqlite,
      `SELECT s.name, sc.id AS scId, sc.status, sc.current_step, sc.enrolled_at, sc.last_sent_at, sc.next_step_at FROM sequence_contacts sc JOIN sequences s ON s.id = sc.sequence_id
        WHERE sc.contact_id = ? ORDER BY sc.id`,
    ).all(id) as Array<Record<string, unknown>>
  ).map((s) => ({
    sequence: s.name,
    status: s.status,
    currentStep: s.current_step,
    enrolledAt: iso(s.enrolled_at as number),
    lastSentAt: isoOrNull(s.last_sent_at as number | null),
    nextStepAt: isoOrNull(s.next_step_at as number | null),
    steps: (stmt(ctx.sqlite, 'SELECT step_position AS step, outbound_id AS outboxId, created_at FROM sequence_messages WHERE sequence_contact_id = ? ORDER BY id').all(s.scId) as Array<
      Record<string, number>
    >).map((m) => ({ step: m.step, outboxId: m.outboxId, at: iso(m.created_at!) })),
  }))
  const flows = (
    stmt(ctx.sqlite, 'SELECT l.id, f.name, l.status, l.current_node, l.entered_at, l.updated_at FROM flow_leads l JOIN flows f ON f.id = l.flow_id WHERE l.contact_id = ? ORDER BY l.id').all(
      id,
    ) as Array<Record<string, unknown>>
  ).map((l) => ({
    flow: l.name,
    status: l.status,
    currentNode: l.current_node,
    enteredAt: iso(l.entered_at as number),
    updatedAt: iso(l.updated_at as number),
    events: (stmt(ctx.sqlite, 'SELECT node_key AS node, outcome, detail, outbound_id AS outboxId, at FROM flow_lead_events WHERE lead_id = ? ORDER BY id').all(l.id) as Array<
      Record<string, unknown>
    >).map((e) => ({ ...e, at: iso(e.at as number) })),
  }))
  return { autoresponders, sequences, flows }
}

export interface OutgoingFile {
  outboxId: number
  filename: string
  sha256: string
}

/** The contact's outbox rows with their history, and the files they carried. */
export function outboxFor(ctx: Ctx, ids: number[]) {
  const list = JSON.stringify(ids)
  const rows = stmt(ctx.sqlite, 'SELECT * FROM outbound_messages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(list) as Array<Record<string, unknown>>
  const events = stmt(ctx.sqlite, 'SELECT outbound_id AS o, type, detail, at FROM message_events WHERE outbound_id IN (SELECT value FROM json_each(?)) ORDER BY id').all(list) as Array<{
    o: number
    type: string
    detail: string | null
    at: number
  }>
  const files = stmt(ctx.sqlite, 'SELECT outbound_id AS outboxId, filename, sha256 FROM mail_attachments WHERE outbound_id IN (SELECT value FROM json_each(?)) ORDER BY outbound_id, position').all(
    list,
  ) as OutgoingFile[]
  const byRow = groupBy(events, (e) => e.o)
  return {
    files,
    rows: rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      source: r.source,
      status: r.status,
      statusReason: r.status_reason,
      from: { email: r.from_email, name: r.from_name },
      to: parse(r.to_json as string, []),
      cc: parse(r.cc_json as string, []),
      bcc: parse(r.bcc_json as string, []),
      subject: r.subject,
      html: r.html,
      text: r.text,
      scheduledFor: isoOrNull(r.scheduled_for as number),
      sentAt: isoOrNull(r.sent_at as number | null),
      createdAt: iso(r.created_at as number),
      attachments: files.filter((f) => f.outboxId === r.id).map((f) => f.filename),
      events: (byRow.get(r.id as number) ?? []).map((e) => ({ type: e.type, detail: e.detail, at: iso(e.at) })),
    })),
  }
}

export interface ExportMessage {
  id: number
  threadId: number
  direction: string
  folder: string
  messageId: string | null
  date: string
  from: { name: string; email: string | null }
  to: unknown
  cc: unknown
  subject: string
  text: string | null
  html: string | null
  attachments: Array<{ id: number; filename: string; contentType: string; size: number; sha256: string }>
}

/** One page of the contact's stored mail (both directions), after `afterId`, with bodies and attachment metadata. */
export function messagePage(ctx: Ctx, contactId: number, afterId: number, limit: number): ExportMessage[] {
  const rows = stmt(
    ctx.sqlite,
    `SELECT m.id, m.thread_id, m.direction, m.folder, m.message_id, m.date, m.from_name, m.from_email, m.to_json, m.cc_json, m.subject, b.text, b.html
       FROM message_contacts mc JOIN messages m ON m.id = mc.message_id LEFT JOIN message_bodies b ON b.message_id = m.id
      WHERE mc.contact_id = ? AND mc.linked = 1 AND mc.message_id > ? ORDER BY mc.message_id LIMIT ?`,
  ).all(contactId, afterId, limit) as Array<Record<string, unknown>>
  if (rows.length === 0) return []
  const atts = stmt(
    ctx.sqlite,
    'SELECT id, message_id AS m, filename, content_type AS contentType, size, sha256 FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY id',
  ).all(JSON.stringify(rows.map((r) => r.id))) as Array<{ id: number; m: number; filename: string; contentType: string; size: number; sha256: string }>
  const byMsg = groupBy(atts, (a) => a.m)
  return rows.map((r) => ({
    id: r.id as number,
    threadId: r.thread_id as number,
    direction: r.direction as string,
    folder: r.folder as string,
    messageId: r.message_id as string | null,
    date: iso(r.date as number),
    from: { name: r.from_name as string, email: r.from_email as string | null },
    to: parse(r.to_json as string, []),
    cc: parse(r.cc_json as string, []),
    subject: r.subject as string,
    text: r.text as string | null,
    html: r.html as string | null,
    attachments: (byMsg.get(r.id as number) ?? []).map(({ m: _m, ...a }) => a),
  }))
}
