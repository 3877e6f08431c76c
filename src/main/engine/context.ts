// What every handler receives. Built once, whole, by createEngine (buildCtx); hosts never touch it directly.
import type { EventName, EventPayload, Method, Output, ParsedInput } from '../../shared/contract'
import type { SyncStatus } from '../../shared/inbox'
import type { Clock } from './clock'
import type { Db, Sqlite } from './db/open'
import type { Hooks } from './hooks'
import type { PreparedBody } from './inbound/prepare'
import type { NetMonitor } from './outbound/netMonitor'
import type { Scheduler } from './outbound/scheduler'
import type { BackupRunner } from './backups/runner'
import type { SecretBox } from './secrets'
import type { TextsRuntime } from './channels/runtime'
// team workspace (issue 22)
import type { Replicator } from './team/replicator'

export interface EngineInfo {
  version: string
  host: 'electron' | 'web'
  dataDir: string
}

/** What exists before any machinery runs: the database, secrets, the clock and the two event channels. */
export interface CtxCore {
  db: Db
  sqlite: Sqlite
  secrets: SecretBox
  clock: Clock
  info: EngineInfo
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  /** Synchronous in-transaction events between domains (hooks.ts). */
  hooks: Hooks
}

/** The running machinery, each part seen through the small interface services and handlers need. */
export interface CtxRuntime {
  outbound: OutboundRuntime
  sync: SyncRuntime
  backups: BackupRuntime
  automation: AutomationRuntime
  /** The team workspace's replicator (issue 22); idle on a solo desktop. */
  team: TeamRuntime
}

export interface Ctx extends CtxCore, CtxRuntime {}

/** The running outbound machinery handlers talk to (wake the loop, release holds, read connectivity). */
export interface OutboundRuntime {
  scheduler: Pick<Scheduler, 'wake' | 'settingsChanged'>
  net: Pick<NetMonitor, 'status'>
  /** Undo-send window for composed mail, in ms. */
  undoMs: number
  /** Present only when the engine runs on a test clock (`--clock test`). */
  advanceClock?: (ms: number) => void
  /** The set-up test's budget per server, and whether it accepts self-signed certificates (loopback tests). */
  setupTest: { timeoutMs: number; insecureTls: boolean }
  /** Texts (issue 17): poll Twilio for delivery status and received texts now. */
  texts?: TextsRuntime
}

/** The IMAP sync workers (inbound/sync/manager.ts). */
export interface SyncRuntime {
  /** Mailbox created, changed or deleted: its worker starts, restarts or stops. */
  settingsChanged(mailboxId: number): void
  /** "Sync now"; resolves when the pass is over. */
  syncNow(mailboxId: number): Promise<void>
  /** null when the mailbox does not exist. */
  status(mailboxId: number): SyncStatus | null
  statusAll(): SyncStatus[]
  /** A body stored before migration 0010, sanitised in a parse thread for reading. */
  preparedForRead(messageId: number): Promise<PreparedBody | undefined>
  /** Mailboxes being removed: their sync stops while `fn` removes their mail (inbound/sync/manager.ts). */
  hold<T>(mailboxIds: number[], fn: (isStopped: () => boolean) => Promise<T>): Promise<T>
}

/** The daily backup runner, and the host's way to restart into a backup (absent = not offered). */
export interface BackupRuntime {
  runner: Pick<BackupRunner, 'create' | 'running' | 'lastError' | 'nextDueAt'>
  restart?: (backupFile: string) => void
}

/** The team workspace (issue 22): the replicator services start, ask and nudge. */
export interface TeamRuntime {
  replicator: Pick<Replicator, 'syncNow' | 'status' | 'joined' | 'holdClaims' | 'left'>
  /** resources/pg-migrations beside the SQLite migrations (the packaged app's folder); absent: found from cwd. */
  pgMigrationsDir?: string
}

/** The automation runner (sequence steps, date checks). */
export interface AutomationRuntime {
  /** Re-plan now: something was enrolled, resumed or scheduled. */
  wake(): void
}

/**
 * Builds the context in two phases and returns it complete. The machinery (scheduler, sync workers,
 * runners) needs the finished context and the context holds the machinery, so `make` gets the context and
 * creates the parts; the parts keep it and read it only when they run. A part read while `make` is still
 * running throws, so an ordering mistake fails at start-up instead of reading undefined later.
 */
export function buildCtx<R extends CtxRuntime>(core: CtxCore, make: (ctx: Ctx) => R): { ctx: Ctx; parts: R } {
  let parts: R | undefined
  const part = <K extends keyof CtxRuntime>(k: K): R[K] => {
    if (!parts) throw new Error(`ctx.${k} was used while the engine was being built`)
    return parts[k]
  }
  const ctx: Ctx = {
    ...core,
    get outbound() {
      return part('outbound')
    },
    get sync() {
      return part('sync')
    },
    get backups() {
      return part('backups')
    },
    get automation() {
      return part('automation')
    },
    get team() {
      return part('team')
    },
  }
  parts = make(ctx)
  return { ctx, parts }
}

export type Handler<K extends Method> = (ctx: Ctx, input: ParsedInput<K>) => Output<K> | Promise<Output<K>>
export type Handlers = { [K in Method]: Handler<K> }
/** The handlers of one domain: every method whose name starts with one of the prefixes. */
export type HandlersFor<P extends string> = Pick<Handlers, Extract<Method, `${P}.${string}`>>
