// createEngine: the whole backend as one object both hosts (Electron and the web host) wrap.
// It never imports electron; host-only abilities arrive through EngineOptions.
import { join } from 'node:path'
import type { EventName, EventPayload } from '../../shared/contract'
import { randomUUID } from 'node:crypto'
import { systemClock, type Clock } from './clock'
import type { Ctx, Handlers } from './context'
import { openDatabase, findMigrationsDir } from './db/open'
import { startCheckpointer } from './db/checkpointer'
import { createDispatch, type Dispatch } from './dispatch'
import { appHandlers } from './handlers/app'
import { contactHandlers } from './handlers/contacts'
import { draftHandlers } from './handlers/drafts'
import { inboxHandlers } from './handlers/inbox'
import { heldOffline, outboxHandlers } from './handlers/outbox'
import { mailboxHandlers } from './handlers/mailboxes'
import { objectHandlers } from './handlers/objects'
import { profileHandlers } from './handlers/profiles'
import { tagHandlers } from './handlers/tags'
import { mailgunSender, pollMailgunEvents } from './outbound/mailgunSender'
import { netMonitor } from './outbound/netMonitor'
import { createScheduler, type Scheduler, type SchedulerOptions } from './outbound/scheduler'
import { smtpSender } from './outbound/smtp'
import type { Sender } from './outbound/transport'
import { fileKeyBox, type SecretBox } from './secrets'
import * as inboundStore from './inbound/store'
import { createSyncManager, type SyncManager, type SyncOptions } from './inbound/sync/manager'
import { attachSync, syncHandlers } from './handlers/sync'
import { createHooks, type Hooks } from './hooks'
import { analyticsHandlers } from './handlers/analytics'
import { autoresponderHandlers } from './handlers/autoresponders'
import { sequenceHandlers } from './handlers/sequences'
import { templateHandlers } from './handlers/templates'
import { createAutomationRunner, registerRunner, wireAutomationHooks, type AutomationRunner } from './automation/runner'
import { windowsAllow } from './automation/sequenceRun'
import { attachBackups, backupHandlers, unreadThreads } from './handlers/backups'
import { createBackupRunner, type BackupRunner } from './services/backups'
import { acquireWorkspaceLock } from './workspace/lock'
import { checkAtStartup, type IntegrityNotice } from './workspace/integrity'
import { createPrivateFile, secureDataDir } from './workspace/perms'
// the CRM (issue 19)
import { notesHandlers } from './handlers/notes'
import { tasksHandlers } from './handlers/tasks'
import { timelineHandlers } from './handlers/timeline'
import { createTaskReminders, wireTaskHooks } from './services/tasks'

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
    wrapSender?: (kind: 'smtp' | 'mailgun', sender: Sender) => Sender
  }
  inbound?: SyncOptions & {
    /** Start the IMAP sync workers (default true). */
    run?: boolean
  }
  /** The daily backup (default on). */
  backups?: { run?: boolean }
  /** The host's way to restart the workspace on a backup file (backups.restore); absent = not offered. */
  restart?: (backupFile: string) => void
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
  inbound: { sync: SyncManager }
  /** Automation: run due sequence steps and date checks now (tests on a test clock), or wake the runner. */
  automation: { runDue(): number; wake(): void }
  /** The in-transaction domain hooks (another engine part, or a test, emits 'outbound.replied' here). */
  hooks: Hooks
  /** The daily backup (tests wait on it, the bench times it). */
  backups: BackupRunner
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
  let sync: SyncManager | undefined
  let syncStopped = false
  // The tray and badge follow unread mail: one count per burst of inbox changes, pushed only when it moved.
  let badge = -1
  let badgePending = false
  const refreshBadge = () => {
    if (badgePending) return
    badgePending = true
    setImmediate(() => {
      badgePending = false
      if (syncStopped) return
      const n = unreadThreads(ctx)
      if (n !== badge) ctx.emit('badge.changed', { unreadThreads: (badge = n) })
    })
  }
  const ctx = {
    db,
    sqlite,
    secrets,
    clock: opts.testClock ?? opts.clock ?? systemClock,
    info: { version: opts.version ?? '0.1.0', host: opts.host, dataDir: opts.dataDir },
    hooks: createHooks(),
    emit: (event, payload) => {
      for (const l of listeners) l({ event, payload } as EngineEvent)
      // A local read/unread change queues a \Seen op: let that mailbox's worker push it now.
      if (event === 'inbox.changed') setImmediate(() => !syncStopped && sync?.nudgeFlags())
      if (event === 'inbox.changed') refreshBadge()
    },
  } as Ctx
  const wrap = o.wrapSender ?? ((_k, s: Sender) => s)
  const senders = {
    smtp: wrap('smtp', smtpSender(ctx, { poolSize: o.smtpPoolSize, insecureTls: o.insecureTls, log })),
    mailgun: wrap('mailgun', mailgunSender(ctx)),
  }
  const net = netMonitor(ctx.clock, {
    probeMs: o.probeMs ?? 5000,
    onChange: (restored) => {
      if (restored === 'all' || restored.length) scheduler.resumeOffline(restored)
      ctx.emit('net.status', net.status(heldOffline(ctx)))
    },
  })
  const scheduler = createScheduler(ctx, senders, net, { owner: randomUUID(), log, sendWindows: (rows, at) => windowsAllow(ctx, rows, at), ...o.scheduler })
  ctx.outbound = {
    scheduler,
    net,
    undoMs: o.undoMs ?? 10_000,
    setupTest: { timeoutMs: o.setupTestMs ?? 15_000, insecureTls: o.insecureTls ?? false },
    advanceClock: opts.testClock
      ? (ms) => {
          opts.testClock!.advance(ms)
          automation.wake()
          backups.wake()
          reminders.wake()
        }
      : undefined,
  }
  // Autoresponders and sequences listen to the domain hooks from the start (in-transaction), and a
  // runner sends due sequence steps and runs the daily date check.
  wireAutomationHooks(ctx)
  const automation: AutomationRunner = createAutomationRunner(ctx, log)
  registerRunner(ctx, automation)
  // CRM tasks: "remind me if no reply" listens to the inbound store; the reminder loop runs with the scheduler.
  wireTaskHooks(ctx)
  const reminders = createTaskReminders(ctx, log)
  const handlers: Handlers = {
    ...appHandlers(() => handlers, secrets.kind),
    ...objectHandlers,
    ...mailboxHandlers,
    ...profileHandlers,
    ...contactHandlers,
    ...tagHandlers,
    ...outboxHandlers,
    ...draftHandlers,
    ...inboxHandlers,
    ...syncHandlers,
    ...templateHandlers,
    ...autoresponderHandlers,
    ...sequenceHandlers,
    ...analyticsHandlers,
    ...backupHandlers,
    ...notesHandlers,
    ...tasksHandlers,
    ...timelineHandlers,
  }
  const backups = createBackupRunner(ctx, { dbFile, log, onChange: () => ctx.emit('backups.changed', {}) })
  attachBackups(ctx, { runner: backups, restart: opts.restart })
  if (opts.backups?.run !== false) backups.start()
  if (o.run !== false) {
    scheduler.start()
    automation.start()
    reminders.start()
  }
  const { run: runSync, ...syncOpts } = opts.inbound ?? {}
  const syncManager = createSyncManager(ctx, inboundStore, { insecureTls: o.insecureTls, log, ...syncOpts })
  sync = syncManager
  attachSync(ctx, syncManager)
  if (runSync !== false) syncManager.start()
  const pollEvents = () => pollMailgunEvents(ctx, log)
  let poller: ReturnType<typeof setInterval> | undefined
  if ((o.eventsPollMs ?? 60_000) > 0) {
    poller = setInterval(() => void pollEvents(), o.eventsPollMs ?? 60_000)
    poller.unref?.()
  }
  let closed = false
  return {
    dispatch: createDispatch(ctx, handlers, opts.log),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    outbound: { setHostOnline: (on) => net.setHostOnline(on), scheduler, pollEvents, probe: () => net.probe() },
    inbound: { sync: syncManager },
    automation: { runDue: () => automation.runDue(), wake: () => automation.wake() },
    hooks: ctx.hooks,
    backups,
    integrity,
    close: async () => {
      if (closed) return
      closed = true
      clearInterval(poller)
      await backups.stop()
      automation.stop()
      reminders.stop()
      net.close()
      syncStopped = true
      await syncManager.close()
      await scheduler.stop()
      for (const s of Object.values(senders)) await s.close()
      await checkpointer.close()
      sqlite.close()
      lock.release()
    },
  }
}
