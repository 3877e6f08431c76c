// An erased person's mail stays on the mail server (the erase removes local copies only). A later full fetch,
// here a narrowed then widened sync window on real Dovecot, brings every other message back and never theirs:
// the erase left a salted hash of each message's Message-ID (or place), never the ID. Only jay and kit
// belong to this file.
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { peek, server, status } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from './servers'

const DAY = 86_400_000
const ANN = 'ann.erased@client.test'

function raw(date: Date, from: string, word: string, messageId: string | null): string {
  return [
    `From: Someone <${from}>`,
    `To: ${MAIL.users.jay.email}`,
    `Subject: About the ${word} plan`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    ...(messageId ? [`Message-ID: ${messageId}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Notes on ${word}.`,
    '',
  ].join('\r\n')
}

beforeAll(async () => {
  await ensureMailServers()
}, 600_000)

describe('erase and a later full fetch (jay)', () => {
  it('a narrowed then widened window brings back every old message but the erased person’s, with or without a Message-ID', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000, backoffBaseMs: 200, backoffMaxMs: 2_000 } })
    await resetMailbox('jay', { deleteFolders: true })
    const old = new Date(t.clock.now() - 300 * DAY)
    await withImap('jay', async (c) => {
      await c.append('INBOX', raw(old, ANN, 'wombatann', '<erase-ann-1@client.test>'), [], old)
      await c.append('INBOX', raw(old, ANN, 'wombatnoid', null), [], old)
      await c.append('INBOX', raw(old, 'bob@client.test', 'wombatbob', '<erase-bob-1@client.test>'), [], old)
    })
    const object = await t.ok('objects.create', { name: 'Jay & Co', timezone: 'Europe/London' })
    const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: MAIL.users.jay.email, minGapSeconds: 0, smtp: server('jay', MAIL.ports.smtp), imap: server('jay', MAIL.ports.imap) })
    const words = () => peek<{ subject: string }>(t, 'SELECT subject FROM messages WHERE mailbox_id = ? ORDER BY subject', mailbox.id).map((r) => r.subject.split(' ')[2])
    const idle = async () => {
      await t.engine.inbound.sync.windowDone()
      await t.engine.inbound.sync.syncNow(mailbox.id)
      await waitFor(async () => (await status(t, mailbox.id)).state === 'idle', { timeoutMs: 15_000, message: 'sync idle' })
    }
    await waitFor(() => words().length === 3, { timeoutMs: 15_000, message: 'first sync' })
    await idle()

    const ann = await t.ok('contacts.create', { email: ANN, firstName: 'Ann', primaryObjectId: object.id })
    expect(await t.ok('contacts.erasePreview', { id: ann.id })).toMatchObject({ messages: 2 })
    await t.ok('contacts.erase', { id: ann.id })
    expect(words()).toEqual(['wombatbob'])
    // Only hashes are kept, never the Message-ID itself.
    expect(peek<{ key: string }>(t, 'SELECT key FROM erased_messages').map((r) => r.key.includes('client.test'))).toEqual([false, false])

    // The server search does not offer it, and opening it by uid is refused in words.
    const found = await t.ok('inbox.searchServer', { mailboxId: mailbox.id, query: 'wombatann' })
    expect(found).toMatchObject({ items: [], total: 0 })
    const uid = await withImap('jay', async (c) => {
      await c.mailboxOpen('INBOX')
      return ((await c.search({ subject: 'wombatann' }, { uid: true })) || [])[0]
    })
    expect(await t.err('inbox.openServer', { mailboxId: mailbox.id, folder: 'INBOX', uid: uid! })).toMatchObject({ code: 'NOT_FOUND', field: 'uid' })

    // Narrowing drops bob's old copy too; widening to all mail fetches the folder's older part again.
    await t.ok('mailboxes.update', { id: mailbox.id, syncWindowMonths: 3 })
    await waitFor(() => words().length === 0, { timeoutMs: 15_000, message: 'narrowed' })
    await idle()
    await t.ok('mailboxes.update', { id: mailbox.id, syncWindowMonths: null })
    await waitFor(() => words().length >= 1, { timeoutMs: 15_000, message: 'widened' })
    await idle()
    expect(words()).toEqual(['wombatbob'])
    expect((await t.ok('inbox.list', { query: 'wombatann', folder: 'all' })).threads).toHaveLength(0)
    // The server still has all three: nothing there was touched.
    expect(await withImap('jay', async (c) => (await c.mailboxOpen('INBOX')).exists)).toBe(3)
    await t.engine.close()
  }, 90_000)
})
