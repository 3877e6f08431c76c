// Automation against real Postfix + Dovecot on loopback. This file's users: nina and paul send (one
// business each), oscar, quinn and rosa receive. The engine runs on a test clock; delivery is real, and
// answers come back through the inbound engine syncing nina's INBOX over IMAP.
import { beforeAll, describe, expect, it } from 'vitest'
import { simpleParser } from 'mailparser'
import { freshEngine, type TestEngine } from '../helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, smtpTransport, waitFor } from './servers'

type User = keyof typeof MAIL.users
const server = (user: User) => ({ host: MAIL.host, port: MAIL.ports.smtp, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })
const DAY = 86_400_000
const run = Math.random().toString(36).slice(2, 8)

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all((['nina', 'oscar', 'paul', 'quinn', 'rosa'] as const).map((u) => resetMailbox(u)))
}, 600_000)

async function business(t: TestEngine, user: User, name: string, o: { cap?: number; imap?: boolean } = {}) {
  const object = await t.ok('objects.create', { name, postalAddress: '12 Rose Lane, Springfield', timezone: 'America/New_York' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users[user].email,
    displayName: name,
    dailyCapacity: o.cap ?? 100,
    minGapSeconds: 0,
    smtp: server(user),
    // With IMAP the inbound engine syncs this mailbox, and replies stop sequences for real.
    imap: o.imap ? { ...server(user), port: MAIL.ports.imap } : null,
    sentCopy: 'none',
  })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: MAIL.users[user].email, displayName: `${name} Team`, transport: { kind: 'smtp', mailboxId: mailbox.id } })
  return { objectId: object.id, mailboxId: mailbox.id, profileId: profile.id }
}

const engine = (o: { dataDir?: string; start?: number } = {}) => freshEngine({ ...o, outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0 } })
const settle = async (t: TestEngine) => {
  t.engine.automation.runDue()
  await t.engine.outbound.scheduler.idle()
}
const advance = async (t: TestEngine, ms: number) => {
  await t.ok('clock.advance', { ms })
  await settle(t)
}
/** Messages in `user`'s INBOX whose subject carries this run's token. */
const inbox = async (user: User, token = run) => (await fetchMessages(user)).filter((m) => m.subject.includes(token))

describe('autoresponders through Postfix into Dovecot', () => {
  it('tagging a contact delivers the autoresponder from the contact’s object’s profile', async () => {
    const t = engine()
    await business(t, 'nina', 'Nina Spa')
    const paul = await business(t, 'paul', 'Paul Garage')
    const tag = await t.ok('tags.create', { name: 'Holiday form' })
    const ar = await t.ok('autoresponders.create', {
      name: 'Holiday greeting',
      trigger: { type: 'TAG_ADDED', tagId: tag.id },
      actions: [{ subject: `Happy holidays {{contact.first_name}} ${run}-tag`, bodyHtml: '<p>Hello {{contact.first_name}}, greetings from {{object.name}}.</p>' }],
    })
    const oscar = await t.ok('contacts.create', { email: MAIL.users.oscar.email, firstName: 'Oscar', primaryObjectId: paul.objectId })
    await t.ok('contacts.addTag', { contactIds: [oscar.id], tagId: tag.id })
    await settle(t)
    const [got] = await waitFor(async () => {
      const m = await inbox('oscar', `${run}-tag`)
      return m.length ? m : undefined
    })
    expect(got!.subject).toBe(`Happy holidays Oscar ${run}-tag`)
    expect(got!.from).toEqual([MAIL.users.paul.email])
    expect(got!.source).toMatch(/^From: Paul Garage Team <paul@example\.test>\r?$/m)
    const unfolded = got!.source.replace(/\r?\n[ \t]+/g, ' ')
    expect(unfolded).toMatch(/^List-Unsubscribe: <mailto:paul@example\.test\?subject=unsubscribe%20oscar%40example\.test>\r?$/m)
    const parsed = await simpleParser(got!.source)
    expect(parsed.text).toContain('Hello Oscar, greetings from Paul Garage.')
    expect(parsed.text).toContain('12 Rose Lane, Springfield')
    expect(parsed.html).toContain('>Unsubscribe</a>')
    const [e] = await t.ok('autoresponders.executions', { autoresponderId: ar.id })
    expect(e).toMatchObject({ status: 'SENT', contactId: oscar.id })
    expect((await t.ok('autoresponders.list', {}))[0]).toMatchObject({ totalSent: 1 })
  }, 60_000)

  it('produces each of the seed’s failure messages for its case', async () => {
    const t = engine()
    const tag = await t.ok('tags.create', { name: 'Welcome' })
    const ar = await t.ok('autoresponders.create', { name: 'W', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: `x ${run}`, bodyHtml: '<p>x</p>' }] })
    const noObject = await t.ok('contacts.create', { email: MAIL.users.oscar.email })
    const bare = await t.ok('objects.create', { name: 'No Profile Inc' })
    const noProfile = await t.ok('contacts.create', { email: MAIL.users.quinn.email, primaryObjectId: bare.id })
    const mg = await t.ok('objects.create', { name: 'Mailgun Shop' })
    await t.ok('mailgun.upsert', { objectId: mg.id, sendingDomain: 'mg.shop.test', apiKey: 'key-12345678' })
    await t.ok('profiles.create', { objectId: mg.id, email: 'hi@shop.test', displayName: 'Shop', transport: { kind: 'mailgun' } })
    // Switch the Mailgun settings off: the profile remains, Mailgun is no longer configured.
    const Database = (await import('better-sqlite3')).default
    const db = new Database(`${t.dataDir}/switchboard.db`)
    db.prepare('UPDATE object_mailgun_settings SET is_active = 0 WHERE object_id = ?').run(mg.id)
    db.close()
    const noMailgun = await t.ok('contacts.create', { email: MAIL.users.rosa.email, primaryObjectId: mg.id })
    await t.ok('contacts.addTag', { contactIds: [noObject.id, noProfile.id, noMailgun.id], tagId: tag.id })
    await settle(t)
    const errors = Object.fromEntries((await t.ok('autoresponders.executions', { autoresponderId: ar.id })).map((e) => [e.contactId, `${e.status}: ${e.error}`]))
    expect(errors).toEqual({
      [noObject.id]: 'FAILED: Contact not assigned to any business',
      [noProfile.id]: 'FAILED: Business has no email sending profile configured',
      [noMailgun.id]: 'FAILED: Business Mailgun not configured',
    })
    expect((await t.ok('outbox.list', {})).items).toHaveLength(0)
  }, 30_000)

  it('a date trigger fires once per date, across a restart of the engine', async () => {
    const t1 = engine()
    const biz = await business(t1, 'nina', 'Nina Spa')
    const ar = await t1.ok('autoresponders.create', {
      name: 'Renewal',
      objectId: biz.objectId,
      trigger: { type: 'DATE_BASED', field: 'renewal', offsetDays: 0 },
      actions: [{ subject: `Renewal {{contact.fields.renewal}} ${run}-date`, bodyHtml: '<p>Your plan renews today.</p>' }],
    })
    await t1.ok('contacts.create', { email: MAIL.users.rosa.email, primaryObjectId: biz.objectId, fields: { renewal: '2026-01-05' } })
    await t1.ok('contacts.create', { email: MAIL.users.quinn.email, primaryObjectId: biz.objectId, fields: { renewal: '2026-01-06' } })
    await settle(t1)
    await waitFor(async () => (await inbox('rosa', `${run}-date`)).length === 1)
    const now = t1.clock.now()
    await t1.engine.close()

    // Same data dir, same day: nothing fires again.
    const t2 = engine({ dataDir: t1.dataDir, start: now + 60_000 })
    await settle(t2)
    await new Promise((r) => setTimeout(r, 1500))
    expect(await inbox('rosa', `${run}-date`)).toHaveLength(1)
    expect(await t2.ok('autoresponders.executions', { autoresponderId: ar.id })).toHaveLength(1)
    // The next day fires quinn's date, once.
    await advance(t2, DAY)
    await settle(t2)
    await waitFor(async () => (await inbox('quinn', `${run}-date`)).length === 1)
    expect((await inbox('quinn', `${run}-date`))[0]!.subject).toBe(`Renewal 2026-01-06 ${run}-date`)
    expect(await inbox('rosa', `${run}-date`)).toHaveLength(1)
    expect((await t2.ok('autoresponders.executions', { autoresponderId: ar.id })).map((e) => e.status)).toEqual(['SENT', 'SENT'])
  }, 60_000)
})

describe('sequences through Postfix into Dovecot', () => {
  const steps = (tag: string) => [
    { subject: `Step one ${tag}`, bodyHtml: '<p>Hi {{contact.first_name}}</p>' },
    { subject: `Step two ${tag}`, bodyHtml: '<p>Following up</p>', wait: { value: 2, unit: 'days' as const } },
  ]

  it('sends step 1; a reply stops the contact and step 2 is never sent to them; without a reply step 2 goes after the wait, threaded', async () => {
    const t = engine()
    const biz = await business(t, 'nina', 'Nina Spa', { imap: true })
    const tag = `${run}-seq`
    const seq = await t.ok('sequences.create', { name: 'Follow-up', objectId: biz.objectId, steps: steps(tag), mailboxIds: [biz.mailboxId] })
    const quinn = await t.ok('contacts.create', { email: MAIL.users.quinn.email, firstName: 'Quinn', primaryObjectId: biz.objectId })
    const rosa = await t.ok('contacts.create', { email: MAIL.users.rosa.email, firstName: 'Rosa', primaryObjectId: biz.objectId })
    await t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [quinn.id, rosa.id] })
    await settle(t)
    const [q1] = await waitFor(async () => {
      const m = await inbox('quinn', tag)
      return m.length ? m : undefined
    })
    const [r1] = await waitFor(async () => {
      const m = await inbox('rosa', tag)
      return m.length ? m : undefined
    })
    expect(q1!.subject).toBe(`Step one ${tag}`)

    // Rosa's out-of-office answers automatically: it must not count as a reply. Quinn replies for real.
    // Both land in nina's INBOX, the inbound engine syncs them (IDLE), matches In-Reply-To to our rows,
    // and only the real reply stops its contact.
    await smtpTransport('rosa').sendMail({
      from: MAIL.users.rosa.email,
      to: MAIL.users.nina.email,
      subject: `Out of office: Step one ${tag}`,
      text: 'I am away until Monday',
      inReplyTo: r1!.messageId,
      references: [r1!.messageId],
      headers: { 'Auto-Submitted': 'auto-replied' },
    })
    await smtpTransport('quinn').sendMail({ from: MAIL.users.quinn.email, to: MAIL.users.nina.email, subject: `Re: Step one ${tag}`, text: 'Thanks, call me', inReplyTo: q1!.messageId, references: [q1!.messageId] })
    const status = async () => Object.fromEntries((await t.ok('sequences.contacts', { sequenceId: seq.id })).items.map((m) => [m.email, m.status]))
    await waitFor(async () => (await status())[MAIL.users.quinn.email] === 'replied', { timeoutMs: 20_000, message: 'the synced reply stops quinn' })
    const synced = await waitFor(async () => {
      const page = await t.ok('inbox.list', { query: tag })
      return page.threads.length >= 2 ? page.threads : undefined
    }, { timeoutMs: 20_000, message: 'both answers synced' })
    expect(synced.some((th) => th.latest.isAutoReply)).toBe(true)
    expect((await status())[MAIL.users.rosa.email]).toBe('active')
    const quinnRow = (await t.ok('outbox.list', {})).items.find((m) => m.messageId === q1!.messageId)!
    expect((await t.ok('outbox.get', { id: quinnRow.id })).events.map((e) => e.type)).toContain('replied')

    await advance(t, 2 * DAY)
    const [, r2] = await waitFor(async () => {
      const m = await inbox('rosa', tag)
      return m.length === 2 ? m : undefined
    })
    expect(r2!.subject).toBe(`Step two ${tag}`)
    expect(r2!.source).toMatch(new RegExp(`^In-Reply-To: ${r1!.messageId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?$`, 'm'))
    expect(r2!.source).toMatch(new RegExp(`^References: ${r1!.messageId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?$`, 'm'))
    await new Promise((r) => setTimeout(r, 1500))
    expect((await inbox('quinn', tag)).map((m) => m.subject)).toEqual([`Step one ${tag}`])
    const members = Object.fromEntries((await t.ok('sequences.contacts', { sequenceId: seq.id })).items.map((m) => [m.email, m.status]))
    expect(members).toEqual({ [MAIL.users.quinn.email]: 'replied', [MAIL.users.rosa.email]: 'completed' })
  }, 90_000)

  it('the sending window and the daily cap push a step to the next allowed moment', async () => {
    // Monday 2026-01-05 15:00 UTC = 10:00 New York, inside a 9–17 weekday window.
    const t = engine({ start: Date.UTC(2026, 0, 5, 15) })
    const biz = await business(t, 'nina', 'Nina Spa', { cap: 1 })
    const tag = `${run}-win`
    const window = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 }
    const seq = await t.ok('sequences.create', { name: 'Windowed', objectId: biz.objectId, steps: steps(tag).slice(0, 1), mailboxIds: [biz.mailboxId], window })
    const quinn = await t.ok('contacts.create', { email: MAIL.users.quinn.email, firstName: 'Quinn', primaryObjectId: biz.objectId })
    const rosa = await t.ok('contacts.create', { email: MAIL.users.rosa.email, firstName: 'Rosa', primaryObjectId: biz.objectId, timezone: 'Europe/London' })
    await t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [quinn.id, rosa.id] })
    await settle(t)
    // Quinn goes now and uses the day's only slot; Rosa (15:00 in London, inside her window) waits for the
    // mailbox's next day (midnight New York = 05:00 UTC), then for her window (09:00 London = 09:00 UTC).
    await waitFor(async () => (await inbox('quinn', tag)).length === 1)
    const waiting = (await t.ok('sequences.contacts', { sequenceId: seq.id })).items.find((m) => m.contactId === rosa.id)!
    expect(waiting).toMatchObject({ status: 'active', nextStepAt: '2026-01-06T05:00:00.000Z' })
    await advance(t, Date.UTC(2026, 0, 6, 5) - t.clock.now())
    const rosaRow = (await t.ok('outbox.list', {})).items.find((m) => m.to[0] === MAIL.users.rosa.email)!
    expect(rosaRow).toMatchObject({ status: 'queued', scheduledFor: '2026-01-06T09:00:00.000Z' })
    await new Promise((r) => setTimeout(r, 1000))
    expect(await inbox('rosa', tag)).toHaveLength(0)
    await advance(t, Date.UTC(2026, 0, 6, 9) - t.clock.now())
    await waitFor(async () => (await inbox('rosa', tag)).length === 1)
    expect(await t.ok('outbox.get', { id: rosaRow.id })).toMatchObject({ status: 'sent' })
  }, 60_000)
})
