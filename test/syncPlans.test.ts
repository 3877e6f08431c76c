// What a sync pass asks SQLite on every pass must not grow with the mailbox (issue 23, items 3 and 4):
// asserted on the query plans against a store of real messages, not on timings.
import { describe, expect, it } from 'vitest'
import { PENDING_FLAG_OPS_SQL } from '../src/main/engine/inbound/storeChanges'
import { storeMessages } from '../src/main/engine/inbound/store'
import { UNREAD_SQL } from '../src/main/engine/inbound/sync/manager'
import { freshEngine } from './helpers'
import { addr, inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'

const plan = (sqlite: import('better-sqlite3').Database, sql: string) =>
  (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as Array<{ detail: string }>).map((r) => r.detail)

describe('a sync pass reads a constant amount however big the mailbox', () => {
  it('queued flag changes are read from the queue, never by walking the mailbox', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000 }, inbound: { run: false } })
    const base = await inboxSetup(t)
    const s = storeCtx(t)
    storeMessages(s.ctx, inboxRef(base.mailbox.id), Array.from({ length: 300 }, (_, i) => msg({ uid: i + 1, from: addr(`p${i}@client.test`), subject: `m${i}` })))
    s.ctx.sqlite.exec('ANALYZE')
    const steps = plan(s.ctx.sqlite, PENDING_FLAG_OPS_SQL)
    // The old join started at messages (SEARCH m USING INDEX messages_msgid_idx (mailbox_id=?)): every message of the mailbox.
    expect(steps[0]).toMatch(/^SCAN p\b/)
    expect(steps.some((d) => /SEARCH m USING INTEGER PRIMARY KEY/.test(d))).toBe(true)
  })

  it("the mailbox's unread count reads only the unread INBOX rows' index entries", async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000 }, inbound: { run: false } })
    const base = await inboxSetup(t)
    const s = storeCtx(t)
    storeMessages(s.ctx, inboxRef(base.mailbox.id), Array.from({ length: 300 }, (_, i) => msg({ uid: i + 1, flags: i % 3 ? ['\\Seen'] : [], from: addr(`p${i}@client.test`) })))
    s.ctx.sqlite.exec('ANALYZE')
    // The old count took messages_copy_uq (mailbox_id, folder) and read every row of the mailbox's INBOX.
    expect(plan(s.ctx.sqlite, UNREAD_SQL)).toEqual([expect.stringMatching(/USING COVERING INDEX messages_inbox_unread_idx|USING INDEX messages_inbox_unread_idx/)])
    expect((s.ctx.sqlite.prepare(UNREAD_SQL).get(base.mailbox.id) as { n: number }).n).toBe(100)
    const st = (await t.ok('sync.status', {})).find((x) => x.mailboxId === base.mailbox.id)
    expect(st?.unread).toBe(100)
  })
})
