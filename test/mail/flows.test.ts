// Flows against real Postfix + Dovecot. This file's users: rex sends (and is synced over IMAP, so replies
// come back through the inbound engine; its server files Sent copies), hop receives (Pat is hop, Max and the
// SIGKILL test's leads are plus-addresses of hop, so they land in hop's mailbox too). A reply delivered to rex's INBOX takes the
// condition's yes branch before its timeout; the engine SIGKILLed while leads move neither repeats nor
// skips a send (counted by Message-ID in the recipient's real mailbox).
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from '../helpers'
import { ensureMailServers, fetchMessages, MAIL, resetMailbox, smtpTransport, waitFor } from './servers'

type User = keyof typeof MAIL.users
const server = (user: User, port: number = MAIL.ports.smtp) => ({ host: MAIL.host, port, secure: 'none' as const, user: MAIL.users[user].email, password: MAIL.users[user].password })
const run = Math.random().toString(36).slice(2, 8)
/** Pat is hop; Max is a plus-address of hop (same mailbox, a contact of their own). */
const PAT = MAIL.users.hop.email
const MAX = MAIL.users.hop.email.replace('@', '+max@')
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, config, position: { x: 0, y: 0 } }) as never

beforeAll(async () => {
  await ensureMailServers()
  await Promise.all((['rex', 'hop'] as const).map((u) => resetMailbox(u)))
}, 600_000)

/** The sending business; `sender` ola only where the server's Sent copies are needed (it and grace are the only users with them). */
async function business(t: TestEngine, imap: boolean, sentCopy: 'none' | 'server' = 'none', sender: 'rex' | 'ola' = 'rex') {
  const object = await t.ok('objects.create', { name: 'Ola Studio', postalAddress: '3 Mill Road, Springfield', timezone: 'America/New_York' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users[sender].email,
    displayName: 'Ola Studio',
    dailyCapacity: 10_000,
    minGapSeconds: 0,
    smtp: server(sender),
    imap: imap ? server(sender, MAIL.ports.imap) : null,
    sentCopy,
  })
  await t.ok('profiles.create', { objectId: object.id, email: MAIL.users[sender].email, displayName: 'Ola', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  return object.id
}

it('a reply delivered to the mailbox takes the yes branch at once; without one the timeout sends the reminder', async () => {
  const t = freshEngine({ outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0 } })
  const objectId = await business(t, true)
  const pat = await t.ok('contacts.create', { email: PAT, firstName: 'Pat', primaryObjectId: objectId })
  const max = await t.ok('contacts.create', { email: MAX, firstName: 'Max', primaryObjectId: objectId })
  const flow = await t.ok('flows.create', {
    name: 'Offer',
    objectId,
    graph: {
      nodes: [
        node('start', 'start'),
        node('offer', 'sendEmail', { subject: `Offer for {{contact.first_name}} ${run}`, html: '<p>Our offer</p>' }),
        node('replied', 'condition', { kind: 'replied', nodeId: 'offer', within: { value: 2, unit: 'days' } }),
        node('reminder', 'sendEmail', { subject: `Reminder ${run}`, html: '<p>Still interested?</p>' }),
        node('done', 'end'),
        node('done2', 'end'),
      ],
      edges: [
        { from: 'start', to: 'offer' },
        { from: 'offer', to: 'replied' },
        { from: 'replied', to: 'done', branch: 'yes' },
        { from: 'replied', to: 'reminder', branch: 'no' },
        { from: 'reminder', to: 'done2' },
      ],
    } as never,
  })
  await t.ok('flows.activate', { id: flow.id })
  await t.ok('flows.enroll', { flowId: flow.id, contactIds: [pat.id, max.id] })
  t.engine.automation.runDue()
  await t.engine.outbound.scheduler.idle()
  const offer = await waitFor(async () => (await fetchMessages('hop')).find((m) => m.subject === `Offer for Pat ${run}`), { timeoutMs: 20_000, message: 'the offer reached pat' })
  await smtpTransport('hop').sendMail({ from: PAT, to: MAIL.users.rex.email, subject: `Re: Offer for Pat ${run}`, text: 'Yes please', inReplyTo: offer.messageId, references: [offer.messageId] })
  const leads = async () => Object.fromEntries((await t.ok('flows.leads', { flowId: flow.id })).items.map((l) => [l.email, l]))
  await waitFor(async () => (await leads())[PAT]?.status === 'completed', { timeoutMs: 30_000, message: 'the synced reply moved pat on' })
  expect((await leads())[PAT]!.path.map((p: { nodeId: string; outcome: string }) => `${p.nodeId}:${p.outcome}`)).toContain('replied:yes')
  expect((await leads())[MAX]).toMatchObject({ status: 'waiting', currentNodeId: 'replied' })
  await t.ok('clock.advance', { ms: 2 * 86_400_000 })
  t.engine.automation.runDue()
  await t.engine.outbound.scheduler.idle()
  await waitFor(async () => (await fetchMessages('hop')).some((m) => m.subject === `Reminder ${run}`), { timeoutMs: 20_000, message: 'the reminder reached max' })
  // One reminder (Max's): Pat, who replied, got the offer only.
  expect((await fetchMessages('hop')).filter((m) => m.subject.includes(run)).map((m) => m.subject).sort()).toEqual([`Offer for Max ${run}`, `Offer for Pat ${run}`, `Reminder ${run}`])
  await t.engine.close()
}, 90_000)

it('SIGKILLs while 40 leads pass three email nodes: every lead gets each email exactly once', async () => {
  const LEADS = 40
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-flowkill-'))
  const setup = freshEngine({ dataDir, outbound: { run: false, undoMs: 0, eventsPollMs: 0 } })
  // The server files ola's Sent copies (scripts/mailservers.sh): the evidence the outbox reads after a crash.
  // Only ola's Sent folder is written (it is not reset here); what it sends lands in hop's mailbox.
  const objectId = await business(setup, true, 'server', 'ola')
  const ids: number[] = []
  // Plus-addresses all land in hop's mailbox; each lead is its own contact.
  for (let i = 0; i < LEADS; i++) ids.push((await setup.ok('contacts.create', { email: PAT.replace('@', `+${run}${i}@`), firstName: `P${i}`, primaryObjectId: objectId })).id)
  const mail = (n: number) => node(`m${n}`, 'sendEmail', { subject: `Kill ${run} {{contact.first_name}} #${n}`, html: `<p>${n}</p>` })
  const flow = await setup.ok('flows.create', {
    name: 'Three mails',
    objectId,
    graph: { nodes: [node('start', 'start'), mail(1), mail(2), mail(3), node('end', 'end')], edges: [{ from: 'start', to: 'm1' }, { from: 'm1', to: 'm2' }, { from: 'm2', to: 'm3' }, { from: 'm3', to: 'end' }] } as never,
  })
  await setup.ok('flows.activate', { id: flow.id })
  await setup.ok('flows.enroll', { flowId: flow.id, contactIds: ids })
  await setup.engine.close()

  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true })
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
  for (let k = 0; k < 3; k++) {
    // Each run dies after a different number of sends; leads are advanced in between by the runner.
    const target = count("SELECT count(*) AS n FROM outbound_messages WHERE status = 'sent'") + 9 + k * 7
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'test/outbound/engineProcess.ts', dataDir, String(target)], { stdio: ['ignore', 'ignore', 'inherit'] })
    await new Promise((r) => child.once('exit', r))
  }
  const last = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'test/outbound/engineProcess.ts', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    await waitFor(() => count("SELECT count(*) AS n FROM flow_leads WHERE status = 'completed'") === LEADS && count("SELECT count(*) AS n FROM outbound_messages WHERE status = 'sent'") === 3 * LEADS, {
      timeoutMs: 120_000,
      intervalMs: 200,
      message: 'every lead completed and every row sent',
    })
  } finally {
    last.kill('SIGTERM')
  }
  expect(count('SELECT count(*) AS n FROM outbound_messages')).toBe(3 * LEADS)
  db.close()
  const got = await waitFor(async () => {
    const m = (await fetchMessages('hop')).filter((x) => x.subject.startsWith(`Kill ${run} `))
    return m.length >= 3 * LEADS ? m : undefined
  }, { timeoutMs: 60_000, intervalMs: 500, message: 'all mail delivered' })
  const perSubject = new Map<string, number>()
  for (const m of got) perSubject.set(m.subject, (perSubject.get(m.subject) ?? 0) + 1)
  expect(perSubject.size).toBe(3 * LEADS)
  expect([...perSubject.values()].every((n) => n === 1)).toBe(true)
}, 300_000)
