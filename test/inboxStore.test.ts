// The message store fed with ParsedMessage fixtures on a real SQLite engine: idempotence, matching,
// threading, classification (auto-replies, DSN bounces, replies to our mail), flags and uidvalidity resets.
import { describe, expect, it } from 'vitest'
import { applyFlags, ackFlagOps, pendingFlagOps, removeMissing, resetFolder, storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, attachment, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

const setup = async () => {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 } })
  const base = await inboxSetup(t)
  const s = storeCtx(t)
  const q = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => s.ctx.sqlite.prepare(sql).all(...p) as T[]
  return { t, ...base, ...s, q }
}

describe('storeMessages', () => {
  it('stores a batch once: the same uids again store nothing and make no second thread', async () => {
    const { ctx, mailbox, q, emitted } = await setup()
    const batch = [msg({ uid: 1 }), msg({ uid: 2 }), msg({ uid: 3, flags: ['\\Seen'] })]
    expect(storeMessages(ctx, inboxRef(mailbox.id), batch)).toEqual({ stored: 3, duplicates: 0 })
    expect(storeMessages(ctx, inboxRef(mailbox.id), batch)).toEqual({ stored: 0, duplicates: 3 })
    expect(q('SELECT count(*) AS n FROM messages')[0]).toEqual({ n: 3 })
    expect(q('SELECT count(*) AS n FROM threads')[0]).toEqual({ n: 3 })
    expect(emitted).toHaveLength(1)
    expect(emitted[0]).toMatchObject({ event: 'inbox.changed', payload: { newMessages: 2 } })
  })
})
