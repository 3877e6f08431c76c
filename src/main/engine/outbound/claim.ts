// The scheduler's claim: due rows → `sending` with a lease, capacity reserved, in the caller's transaction.
// It is set-based because it runs on every turn of a busy loop: the due query reads only (id, lane) heads,
// each lane (mailbox or Mailgun domain) is checked once per claim instead of once per row, and the chosen
// rows move in one UPDATE per capacity day; their bodies are read after the commit. Rows that cannot go
// (window, offline, paused, auth, cap) take the slower per-row path, which is rare by nature.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { fromSql, getRow, waitingRowsWhere, type OutboxRow } from '../repos/outbox'
import { getSetting, settingKeys } from '../repos/settings'
import { twilioAuthErrorKey } from '../repos/twilio'
import type { Pacer } from '../channels/pacer'
import { check, reserve } from './capacity'
import { SendFailure } from './failure'
import type { NetMonitor } from './netMonitor'
import { failRow, holdRow, type RetryPolicy } from './outcome'
import { senderOf, type Senders } from './transport'
import { teamGate, teamMine } from '../team/claims'
import { skipSuppressed } from './suppression'

export type Head = Pick<OutboxRow, 'id' | 'transport' | 'mailboxId' | 'objectId' | 'source' | 'contactId' | 'channel'>

/**
 * Due rows in the order they leave, as lane heads: most are skipped while their lane is busy, so the full
 * row is only read for those claimed. The partial index keeps this an ordered walk with no sort step.
 */
export function dueRows(ctx: Ctx, now: number, limit: number): Head[] {
  return stmt(
    ctx.sqlite,
    `SELECT id, transport, mailbox_id AS mailboxId, object_id AS objectId, source, contact_id AS contactId, channel
     FROM outbound_messages INDEXED BY outbound_ready_idx
     WHERE status IN ('queued', 'retry_wait') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
  ).all(now, limit) as Head[]
}

export interface ClaimEnv {
  owner: string
  leaseMs: number
  /** Concurrent sends allowed per lane. */
  perMailbox: number
  /** Sends in flight per lane (the scheduler counts them up when it starts the claimed rows); read only here. */
  inFlight: ReadonlyMap<string, number>
  senders: Senders
  net: Pick<NetMonitor, 'isOnline' | 'hostOnline' | 'holdReason' | 'problem'>
  /**
   * Sequence sending windows: the first allowed instant at or after `at` per row that has one (others
   * absent). Injected by the engine so the outbox does not know automation.
   */
  sendWindows: (rows: readonly Head[], at: number) => Map<number, number>
  /** The backoff a failed row gets (the claim fails only rows that can never go, which use none of it). */
  retry: RetryPolicy
  /** Pace per text sender (channels/pacer.ts); absent = texts unpaced. */
  pace?: Pacer
}

export interface Claimed {
  /** Rows moved to `sending`, in queue order (readClaimed gives them in full once the claim commits). */
  ids: number[]
  /** Earliest end of a minimum-gap wait met by this claim (the loop's timer must wake for it). */
  gapWake: number
  /** Rows whose status this claim changed (claimed or held), for the outbox.changed event. */
  changed: number[]
  /** A capacity hold stopped at HOLD_BATCH rows: more are due, and the next turn should come at once. */
  more?: boolean
}

/**
 * Rows moved into or out of a timed hold in one turn. A mailbox meeting its cap with thousands of due rows
 * (a bulk send) would otherwise hold them all in one transaction, one UPDATE and event each: a third of a
 * second on the engine's thread. The rest wait for the next turn, which the scheduler runs at once.
 */
export const HOLD_BATCH = 500

export const laneOf = (row: Pick<OutboxRow, 'transport' | 'mailboxId' | 'objectId'> & { channel?: string }) =>
  row.transport === 'smtp' ? `mb:${row.mailboxId}` : row.transport === 'twilio' ? `tw:${row.objectId}:${row.channel}` : `mg:${row.objectId}`

/** What one lane allows during this claim, worked out at its first due row. */
interface Lane {
  room: number
  label: string
  day: string | null
  mailboxId: number | null
  moved: number
  /** A paced text lane: the pacer is told what moved. */
  paced?: string
}

/** `holdBudget`: how many rows a capacity hold may still move in this turn (the turn's releases took the rest). */
export function claimDue(ctx: Ctx, env: ClaimEnv, now: number, slots: number, holdBudget = HOLD_BATCH): Claimed {
  const result: Claimed = { ids: [], gapWake: Infinity, changed: [] }
  if (slots <= 0) return result
  const lanes = new Map<string, Lane | null>()
  const picks: Array<{ id: number; lane: Lane }> = []
  const held = (head: Head, reason: string, detail: string, until: number | null = null, extra?: { errorCode?: string | null; lastError?: string | null }) => {
    const row = getRow(ctx, head.id)
    if (!row) return
    holdRow(ctx, row, reason, detail, until, extra)
    result.changed.push(row.id)
  }

  // A few more heads than slots, to step over rows whose lane is busy or closed.
  // In a team workspace, a row other desktops have leaves only with this desktop's claim in PostgreSQL (issue 22).
  const heads = teamGate(ctx, dueRows(ctx, now, slots + 16))
  // An address suppressed since a row was queued (here or on another desktop of the team): skipped, not sent.
  const sendable = skipSuppressed(ctx, heads, result.changed)
  const windows = env.sendWindows(sendable, now)
  for (const head of sendable) {
    if (picks.length >= slots) break
    const key = laneOf(head)
    let lane = lanes.get(key)
    if (lane === undefined) {
      const opened = openLane(head, key)
      // This row was held or failed on its own; the lane is looked at afresh for its next row.
      if (opened === 'row-handled') continue
      lanes.set(key, (lane = opened))
    }
    if (lane === null || lane.room <= 0) continue
    // A sequence step outside its sending window waits for the window's next opening (checked before the
    // row takes a slot: it must not use up the daily cap).
    const opens = windows.get(head.id)
    if (opens !== undefined && opens > now) {
      held(head, 'window', `Outside the sending window; goes at ${new Date(opens).toISOString()}`, opens)
      continue
    }
    lane.room--
    picks.push({ id: head.id, lane })
  }

  /**
   * The lane's limits; null when none of its rows may go in this claim; 'row-handled' when this row was held
   * or failed for a reason (offline, paused, auth, deleted) that is decided row by row.
   */
  function openLane(head: Head, key: string): Lane | null | 'row-handled' {
    const room = env.perMailbox - (env.inFlight.get(key) ?? 0)
    if (room <= 0 && head.transport !== 'twilio') return null
    const endpoint = senderOf(env.senders, head.transport).endpoint(head)
    if (!env.net.isOnline(endpoint.key)) {
      const reason = env.net.holdReason(endpoint.key)
      const problem = env.net.problem(endpoint.key)
      // The row carries what is wrong now (the server's last failure), so its label tells the network from the address.
      const extra = problem && env.net.hostOnline() ? { errorCode: problem.code, lastError: problem.message } : { errorCode: 'NETWORK', lastError: 'The computer is offline' }
      held(head, reason, !env.net.hostOnline() ? 'The computer is offline' : reason === 'offline' ? 'The network is down' : `${endpoint.label} does not answer`, null, extra)
      return 'row-handled'
    }
    if (head.transport === 'twilio') {
      // A fast sender keeps a second's worth of texts in flight, so a slow answer does not cut its pace.
      const rate = env.pace?.room(key, head.objectId, head.channel, now)?.rate ?? 0
      const room = Math.max(env.perMailbox, Math.ceil(rate)) - (env.inFlight.get(key) ?? 0)
      if (room <= 0) return null
      const authError = getSetting(ctx, twilioAuthErrorKey(head.objectId))
      if (authError) {
        held(head, 'auth', authError)
        return 'row-handled'
      }
      const pace = env.pace?.room(key, head.objectId, head.channel, now)
      if (pace && pace.n <= 0) {
        result.gapWake = Math.min(result.gapWake, pace.next)
        return null
      }
      if (pace) result.gapWake = Math.min(result.gapWake, pace.next)
      return { room: Math.min(room, pace?.n ?? room), label: endpoint.label, day: null, mailboxId: null, moved: 0, paced: pace ? key : undefined }
    }
    if (head.transport !== 'smtp') {
      const authError = getSetting(ctx, settingKeys.mailgunAuthError(head.objectId))
      if (authError) {
        held(head, 'auth', authError)
        return 'row-handled'
      }
      return { room, label: endpoint.label, day: null, mailboxId: null, moved: 0 }
    }
    const box = mailboxPace(ctx, head.mailboxId)
    if (!box) {
      const row = getRow(ctx, head.id)
      if (row) result.changed.push(...failRow(ctx, row, new SendFailure('permanent', 'The mailbox was deleted'), env.retry))
      return 'row-handled'
    }
    if (box.status !== 'active') {
      const paused = box.status === 'paused'
      held(head, paused ? 'paused' : 'auth', paused ? 'The mailbox is paused' : (box.statusReason ?? 'The server refused the login'), null, paused ? undefined : { errorCode: box.statusCode ?? 'AUTH', lastError: box.statusReason })
      return 'row-handled'
    }
    const verdict = check(ctx, box, now)
    if (!verdict.ok) {
      if (verdict.reason === 'capacity') holdLane(box.id, now, verdict.until, box.dailyCapacity)
      else result.gapWake = Math.min(result.gapWake, verdict.until)
      return null
    }
    // A minimum gap lets one message through per claim (the loop wakes when the gap ends); otherwise the
    // cap's remainder bounds the lane.
    let left = box.dailyCapacity - verdict.sent
    if (box.minGapSeconds > 0) {
      left = 1
      result.gapWake = Math.min(result.gapWake, now + box.minGapSeconds * 1000)
    }
    return { room: Math.min(room, left), label: endpoint.label, day: verdict.day, mailboxId: box.id, moved: 0 }
  }

  /** The mailbox reached its daily cap: hold its due rows until `until` (or their window's opening). */
  function holdLane(mailboxId: number, now: number, until: number, cap: number): void {
    const due = waitingRowsWhere(ctx, `mailbox_id = ? AND status IN ('queued', 'retry_wait') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`, mailboxId, now, Math.max(holdBudget, 0) + 1)
    const rows = teamMine(ctx, due.slice(0, Math.max(holdBudget, 0)))
    // More to hold next turn; but never again at once for rows other desktops own (that would spin).
    if (due.length > holdBudget && (rows.length > 0 || holdBudget <= 0)) result.more = true
    holdBudget -= rows.length
    // A step with a sending window resumes at the window's first opening after midnight, not at midnight.
    const opens = env.sendWindows(rows, until)
    for (const r of rows) {
      const at = opens.get(r.id) ?? until
      const detail = at === until ? `Daily cap of ${cap} reached; resumes at the next local midnight` : `Daily cap of ${cap} reached; resumes at ${new Date(at).toISOString()}, when its sending window opens`
      if (holdRow(ctx, r, 'capacity', detail, at)) result.changed.push(r.id)
    }
  }

  if (!picks.length) return result
  // One UPDATE per capacity day (Mailgun rows have none): usually a single statement for the whole batch.
  const byDay = new Map<string | null, number[]>()
  for (const p of picks) {
    const ids = byDay.get(p.lane.day) ?? []
    ids.push(p.id)
    byDay.set(p.lane.day, ids)
  }
  const laneOfId = new Map(picks.map((p) => [p.id, p.lane]))
  const draft = stmt(ctx.sqlite, 'DELETE FROM drafts WHERE id = ? AND sent_as = ?')
  for (const [day, ids] of byDay) {
    // Only what the claim itself needs comes back: the bodies are read after the commit (readClaimed),
    // so the write lock is held for the state change alone.
    const moved = stmt(
      ctx.sqlite,
      `UPDATE outbound_messages SET status = 'sending', attempts = attempts + 1, lease_owner = ?, lease_until = ?, capacity_day = ?,
         undo_until = NULL, updated_at = ?
       WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('queued', 'retry_wait') RETURNING id, attempts, draft_id AS draftId, source`,
    ).all(env.owner, now + env.leaseMs, day, now, JSON.stringify(ids)) as Array<{ id: number; attempts: number; draftId: number | null; source: OutboxRow['source'] }>
    const events: Array<[number, string]> = []
    for (const row of moved) {
      const lane = laneOfId.get(row.id)!
      const detail = `Attempt ${row.attempts} via ${lane.label}`
      events.push([row.id, detail])
      ctx.hooks.emit('outbound.status', { id: row.id, status: 'sending', event: 'sending', detail, source: row.source })
      // The draft it was written in stays recoverable until the message actually starts to leave.
      if (row.draftId) draft.run(row.draftId, row.id)
      lane.moved++
      result.ids.push(row.id)
      result.changed.push(row.id)
    }
    stmt(ctx.sqlite, "INSERT INTO message_events (outbound_id, type, detail, at) SELECT e.value ->> 0, 'sending', e.value ->> 1, ? FROM json_each(?) e").run(now, JSON.stringify(events))
  }
  // Capacity is reserved for what actually moved (a row cancelled meanwhile takes no slot).
  for (const lane of new Set(laneOfId.values())) if (lane.mailboxId !== null && lane.day && lane.moved) reserve(ctx, lane.mailboxId, lane.day, now, lane.moved)
  for (const lane of new Set(laneOfId.values())) if (lane.paced) env.pace?.take(lane.paced, lane.moved, now)
  // RETURNING gives no order; the rows leave in queue order.
  const order = new Map(picks.map((p, i) => [p.id, i]))
  result.ids.sort((a, b) => order.get(a)! - order.get(b)!)
  return result
}

/** The claimed rows in full, in claim order: read after the claim commits, to be sent. */
export function readClaimed(ctx: Ctx, ids: number[]): OutboxRow[] {
  if (!ids.length) return []
  const rows = (stmt(ctx.sqlite, 'SELECT * FROM outbound_messages WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Array<Record<string, unknown>>).map(fromSql)
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.map((id) => byId.get(id)).filter((r): r is OutboxRow => r !== undefined)
}

export interface MailboxPaceRow {
  id: number
  dailyCapacity: number
  minGapSeconds: number
  status: string
  statusReason: string | null
  statusCode: string | null
  timezone: string
}

function mailboxPace(ctx: Ctx, id: number | null): MailboxPaceRow | undefined {
  return stmt(
    ctx.sqlite,
    `SELECT m.id, m.daily_capacity AS dailyCapacity, m.min_gap_seconds AS minGapSeconds, m.status, m.status_reason AS statusReason, m.status_code AS statusCode, o.timezone
     FROM mailboxes m JOIN objects o ON o.id = m.object_id WHERE m.id = ?`,
  ).get(id) as MailboxPaceRow | undefined
}
