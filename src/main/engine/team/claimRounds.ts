// What both claim books share (issue 22): the outbox's (claims.ts) and the automation's (stepClaims.ts). A
// runner asks inside a SQLite transaction, so it cannot wait for PostgreSQL: the book answers from claims it
// already won and asks PostgreSQL for the rest in the background, on a connection of its own, one statement a
// round, then wakes the runner when it won some. A claim lost to another desktop is not asked for again for a
// while; PostgreSQL unreachable leaves everything unclaimed (late beats twice).
import { dropClient, type PgClient } from './pg'

export interface RoundOptions<K> {
  connect: () => Promise<PgClient>
  /** The map key of a claim key (a row id, or `tbl\u0000rowId`). */
  id: (k: K) => string
  /** Ascending: two desktops taking overlapping sets lock them in the same order (no deadlock). */
  order: (a: K, b: K) => number
  /**
   * One round's statement: the keys wanted (at most `perRound`, in `order`) → the keys won. `full` true when the
   * statement stopped at its batch, so the keys not won are not known to be someone else's.
   */
  ask: (c: PgClient, keys: K[]) => Promise<{ won: K[]; full: boolean }>
  /** Some were won: the runner's next turn uses them. */
  onWon: () => void
  /** Some were lost (the runner may want to know when to look again). */
  onLost?: () => void
  leaseMs: number
  lostRetryMs: number
  /** Keys sent per round at most (default: every key wanted; the statement has its own LIMIT). */
  perRound?: number
  /**
   * Instead of perRound: the keys one round asks for, out of every key wanted (in `order`); the others are
   * dropped, and the runner's next turn wants them again.
   */
  choose?: (keys: K[]) => K[]
  /** Keys won by a round that must not be used (a release pushed meanwhile may land after the claim). */
  reject?: (id: string) => boolean
  /** Called before each round (clears what `reject` remembers of the round before). */
  beforeRound?: () => void
  /**
   * Run once on each new connection, before its first round: plans the round's statement and loads what the
   * server caches per session, so the first claim after a connect costs what the others do.
   */
  warm?: (c: PgClient) => Promise<void>
}

export interface ClaimRounds<K> {
  /** A won claim, used once: true when this desktop may act on it now. */
  take(k: K): boolean
  /** Still trusted here (a full daily cap holds the rows it won), without using it. */
  holds(k: K): boolean
  /** Asks for it in the background, unless it was lost a moment ago or is being asked already. */
  want(k: K): void
  /** Lost to another desktop a moment ago (not asked again before lostRetryMs). */
  lost(k: K): boolean
  /** Forgets a won or wanted claim (its release is being pushed). */
  forget(k: K): void
  /** Starts a round if something is wanted. */
  kick(): void
  /** Wall ms until a key held back (lost) may be asked again; Infinity when none is. */
  nextRetryIn(): number
  stats(): { won: number; lost: number; rounds: number; failures: number }
  hold(on: boolean): void
  readonly held: boolean
  stop(): Promise<void>
  resume(): void
  /** Resolves once no round is under way (tests turn a runner, then wait for the round it started). */
  settled(): Promise<void>
}

/**
 * Readies a claims connection before its first round (both books' warm). A round's plan is the same whatever it
 * asks for (a primary-key probe per key, by construction), so the session keeps one generic plan instead of
 * planning each of the first five rounds again (PostgreSQL's default); and one empty round plans it and loads the
 * catalog caches of a new backend. Measured on ten fresh connections at once: their first rounds took 30-67 ms,
 * the rounds after about 8.
 */
export async function readyClaimConnection(c: PgClient, emptyRound: { name: string; text: string; values: unknown[] }): Promise<void> {
  await c.query('SET plan_cache_mode = force_generic_plan')
  await c.query(emptyRound)
}

export function claimRounds<K>(o: RoundOptions<K>): ClaimRounds<K> {
  // Real time, not the engine's clock: leases are PostgreSQL's (wall) time; a won claim is trusted here until a
  // minute before its lease ends.
  const margin = Math.min(60_000, o.leaseMs / 4)
  /** Won claims: id → until when (Date.now()) this desktop may act on it. */
  const won = new Map<string, number>()
  /** Lost claims: not asked again before this instant. */
  const retryAt = new Map<string, number>()
  const wanted = new Map<string, K>()
  /** Keys the round under way asks for: a turn meanwhile does not ask for them a second time. */
  let asking = new Set<string>()
  let client: PgClient | null = null
  let running: Promise<void> | null = null
  let again = false
  let stopped = false
  let held = false
  const counts = { won: 0, lost: 0, rounds: 0, failures: 0 }

  function take(k: K): boolean {
    const id = o.id(k)
    const until = won.get(id)
    won.delete(id)
    // Used once: a key not acted on now (a busy lane, a rolled-back turn) asks again, and gets it back at once (ours).
    return !held && until !== undefined && until > Date.now()
  }

  function want(k: K): void {
    const id = o.id(k)
    const now = Date.now()
    if ((retryAt.get(id) ?? 0) > now || asking.has(id)) return
    wanted.set(id, k)
    // Entries of keys acted on elsewhere never come back to be cleared: forget the stale ones now and then.
    if (retryAt.size + won.size > 4096) {
      for (const [i, t] of retryAt) if (t <= now) retryAt.delete(i)
      for (const [i, t] of won) if (t <= now) won.delete(i)
    }
  }

  function kick(): void {
    if (stopped || held || !wanted.size) return
    if (running) {
      again = true
      return
    }
    running = (async () => {
      try {
        do {
          again = false
          await round()
        } while (again && wanted.size && !stopped && !held)
      } catch {
        // PostgreSQL unreachable (or a deadlock victim): the keys stay unclaimed and wait; the runner asks again
        // on its next turn.
        counts.failures++
        const c = client
        client = null
        dropClient(c)
      } finally {
        running = null
      }
    })()
  }

  async function round(): Promise<void> {
    o.beforeRound?.()
    const sorted = [...wanted.values()].sort(o.order)
    const keys = o.choose ? o.choose(sorted) : sorted.slice(0, o.perRound ?? Infinity)
    if (o.choose) wanted.clear()
    for (const k of keys) wanted.delete(o.id(k))
    // More than one round's worth: the next round asks for the rest.
    if (wanted.size) again = true
    if (!keys.length) return
    asking = new Set(keys.map(o.id))
    try {
      counts.rounds++
      if (!client) {
        const c = await o.connect()
        try {
          await o.warm?.(c)
        } catch (e) {
          dropClient(c)
          throw e
        }
        client = c
      }
      const started = Date.now()
      const r = await o.ask(client, keys)
      const got = r.won.map(o.id).filter((id) => !o.reject?.(id))
      const until = started + o.leaseMs - margin
      for (const id of got) {
        won.set(id, until)
        retryAt.delete(id)
      }
      // A full batch leaves the rest unknown (the next turn asks); a short one means the rest are someone else's.
      if (!r.full) {
        for (const id of asking) if (!won.has(id)) retryAt.set(id, Date.now() + o.lostRetryMs)
        counts.lost += keys.length - got.length
      }
      counts.won += got.length
      if (got.length) o.onWon()
      else if (!r.full && keys.length > got.length) o.onLost?.()
    } finally {
      asking = new Set()
    }
  }

  return {
    take,
    holds: (k) => !held && (won.get(o.id(k)) ?? 0) > Date.now(),
    lost: (k) => (retryAt.get(o.id(k)) ?? 0) > Date.now(),
    want,
    forget(k) {
      const id = o.id(k)
      wanted.delete(id)
      won.delete(id)
    },
    kick,
    nextRetryIn() {
      const now = Date.now()
      let at = Infinity
      for (const t of retryAt.values()) if (t > now) at = Math.min(at, t - now)
      return at
    },
    stats: () => ({ ...counts }),
    hold(on) {
      held = on
      if (!on) return
      won.clear()
      wanted.clear()
    },
    get held() {
      return held
    },
    resume() {
      stopped = false
      held = false
    },
    async settled() {
      while (running) await running.catch(() => undefined)
    },
    async stop() {
      stopped = true
      await running?.catch(() => undefined)
      const c = client
      client = null
      dropClient(c)
    },
  }
}
