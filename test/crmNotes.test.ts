// Issue 19: notes and tasks through the contract on a real engine (SQLite, test clock).
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'

async function setup(t: TestEngine, timezone = 'America/New_York') {
  const o = await t.ok('objects.create', { name: 'Eve Beauty', timezone })
  const c = await t.ok('contacts.create', { email: 'ava@x.co', firstName: 'Ava', lastName: 'Nguyen', primaryObjectId: o.id })
  const u = await t.ok('users.create', { name: 'Sam Staff', email: 'sam@eve.test' })
  await t.ok('users.setCurrent', { id: u.id })
  return { o, c, u }
}

describe('notes', () => {
  it('cleans the HTML, records the author, lists pinned first, and searches with FTS', async () => {
    const t = freshEngine()
    const { c, u } = await setup(t)
    const a = await t.ok('notes.create', { contactId: c.id, bodyHtml: '<p>Called, wants a <b>quote</b></p><script>alert(1)</script><img src=x onerror=alert(1)>' })
    expect(a.bodyHtml).not.toMatch(/script|onerror/)
    expect(a.bodyHtml).toContain('<b>quote</b>')
    expect(a).toMatchObject({ contactId: c.id, authorId: u.id, authorName: 'Sam Staff', pinned: false, bodyText: 'Called, wants a quote' })
    t.clock.advance(1000)
    const b = await t.ok('notes.create', { contactId: c.id, bodyHtml: '<p>Prefers mornings</p>' })
    t.clock.advance(1000)
    const cc = await t.ok('notes.create', { contactId: c.id, bodyHtml: '<p>Birthday in May</p>' })
    expect((await t.ok('notes.list', { contactId: c.id })).map((n) => n.id)).toEqual([cc.id, b.id, a.id])
    await t.ok('notes.update', { id: a.id, pinned: true })
    expect((await t.ok('notes.list', { contactId: c.id })).map((n) => n.id)).toEqual([a.id, cc.id, b.id])

    // FTS: prefix words, across contacts, and an edit re-indexes.
    expect((await t.ok('notes.list', { query: 'quot' })).map((n) => n.id)).toEqual([a.id])
    await t.ok('notes.update', { id: b.id, bodyHtml: '<p>Prefers evenings now</p>' })
    expect(await t.ok('notes.list', { query: 'mornings' })).toEqual([])
    expect((await t.ok('notes.list', { contactId: c.id, query: 'evenings' })).map((n) => n.id)).toEqual([b.id])
    await t.ok('notes.delete', { id: b.id })
    expect(await t.ok('notes.list', { query: 'evenings' })).toEqual([])
    expect(t.events.filter((e) => e.event === 'notes.changed').length).toBe(6)
  })

  it('refuses bad input in words', async () => {
    const t = freshEngine()
    const { c } = await setup(t)
    expect(await t.err('notes.create', { contactId: c.id, bodyHtml: '<p>  </p><script>x</script>' })).toMatchObject({ code: 'VALIDATION', field: 'bodyHtml', message: 'Write something in the note' })
    expect(await t.err('notes.create', { contactId: 999, bodyHtml: '<p>hi</p>' })).toMatchObject({ code: 'NOT_FOUND', field: 'contactId' })
    expect(await t.err('notes.create', { contactId: c.id })).toMatchObject({ code: 'VALIDATION', field: 'bodyHtml' })
    expect(await t.err('notes.list', {})).toMatchObject({ code: 'VALIDATION', message: 'Choose a contact or type something to search for' })
    expect(await t.err('notes.update', { id: 42, pinned: true })).toMatchObject({ code: 'NOT_FOUND' })
    expect(await t.err('notes.delete', { id: 42 })).toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('tasks', () => {
  it('buckets due times in the business time zone', async () => {
    // 2026-12-03 20:00 in New York (01:00 UTC on the 4th).
    const t = freshEngine({ start: Date.parse('2026-12-04T01:00:00Z') })
    const { c, u } = await setup(t)
    const mk = (title: string, dueAt: string) => t.ok('tasks.create', { title, contactId: c.id, dueAt })
    const late = await mk('Late', '2026-12-03T09:00:00-05:00')
    const tonight = await mk('Tonight', '2026-12-03T23:30:00-05:00') // the 4th in UTC, still today in New York
    const tomorrow = await mk('Tomorrow', '2026-12-04T00:30:00-05:00')
    expect(late).toMatchObject({ due: 'overdue', assigneeId: u.id, assigneeName: 'Sam Staff', contactName: 'Ava Nguyen', done: false })
    expect(tonight.due).toBe('today')
    expect(tomorrow.due).toBe('upcoming')
    expect(tonight.dueAt).toBe('2026-12-04T04:30:00.000Z')
    const ids = async (due: 'overdue' | 'today' | 'upcoming') => (await t.ok('tasks.list', { due })).items.map((x) => x.title)
    expect(await ids('overdue')).toEqual(['Late'])
    expect(await ids('today')).toEqual(['Tonight'])
    expect(await ids('upcoming')).toEqual(['Tomorrow'])
    expect(await t.ok('tasks.count', {})).toEqual({ overdue: 1, today: 1 })
    expect((await t.ok('tasks.list', {})).timeZone).toBe('America/New_York')

    // Done tasks leave the buckets; undone brings them back.
    await t.ok('tasks.complete', { id: late.id })
    expect(await t.ok('tasks.count', {})).toEqual({ overdue: 0, today: 1 })
    expect((await t.ok('tasks.list', { status: 'done' })).items.map((x) => x.id)).toEqual([late.id])
    await t.ok('tasks.complete', { id: late.id, done: false })
    expect(await t.ok('tasks.count', {})).toEqual({ overdue: 1, today: 1 })

    // The same instants in a business in UTC: "Tonight" is tomorrow there.
    const u2 = freshEngine({ start: Date.parse('2026-12-04T01:00:00Z') })
    await setup(u2, 'UTC')
    await u2.ok('tasks.create', { title: 'Tonight', dueAt: '2026-12-03T23:30:00-05:00' })
    expect((await u2.ok('tasks.list', { due: 'today' })).items.map((x) => x.title)).toEqual(['Tonight'])
    await u2.ok('tasks.create', { title: 'Tomorrow NY', dueAt: '2026-12-04T20:00:00-05:00' })
    expect((await u2.ok('tasks.list', { due: 'upcoming' })).items.map((x) => x.title)).toEqual(['Tomorrow NY'])
  })

  it('filters by assignee and contact, updates and deletes', async () => {
    const t = freshEngine()
    const { c, u } = await setup(t)
    const other = await t.ok('users.create', { name: 'Kim', email: 'kim@eve.test' })
    const a = await t.ok('tasks.create', { title: 'Send the quote', contactId: c.id, dueAt: '2026-01-06T10:00:00-05:00' })
    const b = await t.ok('tasks.create', { title: 'Order stock', dueAt: '2026-01-07T10:00:00Z', assigneeId: other.id })
    expect((await t.ok('tasks.list', { assigneeId: u.id })).items.map((x) => x.id)).toEqual([a.id])
    expect((await t.ok('tasks.list', { assigneeId: other.id })).items.map((x) => x.id)).toEqual([b.id])
    expect((await t.ok('tasks.list', { contactId: c.id })).items.map((x) => x.id)).toEqual([a.id])
    const moved = await t.ok('tasks.update', { id: b.id, title: 'Order more stock', assigneeId: null, contactId: c.id })
    expect(moved).toMatchObject({ title: 'Order more stock', assigneeId: null, contactId: c.id })
    await t.ok('tasks.delete', { id: a.id })
    expect((await t.ok('tasks.list', {})).items.map((x) => x.id)).toEqual([b.id])
  })

  it('refuses bad input in words', async () => {
    const t = freshEngine()
    const { c } = await setup(t)
    expect(await t.err('tasks.create', { title: ' ', dueAt: '2026-01-06T10:00:00Z' })).toMatchObject({ code: 'VALIDATION', field: 'title', message: 'Give the task a title' })
    expect(await t.err('tasks.create', { title: 'x', dueAt: '2026-01-06 10:00' })).toMatchObject({ code: 'VALIDATION', field: 'dueAt', message: expect.stringContaining('with its offset') })
    expect(await t.err('tasks.create', { title: 'x', dueAt: '2026-02-31T10:00:00Z' })).toMatchObject({ code: 'VALIDATION', field: 'dueAt' })
    expect(await t.err('tasks.create', { title: 'x', dueAt: '2026-01-06T10:00:00Z', closeOnReply: true })).toMatchObject({ code: 'VALIDATION', field: 'contactId', message: 'A task that waits for a reply needs a contact' })
    expect(await t.err('tasks.create', { title: 'x', dueAt: '2026-01-06T10:00:00Z', assigneeId: 77 })).toMatchObject({ code: 'NOT_FOUND', field: 'assigneeId' })
    expect(await t.err('tasks.create', { title: 'x', dueAt: '2026-01-06T10:00:00Z', contactId: c.id + 100 })).toMatchObject({ code: 'NOT_FOUND', field: 'contactId' })
    expect(await t.err('tasks.list', { due: 'yesterday' })).toMatchObject({ code: 'VALIDATION', field: 'due' })
    expect(await t.err('tasks.complete', { id: 5 })).toMatchObject({ code: 'NOT_FOUND' })
  })
})
