// The replicator (issue 22): the only code that talks to PostgreSQL about data. It pushes this desktop's
// queued ops (team_ops, filled by the capture triggers) to the shared `ops` table, pulls the ops after its
// cursor and applies them (apply.ts). LISTEN/NOTIFY wakes it when another desktop pushes; a poll is the
// fallback, and a cheap look at the local queue pushes new local changes soon after they are made.
// Offline, nothing here blocks a write: changes wait in team_ops and go out in order on reconnect.
import type { TeamStatus } from '../../../shared/team'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { pushingThrough, setPushingThrough, deleteOp, addTombstone, moveSequenceTo, hasPending, pendingCount, pendingOps, setApplying, setBlockStart, setCursor, setFieldVersion, setFieldVersions, setSyncedAt, teamState, type TeamStateRow } from '../repos/team'
import { ROW_FIELD, applyRemoteOps, mailboxesRemovedBy, stampsEveryColumn, type RemoteOp } from './apply'
import { removeLastOf, removeMailOf } from '../inbound/removeMail'
import { accessRefused, asRole, connect, describeDatabase, dropClient, pgProblem, takeBlock, type PgClient } from './pg'
import { SHARED_TABLES, sharedTable } from './tables'
import { createClaimBook, type ClaimOptions } from './claims'
import { createStepClaims, stepKeysOfPush, writePushedSteps, type StepClaimOptions } from './stepClaims'
import { readAssignments, storeAssignments } from './assignments'
import { notePushedContact } from './merge'
import { announceApplied } from './announce'
import { setAsideRefused } from './refused'

export interface ReplicatorOptions {
  /** Full cycle (reconnect, pull) at least this often; default 5 s. */
  pollMs?: number
  /** How often the local queue is looked at for new changes to push; default 200 ms. */
  localMs?: number
  pushBatch?: number
  pullBatch?: number
  connectTimeoutMs?: number
  /** A query with no answer by then fails and its connection is dropped (a half-open network); default 30 s. */
  queryTimeoutMs?: number
  /** Tests: no timers and no wake-ups; ops move only on syncNow (team.sync), so a test orders pushes itself. */
  manual?: boolean
  log?: (msg: string) => void
  /** Outbox claims in PostgreSQL (claims.ts). */
  claims?: ClaimOptions
  /** Sequence steps, autoresponders and flow steps claimed in PostgreSQL (stepClaims.ts). */
  stepClaims?: StepClaimOptions
}

export interface Replicator {
  start(): void
  stop(): Promise<void>
  /** One push + pull now; resolves when it is over (rejects with the problem when PostgreSQL is unreachable). */
  syncNow(): Promise<void>
  status(): TeamStatus
  /** The workspace was just created or joined on this desktop. */
  joined(): void
  /** Leaving (issue 22 item 1): no claim is used or asked for meanwhile; false when the leave was refused. */
  holdClaims(on: boolean): void
  /** Resolves once neither claim book has a round under way (tests: a runner's turn, then its round's answer). */
  claimsSettled(): Promise<void>
  /** This desktop left the workspace: everything stops (a later create or join starts it again). */
  left(): Promise<void>
  /** A write just committed: push what it queued now rather than at the next look at the queue. */
  nudge(): void
}

/** Said in the status when PostgreSQL no longer lets this member in. */
export const REMOVED_WORDS = 'An admin removed you from this workspace. Your changes stay on this computer; leave the workspace to keep working on your own.'


export const ADVISORY_PUSH_LOCK = 22_022

export function createReplicator(ctx: Ctx, opts: ReplicatorOptions = {}): Replicator {
  const pollMs = opts.pollMs ?? 5000
  const localMs = opts.localMs ?? 200
  const pushBatch = opts.pushBatch ?? 500
  const pullBatch = opts.pullBatch ?? 2000
  const log = opts.log ?? (() => undefined)
  let client: PgClient | null = null
  let running: Promise<void> | null = null
  let again = false
  let stopped = true
  let problem: string | null = null
  /** PostgreSQL turned this member away (or no longer lists them): an admin removed them. */
  let removed = false
  let busy = false
  let pollTimer: ReturnType<typeof setInterval> | undefined
  let localTimer: ReturnType<typeof setInterval> | undefined
  let lastEmitted = ''
  // The claims connections are their own: a claim round must not interleave with a push's transaction.
  const claimConnection = async () => {
    const s = teamState(ctx.sqlite)
    if (!s) throw new Error('not in a team workspace')
    return connect(asRole(s.databaseUrl, s.roleName, ctx.secrets.open(s.passwordSealed)), opts.connectTimeoutMs ?? 10_000, opts.queryTimeoutMs ?? 30_000)
  }
  const claims = createClaimBook(ctx, claimConnection, opts.claims)
  const steps = createStepClaims(ctx, claimConnection, opts.stepClaims)

  function status(): TeamStatus {
    const s = teamState(ctx.sqlite)
    if (!s) return { state: 'solo', pendingOps: 0, lastSyncedAt: null, user: null, workspaceId: null, database: null, problem: null }
    const pending = pendingCount(ctx.sqlite)
    const state = removed ? 'removed' : problem ? 'offline' : busy || pending > 0 || s.lastSyncedAt === null ? 'syncing' : 'synced'
    return {
      state,
      pendingOps: pending,
      lastSyncedAt: s.lastSyncedAt === null ? null : iso(s.lastSyncedAt),
      user: { email: s.userEmail, role: s.userRole },
      workspaceId: s.workspaceId,
      database: describeDatabase(s.databaseUrl),
      problem: removed ? REMOVED_WORDS : problem,
    }
  }

  function announce(): void {
    const st = status()
    const key = JSON.stringify([st.state, st.pendingOps, st.problem, st.lastSyncedAt])
    if (key === lastEmitted) return
    lastEmitted = key
    ctx.emit('team.status', st)
  }

  async function ensureClient(s: TeamStateRow): Promise<PgClient> {
    if (client) return client
    const password = ctx.secrets.open(s.passwordSealed)
    const c = await connect(asRole(s.databaseUrl, s.roleName, password), opts.connectTimeoutMs ?? 10_000, opts.queryTimeoutMs ?? 30_000)
    const drop = () => {
      if (client === c) client = null
    }
    c.on('end', drop)
    c.on('error', (e) => {
      drop()
      problem = pgProblem(e).message
      announce()
    })
    c.on('notification', () => kick())
    await c.query('LISTEN team_ops')
    client = c
    return c
  }

  /** Pushes every queued op, in order, one batch per PostgreSQL transaction. */
  async function push(c: PgClient, s: TeamStateRow): Promise<void> {
    for (;;) {
      const batch = pendingOps(ctx.sqlite, pushBatch)
      if (!batch.length) return
      const ids = batch.map((o) => o.id)
      // Read with the batch: an outbox row being sent here goes out with its claim (claims.ts). From now on the
      // batch may be in PostgreSQL (an answer can be lost), so its outbox rows need a claim like any shared row.
      const effects = claims.forPush(batch)
      // Work done on rows of this batch while they were this desktop's alone (a lead moved before its push).
      const steps = stepKeysOfPush(ctx.sqlite, batch)
      const before = pushingThrough(ctx.sqlite)
      setPushingThrough(ctx.sqlite, batch[batch.length - 1].seq)
      // Until the ops are sent PostgreSQL cannot have them: a push that fails before that (a connection found
      // dead on BEGIN) leaves its rows this desktop's alone again (a desktop leaving offline keeps and sends them).
      let sent = false
      try {
        await c.query('BEGIN')
        // One pusher at a time: positions are then handed out in commit order, so no desktop's cursor can pass
        // a position whose op commits later.
        await c.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_PUSH_LOCK])
        sent = true
        // Idempotent by op id: a batch pushed before a crash (or twice) lands once.
        await c.query(
          `INSERT INTO ops (id, device_id, user_email, tbl, row_key, kind, fields, at)
           SELECT u.id, $2, u.email, u.tbl, u.row_key, u.kind, u.fields::jsonb, u.at
           FROM unnest($1::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[]) WITH ORDINALITY AS u(id, email, tbl, row_key, kind, fields, at, ord)
           ORDER BY u.ord
           ON CONFLICT (id) DO NOTHING`,
          [ids, s.deviceId, batch.map((o) => o.userEmail), batch.map((o) => o.tbl), batch.map((o) => o.rowKey), batch.map((o) => o.kind), batch.map((o) => o.fields), batch.map((o) => o.at)],
        )
        await claims.write(c, s.deviceId, effects)
        await writePushedSteps(c, s.deviceId, steps)
        const got = await c.query<{ id: string; position: string }>('SELECT id, position FROM ops WHERE id = ANY($1::uuid[])', [ids])
        await c.query('COMMIT')
        const positions = new Map(got.rows.map((r) => [r.id, Number(r.position)]))
        // Acknowledged: the ops leave the queue and their fields take the positions PostgreSQL gave them.
        inTransaction(ctx.sqlite, () => {
          for (const o of batch) {
            const position = positions.get(o.id)
            if (position === undefined) throw new Error(`op ${o.id} missing after push`)
            const reusable = sharedTable(o.tbl)?.autoId === false
            if (reusable && o.kind !== 'update') setFieldVersion(ctx.sqlite, o.tbl, o.rowKey, ROW_FIELD, position)
            if (o.kind === 'delete') {
              if (!reusable) addTombstone(ctx.sqlite, o.tbl, o.rowKey, position)
            } else {
              const fields = Object.keys(JSON.parse(o.fields) as object)
              const t = sharedTable(o.tbl)
              setFieldVersions(ctx.sqlite, o.tbl, o.rowKey, fields, position, !!t && stampsEveryColumn(t, o.kind === 'insert', fields))
            }
            deleteOp(ctx.sqlite, o.id)
            // team-merge: a contact made here is known by its insert's position from now on (merge.ts)
            notePushedContact(ctx.sqlite, o, position)
          }
          setPushingThrough(ctx.sqlite, null)
        })
      } catch (e) {
        if (!sent) setPushingThrough(ctx.sqlite, before)
        await c.query('ROLLBACK').catch(() => undefined)
        // Row-level security refused the batch: set aside what this person may no longer send, push the rest.
        if ((e as { code?: string }).code === '42501' && (await setAsideRefused(ctx, log, c, s, batch))) continue
        throw e
      } finally {
        claims.settle(effects)
      }
    }
  }

  /** Pulls and applies everything after the cursor. */
  async function pull(c: PgClient): Promise<void> {
    for (;;) {
      const s = teamState(ctx.sqlite)!
      const r = await c.query<{ position: string; id: string; device_id: number; tbl: string; row_key: string; kind: RemoteOp['kind']; fields: Record<string, unknown> }>(
        'SELECT position, id, device_id, tbl, row_key, kind, fields FROM ops WHERE position > $1 ORDER BY position LIMIT $2',
        [s.cursor, pullBatch],
      )
      if (!r.rows.length) {
        setSyncedAt(ctx.sqlite, ctx.clock.now())
        return
      }
      const ops: RemoteOp[] = r.rows.map((o) => ({ position: Number(o.position), id: o.id, deviceId: o.device_id, tbl: o.tbl, rowKey: o.row_key, kind: o.kind, fields: o.fields }))
      const remote = ops.filter((o) => o.deviceId !== s.deviceId)
      // A row from a newer id block than ours: SQLite's next id would follow it into that block, so take a
      // newer block first (we are online: we just read these ops).
      const newer = remote.some((o) => o.kind === 'insert' && sharedTable(o.tbl)?.autoId && Number(o.rowKey) >= s.blockStart)
      const blockStart = newer ? await takeBlock(c, s.deviceId) : s.blockStart
      const apply = () => {
        const applied = inTransaction(ctx.sqlite, () => {
          setApplying(ctx.sqlite, true)
          const out = applyRemoteOps(ctx.sqlite, remote)
          setApplying(ctx.sqlite, false)
          if (blockStart !== s.blockStart) setBlockStart(ctx.sqlite, blockStart)
          for (const t of SHARED_TABLES) if (t.autoId) moveSequenceTo(ctx.sqlite, t.name, blockStart)
          setCursor(ctx.sqlite, ops[ops.length - 1].position, ctx.clock.now())
          return out
        })
        announceApplied(ctx, applied)
      }
      // A mailbox (or a business) removed on another desktop: this desktop's copies of its mail go first, a chunk
      // at a time with its sync stopped, as a removal here does. The row's delete then cascades to no message
      // (a cascade would leave their search rows, files and threads behind).
      const removed = mailboxesRemovedBy(ctx.sqlite, remote)
      if (removed.length)
        await ctx.sync.hold(removed, async (stopped) => {
          for (const mailboxId of removed) await removeMailOf(ctx, { mailboxId }, stopped)
          if (!stopped()) for (const mailboxId of removed) removeLastOf(ctx, { mailboxId }, () => {})
          apply()
        })
      else apply()
    }
  }

  /**
   * Who may send from which profile, and this desktop's role, as PostgreSQL says now (an admin may have changed
   * them): the permission check reads the local copy, so a change reaches this desktop within one sync.
   */
  async function refreshAssignments(c: PgClient, s: TeamStateRow): Promise<void> {
    const snap = await readAssignments(c, s.userEmail)
    // No longer a member (an admin removed them while this role could still sign in): keep the last copy.
    setRemoved(snap.role === undefined)
    if (removed) return
    // The composer reloads its senders on objects.changed.
    if (inTransaction(ctx.sqlite, () => storeAssignments(ctx.sqlite, snap))) ctx.emit('objects.changed', {})
  }

  /** A removed member's desktop uses no claim it won before: the admin gave its leases back to the others. */
  function setRemoved(on: boolean): void {
    if (on === removed) return
    removed = on
    claims.hold(on)
    steps.hold(on)
    if (on) log('team: PostgreSQL no longer lets this member in (removed from the workspace)')
  }

  async function cycle(): Promise<void> {
    const s = teamState(ctx.sqlite)
    if (!s) return
    busy = true
    announce()
    try {
      const reused = client !== null
      try {
        const c = await ensureClient(s)
        await push(c, s)
        await pull(c)
        await refreshAssignments(c, s)
      } catch (e) {
        // A connection that died while idle (server restart, network change) is found out only on use: one
        // more try on a fresh connection before the desktop counts as offline.
        if (!reused) throw e
        const dead = client
        client = null
        dropClient(dead)
        const c = await ensureClient(s)
        await push(c, s)
        await pull(c)
        await refreshAssignments(c, s)
      }
      // Back online: due automation that waited for claims is asked for again now, not at the runner's next minute.
      if (problem !== null) ctx.automation.wake()
      problem = null
    } catch (e) {
      if (accessRefused(e)) setRemoved(true)
      const p = pgProblem(e)
      if (problem !== p.message) log(`team: ${p.message} (${(e as Error).message})`)
      problem = p.message
      const c = client
      client = null
      dropClient(c)
      throw p
    } finally {
      busy = false
      announce()
    }
  }

  /** Runs a cycle, or one more after the running one (changes made meanwhile are not left behind). */
  function run(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await cycle()
        } while (again && !stopped)
      } finally {
        running = null
      }
    })()
    return running
  }

  function kick(): void {
    if (!stopped && !opts.manual) run().catch(() => undefined)
  }

  function start(): void {
    if (!stopped || !teamState(ctx.sqlite)) return
    stopped = false
    claims.resume()
    steps.resume()
    if (opts.manual) return
    kick()
    pollTimer = setInterval(kick, pollMs)
    // Writes that come through dispatch nudge at once; this catches the rest (the scheduler's outcomes, automation).
    localTimer = setInterval(() => {
      if (!running && !problem && hasPending(ctx.sqlite)) kick()
    }, localMs)
    pollTimer.unref?.()
    localTimer.unref?.()
  }

  let nudged = false
  function nudge(): void {
    if (stopped || opts.manual || problem || nudged) return
    nudged = true
    // After the writes queued right behind this one too: one push carries them all.
    setImmediate(() => {
      nudged = false
      if (!stopped && hasPending(ctx.sqlite)) kick()
    })
  }

  async function stop(): Promise<void> {
    stopped = true
    clearInterval(pollTimer)
    clearInterval(localTimer)
    await running?.catch(() => undefined)
    await claims.stop()
    await steps.stop()
    const c = client
    client = null
    dropClient(c)
  }

  return {
    start,
    stop,
    nudge,
    syncNow: () => run(),
    status,
    joined: () => {
      problem = null
      start()
      announce()
    },
    claimsSettled: async () => {
      await Promise.all([claims.settled(), steps.settled()])
    },
    holdClaims: (on) => {
      claims.hold(on || removed)
      steps.hold(on || removed)
    },
    async left() {
      await stop()
      problem = null
      removed = false
      announce()
    },
  }
}
