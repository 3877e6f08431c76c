// A mailbox's settings changed on another desktop of a team workspace reach this desktop's sync (team/announce.ts
// → SyncManager.settingsChanged): the sync window narrowed on A drops B's older local copies, and widened again
// fetches them back without duplicates; the server is never touched. Real PostgreSQL, real Dovecot (only max
// belongs to this file); A does not sync, B does.
import { beforeAll, describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from '../helpers'
import { ADMIN, STAFF, freshDatabase, joinUrl } from '../teamSetup'
import { peek, rawWithPdf, server, status } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from './servers'

const DAY = 86_400_000
const SEED = [
  { days: 700, word: 'bilbyancient' },
  { days: 300, word: 'bilbyautumn' },
  { days: 40, word: 'bilbyrecent' },
  { days: 3, word: 'bilbyfresh' },
]

const desk = (syncs: boolean) =>
  freshEngine({
    team: { manual: true },
    outbound: { run: false },
    inbound: syncs ? { pollMs: 60_000, backoffBaseMs: 200, backoffMaxMs: 2_000 } : { run: false },
    backups: { run: false },
    intake: { run: false },
  })

async function seed(now: number): Promise<void> {
  await resetMailbox('max', { deleteFolders: true })
  await withImap('max', async (c) => {
    for (const [i, s] of SEED.entries()) {
      const date = new Date(now - s.days * DAY)
      const head = [`From: Client ${i} <client${i}@outside.test>`, `To: ${MAIL.users.max.email}`, `Subject: The ${s.word} plan`, `Date: ${date.toUTCString().replace('GMT', '+0000')}`, `Message-ID: <team-window-${i}@outside.test>`, 'MIME-Version: 1.0']
      await c.append('INBOX', rawWithPdf(head, `Notes on ${s.word}.`, null), [], date)
    }
  })
}

const stored = (t: TestEngine) => peek<{ subject: string }>(t, 'SELECT subject FROM messages ORDER BY date').map((m) => m.subject)
const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) expect(await t.ok('team.sync', {})).toMatchObject({ pendingOps: 0 })
}

beforeAll(async () => {
  await ensureMailServers()
}, 600_000)

describe('a mailbox changed on another desktop (max)', () => {
  it('narrows and widens this desktop’s sync window, and its sync goes on', async () => {
    const db = await freshDatabase()
    const a = desk(false)
    const b = desk(true)
    await seed(b.clock.now())
    const object = await a.ok('objects.create', { name: 'Max’s', timezone: 'Europe/London' })
    const mailbox = await a.ok('mailboxes.create', { objectId: object.id, email: MAIL.users.max.email, minGapSeconds: 0, smtp: server('max', MAIL.ports.smtp), imap: server('max', MAIL.ports.imap) })
    await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await a.ok('team.users.create', { ...STAFF, role: 'admin', profileIds: [] })
    await sync(a)
    await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
    // Passwords never leave a desktop: B's user types them once, and B's sync starts.
    await b.ok('mailboxes.update', { id: mailbox.id, smtp: server('max', MAIL.ports.smtp), imap: server('max', MAIL.ports.imap) })
    const all = SEED.map((s) => `The ${s.word} plan`)
    await waitFor(async () => (await status(b, mailbox.id)).state === 'idle' && stored(b).length === SEED.length, { timeoutMs: 30_000, message: 'B synced everything' })
    expect(stored(b)).toEqual(all)

    await a.ok('mailboxes.update', { id: mailbox.id, syncWindowMonths: 6 })
    await sync(a, b)
    expect((await b.ok('mailboxes.list', { objectId: object.id }))[0]).toMatchObject({ id: mailbox.id, syncWindowMonths: 6 })
    await waitFor(() => stored(b).length === 2, { timeoutMs: 30_000, message: 'B dropped the older copies' })
    expect(stored(b)).toEqual(all.slice(2))
    expect((await b.ok('inbox.list', { query: 'bilbyautumn' })).threads).toHaveLength(0)
    await waitFor(async () => (await status(b, mailbox.id)).state === 'idle', { timeoutMs: 30_000, message: 'B’s sync goes on' })

    await a.ok('mailboxes.update', { id: mailbox.id, syncWindowMonths: null })
    await sync(a, b)
    await waitFor(() => stored(b).length === SEED.length, { timeoutMs: 30_000, message: 'B fetched the older mail back' })
    expect(stored(b)).toEqual(all)
    expect(peek<{ n: number }>(b, 'SELECT count(*) AS n FROM messages GROUP BY message_id HAVING n > 1')).toEqual([])
    // The server kept all of it throughout.
    const onServer = await withImap('max', async (c) => (await c.mailboxOpen('INBOX', { readOnly: true })).exists)
    expect(onServer).toBe(SEED.length)
  }, 180_000)
})
