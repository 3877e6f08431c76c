// The unread count the Electron host shows on its tray icon and dock/taskbar badge: badge.get, and
// badge.changed pushed when an inbox change moves it (only then).
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'

describe('badge', () => {
  it('counts unread conversations and pushes badge.changed when the count moves', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 } })
    const { mailbox } = await inboxSetup(t)
    expect(await t.ok('badge.get', {})).toEqual({ unreadThreads: 0 })
    const s = storeCtx(t)
    storeMessages(s.ctx, inboxRef(mailbox.id), [msg({ uid: 1, messageId: '<a@x>', subject: 'One' }), msg({ uid: 2, messageId: '<b@x>', subject: 'Two' })])
    expect(await t.ok('badge.get', {})).toEqual({ unreadThreads: 2 })
    const first = (await t.ok('inbox.list', {})).threads[0]!.latest.id
    await t.ok('messages.markRead', { ids: [first], read: true })
    const badges = async () => {
      for (let i = 0; i < 100; i++) {
        const got = t.events.filter((e) => e.event === 'badge.changed').map((e) => e.payload)
        if (got.length) return got
        await new Promise((r) => setTimeout(r, 10))
      }
      return []
    }
    expect(await badges()).toEqual([{ unreadThreads: 1 }])
    // Marking it read again changes nothing: no second push.
    await t.ok('messages.markRead', { ids: [first], read: true })
    await new Promise((r) => setImmediate(r))
    expect(t.events.filter((e) => e.event === 'badge.changed')).toHaveLength(1)
  })
})
