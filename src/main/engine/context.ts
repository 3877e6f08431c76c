// What every handler receives. Built once by createEngine; hosts never touch it directly.
import type { EventName, EventPayload, Method, Output, ParsedInput } from '../../shared/contract'
import type { Clock } from './clock'
import type { Db, Sqlite } from './db/open'
import type { Hooks } from './hooks'
import type { NetMonitor } from './outbound/netMonitor'
import type { Scheduler } from './outbound/scheduler'
import type { SecretBox } from './secrets'

export interface EngineInfo {
  version: string
  host: 'electron' | 'web'
  dataDir: string
}

export interface Ctx {
  db: Db
  sqlite: Sqlite
  secrets: SecretBox
  clock: Clock
  info: EngineInfo
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  outbound: OutboundRuntime
  /** Synchronous in-transaction events between domains (hooks.ts). */
  hooks: Hooks
}

/** The running outbound machinery handlers talk to (wake the loop, release holds, read connectivity). */
export interface OutboundRuntime {
  scheduler: Scheduler
  net: NetMonitor
  /** Undo-send window for composed mail, in ms. */
  undoMs: number
  /** Present only when the engine runs on a test clock (`--clock test`). */
  advanceClock?: (ms: number) => void
  /** The set-up test's budget per server, and whether it accepts self-signed certificates (loopback tests). */
  setupTest: { timeoutMs: number; insecureTls: boolean }
}

export type Handler<K extends Method> = (ctx: Ctx, input: ParsedInput<K>) => Output<K> | Promise<Output<K>>
export type Handlers = { [K in Method]: Handler<K> }
/** The handlers of one domain: every method whose name starts with one of the prefixes. */
export type HandlersFor<P extends string> = Pick<Handlers, Extract<Method, `${P}.${string}`>>
