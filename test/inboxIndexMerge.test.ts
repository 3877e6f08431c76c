// The message index merges in bounded steps (inbound/ftsMerge.ts): FTS5's automerge is off, so no store commit
// carries a merge, and mergeIndexStep does the merging a step at a time until nothing is left to merge. Search
// answers the same before, during and after. Real SQLite with the engine's migrations.
import { expect, it } from 'vitest'
import { mergeIndexStep } from '../src/main/engine/inbound/ftsMerge'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'

it('stores without merging, then merges a bounded step at a time; search answers the same throughout', async () => {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 } })
  const { mailbox } = await inboxSetup(t)
  const { ctx } = storeCtx(t)
  const q = <T,>(sql: string) => ctx.sqlite.prepare(sql).get() as T
  const segments = () => q<{ n: number }>('SELECT count(DISTINCT segid) AS n FROM messages_fts_idx').n
  expect(q<{ v: number }>("SELECT v FROM messages_fts_config WHERE k = 'automerge'").v).toBe(0)

  // Twelve transactions, one message each: twelve segments, none merged by the commits. Each message has a
  // thousand words of its own, so its segment spans several pages and a merge of 4 pages cannot finish at once.
  const words = (i: number) => Array.from({ length: 1000 }, (_, k) => `v${i}y${k}`).join(' ')
  for (let i = 1; i <= 12; i++) storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: i, messageId: `<m${i}@x>`, subject: `Harbour note ${i}`, text: `common words and the rare word w${i}x ${words(i)}` })])
  expect(segments()).toBe(12)
  const search = async () => ({
    rare: (await t.ok('inbox.list', { query: 'w7x', limit: 50 })).threads.map((th) => th.subject),
    common: (await t.ok('inbox.list', { query: 'harbour', limit: 50 })).threads.length,
  })
  const before = await search()
  expect(before).toEqual({ rare: ['Harbour note 7'], common: 12 })

  // Each step does a bounded amount; repeated, it merges the level down and then finds nothing to do.
  let steps = 0
  while (mergeIndexStep(ctx, 4)) {
    steps++
    expect(await search()).toEqual(before)
    expect(steps).toBeLessThan(100)
  }
  expect(steps).toBeGreaterThan(3)
  expect((await t.ok('inbox.list', { query: 'v9y999', limit: 50 })).threads.map((th) => th.subject)).toEqual(['Harbour note 9'])
  expect(segments()).toBeLessThan(4)
  expect(mergeIndexStep(ctx)).toBe(false)
  expect(await search()).toEqual(before)
})
