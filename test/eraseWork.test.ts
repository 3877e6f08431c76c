// An erase's long part runs in slices (services/eraseWork.ts): other calls are answered between them, and an app
// that quits halfway finishes the erase when it starts again. Slices are made tiny here so that a handful of
// messages takes many of them. Real SQLite and files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { ERASE_SLICES } from '../src/main/engine/services/eraseWork'
import { ensureEraseSalt, erasedKey, erasedMessageKey, markErasePending } from '../src/main/engine/repos/dataRights'
import { freshEngine } from './helpers'
import { AVA, AVA_NAME, BOB, filesContaining, richContact } from './dataRightsFixtures'
import { addr, inboxRef, msg } from './inboxFixtures'

const opts = { outbound: { run: false, undoMs: 60_000, eventsPollMs: 0 }, inbound: { run: false } } as const
const saved = { ...ERASE_SLICES }
beforeEach(() => Object.assign(ERASE_SLICES, { scanRows: 3, writeRows: 2, mergePages: 2 }))
afterEach(() => Object.assign(ERASE_SLICES, saved))

const SHARED = 12
const turn = () => new Promise<void>((r) => setImmediate(r))

async function bigErase() {
  const t = freshEngine(opts)
  const rich = await richContact(t)
  // A dozen more conversations Bob shares with Ava: each is cut, a couple per slice.
  storeMessages(
    rich.ctx,
    inboxRef(rich.mailbox.id),
    Array.from({ length: SHARED }, (_, i) => msg({ from: addr(BOB, 'Bob Keeper'), cc: [addr(AVA, `Ava ${AVA_NAME}`)], subject: `Plan ${i}`, text: `Ava ${AVA_NAME} joins us on day ${i}` })),
  )
  const cut = () => rich.ctx.sqlite.prepare("SELECT count(*) FROM messages WHERE subject LIKE 'Plan %' AND cc_json LIKE '%[erased]%'").pluck().get() as number
  return { t, ...rich, cut }
}

describe('an erase in slices', () => {
  it('answers other calls between its slices, with the shared mail cut a few messages at a time', async () => {
    const { t, ava, cut } = await bigErase()
    const erase = t.ok('contacts.erase', { id: ava.id })
    let done = false
    void erase.then(() => (done = true))
    const seen: number[] = []
    let answered = 0
    while (!done) {
      seen.push(cut())
      // A window's call, answered while the erase is under way.
      if ((await t.ok('inbox.list', {})).threads.length > 0) answered++
      await turn()
    }
    expect(await erase).toEqual({ erased: true })
    // Part-way states were seen: the cutting did not happen in one go.
    expect(seen.some((n) => n > 0 && n < SHARED)).toBe(true)
    expect(answered).toBeGreaterThan(SHARED / 2)
    expect(cut()).toBe(SHARED)
    await t.engine.backups.idle()
    expect(filesContaining(t.dataDir, [AVA, AVA_NAME])).toEqual([])
  })

  it('that the app quit in the middle of is finished at the next start: the mail cut, the indexes merged, nothing left', async () => {
    const { t, ava, bob, cut, ctx } = await bigErase()
    const erase = t.call('contacts.erase', { id: ava.id })
    while (cut() < 3) await turn()
    await t.engine.close()
    // The call says the app closed before the erase was done; the contact is gone, part of the mail still names her.
    expect(await erase).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(cut()).toBeLessThan(SHARED)
    expect(ctx.sqlite.prepare("SELECT value FROM app_settings WHERE key = 'erase.pending'").pluck().get()).toBeTruthy()

    const again = freshEngine({ ...opts, dataDir: t.dataDir })
    await again.engine.erases.idle()
    expect(ctx.sqlite.prepare('SELECT count(*) FROM messages WHERE from_email = ?').pluck().get(AVA)).toBe(0)
    expect(cut()).toBe(SHARED)
    const text = ctx.sqlite.prepare("SELECT b.text FROM messages m JOIN message_bodies b ON b.message_id = m.id WHERE m.subject = 'Plan 7'").pluck().get()
    expect(text).toBe('[erased] joins us on day 7')
    expect(ctx.sqlite.prepare("SELECT count(*) FROM app_settings WHERE key = 'erase.pending'").pluck().get()).toBe(0)
    expect((await again.ok('contacts.get', { id: bob.id })).email).toBe(BOB)
    await again.engine.backups.idle()
    expect(filesContaining(again.dataDir, [AVA, AVA_NAME])).toEqual([])
  })
  it('that arrived from another desktop just before a quit is carried out at the next start', async () => {
    const { t, ctx, object, cut } = await bigErase()
    // What the apply of another desktop's erase leaves (team/apply.ts), in one transaction: the keys of Ava's own
    // messages, her block, and the mark. The engine quits before the work runs.
    await t.engine.close()
    ctx.sqlite.transaction(() => {
      const salt = ensureEraseSalt(ctx)
      const own = ctx.sqlite
        .prepare('SELECT message_id AS messageId, mailbox_id AS mailboxId, folder, uidvalidity, uid FROM messages WHERE from_email = ?')
        .all(AVA) as Array<{ messageId: string; mailboxId: number; folder: string; uidvalidity: string; uid: number }>
      expect(own.length).toBe(2)
      for (const m of own) ctx.sqlite.prepare('INSERT INTO erased_messages (key, created_at) VALUES (?, 0)').run(erasedMessageKey(salt, m))
      ctx.sqlite.prepare("INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (?, ?, 'erased', 0)").run(object.id, erasedKey(salt, AVA))
      markErasePending(ctx.sqlite, true)
    })()

    const again = freshEngine({ ...opts, dataDir: t.dataDir })
    await again.engine.erases.idle()
    expect(ctx.sqlite.prepare('SELECT count(*) FROM messages WHERE from_email = ?').pluck().get(AVA)).toBe(0)
    expect(cut()).toBe(SHARED)
    expect(ctx.sqlite.prepare('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck().get('zephyrine')).toBe(0)
    expect(ctx.sqlite.prepare("SELECT count(*) FROM app_settings WHERE key = 'erase.pending'").pluck().get()).toBe(0)
    expect(again.events.some((e) => e.event === 'inbox.changed')).toBe(true)
  })
})
