// createEngine: the whole backend as one object both hosts (Electron and the web host) wrap.
// It never imports electron; host-only abilities arrive through EngineOptions.
import { dirname, join } from 'node:path'
import type { EventName, EventPayload } from '../../shared/contract'
import { randomUUID } from 'node:crypto'
import { systemClock, type Clock } from './clock'
import { buildCtx, type CtxCore, type Handlers, type OutboundRuntime } from './context'
import { openDatabase, findMigrationsDir } from './db/open'
import { startCheckpointer } from './db/checkpointer'
import { createDispatch, type Dispatch } from './dispatch'
import { appHandlers } from './handlers/app'
import { badgeHandlers } from './handlers/badge'
import { clockHandlers } from './handlers/clock'
import { contactHandlers } from './handlers/contacts'
import { draftHandlers } from './handlers/drafts'
import { inboxHandlers } from './handlers/inbox'
import { outboxHandlers } from './handlers/outbox'
import { attachmentsHandlers } from './handlers/attachments'
import { foldersHandlers } from './handlers/folders'
import { mailHandlers } from './handlers/mail'
import { messagesHandlers } from './handlers/messages'
import { netHandlers } from './handlers/net'
import { threadsHandlers } from './handlers/threads'
import { heldOffline } from './services/net'
import { mailboxHandlers } from './handlers/mailboxes'
import { objectHandlers } from './handlers/objects'
import { profileHandlers } from './handlers/profiles'
import { mailgunHandlers } from './handlers/mailgun'
import { twilioHandlers } from './handlers/twilio'
import { textsHandlers } from './handlers/texts'
import { communicationsHandlers } from './handlers/communications'
import { wireCommunications } from './services/communications'
import { twilioSender } from './channels/twilioSender'
import { createTextPoller, type TextPollOptions } from './channels/runtime'
import { textPacer } from './channels/pace'
import { userHandlers } from './handlers/users'
import { tagHandlers } from './handlers/tags'
import { mailgunSender, pollMailgunEvents } from './outbound/mailgunSender'
import { netMonitor } from './outbound/netMonitor'
import { createScheduler, type Scheduler, type SchedulerOptions } from './outbound/scheduler'
import { smtpSender } from './outbound/smtp'
import type { Sender } from './outbound/transport'
import { fileKeyBox, type SecretBox } from './secrets'
import * as inboundStore from './inbound/store'
import { wireContactLinking } from './inbound/match'
import { createSyncManager, type SyncManager, type SyncOptions } from './inbound/sync/manager'
import { syncHandlers } from './handlers/sync'
import { createHooks, type Hooks } from './hooks'
import { analyticsHandlers } from './handlers/analytics'
import { autorespondersHandlers } from './handlers/autoresponders'
import { sequencesHandlers } from './handlers/sequences'
import { templatesHandlers } from './handlers/templates'
import { flowHandlers } from './handlers/flows'
import { createAutomationRunner, wireAutomationHooks } from './services/automation'
import { windowsAllow } from './automation/sequenceRun'
import { backupHandlers } from './handlers/backups'
import { createBackupRunner, type BackupRunner } from './backups/runner'
import { followBadge } from './services/badge'
import { acquireWorkspaceLock } from './workspace/lock'
import { checkAtStartup, type IntegrityNotice } from './workspace/integrity'
import { createPrivateFile, secureDataDir } from './workspace/perms'
import { segmentHandlers } from './handlers/segments'
import { companyHandlers } from './handlers/companies'
// the CRM (issue 19)
import { notesHandlers } from './handlers/notes'
import { tasksHandlers } from './handlers/tasks'
import { timelineHandlers } from './handlers/timeline'
// template library and bulk sends (issue 18)
import { bulkHandlers } from './handlers/bulk'
// issue 17: numbers typed before migration 0020 are read into E.164 once
import { normalizeStoredPhones } from './services/contactPhones'
import { createTaskReminders, wireTaskHooks } from './services/tasks'
// intake (issue 18): form rules on new mail; receiving through Mailgun
import { intakeHandlers } from './handlers/intake'
import { wireIntake } from './services/intake'
import { eraseWorkIdle, stopEraseWork, wireErasedMail } from './services/eraseWork'
import { createMailgunInbound, type MailgunInbound } from './inbound/mailgunInbound'
import { createParsePool, type ParsePool } from './inbound/sync/pool'
// data rights (issue 18): the audit log, and the daily mail retention pass
import { auditHandlers } from './handlers/audit'
import { retentionHandlers } from './handlers/retention'
import { createRetentionRunner } from './services/retention'
// team workspace on PostgreSQL (issue 22)
import { teamHandlers } from './handlers/team'
import { createReplicator, type ReplicatorOptions } from './team/replicator'

export interface EngineOptions {
  host: 'electron' | 'web'
  /** Holds switchboard.db (and the key file when no other SecretBox is given). ':memory:' for tests. */
  dataDir: string
  dbFile?: string
  secrets?: SecretBox
  clock?: Clock
  /** A test clock: enables `clock.advance` on the contract. Implies `clock`. */
  testClock?: Clock & { advance(ms: number): void }
  migrationsDir?: string
  version?: string
  log?: (msg: string) => void
  outbound?: {
    /** Start the scheduler loop (default true; unit tests of handlers may leave it off). */
    run?: boolean
    undoMs?: number
    probeMs?: number
    /** Mailgun events poll interval; 0 = never (call engine.outbound.pollEvents()). */
    eventsPollMs?: number
    smtpPoolSize?: number
    insecureTls?: boolean
    /** The set-up test's budget per server (mailboxes.test, mailgun.test); default 15 s. */
    setupTestMs?: number
    scheduler?: Partial<SchedulerOptions>
    /** Wrap a sender (tests inject faults around the real transports). */
    wrapSender?: (kind: 'smtp' | 'mailgun' | 'twilio', sender: Sender) => Sender
  }
  /** Texts (issue 17): Twilio status and inbound poll intervals (0 = only texts.poll). */
  channels?: TextPollOptions
  inbound?: SyncOptions & {
    /** Start the IMAP sync workers (default true). */
    run?: boolean
  }
  /** The daily backup (default on). */
  backups?: { run?: boolean }
  /** The host's way to restart the workspace on a backup file (backups.restore); absent = not offered. */
  restart?: (backupFile: string) => void
  /** Tests: a read method that changes the database fails with INTERNAL (dispatch.ts). */
  assertReadsOnly?: boolean
  /** Receiving through Mailgun (issue 18): the poll loop (default on) and its delays. */
  intake?: { run?: boolean; mailgunMinMs?: number; mailgunMaxMs?: number; mailgunPageSize?: number }
  /** Team workspace (issue 22): the replicator's poll and batch sizes; run: false leaves it idle. */
  team?: ReplicatorOptions & { run?: boolean }
}

export type EngineEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName]

export interface Engine {
  dispatch: Dispatch
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: (e: EngineEvent) => void): () => void
  /** Host hooks: Electron's online/offline events; tests wait on the scheduler. */
  outbound: {
    setHostOnline(online: boolean): void
    scheduler: Scheduler
    pollEvents(): Promise<number>
    probe(): Promise<void>
  }
  /** The IMAP sync workers (tests and the bench wait on them). */
  inbound: { sync: SyncManager; mailgun: MailgunInbound }
  /** Automation: run due sequence steps and date checks now (tests on a test clock), or wake the runner. */
  automation: { runDue(): number; wake(): void }
  /** The in-transaction domain hooks (another engine part, or a test, emits 'outbound.replied' here). */
  hooks: Hooks
  /** Team workspace: tests wait for the claim rounds a runner's turn started. */
  team: { claimsSettled(): Promise<void> }
  /** The daily backup (tests wait on it, the bench times it). */
  backups: BackupRunner
  /** An erase's work after its contract call (and one that arrived from another desktop): tests wait on it. */
  erases: { idle(): Promise<void> }
  /** Set when start-up found the database damaged, moved it aside and began a new one. */
  integrity: IntegrityNotice | null
  /** Stops the loop (in-flight sends finish and are recorded) and closes the database. */
  close(): Promise<void>
}

export function createEngine(opts: EngineOptions): Engine {
  const log = opts.log ?? ((m: string) => console.error(m))
  // Start-up, in this order: a private data dir, the workspace lock (one engine per workspace), then the
  // integrity check before the database is opened. A failure after the lock gives the lock back.
  secureDataDir(opts.dataDir)
  const lock = acquireWorkspaceLock(opts.dataDir)
  const dbFile = opts.dbFile ?? join(opts.dataDir, 'switchboard.db')
  let opened: ReturnType<typeof openDatabase>
  let integrity: IntegrityNotice | null
  try {
    integrity = checkAtStartup(opts.dataDir, dbFile, (opts.testClock ?? opts.clock ?? systemClock).now(), log)
    createPrivateFile(dbFile)
    opened = openDatabase(dbFile, opts.migrationsDir ?? findMigrationsDir())
  } catch (e) {
    lock.release()
    throw e
  }
  const { sqlite, db } = opened
  const secrets = opts.secrets ?? fileKeyBox(opts.dataDir)
  const listeners = new Set<(e: EngineEvent) => void>()
  // WAL checkpoints run on their own thread, so no commit on this one stalls while the WAL is copied back.
  const checkpointer = startCheckpointer(sqlite, { log })
  const o = opts.outbound ?? {}
  const { run: runSync, ...syncOpts } = opts.inbound ?? {}
  let syncStopped = false
  // Phase one: what needs no machinery.
  const core: CtxCore = {
    db,
    sqlite,
    secrets,
    clock: opts.testClock ?? opts.clock ?? systemClock,
    info: { version: opts.version ?? '0.1.0', host: opts.host, dataDir: opts.dataDir },
    hooks: createHooks(),
    emit: (event, payload) => {
      for (const l of listeners) l({ event, payload } as EngineEvent)
      if (event === 'inbox.changed') inboxChanged()
    },
  }
  // Phase two: the machinery, made from the finished context (buildCtx); nothing here runs until started below.
  const { ctx, parts } = buildCtx(core, (ctx) => {
    const wrap = o.wrapSender ?? ((_k, s: Sender) => s)
    const senders = {
      smtp: wrap('smtp', smtpSender(ctx, { poolSize: o.smtpPoolSize, insecureTls: o.insecureTls, log })),
      mailgun: wrap('mailgun', mailgunSender(ctx)),
      twilio: wrap('twilio', twilioSender(ctx, { onChanged: (ids) => ctx.emit('outbox.changed', { ids }) })),
    }
    const net = netMonitor(ctx.clock, {
      probeMs: o.probeMs ?? 5000,
      onChange: (restored) => {
        if (restored === 'all' || restored.length) scheduler.resumeOffline(restored)
        ctx.emit('net.status', net.status(heldOffline(ctx)))
      },
    })
    const scheduler = createScheduler(ctx, senders, net, { owner: randomUUID(), log, sendWindows: (rows, at) => windowsAllow(ctx, rows, at), pace: textPacer(ctx), ...o.scheduler })
    // Texts: Twilio delivery status and received texts, polled (issue 17).
    const texts = createTextPoller(ctx, { ...opts.channels, retry: { backoffMs: [60_000, 300_000, 900_000], rateLimitBackoffMs: [300_000, 900_000, 3_600_000], random: Math.random, ...o.scheduler }, log, wake: () => scheduler.wake() })
    // Sequences' due steps and the autoresponders' daily date check.
    const automation = createAutomationRunner(ctx, log)
    const backupRunner = createBackupRunner(ctx, { dbFile, log, onChange: () => ctx.emit('backups.changed', {}) })
    // Task reminders (issue 19): due tasks announced once, caught up after the app was closed.
    const reminders = createTaskReminders(ctx, log)
    const retention = createRetentionRunner(ctx, log)
    const sync = createSyncManager(ctx, inboundStore, { insecureTls: o.insecureTls, log, checkpoint: checkpointer.host, ...syncOpts })
    const outbound: OutboundRuntime = {
      scheduler,
      net,
      undoMs: o.undoMs ?? 10_000,
      setupTest: { timeoutMs: o.setupTestMs ?? 15_000, insecureTls: o.insecureTls ?? false },
      texts,
      advanceClock: opts.testClock
        ? (ms) => {
            opts.testClock!.advance(ms)
            automation.wake()
            backupRunner.wake()
            reminders.wake()
            retention.wake()
          }
        : undefined,
    }
    const replicator = createReplicator(ctx, { log, ...opts.team })
    return { outbound, sync, automation, backups: { runner: backupRunner, restart: opts.restart }, team: { replicator, pgMigrationsDir: opts.migrationsDir ? join(dirname(opts.migrationsDir), 'pg-migrations') : undefined }, senders, net, scheduler, backupRunner, reminders, retention, texts, replicator }
  })
  const { senders, net, scheduler, automation, sync: syncManager, backupRunner: backups, reminders, retention, texts, replicator } = parts
  // The tray and badge follow unread mail; a local read/unread change queues a \Seen op, which that mailbox's worker pushes now.
  const refreshBadge = followBadge(ctx, () => syncStopped)
  function inboxChanged(): void {
    syncManager.unreadChanged()
    setImmediate(() => !syncStopped && syncManager.nudgeFlags())
    refreshBadge()
  }
  // Autoresponders and sequences listen to the domain hooks from the start (in-transaction).
  wireAutomationHooks(ctx)
  // Stored mail joins a contact when the contact is saved, never when it is read (issue 15).
  wireContactLinking(ctx)
  // CRM tasks: "remind me if no reply" listens to the inbound store (issue 19).
  wireTaskHooks(ctx)
  // Intake (issue 18): web-form rules run on each newly stored message, in the store's transaction.
  wireIntake(ctx)
  // A person erased on another desktop of the workspace: this desktop's copies of their mail go too.
  wireErasedMail(ctx, log)
  let inboundPool: ParsePool | null = null
  const mailgunInbound = createMailgunInbound(ctx, inboundStore, {
    minMs: opts.intake?.mailgunMinMs,
    maxMs: opts.intake?.mailgunMaxMs,
    pageSize: opts.intake?.mailgunPageSize,
    log,
    pool: () => (inboundPool ??= createParsePool({ size: 1, dataDir: opts.dataDir, checkpoint: checkpointer.host })),
  })
  ctx.hooks.on('intake.mailgunChanged', () => mailgunInbound.wake())
  // Communications (issue 17): a failed attempt starts the next channel in the same transaction.
  wireCommunications(ctx)
  // issue 17: numbers typed before migration 0020 read into E.164, once
  normalizeStoredPhones(ctx, log)
  const handlers: Handlers = {
    ...appHandlers(() => handlers),
    ...clockHandlers,
    ...badgeHandlers,
    ...objectHandlers,
    ...mailboxHandlers,
    ...profileHandlers,
    ...mailgunHandlers,
    ...twilioHandlers,
    ...textsHandlers,
    ...communicationsHandlers,
    ...userHandlers,
    ...contactHandlers,
    ...tagHandlers,
    ...outboxHandlers,
    ...draftHandlers,
    ...inboxHandlers,
    ...threadsHandlers, ...messagesHandlers, ...attachmentsHandlers, ...foldersHandlers, ...mailHandlers, ...netHandlers,
    ...syncHandlers,
    ...templatesHandlers,
    ...autorespondersHandlers,
    ...sequencesHandlers,
    ...flowHandlers,
    ...analyticsHandlers,
    ...backupHandlers,
    ...segmentHandlers, ...companyHandlers,
    ...notesHandlers,
    ...tasksHandlers,
    ...timelineHandlers,
    ...intakeHandlers,
    ...bulkHandlers,
    ...auditHandlers,
    ...retentionHandlers,
    ...teamHandlers,
  }
  if (opts.backups?.run !== false) backups.start()
  if (o.run !== false) {
    scheduler.start()
    automation.start()
    reminders.start()
    retention.start()
  }
  if (runSync !== false) syncManager.start()
  if (opts.intake?.run !== false) mailgunInbound.start()
  if (o.run !== false) texts.start()
  if (opts.team?.run !== false) replicator.start()
  const pollEvents = () => pollMailgunEvents(ctx, log)
  let poller: ReturnType<typeof setInterval> | undefined
  if ((o.eventsPollMs ?? 60_000) > 0) {
    poller = setInterval(() => void pollEvents(), o.eventsPollMs ?? 60_000)
    poller.unref?.()
  }
  let closed = false
  return {
    dispatch: createDispatch(ctx, handlers, opts.log, { assertReadsOnly: opts.assertReadsOnly, afterWrite: () => replicator.nudge() }),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    outbound: { setHostOnline: (on) => net.setHostOnline(on), scheduler, pollEvents, probe: () => net.probe() },
    inbound: { sync: syncManager, mailgun: mailgunInbound },
    automation: { runDue: () => automation.runDue(), wake: () => automation.wake() },
    team: { claimsSettled: () => replicator.claimsSettled() },
    hooks: ctx.hooks,
    backups,
    erases: { idle: () => eraseWorkIdle(ctx) },
    integrity,
    close: async () => {
      if (closed) return
      closed = true
      clearInterval(poller)
      // An erase halfway stops at its next slice (before the backups it may be waiting for); its marker has the
      // next start finish it.
      await stopEraseWork(ctx)
      await backups.stop()
      automation.stop()
      reminders.stop()
      retention.stop()
      net.close()
      syncStopped = true
      await syncManager.close()
      await mailgunInbound.stop()
      await inboundPool?.close()
      await texts.stop()
      await replicator.stop()
      await scheduler.stop()
      for (const s of Object.values(senders)) await s.close()
      await checkpointer.close()
      sqlite.close()
      lock.release()
    },
  }
}
