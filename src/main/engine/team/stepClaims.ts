// Automation that must happen once across desktops (issue 22 item 4): a sequence step, an autoresponder's firing,
// a flow step. Every desktop's runner sees the same shared rows come due; only the desktop holding the work's
// claim in PostgreSQL's `claims` table does it. Same machinery as the outbox's claims (claims.ts, claimRounds.ts):
// the runner asks synchronously inside its SQLite transaction, the book answers from claims it already won and
// asks PostgreSQL in the background (SELECT … FOR UPDATE SKIP LOCKED, or the first insert of the claim row wins),
// then wakes the runner.
//
// API (stable: extend, do not rename):
//
//   teamStepGate(ctx, items, keyOf, local?, lost?) → the items this desktop may do now (inside the runner's
//     transaction, never waits). A solo desktop gets every item back. In a workspace an item passes when
//       - `local(item)` says it is this desktop's alone: made here and not yet pushed (use `unpushedRow`), or
//       - this desktop holds the claim of `keyOf(item)`; a claim is used once (a turn that did not do the item,
//         or rolled back, asks again and gets it back at once: it is still ours).
//     The rest are asked for in the background; an answer wakes the automation runner (ctx.automation.wake()).
//     `lost(item)` is called for an item whose claim another desktop holds (answered by a round a moment ago):
//     claims are pinned, so that desktop does it; a runner with a record of its own to drop (a firing waiting
//     for its claim) drops it then.
//   stepKey(kind, rowId, ...parts) → a StepKey: claims.tbl = 'kind:part:part…', claims.row_id = rowId. The key
//     must name the work itself, the same on every desktop that sees it due: a shared row's id (ids are the
//     same everywhere) and what makes this occurrence of the work different from the next one (a sequence step:
//     its position and the instant it came due, so a step withdrawn and resumed is a new piece of work).
//   teamStepWaitMs(ctx) → wall ms until a key lost to another desktop may be asked again, or (500 ms) until a
//     claim won on a stale view is looked at again (Infinity: none waits). A runner whose due work was all held
//     back sleeps that long (or until an answer wakes it) instead of spinning.
//   teamStepsOn(ctx) → true in a workspace (a runner may then defer work to its claim, as autoresponders do).
//   unpushedRow(ctx, tbl, id) → true while the row's insert is still queued here (nobody else has it).
//   stepsDoneBeforePush(tbl, fn) → for rows that are `local` until pushed: `fn(sqlite, insertOp)` names the work
//     this desktop did on such a row while it was its alone (no claim was asked for it). The row's first push
//     writes those keys as claims pinned to this desktop, in the PostgreSQL transaction that carries the insert,
//     so no desktop that can see the row can claim that work again (a push split in batches can show another
//     desktop the insert before the ops of the work done on the row). Added by team-flows (flow leads).
//
// A won claim is used only once this desktop's cursor has reached the last op PostgreSQL had when the claim was won,
// so the work is done on a view at least that fresh (a pause or a reply another desktop pushed just before is seen).
//
// Claims are PINNED to the desktop that wins them and are never taken over by time: the desktop that won a step
// may have done it and gone offline before pushing what it did, and a step done twice is worse than a step done
// late (late beats twice). The winner itself takes its pinned claim back after a restart, when its SQLite still
// shows the work due (the transaction that would have done it never committed). A desktop lost for good between
// winning and pushing leaves its steps undone: an admin's tool to release them is not written yet.
// While PostgreSQL is unreachable only `local` items pass.
import type { Ctx } from '../context'
import type { Sqlite } from '../db/open'
import { insertUnpushed, teamState, type LocalOp } from '../repos/team'
import { claimRounds, readyClaimConnection, type ClaimRounds } from './claimRounds'
import type { PgClient } from './pg'

/** Which claims row decides one piece of work. */
export interface StepKey {
  /** claims.tbl: the kind of work and what tells this occurrence from the next ('seq:2:1733300000000'). */
  tbl: string
  /** claims.row_id: the shared row it is about (an enrolment, a contact, a lead). */
  rowId: number
}

export const stepKey = (kind: string, rowId: number, ...parts: Array<string | number>): StepKey => ({ tbl: [kind, ...parts].join(':'), rowId })

export interface StepClaimOptions {
  /** lease_until written on a won claim (informational: a pinned claim is never taken over by time); default 10 min. */
  leaseMs?: number
  /** A claim lost to another desktop is not asked for again before this; default 2 s. */
  lostRetryMs?: number
  /** Keys asked per round (one statement each); default 32. */
  batch?: number
}

export interface StepClaims {
  gate<T>(items: T[], keyOf: (item: T) => StepKey, local?: (item: T) => boolean, lost?: (item: T) => void): T[]
  waitMs(): number
  stats(): { won: number; lost: number; rounds: number; failures: number }
  /** Leaving or removed: no claim is used or asked for; only local items pass. false undoes it. */
  hold(on: boolean): void
  stop(): Promise<void>
  resume(): void
  /** No round under way (claimRounds.settled). */
  settled(): Promise<void>
}

/**
 * One round: $1 tbl[], $2 row_id[] (the keys, in order), $3 this device, $4 the lease in ms. A key passes when its
 * claim is open (released), already ours, or has no row yet (the first insert wins); every key won is pinned to
 * this device. Returns the keys won, each with the last position of `ops` when it was won (`seen`).
 */
const STEP_CLAIM_SQL = `WITH want AS MATERIALIZED (
         SELECT DISTINCT w.tbl, w.row_id FROM unnest($1::text[], $2::bigint[]) AS w(tbl, row_id) ORDER BY 1, 2
       ), free AS (
         SELECT k.tbl, k.row_id, k.ctid FROM want w, LATERAL (
           SELECT c.tbl, c.row_id, c.ctid FROM claims c WHERE c.tbl = w.tbl AND c.row_id = w.row_id
             AND (c.state = 'released' OR (c.state IN ('leased', 'pinned') AND c.device_id = $3))
           FOR UPDATE SKIP LOCKED) k
       ), taken AS (
         UPDATE claims k SET device_id = $3, state = 'pinned', outcome = NULL, lease_until = now() + $4 * interval '1 millisecond', updated_at = now()
         FROM free WHERE k.ctid = free.ctid RETURNING k.tbl, k.row_id
       ), fresh AS (
         INSERT INTO claims (tbl, row_id, device_id, state, lease_until)
         SELECT w.tbl, w.row_id, $3, 'pinned', now() + $4 * interval '1 millisecond' FROM want w
           LEFT JOIN LATERAL (SELECT 1 AS hit FROM claims k WHERE k.tbl = w.tbl AND k.row_id = w.row_id OFFSET 0) e ON true WHERE e.hit IS NULL
         ORDER BY w.tbl, w.row_id
         ON CONFLICT (tbl, row_id) DO NOTHING RETURNING tbl, row_id
       )
       SELECT tbl, row_id, (SELECT coalesce(max(position), 0) FROM ops) AS seen FROM taken
       UNION ALL SELECT tbl, row_id, (SELECT coalesce(max(position), 0) FROM ops) FROM fresh`

/** The step round as a named statement (planned once per connection); its shape is claims.ts's claim round's (why there). */
export const stepClaimQuery = (values: unknown[]) => ({ name: 'team-step-claim-round', text: STEP_CLAIM_SQL, values })

/** A claim won on a view older than PostgreSQL's: looked at again this soon (the pull that catches up is under way). */
const STALE_RETRY_MS = 500

const idOf = (k: StepKey): string => `${k.tbl}\u0000${k.rowId}`
const order = (a: StepKey, b: StepKey): number => (a.tbl < b.tbl ? -1 : a.tbl > b.tbl ? 1 : a.rowId - b.rowId)

const books = new WeakMap<Sqlite, StepClaims>()

/** The items of `items` this desktop may do now (see the header); a desktop not in a workspace does them all. */
export function teamStepGate<T>(ctx: Pick<Ctx, 'sqlite'>, items: T[], keyOf: (item: T) => StepKey, local?: (item: T) => boolean, lost?: (item: T) => void): T[] {
  const book = books.get(ctx.sqlite)
  return book && items.length ? book.gate(items, keyOf, local, lost) : items
}

/** Wall ms until held-back work may be asked for again (Infinity when nothing waits, or not in a workspace). */
export function teamStepWaitMs(ctx: Pick<Ctx, 'sqlite'>): number {
  return books.get(ctx.sqlite)?.waitMs() ?? Infinity
}

/** In a team workspace with a step book running: work that others may see too goes through claims. */
export function teamStepsOn(ctx: Pick<Ctx, 'sqlite'>): boolean {
  return books.has(ctx.sqlite) && teamState(ctx.sqlite) !== undefined
}

/** The row's insert is still queued here (or not in a workspace at all): no other desktop can have it. */
export function unpushedRow(ctx: Pick<Ctx, 'sqlite'>, tbl: string, id: number): boolean {
  return insertUnpushed(ctx.sqlite, tbl, String(id))
}

/** Per table: the work a desktop did on a row of it before the row's first push (see the header). */
const doneBeforePush = new Map<string, (sqlite: Sqlite, insert: LocalOp) => StepKey[]>()

export function stepsDoneBeforePush(tbl: string, fn: (sqlite: Sqlite, insert: LocalOp) => StepKey[]): void {
  doneBeforePush.set(tbl, fn)
}

/** The keys a push batch carries as pinned claims, worked out when the batch is read (synchronously, with it). */
export function stepKeysOfPush(sqlite: Sqlite, batch: LocalOp[]): StepKey[] {
  const keys: StepKey[] = []
  for (const op of batch) {
    const fn = op.kind === 'insert' ? doneBeforePush.get(op.tbl) : undefined
    if (fn) keys.push(...fn(sqlite, op))
  }
  return keys.sort(order)
}

/** Writes them inside the push's PostgreSQL transaction (a batch pushed again finds them there already). */
export async function writePushedSteps(c: PgClient, deviceId: number, keys: StepKey[]): Promise<void> {
  if (!keys.length) return
  await c.query(
    `INSERT INTO claims (tbl, row_id, device_id, state, lease_until)
     SELECT u.tbl, u.row_id, $3, 'pinned', now() FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS u(tbl, row_id, ord) ORDER BY ord
     ON CONFLICT (tbl, row_id) DO NOTHING`,
    [keys.map((k) => k.tbl), keys.map((k) => k.rowId), deviceId],
  )
}

export function createStepClaims(ctx: Ctx, connect: () => Promise<PgClient>, opts: StepClaimOptions = {}): StepClaims {
  const leaseMs = opts.leaseMs ?? 10 * 60_000
  /**
   * A won claim is used only once this desktop has pulled every op PostgreSQL had when it was won: the work is then
   * done on a view at least that fresh (a pause pushed elsewhere just before is seen here, not overrun). Until then
   * the claim stays ours, pinned, and the runner looks again shortly (the replicator pulls on NOTIFY).
   */
  const seenAt = new Map<string, number>()
  let stale = false
  const rounds: ClaimRounds<StepKey> = claimRounds<StepKey>({
    connect,
    id: idOf,
    order,
    leaseMs,
    lostRetryMs: opts.lostRetryMs ?? 2000,
    perRound: opts.batch ?? 32,
    async warm(c) {
      const s = teamState(ctx.sqlite)
      if (s) await readyClaimConnection(c, stepClaimQuery([[], [], s.deviceId, leaseMs]))
    },
    async ask(c, keys) {
      const s = teamState(ctx.sqlite)
      if (!s) return { won: [], full: false }
      const r = await c.query<{ tbl: string; row_id: string; seen: string }>(stepClaimQuery([keys.map((k) => k.tbl), keys.map((k) => k.rowId), s.deviceId, leaseMs]))
      const won = r.rows.map((x) => ({ tbl: x.tbl, rowId: Number(x.row_id) }))
      r.rows.forEach((x, i) => seenAt.set(idOf(won[i]), Number(x.seen)))
      return { won, full: false }
    },
    onWon: () => ctx.automation.wake(),
    // The runner learns when to look again (teamStepWaitMs) instead of waking every minute.
    onLost: () => ctx.automation.wake(),
  })

  function gate<T>(items: T[], keyOf: (item: T) => StepKey, local?: (item: T) => boolean, lost?: (item: T) => void): T[] {
    const s = teamState(ctx.sqlite)
    if (s === undefined) return items
    const out: T[] = []
    stale = false
    for (const it of items) {
      const k = keyOf(it)
      if (local?.(it)) out.push(it)
      else if (rounds.held) continue
      else if (rounds.holds(k) && (seenAt.get(idOf(k)) ?? 0) > s.cursor) stale = true
      else if (rounds.take(k)) {
        seenAt.delete(idOf(k))
        out.push(it)
      } else if (lost && rounds.lost(k)) lost(it)
      else rounds.want(k)
    }
    rounds.kick()
    if (seenAt.size > 4096) for (const id of [...seenAt.keys()].slice(0, 2048)) seenAt.delete(id)
    return out
  }

  const book: StepClaims = {
    gate,
    waitMs: () => (stale ? Math.min(STALE_RETRY_MS, rounds.nextRetryIn()) : rounds.nextRetryIn()),
    stats: rounds.stats,
    hold: rounds.hold,
    stop: rounds.stop,
    settled: rounds.settled,
    resume: rounds.resume,
  }
  books.set(ctx.sqlite, book)
  return book
}
