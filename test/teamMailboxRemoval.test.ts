// A mailbox removed on one desktop of a team workspace: on the others, the copies of its mail each keeps go too
// (search forgets it, its attachment files and threads go), a chunk at a time before the row's delete is applied,
// and the mailbox's sync there stops. Real PostgreSQL; the replicators move ops only on team.sync.
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { attachmentPath } from '../src/main/engine/inbound/attachmentFiles'
import { storeMessages } from '../src/main/engine/inbound/store'
import type { TestEngine } from './helpers'
import { addr, attachment, inboxRef, msg, storeCtx } from './inboxFixtures'
import { ADMIN, STAFF, freshDatabase, joinUrl, teamEngine, withFile } from './teamSetup'

const server = (user: string) => ({ host: '127.0.0.1', port: 9, secure: 'none' as const, user, password: 'desk-pw' })
const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) expect(await t.ok('team.sync', {})).toMatchObject({ pendingOps: 0 })
}

describe('a mailbox removed on another desktop', () => {
  it('takes this desktop’s copies of its mail with it, and its sync here stops', async () => {
    const db = await freshDatabase()
    const a = teamEngine()
    const shop = await a.ok('objects.create', { name: 'Shop', timezone: 'UTC' })
    const desk = await a.ok('mailboxes.create', { objectId: shop.id, email: 'desk@shop.test', displayName: 'Desk', smtp: server('desk@shop.test'), imap: null })
    await a.ok('profiles.create', { objectId: shop.id, email: 'desk@shop.test', displayName: 'Desk', transport: { kind: 'smtp', mailboxId: desk.id } })
    const orders = await a.ok('mailboxes.create', { objectId: shop.id, email: 'orders@shop.test', displayName: 'Orders', smtp: server('orders@shop.test'), imap: null })
    await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await a.ok('team.users.create', { ...STAFF, role: 'admin', profileIds: [] })
    await a.ok('team.sync', {})
    const b = teamEngine()
    await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })

    // Each desktop's own IMAP copies: the orders mailbox's mail (one with a file), and the desk's.
    const file = attachment('order.pdf', 'PDF wombat order')
    const copies = () => [
      msg({ uid: 1, messageId: '<o1@client.test>', from: addr('ann@client.test', 'Ann'), subject: 'Wombat order', text: 'one wombat please', attachments: [file] }),
      msg({ uid: 2, messageId: '<o2@client.test>', from: addr('ann@client.test', 'Ann'), subject: 'Wombat again', text: 'another wombat' }),
    ]
    for (const t of [a, b]) {
      storeMessages(storeCtx(t).ctx, inboxRef(orders.id), copies())
      storeMessages(storeCtx(t).ctx, inboxRef(desk.id), [msg({ uid: 9, messageId: '<d1@client.test>', from: addr('bob@client.test', 'Bob'), subject: 'Kiwi', text: 'kiwi' })])
    }
    const count = (t: TestEngine, sql: string) => withFile(t, (f) => f.prepare(sql).pluck().get() as number)
    expect(count(b, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'wombat'")).toBe(2)

    await a.ok('mailboxes.delete', { id: orders.id })
    await sync(a, b)
    for (const t of [a, b]) {
      expect(count(t, `SELECT count(*) FROM mailboxes WHERE id = ${orders.id}`)).toBe(0)
      expect(count(t, `SELECT count(*) FROM messages WHERE mailbox_id = ${orders.id}`)).toBe(0)
      expect(count(t, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'wombat'")).toBe(0)
      expect(count(t, "SELECT count(*) FROM threads WHERE subject LIKE 'Wombat%'")).toBe(0)
      expect(existsSync(attachmentPath(t.dataDir, file.sha256))).toBe(false)
      expect(t.engine.inbound.sync.status(orders.id)).toBeNull()
      // The desk's mail stays.
      expect((await t.ok('inbox.list', { query: 'kiwi' })).threads).toHaveLength(1)
    }
  })
})
