// createEngine: the whole backend as one object both hosts (Electron and the web host) wrap.
// It never imports electron; host-only abilities arrive through EngineOptions.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { EventName, EventPayload } from '../../shared/contract'
import { systemClock, type Clock } from './clock'
import type { Ctx, Handlers } from './context'
import { openDatabase, findMigrationsDir } from './db/open'
import { createDispatch, type Dispatch } from './dispatch'
import { appHandlers } from './handlers/app'
import { contactHandlers } from './handlers/contacts'
import { mailboxHandlers } from './handlers/mailboxes'
import { objectHandlers } from './handlers/objects'
import { profileHandlers } from './handlers/profiles'
import { tagHandlers } from './handlers/tags'
import { fileKeyBox, type SecretBox } from './secrets'

export interface EngineOptions {
  host: 'electron' | 'web'
  /** Holds switchboard.db (and the key file when no other SecretBox is given). ':memory:' for tests. */
  dataDir: string
  dbFile?: string
  secrets?: SecretBox
  clock?: Clock
  migrationsDir?: string
  version?: string
  log?: (msg: string) => void
}

export type EngineEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName]

export interface Engine {
  dispatch: Dispatch
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: (e: EngineEvent) => void): () => void
  close(): void
}

export function createEngine(opts: EngineOptions): Engine {
  mkdirSync(opts.dataDir, { recursive: true })
  const { sqlite, db } = openDatabase(opts.dbFile ?? join(opts.dataDir, 'switchboard.db'), opts.migrationsDir ?? findMigrationsDir())
  const secrets = opts.secrets ?? fileKeyBox(opts.dataDir)
  const listeners = new Set<(e: EngineEvent) => void>()
  const ctx: Ctx = {
    db,
    sqlite,
    secrets,
    clock: opts.clock ?? systemClock,
    info: { version: opts.version ?? '0.1.0', host: opts.host, dataDir: opts.dataDir },
    emit: (event, payload) => {
      for (const l of listeners) l({ event, payload } as EngineEvent)
    },
  }
  const handlers: Handlers = {
    ...appHandlers(() => handlers, secrets.kind),
    ...objectHandlers,
    ...mailboxHandlers,
    ...profileHandlers,
    ...contactHandlers,
    ...tagHandlers,
  }
  return {
    dispatch: createDispatch(ctx, handlers, opts.log),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    close: () => sqlite.close(),
  }
}
