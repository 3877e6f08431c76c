// A fresh, migrated engine on a temp data dir for every test, with a clock the test controls.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterThisTest } from './support/afterTest'
import type { Input, Method, Output } from '../src/shared/contract'
import type { AppErrorShape, Result } from '../src/shared/result'
import { manualClock } from '../src/main/engine/clock'
import { createEngine, type Engine, type EngineEvent, type EngineOptions } from '../src/main/engine'

export interface TestEngine {
  engine: Engine
  dataDir: string
  clock: ReturnType<typeof manualClock>
  events: EngineEvent[]
  /** Raw call: returns the Result. */
  call(method: string, input: unknown): Promise<Result<unknown>>
  /** Typed call that must succeed. */
  ok<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>
  /** Call that must fail; returns the error. */
  err(method: string, input: unknown): Promise<AppErrorShape>
}

/** `opts` reach createEngine; `dataDir` reuses a folder (restart tests). The clock is a test clock. */
export function freshEngine(opts: Partial<EngineOptions> & { dataDir?: string; start?: number } = {}): TestEngine {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sb-test-'))
  const clock = manualClock(opts.start)
  const logs: string[] = []
  // Every test engine checks that reads never write (dispatch.ts assertReadsOnly).
  const engine = createEngine({ host: 'web', testClock: clock, log: (m) => logs.push(m), assertReadsOnly: true, ...opts, dataDir })
  const events: EngineEvent[] = []
  engine.subscribe((e) => events.push(e))
  // Last made, first closed: an engine reopened on an earlier one's folder (restart tests) is closed before
  // that folder is removed under it.
  afterThisTest(async () => {
    await engine.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  const call = (method: string, input: unknown) => engine.dispatch(method, input)
  return {
    engine,
    dataDir,
    clock,
    events,
    call,
    ok: async (method, input) => {
      const r = await call(method, input)
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}${r.error.code === 'INTERNAL' ? `\n${logs.at(-1) ?? ''}` : ''}`)
      return r.value as never
    },
    err: async (method, input) => {
      const r = await call(method, input)
      if (r.ok) throw new Error(`${method} unexpectedly succeeded: ${JSON.stringify(r.value)}`)
      return r.error
    },
  }
}

export const smtp = { host: '127.0.0.1', port: 2525, secure: 'none' as const, user: 'alice@example.test', password: 'alice-pw' }

export async function objectWithMailbox(t: TestEngine, name = 'Eve Beauty MA') {
  const object = await t.ok('objects.create', { name, postalAddress: '1 Main St', timezone: 'America/New_York' })
  const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', dailyCapacity: 50, minGapSeconds: 10, smtp, imap: null })
  return { object, mailbox }
}
