// The engine's context is built whole, once (buildCtx): no part is missing, none is patched in later, and a
// part read while the machinery is still being made fails loudly instead of reading undefined.
import { describe, expect, it } from 'vitest'
import { manualClock } from '../src/main/engine/clock'
import { buildCtx, type CtxCore, type CtxRuntime } from '../src/main/engine/context'
import { createHooks } from '../src/main/engine/hooks'
import { freshEngine } from './helpers'

const core = (): CtxCore => ({
  db: {} as CtxCore['db'],
  sqlite: {} as CtxCore['sqlite'],
  secrets: { kind: 'test' } as CtxCore['secrets'],
  clock: manualClock(0),
  info: { version: 't', host: 'web', dataDir: '/nowhere' },
  hooks: createHooks(),
  emit: () => {},
})

const runtime = (): CtxRuntime => ({
  outbound: { scheduler: { wake: () => {}, settingsChanged: () => {} }, net: { status: () => ({}) as never }, undoMs: 0, setupTest: { timeoutMs: 1, insecureTls: false } },
  sync: { settingsChanged: () => {}, syncNow: async () => {}, status: () => null, statusAll: () => [], preparedForRead: async () => undefined, hold: (_ids, fn) => fn(() => false) },
  backups: { runner: { create: async () => ({}) as never, running: () => false, lastError: () => null, nextDueAt: () => 0 } },
  automation: { wake: () => {} },
  team: { replicator: { syncNow: async () => {}, status: () => ({}) as never, joined: () => {}, holdClaims: () => {}, left: async () => {} } },
})

describe('buildCtx', () => {
  it('returns a context with every part, the same objects make returned', () => {
    const made = runtime()
    const { ctx, parts } = buildCtx(core(), () => made)
    expect(parts).toBe(made)
    expect(ctx.outbound).toBe(made.outbound)
    expect(ctx.sync).toBe(made.sync)
    expect(ctx.backups).toBe(made.backups)
    expect(ctx.automation).toBe(made.automation)
    expect(ctx.team).toBe(made.team)
    expect(ctx.secrets.kind).toBe('test')
  })

  it('refuses a part read while the machinery is being made', () => {
    expect(() => buildCtx(core(), (ctx) => (ctx.automation.wake(), runtime()))).toThrow(/ctx.automation was used while the engine was being built/)
  })

  it('a real engine answers through every part (sync, backups, automation, test clock) from its first call', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, undoMs: 0 }, inbound: { run: false }, backups: { run: false } })
    expect(await t.ok('sync.status', {})).toEqual([])
    expect((await t.ok('backups.list', {})).backups).toEqual([])
    expect((await t.ok('app.info', {})).testClock).toBe(true)
    const before = t.clock.now()
    expect(await t.ok('clock.advance', { ms: 60_000 })).toEqual({ now: new Date(before + 60_000).toISOString() })
    expect(await t.ok('badge.get', {})).toEqual({ unreadThreads: 0 })
  })
})
