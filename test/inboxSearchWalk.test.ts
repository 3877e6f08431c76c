// inbox.list {query} for a word in most of the mail walks conversations newest first instead of gathering
// every match (issue 23, item 5). The walk must give exactly the pages the gathering plan gives: same
// conversations, same order, same cursors, the same unread count, with every view filter.
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

const N = 2600

async function setup() {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000 }, inbound: { run: false } })
  const base = await inboxSetup(t)
  const s = storeCtx(t)
  // Dates out of id order (Sent stored after INBOX, old replies stored late), threads of several messages,
  // "common" in ~90 % of the mail, "rarer" in ~3 %, some of it unread.
  let rnd = 7
  const next = () => ((rnd = (rnd * 48271) % 2147483647) / 2147483647)
  const inbox: ReturnType<typeof msg>[] = []
  const sent: ReturnType<typeof msg>[] = []
  for (let i = 0; i < N; i++) {
    const parent = i > 10 && next() < 0.4 ? `<w${Math.floor(next() * i)}@walk.test>` : null
    const words = [next() < 0.9 ? 'common' : 'other', next() < 0.03 ? 'rarer' : 'plain'].join(' ')
    const m = msg({
      uid: i + 1,
      messageId: `<w${i}@walk.test>`,
      inReplyTo: parent,
      references: parent ? [parent] : [],
      subject: `Walk ${i}`,
      text: `Body ${words}`,
      date: Date.UTC(2025, 0, 1) + Math.floor(next() * 300) * 86_400_000 + i,
      flags: next() < 0.7 ? ['\\Seen'] : [],
      from: addr(`p${i % 40}@client.test`),
    })
    ;(i % 5 === 0 ? sent : inbox).push(i % 5 === 0 ? { ...m, from: addr('hello@eve.test'), uid: sent.length + 1 } : m)
  }
  for (let i = 0; i < inbox.length; i += 500) storeMessages(s.ctx, inboxRef(base.mailbox.id), inbox.slice(i, i + 500))
  for (let i = 0; i < sent.length; i += 500) storeMessages(s.ctx, sentRef(base.mailbox.id), sent.slice(i, i + 500))
  return { t, sqlite: s.ctx.sqlite, ...base }
}

/** What the gathering plan would answer: every matching thread of the view, newest first. */
function expected(sqlite: import('better-sqlite3').Database, word: string, view: string): Array<{ id: number; unread: number }> {
  return sqlite
    .prepare(
      `SELECT t.id, t.unread_count AS unread FROM threads t WHERE ${view} AND t.id IN (SELECT m.thread_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?)
        ORDER BY t.last_message_at DESC, t.id DESC`,
    )
    .all(`"${word}"*`) as Array<{ id: number; unread: number }>
}

describe('search by walking conversations newest first', () => {
  it('pages a common word exactly as gathering every match would, in every view, with the unread count', async () => {
    const { t, sqlite } = await setup()
    const share = (sqlite.prepare("SELECT count(*) n FROM messages_fts WHERE messages_fts MATCH '\"common\"*'").get() as { n: number }).n
    expect(share).toBeGreaterThan(2000) // above the walk's threshold
    for (const [folder, view] of [
      ['inbox', '(t.inbox_count > 0 OR t.away_count = 0)'],
      ['all', '1'],
    ] as const) {
      const want = expected(sqlite, 'common', view)
      const got: number[] = []
      let cursor: string | undefined
      let first = true
      do {
        const page = await t.ok('inbox.list', { query: 'common', folder, limit: 50, ...(cursor ? { cursor } : {}) })
        got.push(...page.threads.map((x) => x.id))
        if (first) {
          const unread = want.filter((w) => w.unread > 0).length
          // Exact when the look at unread conversations reached their end, a lower bound (said so) otherwise.
          if (page.unreadThreadsAtLeast) expect(page.unreadThreads).toBeLessThanOrEqual(unread)
          else expect(page.unreadThreads).toBe(unread)
          expect(page.unreadThreads).toBeGreaterThan(0)
        }
        first = false
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      expect(got).toEqual(want.map((w) => w.id))
    }
    // Unread only, and a filter by mailbox.
    const unreadWant = expected(sqlite, 'common', '(t.inbox_count > 0 OR t.away_count = 0) AND t.unread_count > 0').slice(0, 30)
    expect((await t.ok('inbox.list', { query: 'common', unread: true, limit: 30 })).threads.map((x) => x.id)).toEqual(unreadWant.map((w) => w.id))
  })

  it('a rare word and FTS syntax keep the gathering plan, with the same answers', async () => {
    const { t, sqlite } = await setup()
    const want = expected(sqlite, 'rarer', '(t.inbox_count > 0 OR t.away_count = 0)')
    const page = await t.ok('inbox.list', { query: 'rarer', limit: 200 })
    expect(page.threads.map((x) => x.id)).toEqual(want.map((w) => w.id))
    expect(page.unreadThreadsAtLeast).toBeUndefined()
    const bad = await t.call('inbox.list', { query: 'common AND (' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'query' } })
  })
})
