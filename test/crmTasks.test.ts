// Issue 19: task reminders on the test clock (once, caught up across a restart), the contact timeline,
// and that the CRM's read methods write nothing.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../src/main/engine'
import { freshEngine, objectWithMailbox, type TestEngine } from './helpers'
import { waitFor } from './mail/servers'
import { storeMessages } from '../src/main/engine/inbound/store'
import { wireTaskHooks } from '../src/main/engine/services/tasks'
import { addr, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

const HOUR = 3_600_000
const dueEvents = (events: EngineEvent[]) => events.filter((e) => e.event === 'tasks.due').map((e) => (e.payload as { task: { title: string } }).task.title)

async function setup(t: TestEngine) {
  const o = await t.ok('objects.create', { name: 'Eve Beauty', timezone: 'America/New_York' })
  const c = await t.ok('contacts.create', { email: 'ava@x.co', firstName: 'Ava', primaryObjectId: o.id })
  return { o, c }
}
const inHours = (t: TestEngine, h: number) => new Date(t.clock.now() + h * HOUR).toISOString()

describe('task reminders', () => {
  it('emit tasks.due once at the due time, not for done or past-born tasks', async () => {
    const t = freshEngine()
    const { c } = await setup(t)
    await t.ok('tasks.create', { title: 'Call back', contactId: c.id, dueAt: inHours(t, 2) })
    const done = await t.ok('tasks.create', { title: 'Done early', dueAt: inHours(t, 1) })
    await t.ok('tasks.complete', { id: done.id })
    const born = await t.ok('tasks.create', { title: 'Born late', dueAt: inHours(t, -1) })
    expect(born.remindedAt).not.toBeNull()
    await t.ok('clock.advance', { ms: HOUR })
    await t.ok('clock.advance', { ms: 30 * 60_000 })
    expect(dueEvents(t.events)).toEqual([])
    await t.ok('clock.advance', { ms: 31 * 60_000 })
    await waitFor(() => dueEvents(t.events).length === 1, { message: 'the reminder' })
    // More time and more wake-ups: still once.
    await t.ok('clock.advance', { ms: HOUR })
    await t.ok('clock.advance', { ms: HOUR })
    expect(t.engine.automation.runDue()).toBe(0)
    expect(dueEvents(t.events)).toEqual(['Call back'])
    const [task] = (await t.ok('tasks.list', { due: 'overdue' })).items.filter((x) => x.title === 'Call back')
    expect(task!.remindedAt).not.toBeNull()
  })

  it('a new due time earns a new reminder', async () => {
    const t = freshEngine()
    await setup(t)
    const task = await t.ok('tasks.create', { title: 'Quote', dueAt: inHours(t, 1) })
    await t.ok('clock.advance', { ms: HOUR })
    await waitFor(() => dueEvents(t.events).length === 1)
    await t.ok('tasks.update', { id: task.id, dueAt: inHours(t, 1) })
    await t.ok('clock.advance', { ms: HOUR })
    await waitFor(() => dueEvents(t.events).length === 2, { message: 'the second reminder' })
  })

  it('catch up once after the app was closed over the due time', async () => {
    const t = freshEngine()
    await setup(t)
    await t.ok('tasks.create', { title: 'While closed', dueAt: inHours(t, 1) })
    await t.ok('tasks.create', { title: 'Later', dueAt: inHours(t, 48) })
    await t.engine.close()
    // The app reopens three hours later on the same workspace.
    const again = freshEngine({ dataDir: t.dataDir, start: t.clock.now() + 3 * HOUR })
    await waitFor(() => dueEvents(again.events).length === 1, { message: 'the catch-up reminder' })
    expect(dueEvents(again.events)).toEqual(['While closed'])
    await again.engine.close()
    // And not again on the next start.
    const third = freshEngine({ dataDir: t.dataDir, start: t.clock.now() + 4 * HOUR })
    await third.ok('clock.advance', { ms: HOUR })
    await third.ok('tasks.count', {})
    expect(dueEvents(third.events)).toEqual([])
    await third.ok('clock.advance', { ms: 48 * HOUR })
    await waitFor(() => dueEvents(third.events).length === 1)
    expect(dueEvents(third.events)).toEqual(['Later'])
  })
})

describe('contact timeline', () => {
  it('tells notes, tasks, mail and automation as one story, filtered by kind and paged', async () => {
    const t = freshEngine({ outbound: { run: false } })
    const { object, mailbox } = await objectWithMailbox(t)
    await t.ok('profiles.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const c = await t.ok('contacts.create', { email: 'ava@x.co', firstName: 'Ava', primaryObjectId: object.id })
    const note = await t.ok('notes.create', { contactId: c.id, bodyHtml: '<p>Met at the <i>fair</i></p>' })
    t.clock.advance(1000)
    const task = await t.ok('tasks.create', { title: 'Send the quote', contactId: c.id, dueAt: inHours(t, 24) })
    t.clock.advance(1000)
    const seq = await t.ok('sequences.create', { objectId: object.id, name: 'Spring re-booking', mailboxIds: [mailbox.id], steps: [{ subject: 'Hi {{contact.first_name}}', bodyHtml: '<p>Hello</p>' }] })
    await t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [c.id] })
    t.engine.automation.runDue()
    const all = await t.ok('timeline.list', { contactId: c.id })
    const kinds = all.items.map((i) => `${i.kind}:${i.type}`)
    expect(kinds).toContain('note:note')
    expect(kinds).toContain('task:task')
    expect(all.items.find((i) => i.kind === 'task')).toMatchObject({ id: task.id, title: 'Send the quote', status: 'open', dueAt: task.dueAt })
    expect(all.items.find((i) => i.kind === 'note')).toMatchObject({ id: note.id, detail: 'Met at the fair' })
    const notesOnly = await t.ok('timeline.list', { contactId: c.id, kinds: ['note'] })
    expect(notesOnly.items.map((i) => i.kind)).toEqual(['note'])
    expect(all.items.find((i) => i.kind === 'automation')).toMatchObject({ type: 'enrolled', title: 'Spring re-booking' })
    // The step queued for Ava is mail on its way (the outbox row, before any Sent copy exists).
    expect(all.items.find((i) => i.kind === 'mail')).toMatchObject({ type: 'outbound', title: 'Hi Ava', status: expect.any(String) })
    const auto = await t.ok('timeline.list', { contactId: c.id, kinds: ['automation', 'task'] })
    expect(new Set(auto.items.map((i) => i.kind))).toEqual(new Set(['automation', 'task']))

    // Paging: one at a time walks the same items in the same order.
    for (let i = 0; i < 5; i++) (t.clock.advance(1000), await t.ok('notes.create', { contactId: c.id, bodyHtml: `<p>n${i}</p>` }))
    const full = (await t.ok('timeline.list', { contactId: c.id, limit: 200 })).items.map((i) => `${i.kind}${i.id}`)
    const paged: string[] = []
    let cursor: string | undefined
    do {
      const page = await t.ok('timeline.list', { contactId: c.id, limit: 2, cursor })
      paged.push(...page.items.map((i) => `${i.kind}${i.id}`))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(paged).toEqual(full)
    expect(await t.err('timeline.list', { contactId: c.id, cursor: 'nope' })).toMatchObject({ code: 'VALIDATION', field: 'cursor' })
    expect(await t.err('timeline.list', { contactId: 999 })).toMatchObject({ code: 'NOT_FOUND', field: 'contactId' })

    const summary = await t.ok('timeline.summary', { contactId: c.id })
    expect(summary).toMatchObject({ openTasks: 1, notes: 6, lastContactedAt: null, lastInboundAt: null, nextTask: { id: task.id } })
  })
})

describe('reads write nothing', () => {
  it('notes.list, tasks.list, tasks.count, timeline.list and timeline.summary leave the database unchanged (data_version seen from a second connection)', async () => {
    const t = freshEngine({ outbound: { run: false }, backups: { run: false } })
    const { c } = await setup(t)
    await t.ok('notes.create', { contactId: c.id, bodyHtml: '<p>Hello there</p>' })
    await t.ok('tasks.create', { title: 'Past', contactId: c.id, dueAt: inHours(t, -2) })
    await t.ok('tasks.create', { title: 'Soon', contactId: c.id, dueAt: inHours(t, 2) })
    // The engine's own connection counts every row it writes; a second connection sees the data version.
    const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true })
    const version = () => db.pragma('data_version', { simple: true })
    const before = version()
    const reads: Array<[string, unknown]> = [
      ['notes.list', { contactId: c.id }],
      ['notes.list', { query: 'hello' }],
      ['tasks.list', {}],
      ['tasks.list', { due: 'overdue' }],
      ['tasks.list', { due: 'today', contactId: c.id }],
      ['tasks.count', {}],
      ['timeline.list', { contactId: c.id }],
      ['timeline.summary', { contactId: c.id }],
    ]
    for (const [m, input] of reads) {
      const r = await t.call(m, input)
      expect(r.ok, m).toBe(true)
    }
    expect(version()).toBe(before)
    db.close()
  })
})

describe('remind me if no reply (the store side)', () => {
  it('closes on the contact’s next real mail dated after the task, not on older mail synced late, an auto-reply or our own copy', async () => {
    const t = freshEngine({ outbound: { run: false }, inbound: { run: false } })
    const { object, mailbox } = await inboxSetup(t)
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: object.id })
    t.clock.set(Date.UTC(2026, 0, 6, 12, 0, 0))
    const task = await t.ok('tasks.create', { title: 'Chase Ann', contactId: ann.id, dueAt: inHours(t, 72), closeOnReply: true })
    const s = storeCtx(t)
    wireTaskHooks(s.ctx)
    const open = async () => !(await t.ok('tasks.list', { status: 'all' })).items.find((x) => x.id === task.id)!.done
    // Yesterday's mail, fetched only now (a first sync): not a reply to this task.
    storeMessages(s.ctx, inboxRef(mailbox.id), [msg({ date: Date.UTC(2026, 0, 5, 9, 0, 0) })])
    expect(await open()).toBe(true)
    // An out-of-office and our own message to Ann (Sent folder) do not count either.
    storeMessages(s.ctx, inboxRef(mailbox.id), [msg({ date: Date.UTC(2026, 0, 6, 13, 0, 0), headers: [['auto-submitted', 'auto-replied']] })])
    storeMessages(s.ctx, sentRef(mailbox.id), [msg({ date: Date.UTC(2026, 0, 6, 13, 0, 0), from: addr('hello@eve.test'), to: [addr('ann@client.test')] })])
    expect(await open()).toBe(true)
    // Ann writes back.
    storeMessages(s.ctx, inboxRef(mailbox.id), [msg({ date: Date.UTC(2026, 0, 6, 14, 0, 0), subject: 'Re: quote' })])
    expect(await open()).toBe(false)
    const done = (await t.ok('tasks.list', { status: 'done' })).items[0]!
    expect(done.closedByMessageId).toBe((await t.ok('inbox.list', { query: 'quote' })).threads[0]!.latest.id)
  })
})
