// Intake's queries: rules, the once-per-message record of what intake did, the mail it reads, and the
// Mailgun receiving state (route, cursor, events seen) of each business.
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface RuleRow {
  id: number
  objectId: number
  name: string
  enabled: number
  fromMatch: string | null
  toMatch: string | null
  subjectMatch: string
  subjectMode: 'contains' | 'regex'
  fieldMapJson: string
  tagIdsJson: string
  sequenceId: number | null
  createdAt: number
  updatedAt: number
  handled: number
  lastHandledAt: number | null
}

const BASE_COLS = `r.id, r.object_id AS objectId, r.name, r.enabled, r.from_match AS fromMatch, r.to_match AS toMatch, r.subject_match AS subjectMatch,
  r.subject_mode AS subjectMode, r.field_map_json AS fieldMapJson, r.tag_ids_json AS tagIdsJson, r.sequence_id AS sequenceId,
  r.created_at AS createdAt, r.updated_at AS updatedAt`
const RULE_COLS = `${BASE_COLS},
  (SELECT count(*) FROM intake_processed p WHERE p.rule_id = r.id AND p.outcome IN ('created', 'updated')) AS handled,
  (SELECT max(p.at) FROM intake_processed p WHERE p.rule_id = r.id AND p.outcome IN ('created', 'updated')) AS lastHandledAt`

export const listRuleRows = (ctx: Ctx, objectId?: number): RuleRow[] =>
  (objectId === undefined
    ? stmt(ctx.sqlite, `SELECT ${RULE_COLS} FROM intake_rules r ORDER BY r.object_id, r.id`).all()
    : stmt(ctx.sqlite, `SELECT ${RULE_COLS} FROM intake_rules r WHERE r.object_id = ? ORDER BY r.id`).all(objectId)) as RuleRow[]

export const ruleRow = (ctx: Ctx, id: number): RuleRow | undefined => stmt(ctx.sqlite, `SELECT ${RULE_COLS} FROM intake_rules r WHERE r.id = ?`).get(id) as RuleRow | undefined

/** The business's rules that run on new mail, oldest first (the first that matches wins); asked once per stored message, so no counts. */
export const enabledRuleRows = (ctx: Ctx, objectId: number): RuleRow[] =>
  stmt(ctx.sqlite, `SELECT ${BASE_COLS}, 0 AS handled, NULL AS lastHandledAt FROM intake_rules r WHERE r.object_id = ? AND r.enabled = 1 ORDER BY r.id`).all(objectId) as RuleRow[]

export interface RuleValues {
  name: string
  enabled: boolean
  fromMatch: string | null
  toMatch: string | null
  subjectMatch: string
  subjectMode: 'contains' | 'regex'
  fieldMap: Record<string, string>
  tagIds: number[]
  sequenceId: number | null
}

export function insertRule(ctx: Ctx, objectId: number, v: RuleValues, now: number): number {
  return Number(
    stmt(
      ctx.sqlite,
      `INSERT INTO intake_rules (object_id, name, enabled, from_match, to_match, subject_match, subject_mode, field_map_json, tag_ids_json, sequence_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(objectId, v.name, v.enabled ? 1 : 0, v.fromMatch, v.toMatch, v.subjectMatch, v.subjectMode, JSON.stringify(v.fieldMap), JSON.stringify(v.tagIds), v.sequenceId, now, now)
      .lastInsertRowid,
  )
}

export function updateRule(ctx: Ctx, id: number, v: RuleValues, now: number): void {
  stmt(
    ctx.sqlite,
    `UPDATE intake_rules SET name = ?, enabled = ?, from_match = ?, to_match = ?, subject_match = ?, subject_mode = ?, field_map_json = ?, tag_ids_json = ?,
       sequence_id = ?, updated_at = ? WHERE id = ?`,
  ).run(v.name, v.enabled ? 1 : 0, v.fromMatch, v.toMatch, v.subjectMatch, v.subjectMode, JSON.stringify(v.fieldMap), JSON.stringify(v.tagIds), v.sequenceId, now, id)
}

export const deleteRule = (ctx: Ctx, id: number): boolean => stmt(ctx.sqlite, 'DELETE FROM intake_rules WHERE id = ?').run(id).changes > 0

// ---------------------------------------------------------------- the mail intake reads

export interface IntakeMessage {
  id: number
  objectId: number
  direction: 'in' | 'out'
  messageId: string | null
  fromEmail: string | null
  fromName: string
  toJson: string
  ccJson: string
  replyToJson: string
  subject: string
  date: number
  text: string | null
  html: string | null
  htmlText: string | null
}

export const intakeMessage = (ctx: Ctx, id: number): IntakeMessage | undefined =>
  stmt(
    ctx.sqlite,
    `SELECT m.id, m.object_id AS objectId, m.direction, m.message_id AS messageId, m.from_email AS fromEmail, m.from_name AS fromName, m.to_json AS toJson,
       m.cc_json AS ccJson, m.reply_to_json AS replyToJson, m.subject, m.date, substr(b.text, 1, 262144) AS text, substr(b.html, 1, 262144) AS html,
       substr(b.html_text, 1, 65536) AS htmlText
     FROM messages m LEFT JOIN message_bodies b ON b.message_id = m.id WHERE m.id = ?`,
  ).get(id) as IntakeMessage | undefined

export const intakeSamples = (ctx: Ctx, objectId: number, limit: number) =>
  stmt(
    ctx.sqlite,
    `SELECT id, from_email AS fromEmail, from_name AS fromName, subject, date FROM messages
      WHERE object_id = ? AND direction = 'in' AND is_bounce = 0 AND stale = 0 ORDER BY date DESC, id DESC LIMIT ?`,
  ).all(objectId, limit) as Array<{ id: number; fromEmail: string | null; fromName: string; subject: string; date: number }>

// ---------------------------------------------------------------- what intake did, once per message

export interface ProcessedRow {
  outcome: string
  ruleId: number | null
  contactId: number | null
  detail: string | null
}

export const processedOf = (ctx: Ctx, messageId: number): ProcessedRow | undefined =>
  stmt(ctx.sqlite, 'SELECT outcome, rule_id AS ruleId, contact_id AS contactId, detail FROM intake_processed WHERE message_id = ?').get(messageId) as ProcessedRow | undefined

/** Another copy of the same mail (same Message-ID in this business) was already handled. */
export const handledElsewhere = (ctx: Ctx, objectId: number, headerId: string, exceptId: number): boolean =>
  !!stmt(
    ctx.sqlite,
    `SELECT 1 FROM messages m JOIN intake_processed p ON p.message_id = m.id WHERE m.object_id = ? AND m.message_id = ? AND m.id <> ? LIMIT 1`,
  ).get(objectId, headerId, exceptId)

export function markProcessed(ctx: Ctx, messageId: number, objectId: number, r: ProcessedRow, now: number): void {
  stmt(ctx.sqlite, 'INSERT OR IGNORE INTO intake_processed (message_id, object_id, rule_id, contact_id, outcome, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    messageId,
    objectId,
    r.ruleId,
    r.contactId,
    r.outcome,
    r.detail,
    now,
  )
}

export const tagNames = (ctx: Ctx, ids: number[]): Array<{ id: number; name: string }> =>
  ids.length ? (stmt(ctx.sqlite, `SELECT id, name FROM tags WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<{ id: number; name: string }>) : []

export const contactHasTag = (ctx: Ctx, contactId: number, tagId: number): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM contact_tags WHERE contact_id = ? AND tag_id = ?').get(contactId, tagId)

export const sequenceName = (ctx: Ctx, id: number): { id: number; name: string } | undefined =>
  stmt(ctx.sqlite, 'SELECT id, name FROM sequences WHERE id = ?').get(id) as { id: number; name: string } | undefined

export const linkIntakeContact = (ctx: Ctx, messageId: number, contactId: number): void =>
  void stmt(ctx.sqlite, 'INSERT OR IGNORE INTO message_contacts (message_id, contact_id, manual, linked) VALUES (?, ?, 0, 1)').run(messageId, contactId)

// ---------------------------------------------------------------- receiving through Mailgun

export interface InboundRow {
  objectId: number
  enabled: number
  addressesJson: string
  mailboxId: number | null
  routeId: string | null
  routeExpression: string | null
  cursorMs: number | null
  lastPollAt: number | null
  lastReceivedAt: number | null
  lastError: string | null
  received: number
}

const INBOUND_COLS = `object_id AS objectId, enabled, addresses_json AS addressesJson, mailbox_id AS mailboxId, route_id AS routeId,
  route_expression AS routeExpression, cursor_ms AS cursorMs, last_poll_at AS lastPollAt, last_received_at AS lastReceivedAt, last_error AS lastError, received`

export const inboundRow = (ctx: Ctx, objectId: number): InboundRow | undefined =>
  stmt(ctx.sqlite, `SELECT ${INBOUND_COLS} FROM mailgun_inbound WHERE object_id = ?`).get(objectId) as InboundRow | undefined

export const enabledInboundRows = (ctx: Ctx): InboundRow[] => stmt(ctx.sqlite, `SELECT ${INBOUND_COLS} FROM mailgun_inbound WHERE enabled = 1 ORDER BY object_id`).all() as InboundRow[]

export function saveInbound(ctx: Ctx, objectId: number, addresses: string[], mailboxId: number, now: number): void {
  stmt(
    ctx.sqlite,
    `INSERT INTO mailgun_inbound (object_id, enabled, addresses_json, mailbox_id, created_at) VALUES (?, 1, ?, ?, ?)
     ON CONFLICT (object_id) DO UPDATE SET enabled = 1, mailbox_id = excluded.mailbox_id, last_error = NULL,
       route_expression = CASE WHEN addresses_json = excluded.addresses_json THEN route_expression END,
       addresses_json = excluded.addresses_json`,
  ).run(objectId, JSON.stringify(addresses), mailboxId, now)
}

export const disableInbound = (ctx: Ctx, objectId: number): void => void stmt(ctx.sqlite, 'UPDATE mailgun_inbound SET enabled = 0 WHERE object_id = ?').run(objectId)

export const setInboundRoute = (ctx: Ctx, objectId: number, routeId: string, expression: string): void =>
  void stmt(ctx.sqlite, 'UPDATE mailgun_inbound SET route_id = ?, route_expression = ?, last_error = NULL WHERE object_id = ?').run(routeId, expression, objectId)

export const setInboundPoll = (ctx: Ctx, objectId: number, at: number, error: string | null, cursorMs?: number): void =>
  void stmt(
    ctx.sqlite,
    'UPDATE mailgun_inbound SET last_poll_at = @at, last_error = @error, cursor_ms = CASE WHEN @c IS NULL THEN cursor_ms ELSE max(ifnull(cursor_ms, 0), @c) END WHERE object_id = @o',
  ).run({ at, error, c: cursorMs ?? null, o: objectId })

export const countInboundReceived = (ctx: Ctx, objectId: number, at: number): void =>
  void stmt(ctx.sqlite, 'UPDATE mailgun_inbound SET received = received + 1, last_received_at = ? WHERE object_id = ?').run(at, objectId)

export const eventSeen = (ctx: Ctx, objectId: number, eventId: string): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM mailgun_inbound_events WHERE object_id = ? AND event_id = ?').get(objectId, eventId)

/** Records the event; its row id is the stored copy's uid. */
export const insertInboundEvent = (ctx: Ctx, objectId: number, eventId: string, messageId: string | null, status: string, detail: string | null, at: number): number =>
  Number(
    stmt(ctx.sqlite, 'INSERT INTO mailgun_inbound_events (object_id, event_id, message_id, status, detail, at) VALUES (?, ?, ?, ?, ?, ?)').run(objectId, eventId, messageId, status, detail, at)
      .lastInsertRowid,
  )

export const messageIdStored = (ctx: Ctx, objectId: number, headerId: string): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM messages WHERE object_id = ? AND message_id = ? LIMIT 1').get(objectId, headerId)

/** The business's mailbox that only holds Mailgun-received mail, made on first use. */
export function receiveOnlyMailbox(ctx: Ctx, objectId: number, email: string, now: number): number {
  const have = stmtPluck(ctx.sqlite, "SELECT id FROM mailboxes WHERE object_id = ? AND receive_via = 'mailgun'").get(objectId) as number | undefined
  if (have !== undefined) return have
  if (stmt(ctx.sqlite, 'SELECT 1 FROM mailboxes WHERE object_id = ? AND lower(email) = ?').get(objectId, email.toLowerCase()))
    throw new AppError('CONFLICT', `${email} is already a mailbox of this business; receive its mail over IMAP instead`, 'addresses')
  return Number(
    stmt(
      ctx.sqlite,
      `INSERT INTO mailboxes (object_id, email, display_name, daily_capacity, min_gap_seconds, smtp_host, smtp_port, smtp_security, smtp_user, smtp_password_sealed,
         sent_copy, status, status_reason, receive_via, created_at, updated_at)
       VALUES (?, ?, 'Mailgun', 0, 0, '', 0, 'tls', '', '', 'none', 'paused', 'Receives mail through Mailgun', 'mailgun', ?, ?)`,
    ).run(objectId, email, now, now).lastInsertRowid,
  )
}

/** Mailbox rows that only hold Mailgun-received mail: never shown or edited as mailboxes. */
export const receiveOnlyMailboxIds = (ctx: Ctx): Set<number> => new Set(stmtPluck(ctx.sqlite, "SELECT id FROM mailboxes WHERE receive_via = 'mailgun'").all() as number[])

/** The business has a mailbox synced over IMAP (then it receives there, not through Mailgun). */
export const hasImapMailbox = (ctx: Ctx, objectId: number): boolean =>
  !!stmt(ctx.sqlite, "SELECT 1 FROM mailboxes WHERE object_id = ? AND imap_host IS NOT NULL AND imap_host <> '' AND receive_via IS NULL LIMIT 1").get(objectId)
