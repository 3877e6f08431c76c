// Removing a mailbox or a business removes the mail stored for it on this computer, as an account's removal does in
// a desktop mail client: search forgets it, its attachment files and emptied threads go, other mail stays. It goes
// a chunk per transaction, so the app answers throughout (inbound/removeMail.ts). Real SQLite and files.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attachmentPath } from '../src/main/engine/inbound/attachmentFiles'
import { REMOVE } from '../src/main/engine/inbound/removeMail'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, attachment, inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'

const opts = { outbound: { run: false, undoMs: 60_000, eventsPollMs: 0 }, inbound: { run: false } } as const
beforeEach(() => (REMOVE.chunk = 2))
afterEach(() => (REMOVE.chunk = 200))

const server = (port: number) => ({ host: '127.0.0.1', port, secure: 'none' as const, user: 'second@eve.test', password: 'pw' })

async function twoMailboxes() {
  const t = freshEngine(opts)
  const { ctx } = storeCtx(t)
  const { object, mailbox: first } = await inboxSetup(t)
  // The second mailbox syncs from a server that is not there (its worker retries): removing it stops that too.
  const second = await t.ok('mailboxes.create', { objectId: object.id, email: 'second@eve.test', smtp: server(9), imap: server(9) })
  const file = attachment('plan.pdf', 'PDF quokka plan')
  storeMessages(ctx, inboxRef(second.id), [
    msg({ from: addr('ann@client.test', 'Ann'), subject: 'Quokka plans', text: 'the quokka plan', attachments: [file] }),
    ...Array.from({ length: 9 }, (_, i) => msg({ from: addr('ann@client.test', 'Ann'), subject: `Quokka ${i}`, text: `quokka day ${i}` })),
  ])
  storeMessages(ctx, inboxRef(first.id), [msg({ from: addr('bob@client.test', 'Bob'), subject: 'Wombat', text: 'wombat only' })])
  const count = (sql: string, ...args: unknown[]) => ctx.sqlite.prepare(sql).pluck().get(...args) as number
  const fileOf = () => attachmentPath(t.dataDir, file.sha256)
  return { t, ctx, object, first, second, count, fileOf }
}

describe('removing a mailbox', () => {
  it('removes its stored mail a chunk at a time: search forgets it, its files and threads go, the other mailbox keeps its own', async () => {
    const { t, first, second, count, fileOf } = await twoMailboxes()
    expect(existsSync(fileOf())).toBe(true)
    expect((await t.ok('inbox.list', { query: 'quokka' })).threads.length).toBe(10)

    const removal = t.ok('mailboxes.delete', { id: second.id })
    let done = false
    void removal.then(() => (done = true))
    const seen: number[] = []
    while (!done) {
      seen.push(count('SELECT count(*) FROM messages WHERE mailbox_id = ?', second.id))
      await new Promise<void>((r) => setImmediate(r))
    }
    expect(await removal).toEqual({ id: second.id, deleted: true })
    // Part-way states were seen: not one transaction for all of it.
    expect(seen.some((n) => n > 0 && n < 10)).toBe(true)

    expect(count('SELECT count(*) FROM messages WHERE mailbox_id = ?', second.id)).toBe(0)
    expect(count("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'quokka'")).toBe(0)
    expect(count("SELECT count(*) FROM threads WHERE subject LIKE 'Quokka%'")).toBe(0)
    expect(existsSync(fileOf())).toBe(false)
    expect(t.engine.inbound.sync.status(second.id)).toBeNull()
    expect((await t.ok('mailboxes.list', {})).map((m) => m.id)).toEqual([first.id])
    // The other mailbox's mail is untouched.
    expect((await t.ok('inbox.list', { query: 'wombat' })).threads.length).toBe(1)
  })

  it('is refused while a sender profile sends through it, and nothing is removed', async () => {
    const { t, first, count } = await twoMailboxes()
    expect(await t.err('mailboxes.delete', { id: first.id })).toMatchObject({ code: 'CONFLICT', field: 'id' })
    expect(count('SELECT count(*) FROM messages WHERE mailbox_id = ?', first.id)).toBe(1)
  })
})

describe('removing a business', () => {
  it('removes the mail of every mailbox it had, with its rows', async () => {
    const { t, object, count, fileOf } = await twoMailboxes()
    expect(await t.ok('objects.delete', { id: object.id })).toEqual({ id: object.id, deleted: true })
    expect(count('SELECT count(*) FROM messages')).toBe(0)
    expect(count("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'quokka OR wombat'")).toBe(0)
    expect(count('SELECT count(*) FROM threads')).toBe(0)
    expect(count('SELECT count(*) FROM mailboxes')).toBe(0)
    expect(existsSync(fileOf())).toBe(false)
  })
})
