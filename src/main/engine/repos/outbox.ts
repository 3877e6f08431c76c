// Queries of the outbox. Every status change goes through `transition`, which appends a message_event in
// the same statement batch; callers wrap several of them in one transaction.
import { OUTBOX_STATUSES, PENDING_STATUSES, type MessageSource, type OutboundMessage, type OutboxStatus } from '../../../shared/outbound'
import type { FailureKind } from '../outbound/failure'
import { iso } from '../clock'
import type { Ctx } from '../context'
import type { outboundMessages } from '../db/schema'
import { stmt, stmtPluck } from '../db/stmt'

export type OutboxRow = typeof outboundMessages.$inferSelect

/** The recipients a row keeps as JSON arrays (Bcc came later, so older rows may have none). */
export function recipientsOf(r: Pick<OutboxRow, 'toJson' | 'ccJson' | 'bccJson'>): { to: string[]; cc: string[]; bcc: string[] } {
  return { to: JSON.parse(r.toJson) as string[], cc: JSON.parse(r.ccJson) as string[], bcc: JSON.parse(r.bccJson ?? '[]') as string[] }
}
/** Raw row as better-sqlite3 returns it (snake_case); `fromSql` maps it to the drizzle shape. */
export type SqlRow = Record<string, unknown>

const COLS: Array<[keyof OutboxRow, string]> = [
  ['id', 'id'], ['objectId', 'object_id'], ['profileId', 'profile_id'], ['mailboxId', 'mailbox_id'], ['contactId', 'contact_id'],
  ['transport', 'transport'], ['messageId', 'message_id'], ['fromEmail', 'from_email'], ['fromName', 'from_name'], ['replyTo', 'reply_to'],
  ['toJson', 'to_json'], ['ccJson', 'cc_json'], ['subject', 'subject'], ['html', 'html'], ['text', 'text'], ['headersJson', 'headers_json'],
  ['tracking', 'tracking'], ['source', 'source'], ['idempotencyKey', 'idempotency_key'], ['status', 'status'], ['statusReason', 'status_reason'],
  ['attempts', 'attempts'], ['maxAttempts', 'max_attempts'], ['lastError', 'last_error'], ['errorKind', 'error_kind'],
  ['scheduledFor', 'scheduled_for'], ['nextAttemptAt', 'next_attempt_at'], ['undoUntil', 'undo_until'], ['leaseOwner', 'lease_owner'],
  ['leaseUntil', 'lease_until'], ['capacityDay', 'capacity_day'], ['providerId', 'provider_id'], ['draftId', 'draft_id'], ['sentAt', 'sent_at'],
  ['createdAt', 'created_at'], ['updatedAt', 'updated_at'],
  ['bccJson', 'bcc_json'],
]
COLS.push(['errorCode', 'error_code'])
// channels (migration 0019)
COLS.push(['channel', 'channel'], ['segments', 'segments'], ['contentSid', 'content_sid'], ['contentVariablesJson', 'content_variables_json'], ['providerStatus', 'provider_status'], ['polledAt', 'polled_at'], ['communicationId', 'communication_id'])
const SQL_OF = new Map(COLS)

export function fromSql(r: SqlRow): OutboxRow {
  const out: Record<string, unknown> = {}
  for (const [k, c] of COLS) out[k] = r[c]
  out.tracking = r.tracking === 1
  return out as OutboxRow
}

export function getRow(ctx: Ctx, id: number): OutboxRow | undefined {
  const r = stmt(ctx.sqlite, 'SELECT * FROM outbound_messages WHERE id = ?').get(id) as SqlRow | undefined
  return r && fromSql(r)
}

/**
 * The conditions of the outbox's status indexes. OPEN is the partial index's (migration 0008): a query
 * repeats it so SQLite can use the index, which leaves out history the outbox no longer acts on. WAITING is
 * what a mailbox still has to send, a seek per status on (mailbox_id, status) (migration 0009).
 */
const HISTORY: readonly string[] = ['sent', 'delivered', 'opened', 'clicked']
export const isHistory = (s: string): boolean => HISTORY.includes(s)
const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ')
export const OPEN = `status NOT IN (${quoted(HISTORY)})`
const OPEN_STATUSES = OUTBOX_STATUSES.filter((s) => !isHistory(s))
export const WAITING = "status IN ('queued', 'retry_wait', 'held')"

/** Rows still on their way out (the outbox's "waiting" group and the sidebar's badge). */
export const PENDING = `status IN (${quoted(PENDING_STATUSES)})`
export const isPending = (s: string): boolean => (PENDING_STATUSES as readonly string[]).includes(s)

/**
 * Per-status counts of the open rows (from the partial index: milliseconds at a million rows) and one
 * `done` figure for the history (sent, delivered, opened, clicked), found as the total less the open rows:
 * SQLite counts a whole table without reading its rows, but grouping the history would read every one.
 */
export function outboxCounts(ctx: Ctx, objectId?: number): { counts: Record<string, number>; done: number } {
  // One business: seeks on (object_id, status) per open status, rather than a walk of its whole history.
  const where = objectId ? `object_id = ? AND status IN (${quoted(OPEN_STATUSES)})` : OPEN
  const obj = objectId ? [objectId] : []
  const counts: Record<string, number> = {}
  let open = 0
  for (const r of stmt(ctx.sqlite, `SELECT status, count(*) AS n FROM outbound_messages WHERE ${where} GROUP BY status`).all(...obj) as Array<{
    status: string
    n: number
  }>) {
    counts[r.status] = r.n
    open += r.n
  }
  const total = stmtPluck(ctx.sqlite, `SELECT count(*) FROM outbound_messages${objectId ? ' WHERE object_id = ?' : ''}`).get(...obj) as number
  return { counts, done: total - open }
}

/** Open rows matching `where` (which may end with ORDER BY), through the partial status index. */
export const openRowsWhere = (ctx: Ctx, where: string, ...params: unknown[]): OutboxRow[] => rowsWhere(ctx, withTerm(where, OPEN), ...params)
/** A mailbox's waiting rows matching `where`, through its (mailbox_id, status) index. */
export const waitingRowsWhere = (ctx: Ctx, where: string, ...params: unknown[]): OutboxRow[] => rowsWhere(ctx, withTerm(where, WAITING), ...params)

function withTerm(where: string, term: string): string {
  const m = /\s+ORDER BY .*$/i.exec(where)
  return `(${m ? where.slice(0, m.index) : where}) AND ${term}${m ? m[0] : ''}`
}

export function rowsWhere(ctx: Ctx, where: string, ...params: unknown[]): OutboxRow[] {
  return (stmt(ctx.sqlite, `SELECT * FROM outbound_messages WHERE ${where}`).all(...params) as SqlRow[]).map(fromSql)
}

export function toOutbound(r: OutboxRow): OutboundMessage {
  return {
    id: r.id,
    objectId: r.objectId,
    profileId: r.profileId,
    mailboxId: r.mailboxId,
    contactId: r.contactId,
    transport: r.transport,
    messageId: r.messageId,
    from: r.fromName ? `${r.fromName} <${r.fromEmail}>` : r.fromEmail,
    replyTo: r.replyTo,
    ...recipientsOf(r),
    subject: r.subject,
    source: r.source,
    tracking: r.tracking,
    status: r.status,
    statusReason: r.statusReason,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    lastError: r.lastError,
    errorKind: r.errorKind,
    errorCode: r.errorCode ?? null,
    scheduledFor: iso(r.scheduledFor),
    nextAttemptAt: r.nextAttemptAt === null ? null : iso(r.nextAttemptAt),
    undoUntil: r.undoUntil === null ? null : iso(r.undoUntil),
    providerId: r.providerId,
    sentAt: r.sentAt === null ? null : iso(r.sentAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    channel: r.channel ?? 'email',
    segments: r.segments ?? null,
    communicationId: r.communicationId ?? null,
  }
}

export interface Transition {
  status: OutboxStatus
  statusReason?: string | null
  attempts?: number
  lastError?: string | null
  errorKind?: FailureKind | null
  errorCode?: string | null
  nextAttemptAt?: number | null
  leaseOwner?: string | null
  leaseUntil?: number | null
  capacityDay?: string | null
  providerId?: string | null
  sentAt?: number | null
  undoUntil?: number | null
  draftId?: number | null
}

/**
 * Moves one row to a new status and records why. `from` guards against racing writers: the update only
 * happens if the row is still in one of those statuses. Returns whether it happened.
 */
export function transition(ctx: Ctx, id: number, from: readonly OutboxStatus[] | null, t: Transition, event: string, detail?: string | null): boolean {
  const now = ctx.clock.now()
  const sets: string[] = ['updated_at = ?']
  const params: unknown[] = [now]
  for (const [k, v] of Object.entries(t)) {
    const col = SQL_OF.get(k as keyof OutboxRow)
    if (!col || v === undefined) continue
    sets.push(`${col} = ?`)
    params.push(v)
  }
  let where = 'id = ?'
  params.push(id)
  if (from) {
    where += ` AND status IN (${from.map(() => '?').join(',')})`
    params.push(...from)
  }
  const hit = stmt(ctx.sqlite, `UPDATE outbound_messages SET ${sets.join(', ')} WHERE ${where} RETURNING source`).get(...params) as { source: MessageSource } | undefined
  if (hit) {
    addEvent(ctx, id, event, detail ?? null, now)
    if (t.status) ctx.hooks.emit('outbound.status', { id, status: t.status, event, detail: detail ?? null, source: hit.source })
  }
  return hit !== undefined
}

export function addEvent(ctx: Ctx, outboundId: number, type: string, detail: string | null, at = ctx.clock.now(), providerEventId: string | null = null): boolean {
  return (
    stmt(ctx.sqlite, 'INSERT OR IGNORE INTO message_events (outbound_id, type, detail, provider_event_id, at) VALUES (?, ?, ?, ?, ?)')
      .run(outboundId, type, detail, providerEventId, at).changes > 0
  )
}

export function eventsOf(ctx: Ctx, outboundId: number): Array<{ id: number; type: string; detail: string | null; at: number }> {
  return stmt(ctx.sqlite, 'SELECT id, type, detail, at FROM message_events WHERE outbound_id = ? ORDER BY id').all(outboundId) as Array<{
    id: number
    type: string
    detail: string | null
    at: number
  }>
}

/**
 * The ids outbox.list shows: waiting rows first, in the order they will leave; then the rest, newest first.
 * Both walks stop at `limit`: the sent history can run to millions of rows and is never sorted as a whole.
 */
export function listIds(ctx: Ctx, status: OutboxStatus | 'pending' | undefined, objectId: number | undefined, limit: number): number[] {
  const byObject = objectId ? ' AND object_id = ?' : ''
  const obj = objectId ? [objectId] : []
  const waiting = (which: string, ...p: unknown[]): number[] =>
    stmtPluck(ctx.sqlite, `SELECT id FROM outbound_messages WHERE ${which} AND ${OPEN}${byObject} ORDER BY coalesce(next_attempt_at, scheduled_for), id LIMIT ?`)
      .all(...p, ...obj, limit) as number[]
  const newest = (which: string, n: number, ...p: unknown[]): number[] =>
    n <= 0 ? [] : (stmtPluck(ctx.sqlite, `SELECT id FROM outbound_messages WHERE ${which}${byObject} ORDER BY id DESC LIMIT ?`).all(...p, ...obj, n) as number[])
  if (status === 'pending') return waiting(PENDING)
  if (status && isPending(status)) return waiting('status = ?', status)
  // Failed, cancelled, bounced… are found through the partial status index; the sent history is not in it.
  if (status) return newest(isHistory(status) ? 'status = ?' : `status = ? AND ${OPEN}`, limit, status)
  const ids = waiting(PENDING)
  return ids.concat(newest(`NOT ${PENDING}`, limit - ids.length))
}

/** Messages held because the network (or their server) is out of reach: the net status's count. */
export const heldOfflineCount = (ctx: Ctx): number =>
  (stmt(ctx.sqlite, `SELECT count(*) AS n FROM outbound_messages WHERE status = 'held' AND status_reason IN ('offline', 'unreachable') AND ${OPEN}`).get() as { n: number }).n
