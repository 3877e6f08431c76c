// Capability 8 (issue 20): the sample workspace shows the whole product alive (inbox mail linked to
// contacts, some unread, one with an attachment; an autoresponder with history; a running sequence with
// contacts at different steps; weeks of dashboard data) and sends nothing, ever.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freshEngine } from './helpers'

const DAY = 86_400_000

async function demo() {
  const t = freshEngine()
  await t.ok('app.seedDemo', {})
  return t
}

describe('the demo workspace', () => {
  it('has mail in the inbox: threads linked to demo contacts, some unread, one with an attachment, replies threaded', async () => {
    const t = await demo()
    const page = await t.ok('inbox.list', { direction: 'in' })
    expect(page.threads.length).toBeGreaterThanOrEqual(5)
    expect(page.unreadThreads).toBeGreaterThanOrEqual(2)
    expect(page.threads.some((th) => th.hasAttachments)).toBe(true)
    expect(page.threads.filter((th) => th.contacts.length > 0).length).toBeGreaterThanOrEqual(4)
    // A contact's reply joins the thread of the sequence step it answers.
    const reply = page.threads.find((th) => th.subject.includes('spring refresh') || th.subject.includes('spot is waiting'))!
    expect(reply).toBeDefined()
    const thread = await t.ok('threads.get', { id: reply.id })
    expect(thread.messages.length).toBeGreaterThanOrEqual(2)
    const withFile = page.threads.find((th) => th.hasAttachments)!
    const msg = await t.ok('messages.get', { id: withFile.latest.id })
    expect(msg.attachments[0]).toMatchObject({ filename: 'allergy-form.pdf', contentType: 'application/pdf' })
  })

  it('has an autoresponder with sent history and a running sequence with contacts at different steps', async () => {
    const t = await demo()
    const [ar] = await t.ok('autoresponders.list', {})
    expect(ar).toMatchObject({ name: 'Welcome new clients', isActive: true })
    expect(ar!.totalSent).toBeGreaterThanOrEqual(5)
    expect(Date.parse(ar!.lastFiredAt!)).toBeLessThan(t.clock.now())
    const execs = await t.ok('autoresponders.executions', { autoresponderId: ar!.id })
    expect(execs.length).toBe(ar!.totalSent)
    expect(execs.every((e) => e.status === 'SENT' && e.outboundId !== null)).toBe(true)

    const [seq] = await t.ok('sequences.list', {})
    expect(seq).toMatchObject({ name: 'Spring re-booking', status: 'active' })
    const { items } = await t.ok('sequences.contacts', { sequenceId: seq!.id })
    const statuses = new Set(items.map((m) => m.status))
    expect([...statuses].sort()).toEqual(['active', 'completed', 'replied'])
    const active = items.filter((m) => m.status === 'active')
    expect(new Set(active.map((m) => m.nextStep)).size).toBeGreaterThanOrEqual(2)
    for (const m of active) {
      expect(m.nextState).toBe('waiting')
      expect(Date.parse(m.nextStepAt!)).toBeGreaterThan(t.clock.now())
      expect(m.stepsSent).toBe(m.nextStep! - 1)
    }
    // Stopped by a real reply stored in the inbox, after the step it answered.
    expect(items.filter((m) => m.status === 'replied').map((m) => m.stoppedReason)).toEqual(['Replied after step 1', 'Replied after step 2'])
    expect(items.filter((m) => m.status === 'completed').every((m) => m.stepsSent === 3)).toBe(true)
  })

  it('the dashboard has weeks of automated activity: sent, opened and replied on many days', async () => {
    const t = await demo()
    const to = new Date(t.clock.now() + DAY).toISOString()
    const from = new Date(t.clock.now() - 30 * DAY).toISOString()
    const s = await t.ok('analytics.summary', { from, to })
    expect(s.totals.sent).toBeGreaterThanOrEqual(20)
    expect(s.totals.opened).toBeGreaterThan(0)
    expect(s.totals.replied).toBe(2)
    expect(s.buckets.filter((b) => b.sent > 0).length).toBeGreaterThanOrEqual(10)
  })

  it('sends nothing: the studio mailbox is paused, nothing is queued, and steps that come due are held, not tried', async () => {
    const t = await demo()
    const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true })
    const open = () => db.prepare("SELECT status, status_reason AS reason, attempts FROM outbound_messages WHERE status NOT IN ('sent')").all() as Array<{ status: string; reason: string | null; attempts: number }>
    expect(open()).toEqual([])
    const [mailbox] = await t.ok('mailboxes.list', {})
    expect(mailbox).toMatchObject({ status: 'paused' })
    // A week later every running contact has come due: their steps wait in the outbox, held by the pause.
    for (let d = 0; d < 7; d++) {
      await t.ok('clock.advance', { ms: DAY })
      t.engine.automation.runDue()
      await t.engine.outbound.scheduler.idle()
    }
    // What the demo user sets off waits the same way: the welcome for a newly tagged contact.
    const newClient = (await t.ok('tags.list', {})).find((x) => x.name === 'New client')!
    const someone = await t.ok('contacts.create', { email: 'walk.in@example.com', firstName: 'Walk', primaryObjectId: mailbox!.objectId })
    const before = open().length
    await t.ok('contacts.addTag', { contactIds: [someone.id], tagId: newClient.id })
    t.engine.automation.runDue()
    await t.engine.outbound.scheduler.idle()
    const rows = open()
    expect(rows.length).toBeGreaterThan(before)
    for (const r of rows) expect(r).toMatchObject({ status: 'held', reason: 'paused', attempts: 0 })
    expect((db.prepare("SELECT count(*) AS n FROM message_events WHERE type IN ('sending', 'attempt', 'failed', 'retry')").get() as { n: number }).n).toBe(0)
    db.close()
  })
})
