// Sending once across desktops (issue 22). A shared outbox row (its insert is already in PostgreSQL, so other
// desktops may have it) leaves only from the desktop that holds its claim in PostgreSQL's `claims` table. The
// push of the row's insert writes its claim row in the same PostgreSQL transaction (open, or leased when this
// desktop is already sending it, or done), so no other desktop ever sees the row without its claim. A desktop
// takes open claims (and leases that ran out) with SELECT … FOR UPDATE SKIP LOCKED, a batch at a time, so two
// desktops claiming at once split the rows instead of waiting for each other. A row queued here and not yet
// pushed is this desktop's alone. The outcome's push marks the claim done (never
// taken again) or released (a retry anyone may take). While PostgreSQL is unreachable a shared row waits:
// late beats twice.
//
// The scheduler's claim (outbound/claim.ts) is synchronous inside a SQLite transaction, so it cannot ask
// PostgreSQL: it asks this book (teamGate), which answers from what it already won and asks PostgreSQL in
// the background for the rest, waking the scheduler when it wins some.
import type { Ctx } from '../context'
import type { Sqlite } from '../db/open'
import { stmt } from '../db/stmt'
import { insertUnpushed, teamState, type LocalOp } from '../repos/team'
import { claimRounds, readyClaimConnection } from './claimRounds'
import type { PgClient } from './pg'

export const CLAIMED_TABLE = 'outbound_messages'
/** Statuses after which a row is never sent again by anyone (a claim marked done). */
const FINAL = new Set(['sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed', 'skipped', 'cancelled'])
/** Outcomes that mean the message left: such a claim is never reopened nor overwritten by another outcome. */
const SENT_SQL = ['sent', 'delivered', 'opened', 'clicked', 'bounced'].map((v) => `'${v}'`).join(', ')

/**
 * One claim round, one statement: $1 table, $2 the row ids wanted, $3 this device, $4 the batch, $5 the lease
 * in ms. Returns the row ids won. Exported for bench/teamClaims.ts, which measures this very statement.
 *
 * Every row is reached by a probe of the primary key (the LATERAL joins), whatever the planner knows: with
 * `row_id = ANY($2)` and no statistics yet (a workspace just created, a first push of thousands of rows),
 * PostgreSQL read every claim of the table (60-120 ms a round at 100,000 claims, against about 1 ms). The lock
 * sits under the LIMIT, so a round locks the rows it takes and skips (never waits for) those another desktop
 * is taking; the update finds the rows it locked by their ctid (a locked row cannot move meanwhile).
 */
const CLAIM_SQL = `WITH want AS MATERIALIZED (SELECT DISTINCT x AS row_id FROM unnest($2::bigint[]) x ORDER BY 1),
       free AS (
         SELECT k.row_id, k.ctid FROM want w, LATERAL (
           SELECT c.row_id, c.ctid FROM claims c WHERE c.tbl = $1 AND c.row_id = w.row_id
             AND (c.state = 'released' OR (c.state IN ('leased', 'pinned') AND c.device_id = $3) OR (c.state = 'leased' AND c.lease_until < now()))
           FOR UPDATE SKIP LOCKED) k
         LIMIT $4
       ), taken AS (
         UPDATE claims k SET device_id = $3, state = CASE WHEN k.state = 'pinned' THEN 'pinned' ELSE 'leased' END, outcome = NULL,
           lease_until = now() + $5 * interval '1 millisecond', updated_at = now()
         FROM free WHERE k.ctid = free.ctid RETURNING k.row_id
       ), fresh AS (
         INSERT INTO claims (tbl, row_id, device_id, state, lease_until)
         SELECT $1, w.row_id, $3, 'leased', now() + $5 * interval '1 millisecond' FROM want w
           LEFT JOIN LATERAL (SELECT 1 AS hit FROM claims k WHERE k.tbl = $1 AND k.row_id = w.row_id OFFSET 0) e ON true
         WHERE e.hit IS NULL
         ON CONFLICT (tbl, row_id) DO NOTHING RETURNING row_id
       )
       SELECT row_id FROM taken UNION ALL SELECT row_id FROM fresh`

/** The claim round as a named statement: each connection plans it once (its planning cost ~0.3 ms a round). */
export const claimQuery = (values: unknown[]) => ({ name: 'team-claim-round', text: CLAIM_SQL, values })

/**
 * The rows one claim round asks for, out of every due row the scheduler wants (ascending): two batches' worth,
 * starting at a place of the list that depends on the desktop. Ten desktops that see the same due rows then
 * probe different parts of the list instead of all fighting over its head, and a round sends 32 keys rather than
 * the scheduler's 144 (bench:team-claims: round p50 7.9-8.7 → 5.1-6.6 ms). A desktop alone takes the list in a rotated order,
 * every row a few rounds apart at most. Ascending within the round, so two rounds lock rows in one order.
 */
export function claimWindow<T>(sorted: T[], deviceId: number, batch: number): T[] {
  const size = 2 * batch
  if (sorted.length <= size) return sorted
  const start = (deviceId * batch) % sorted.length
  const out = sorted.slice(start, start + size)
  if (out.length < size) out.push(...sorted.slice(0, size - out.length))
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Readies an outbox claims connection (readyClaimConnection); bench/teamClaims.ts readies its own with it too. */
export const warmClaimConnection = (c: PgClient, deviceId: number, leaseMs: number): Promise<void> =>
  readyClaimConnection(c, claimQuery([CLAIMED_TABLE, [], deviceId, 1, leaseMs]))

/**
 * What a push writes of the claims it carries (ClaimBook.write), one primary-key probe per row. done wins over an
 * open or leased claim, and a sent outcome over any other (a send that was under way when another desktop
 * cancelled the row still left); a release only frees this desktop's own claim, or reopens a row that failed or
 * was cancelled (a retry); a sent row's claim is never reopened. Exported for bench/teamClaims.ts.
 */
export const claimWriteQuery = (deviceId: number, leaseMs: number, effects: ClaimEffect[]) => ({
  text: `INSERT INTO claims (tbl, row_id, device_id, state, outcome, lease_until)
       SELECT $1, u.id, $2, u.state, u.outcome, CASE WHEN u.state IN ('leased', 'pinned') THEN now() + $3 * interval '1 millisecond' END
       FROM unnest($4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY AS u(id, state, outcome, ord) ORDER BY ord
       ON CONFLICT (tbl, row_id) DO UPDATE SET state = excluded.state, outcome = excluded.outcome, device_id = excluded.device_id, lease_until = excluded.lease_until, updated_at = now()
       WHERE (excluded.state = 'done' AND (claims.state <> 'done' OR (excluded.outcome IN (${SENT_SQL}) AND coalesce(claims.outcome, '') NOT IN (${SENT_SQL}))))
          OR (excluded.state <> 'done' AND claims.state <> 'done' AND claims.device_id = excluded.device_id)
          OR (excluded.state = 'released' AND claims.state = 'done' AND claims.outcome IN ('failed', 'skipped', 'cancelled'))`,
  values: [CLAIMED_TABLE, deviceId, leaseMs, effects.map((e) => e.rowId), effects.map((e) => e.state), effects.map((e) => e.outcome)],
})

export interface ClaimHead {
  id: number
  transport: string
  mailboxId: number | null
  objectId: number
}

export interface ClaimEffect {
  rowId: number
  /** pinned: only its desktop may send it (its attachments are in that desktop's file store alone). */
  state: 'leased' | 'released' | 'done' | 'pinned'
  outcome: string | null
}

export interface ClaimOptions {
  /** How long a won claim is held in PostgreSQL (PostgreSQL's clock); default 10 minutes. */
  leaseMs?: number
  /** A claim lost to another desktop is not asked for again before this; default 1 s. */
  lostRetryMs?: number
  /** Claims taken per round at most (the scheduler asks again on its next turn); default 16. */
  batch?: number
}

export interface ClaimBook {
  /** The due heads this desktop may send now (inside the scheduler's transaction; never waits). */
  gate<T extends ClaimHead>(heads: T[]): T[]
  /** The rows this desktop may change without a claim of its own (hold them for its mailbox's cap). */
  mine<T extends { id: number }>(rows: T[]): T[]
  /**
   * The claims a push carries, worked out when its batch is read, in the same synchronous step that marks the
   * batch as being pushed (from then on its rows need a claim here too).
   */
  forPush(batch: LocalOp[]): ClaimEffect[]
  /** Writes them inside the push's PostgreSQL transaction. */
  write(c: PgClient, deviceId: number, effects: ClaimEffect[]): Promise<void>
  /** The push that carried them is over (committed, failed, or its answer lost): their rows may be asked for again. */
  settle(effects: ClaimEffect[]): void
  /** Rows claimed by the background round, for tests and the status. */
  stats(): { won: number; lost: number; rounds: number; failures: number }
  /**
   * Held (leaving the workspace, or removed from it): no claim won before is used and none is asked for, so only
   * rows this desktop alone has (never pushed) may go; a send already under way finishes. false undoes it.
   */
  hold(on: boolean): void
  stop(): Promise<void>
  /** No round under way (claimRounds.settled). */
  settled(): Promise<void>
  /** After stop(): a workspace created or joined again. */
  resume(): void
}

const books = new WeakMap<Sqlite, ClaimBook>()

/** The claim gate the scheduler's claim asks; a desktop not in a workspace sends everything as before. */
export function teamGate<T extends ClaimHead>(ctx: Pick<Ctx, 'sqlite'>, heads: T[]): T[] {
  const book = books.get(ctx.sqlite)
  return book && heads.length ? book.gate(heads) : heads
}

/** Rows this desktop may change for its own reasons (a daily cap): its own, or those whose claim it holds. */
export function teamMine<T extends { id: number }>(ctx: Pick<Ctx, 'sqlite'>, rows: T[]): T[] {
  const book = books.get(ctx.sqlite)
  return book && rows.length ? book.mine(rows) : rows
}

export function createClaimBook(ctx: Ctx, connect: () => Promise<PgClient>, opts: ClaimOptions = {}): ClaimBook {
  const leaseMs = opts.leaseMs ?? 10 * 60_000
  const batch = opts.batch ?? 16
  /** Rows the last gate let through on a claim: the same claim may hold them (a full daily cap). */
  let passed = new Set<number>()
  /**
   * A push that releases a row's claim races this desktop's own claim of it (the two use two connections): a row
   * whose release is being pushed is not asked for meanwhile, and a win of it by a round that was already under
   * way when the release was worked out is not used (the release may land after it in PostgreSQL).
   */
  const releasing = new Set<number>()
  const releasedDuringRound = new Set<number>()

  const inTeam = () => teamState(ctx.sqlite) !== undefined
  // A row counts as shared from the moment a push of its insert starts (team_state.pushing_through).
  const unpushed = (id: number) => insertUnpushed(ctx.sqlite, CLAIMED_TABLE, String(id))

  // The background rounds (claimRounds.ts): one statement a round, open claims, ours, and leases that ran out
  // (their desktop is gone), a batch at a time; a claim another desktop is taking right now is skipped, not
  // waited for. A shared row with no claim row at all (pushed before claims existed) is inserted: the first
  // desktop to insert it wins.
  const rounds = claimRounds<number>({
    connect,
    id: String,
    order: (a, b) => a - b,
    leaseMs,
    lostRetryMs: opts.lostRetryMs ?? 1000,
    beforeRound: () => releasedDuringRound.clear(),
    choose: (ids) => claimWindow(ids, teamState(ctx.sqlite)?.deviceId ?? 0, batch),
    async warm(c) {
      const s = teamState(ctx.sqlite)
      if (s) await warmClaimConnection(c, s.deviceId, leaseMs)
    },
    // A release pushed meanwhile may have landed after this claim: such a row is asked for again later.
    reject: (id) => releasedDuringRound.has(Number(id)),
    async ask(c, ids) {
      const s = teamState(ctx.sqlite)
      if (!s) return { won: [], full: false }
      const r = await c.query<{ row_id: string }>(claimQuery([CLAIMED_TABLE, ids, s.deviceId, batch, leaseMs]))
      return { won: r.rows.map((x) => Number(x.row_id)), full: r.rows.length >= batch }
    },
    onWon: () => ctx.outbound.scheduler.wake(),
  })

  /** A desktop without the password (or API key) of a row's sender leaves the row to desktops that have it. */
  function canSend(h: ClaimHead): boolean {
    if (h.transport === 'smtp') {
      const m = stmt(ctx.sqlite, 'SELECT smtp_password_sealed AS pw FROM mailboxes WHERE id = ?').get(h.mailboxId) as { pw: string } | undefined
      return !m || m.pw !== ''
    }
    if (h.transport === 'mailgun') {
      const g = stmt(ctx.sqlite, 'SELECT api_key_sealed AS k FROM object_mailgun_settings WHERE object_id = ?').get(h.objectId) as { k: string | null } | undefined
      return !g || g.k !== null
    }
    return true
  }

  function gate<T extends ClaimHead>(heads: T[]): T[] {
    if (!inTeam()) return heads
    if (rounds.held) return heads.filter((h) => unpushed(h.id))
    const out: T[] = []
    passed = new Set()
    for (const h of heads) {
      if (unpushed(h.id)) {
        out.push(h)
        continue
      }
      if (releasing.has(h.id)) continue
      if (rounds.take(h.id)) {
        passed.add(h.id)
        out.push(h)
        continue
      }
      if (canSend(h)) rounds.want(h.id)
    }
    rounds.kick()
    return out
  }

  function mine<T extends { id: number }>(rows: T[]): T[] {
    if (!inTeam()) return rows
    if (rounds.held) return rows.filter((r) => unpushed(r.id))
    return rows.filter((r) => unpushed(r.id) || passed.has(r.id) || rounds.holds(r.id))
  }

  function forPush(batch: LocalOp[]): ClaimEffect[] {
    const byRow = new Map<number, ClaimEffect>()
    const status = stmt(ctx.sqlite, `SELECT status FROM ${CLAIMED_TABLE} WHERE id = ?`)
    // The files of a row's attachments are in this desktop's content store only: no other desktop may send it.
    const files = stmt(ctx.sqlite, 'SELECT 1 FROM mail_attachments WHERE outbound_id = ? LIMIT 1')
    // An op says what the row was when it was made; the claim follows what it is now. A push of an older status
    // (a failed attempt's retry_wait, a requeue after a crash) never releases a claim this desktop has taken
    // since and is using (the row is being sent here) or is about to use (won, not yet sent): another desktop
    // would take the row and send it too.
    const open = (id: number): ClaimEffect => {
      if (files.get(id) !== undefined) return { rowId: id, state: 'pinned', outcome: null }
      const current = (status.get(id) as { status: string } | undefined)?.status
      if (current === 'sending' || rounds.holds(id)) return { rowId: id, state: 'leased', outcome: null }
      return { rowId: id, state: 'released', outcome: null }
    }
    for (const op of batch) {
      if (op.tbl !== CLAIMED_TABLE) continue
      const id = Number(op.rowKey)
      if (op.kind === 'delete') {
        byRow.set(id, { rowId: id, state: 'done', outcome: 'deleted' })
        continue
      }
      if (op.kind === 'insert') {
        // The row is being sent here already: the push gives it its claim.
        const current = (status.get(id) as { status: string } | undefined)?.status
        if (current === undefined || FINAL.has(current)) byRow.set(id, { rowId: id, state: 'done', outcome: current ?? 'deleted' })
        else byRow.set(id, open(id))
        continue
      }
      const f = JSON.parse(op.fields) as Record<string, unknown>
      if (typeof f.status !== 'string') continue
      byRow.set(id, FINAL.has(f.status) ? { rowId: id, state: 'done', outcome: f.status } : open(id))
    }
    const effects = [...byRow.values()].sort((a, b) => a.rowId - b.rowId)
    for (const e of effects) {
      if (e.state !== 'released') continue
      releasing.add(e.rowId)
      releasedDuringRound.add(e.rowId)
      rounds.forget(e.rowId)
    }
    return effects
  }

  function settle(effects: ClaimEffect[]): void {
    for (const e of effects) releasing.delete(e.rowId)
  }

  async function write(c: PgClient, deviceId: number, effects: ClaimEffect[]): Promise<void> {
    if (!effects.length) return
    await c.query(claimWriteQuery(deviceId, leaseMs, effects))
  }

  const book: ClaimBook = {
    gate,
    mine,
    forPush,
    write,
    settle,
    stats: rounds.stats,
    hold(on) {
      rounds.hold(on)
      if (on) passed = new Set()
    },
    resume: rounds.resume,
    stop: rounds.stop,
    settled: rounds.settled,
  }
  books.set(ctx.sqlite, book)
  return book
}

/**
 * Gives back the leases this device holds (leaving the workspace): another desktop may take those rows at once
 * instead of waiting for the lease to run out. Rows still being sent here (`keep`) stay leased; pinned claims
 * (attachments only this desktop has) and done ones are not touched. Returns how many were released.
 */
export async function releaseLeases(c: PgClient, deviceId: number, keep: number[]): Promise<number> {
  const r = await c.query(
    `UPDATE claims SET state = 'released', lease_until = NULL, updated_at = now()
     WHERE tbl = $1 AND device_id = $2 AND state = 'leased' AND NOT (row_id = ANY($3::bigint[]))`,
    [CLAIMED_TABLE, deviceId, keep],
  )
  return r.rowCount ?? 0
}
