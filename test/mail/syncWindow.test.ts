// The sync window (issue 23) against real Dovecot: amy's INBOX holds mail dated over two years (APPENDed
// with its internal date and Date header); a 6-month window syncs only the recent part, widening fetches
// the rest without duplicates, narrowing drops older local copies (bodies, FTS rows, attachment files,
// emptied threads) and never touches the server; the server search finds what is not stored and opening a
// result stores that one message. Only amy and ben belong to this file.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from '../helpers'
import { peek, rawWithPdf, server, status } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, smtpTransport, waitFor, withImap } from './servers'

const DAY = 86_400_000
/** Days before the test clock's now, and a word only that message holds. */
const SEED = [
  { days: 800, word: 'quokkaancient', attach: false },
  { days: 300, word: 'quokkaautumn', attach: true },
  { days: 250, word: 'quokkasummer', attach: false },
  { days: 40, word: 'quokkarecent', attach: false },
  { days: 5, word: 'quokkafresh', attach: false },
]

function rawMessage(date: Date, word: string, i: number, attach: boolean): string {
  const head = [
    `From: Old Client <client${i}@outside.test>`,
    `To: ${MAIL.users.amy.email}`,
    `Subject: About the ${word} plan`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <window-${i}-${word}@outside.test>`,
    'MIME-Version: 1.0',
  ]
  return attach
    ? rawWithPdf(head, `Notes on ${word}, with the price list.`, { filename: 'prices-old.pdf', content: `%PDF-1.4 only in the ${word} message` })
    : rawWithPdf(head, `Notes on ${word} from long ago.`, null)
}

async function seed(now: number): Promise<void> {
  await resetMailbox('amy', { deleteFolders: true })
  await withImap('amy', async (c) => {
    for (const [i, s] of SEED.entries()) {
      const date = new Date(now - s.days * DAY)
      await c.append('INBOX', rawMessage(date, s.word, i, s.attach), [], date)
    }
  })
}

async function windowedEngine(months: number | null): Promise<{ t: TestEngine; mailboxId: number }> {
  const t = freshEngine({
    outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 },
    inbound: { pollMs: 60_000, backoffBaseMs: 200, backoffMaxMs: 2_000 },
  })
  await seed(t.clock.now())
  const object = await t.ok('objects.create', { name: 'Amy & Co', timezone: 'Europe/London' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users.amy.email,
    minGapSeconds: 0,
    smtp: server('amy', MAIL.ports.smtp),
    imap: server('amy', MAIL.ports.imap),
    syncWindowMonths: months,
  })
  expect(mailbox.syncWindowMonths).toBe(months)
  return { t, mailboxId: mailbox.id }
}

const words = (t: TestEngine, mailboxId: number) =>
  peek<{ subject: string }>(t, 'SELECT subject FROM messages WHERE mailbox_id = ? ORDER BY date', mailboxId).map((r) => r.subject.replace(/^About the (\w+) plan$/, '$1'))
const idle = async (t: TestEngine, mailboxId: number) => {
  await t.engine.inbound.sync.windowDone()
  await t.engine.inbound.sync.syncNow(mailboxId)
  await waitFor(async () => (await status(t, mailboxId)).state === 'idle', { timeoutMs: 15_000, message: 'sync idle' })
}
const serverCount = () => withImap('amy', async (c) => (await c.mailboxOpen('INBOX')).exists)

beforeAll(async () => {
  await ensureMailServers()
}, 600_000)

describe('sync window (amy)', () => {
  it('syncs only the window, widens without duplicates, narrows locally only, and says older mail is on the server', async () => {
    const { t, mailboxId } = await windowedEngine(6)
    await t.engine.inbound.sync.syncNow(mailboxId)
    await waitFor(() => words(t, mailboxId).length === 2, { timeoutMs: 15_000, message: 'the window synced' })
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toEqual(['quokkarecent', 'quokkafresh'])
    const box = () => t.ok('mailboxes.list', {}).then((l) => l.find((m) => m.id === mailboxId)!)
    expect(await box()).toMatchObject({ syncWindowMonths: 6, olderOnServer: true })
    // The first sync's progress counted only the window's messages.
    const progress = t.events.flatMap((e) => (e.event === 'sync.status' && e.payload.progress ? [e.payload.progress] : []))
    expect(progress.at(-1)).toMatchObject({ folder: 'INBOX', done: 2, total: 2 })

    // Widening to 12 months fetches the two in between, and nothing twice.
    await t.ok('mailboxes.update', { id: mailboxId, syncWindowMonths: 12 })
    await waitFor(() => words(t, mailboxId).length === 4, { timeoutMs: 15_000, message: 'widened' })
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toEqual(['quokkaautumn', 'quokkasummer', 'quokkarecent', 'quokkafresh'])
    const file = peek<{ sha256: string }>(t, "SELECT sha256 FROM attachments WHERE filename = 'prices-old.pdf'")[0]!.sha256
    const filePath = join(t.dataDir, 'attachments', file.slice(0, 2), file)
    expect(existsSync(filePath)).toBe(true)
    expect((await t.ok('inbox.list', { query: 'quokkaautumn' })).threads).toHaveLength(1)
    expect((await box()).olderOnServer).toBe(true)

    // Narrowing to 3 months drops the older copies here (FTS rows, attachment file, threads), not on the server.
    await t.ok('mailboxes.update', { id: mailboxId, syncWindowMonths: 3 })
    await waitFor(() => words(t, mailboxId).length === 2, { timeoutMs: 15_000, message: 'narrowed' })
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toEqual(['quokkarecent', 'quokkafresh'])
    expect((await t.ok('inbox.list', { query: 'quokkaautumn' })).threads).toHaveLength(0)
    expect((await t.ok('inbox.list', { folder: 'all' })).threads).toHaveLength(2)
    expect(peek<{ n: number }>(t, 'SELECT count(*) AS n FROM threads WHERE message_count = 0 OR id NOT IN (SELECT thread_id FROM messages)')[0]!.n).toBe(0)
    expect(peek<{ n: number }>(t, 'SELECT count(*) AS n FROM attachments')[0]!.n).toBe(0)
    expect(existsSync(filePath)).toBe(false)
    expect(await serverCount()).toBe(SEED.length)

    // Back to all mail: everything, each message once.
    await t.ok('mailboxes.update', { id: mailboxId, syncWindowMonths: null })
    await waitFor(() => words(t, mailboxId).length === SEED.length, { timeoutMs: 15_000, message: 'widened to all' })
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toEqual(SEED.map((s) => s.word))
    expect(peek<{ n: number }>(t, 'SELECT count(DISTINCT message_id) AS n FROM messages WHERE mailbox_id = ?', mailboxId)[0]!.n).toBe(SEED.length)
    expect(await box()).toMatchObject({ syncWindowMonths: null, olderOnServer: false })
  }, 90_000)

  it('"the last 12 months" moves with the calendar: copies that fall out of it are removed, and not fetched back', async () => {
    const { t, mailboxId } = await windowedEngine(12)
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toEqual(['quokkaautumn', 'quokkasummer', 'quokkarecent', 'quokkafresh'])
    // 70 days on, the 300-day-old message is 370 days old: out of the window. The next pass prunes it.
    await t.ok('clock.advance', { ms: 70 * DAY })
    await idle(t, mailboxId)
    await t.engine.inbound.sync.windowDone()
    expect(words(t, mailboxId)).toEqual(['quokkasummer', 'quokkarecent', 'quokkafresh'])
    expect((await t.ok('inbox.list', { query: 'quokkaautumn' })).threads).toHaveLength(0)
    // Another pass neither prunes more nor fetches it back; the server still has all five.
    await idle(t, mailboxId)
    await t.engine.inbound.sync.windowDone()
    expect(words(t, mailboxId)).toEqual(['quokkasummer', 'quokkarecent', 'quokkafresh'])
    expect(await serverCount()).toBe(SEED.length)
  }, 90_000)

  it('new mail still arrives with a window, and widening never stores it twice', async () => {
    const { t, mailboxId } = await windowedEngine(6)
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toHaveLength(2)
    await smtpTransport('ben').sendMail({ from: MAIL.users.ben.email, to: MAIL.users.amy.email, subject: 'About the quokkanew plan', text: 'fresh from ben' })
    await waitFor(() => words(t, mailboxId).includes('quokkanew'), { timeoutMs: 15_000, message: 'new mail in the window' })
    await t.ok('mailboxes.update', { id: mailboxId, syncWindowMonths: 24 })
    await waitFor(() => words(t, mailboxId).length === 5, { timeoutMs: 15_000, message: 'widened to 24 months' })
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toEqual(['quokkaautumn', 'quokkasummer', 'quokkarecent', 'quokkafresh', 'quokkanew'])
    expect(peek<{ n: number }>(t, 'SELECT count(*) AS n FROM messages WHERE mailbox_id = ?', mailboxId)[0]!.n).toBe(5)
  }, 90_000)

  it('searches the server for mail outside the window and opens one result into the inbox', async () => {
    const { t, mailboxId } = await windowedEngine(6)
    await idle(t, mailboxId)
    expect((await t.ok('inbox.list', { query: 'quokkaautumn' })).threads).toHaveLength(0)

    const found = await t.ok('inbox.searchServer', { mailboxId, query: 'quokkaautumn' })
    expect(found.total).toBe(1)
    expect(found.folders).toContain('INBOX')
    const hit = found.items[0]!
    expect(hit).toMatchObject({ folder: 'INBOX', subject: 'About the quokkaautumn plan', from: { name: 'Old Client', email: 'client1@outside.test' } })
    expect(Date.parse(hit.date!)).toBe(Math.floor((t.clock.now() - 300 * DAY) / 1000) * 1000)
    // What is stored locally is not offered again.
    expect((await t.ok('inbox.searchServer', { mailboxId, query: 'quokkafresh' })).items).toHaveLength(0)
    // Every word is in the "plan" subject: the five match, three of them only on the server.
    expect((await t.ok('inbox.searchServer', { mailboxId, query: 'plan' })).total).toBe(3)

    const opened = await t.ok('inbox.openServer', { mailboxId, folder: hit.folder, uid: hit.uid })
    const page = await t.ok('inbox.list', { query: 'quokkaautumn', folder: 'all' })
    expect(page.threads.map((th) => th.id)).toEqual([opened.threadId])
    expect(page.threads[0]!.latest.id).toBe(opened.messageId)
    const detail = await t.ok('messages.get', { id: opened.messageId })
    expect(detail.attachments.map((a) => a.filename)).toEqual(['prices-old.pdf'])
    // Opened again: the same stored copy; the server search no longer lists it; a later pass does not fetch it twice.
    expect(await t.ok('inbox.openServer', { mailboxId, folder: hit.folder, uid: hit.uid })).toEqual(opened)
    expect((await t.ok('inbox.searchServer', { mailboxId, query: 'quokkaautumn' })).total).toBe(0)
    await idle(t, mailboxId)
    expect(words(t, mailboxId)).toEqual(['quokkaautumn', 'quokkarecent', 'quokkafresh'])
    // It is not new mail: no notification count for it.
    expect(t.events.some((e) => e.event === 'inbox.changed' && e.payload.threadIds.includes(opened.threadId) && e.payload.newMessages > 0)).toBe(false)

    const missing = await t.call('inbox.openServer', { mailboxId, folder: 'INBOX', uid: 999_999 })
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const bad = await t.call('inbox.searchServer', { mailboxId, query: '   ' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'query' } })
  }, 90_000)
})
