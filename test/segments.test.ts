// Segments (issue 19): the rule compiler through the engine on real SQLite, one test per operator and
// combination; relative dates on the test clock; validation in words; the denormalised activity dates kept
// by migration 0015's triggers through the real store and scheduler paths; and the places a segment is used.
import { describe, expect, it } from 'vitest'
import { addEvent } from '../src/main/engine/repos/outbox'
import { contactInSegment } from '../src/main/engine/services/segments'
import { compileSegment } from '../src/main/engine/repos/segmentSql'
import type { Group } from '../src/shared/segments'
import { storeMessages } from '../src/main/engine/inbound/store'
import type { Ctx } from '../src/main/engine/context'
import { automationEngine, type Biz } from './automationSetup'
import { addr, inboxRef, msg, sentRef, storeCtx } from './inboxFixtures'

const DAY = 86_400_000

async function world() {
  const b = await automationEngine()
  const { t } = b
  const vip = await t.ok('tags.create', { name: 'VIP' })
  const lead = await t.ok('tags.create', { name: 'Lead' })
  const other = await t.ok('objects.create', { name: 'Other Biz' })
  const mk = (c: Record<string, unknown>) => t.ok('contacts.create', { primaryObjectId: b.objectId, ...c } as never)
  const ann = await mk({ email: 'ann@client.test', firstName: 'Ann', lastName: 'Client', company: 'Acme Ltd', tagIds: [vip.id], fields: { city: 'Boston' } })
  const bob = await mk({ email: 'bob@other.test', firstName: 'Bob', lastName: 'Other', company: 'Globex', tagIds: [lead.id], fields: { city: 'Austin' } })
  const cat = await mk({ email: 'cat@client.test', firstName: 'Cat', tagIds: [vip.id, lead.id] })
  const dan = await t.ok('contacts.create', { phone: '+1 555 555 0100', firstName: 'Dan', primaryObjectId: other.id })
  await t.ok('contacts.update', { id: bob.id, status: 'unsubscribed' })
  const { ctx } = storeCtx(t)
  /** The ids a rule set matches, sorted; the grid's walking form of the same rules must agree. */
  const match = async (rules: unknown, objectId?: number) => {
    const p = await t.ok('segments.preview', { rules: rules as never, objectId, sampleSize: 50 })
    expect(p.sample.length).toBe(p.count)
    const got = p.sample.map((s) => s.id).sort((x, y) => x - y)
    const walk = compileSegment(rules as Group, t.clock.now(), objectId, 'walk')
    expect(ctx.sqlite.prepare(`SELECT c.id FROM contacts c WHERE ${walk.sql} ORDER BY c.id`).pluck().all(...walk.params)).toEqual(got)
    return got
  }
  return { b, t, vip, lead, other, ann, bob, cat, dan, ctx, match }
}
type W = Awaited<ReturnType<typeof world>>
const ids = (...cs: Array<{ id: number }>) => cs.map((c) => c.id).sort((x, y) => x - y)
const one = (field: string, op: string, value?: unknown) => ({ all: [value === undefined ? { field, op } : { field, op, value }] })

/** Ann wrote in (inbound mail linked by the store), and was written to from Sent `outDaysAgo` days ago. */
function mailWith(w: W, b: Biz, email: string, inDaysAgo: number | null, outDaysAgo: number | null, extra: Partial<Parameters<typeof msg>[0]> = {}) {
  const now = w.t.clock.now()
  if (inDaysAgo !== null) storeMessages(w.ctx, inboxRef(b.mailboxId), [msg({ from: addr(email), to: [addr('hello@eve.test')], date: now - inDaysAgo * DAY, internalDate: now - inDaysAgo * DAY, ...extra })])
  if (outDaysAgo !== null) storeMessages(w.ctx, sentRef(b.mailboxId), [msg({ from: addr('hello@eve.test'), to: [addr(email)], date: now - outDaysAgo * DAY, internalDate: now - outDaysAgo * DAY })])
}

describe('segment rules, one operator at a time', () => {
  it('tag has / has not', async () => {
    const w = await world()
    expect(await w.match(one('tag', 'has', w.vip.id))).toEqual(ids(w.ann, w.cat))
    expect(await w.match(one('tag', 'notHas', w.vip.id))).toEqual(ids(w.bob, w.dan))
  })

  it('status is / is not, business is / is not / is empty', async () => {
    const w = await world()
    expect(await w.match(one('status', 'is', 'unsubscribed'))).toEqual(ids(w.bob))
    expect(await w.match(one('status', 'isNot', 'unsubscribed'))).toEqual(ids(w.ann, w.cat, w.dan))
    expect(await w.match(one('object', 'is', w.other.id))).toEqual(ids(w.dan))
    expect(await w.match(one('object', 'isNot', w.other.id))).toEqual(ids(w.ann, w.bob, w.cat))
    const loose = await w.t.ok('contacts.create', { email: 'loose@x.test' })
    expect(await w.match(one('object', 'isEmpty'))).toEqual(ids(loose))
  })

  it('text fields: equals (any case), not equals, contains, not contains, starts with, ends with, empty, not empty', async () => {
    const w = await world()
    expect(await w.match(one('email', 'equals', 'ANN@client.test'))).toEqual(ids(w.ann))
    expect(await w.match(one('company', 'equals', 'acme ltd'))).toEqual(ids(w.ann))
    expect(await w.match(one('company', 'notEquals', 'Acme Ltd'))).toEqual(ids(w.bob, w.cat, w.dan))
    expect(await w.match(one('email', 'contains', '@client'))).toEqual(ids(w.ann, w.cat))
    expect(await w.match(one('email', 'notContains', '@client'))).toEqual(ids(w.bob, w.dan))
    expect(await w.match(one('name', 'startsWith', 'ann cl'))).toEqual(ids(w.ann))
    expect(await w.match(one('email', 'endsWith', 'other.test'))).toEqual(ids(w.bob))
    expect(await w.match(one('company', 'isEmpty'))).toEqual(ids(w.cat, w.dan))
    expect(await w.match(one('email', 'isEmpty'))).toEqual(ids(w.dan))
    expect(await w.match(one('phone', 'isNotEmpty'))).toEqual(ids(w.dan))
    expect(await w.match(one('lastName', 'equals', 'other'))).toEqual(ids(w.bob))
    expect(await w.match(one('firstName', 'contains', 'a'))).toEqual(ids(w.ann, w.cat, w.dan))
  })

  it('custom fields, and LIKE wildcards in a value are taken literally', async () => {
    const w = await world()
    expect(await w.match(one('fields.city', 'equals', 'boston'))).toEqual(ids(w.ann))
    expect(await w.match(one('fields.city', 'isEmpty'))).toEqual(ids(w.cat, w.dan))
    expect(await w.match(one('fields.city', 'isNotEmpty'))).toEqual(ids(w.ann, w.bob))
    expect(await w.match(one('fields.city', 'contains', 'st'))).toEqual(ids(w.ann, w.bob))
    const pct = await w.t.ok('contacts.create', { email: 'pct@x.test', company: '100% Pure_Co' })
    expect(await w.match(one('company', 'contains', '%'))).toEqual(ids(pct))
    expect(await w.match(one('company', 'contains', '_'))).toEqual(ids(pct))
    expect(await w.match(one('company', 'startsWith', '100%'))).toEqual(ids(pct))
  })

  it('last inbound / outbound: before, after, between, empty, not empty; {days} moves with the clock', async () => {
    const w = await world()
    mailWith(w, w.b, 'ann@client.test', 40, 5)
    mailWith(w, w.b, 'cat@client.test', 10, null)
    const stale = one('lastInboundAt', 'before', { days: 30 })
    expect(await w.match(stale)).toEqual(ids(w.ann))
    expect(await w.match(one('lastInboundAt', 'after', { days: 30 }))).toEqual(ids(w.cat))
    expect(await w.match(one('lastInboundAt', 'isEmpty'))).toEqual(ids(w.bob, w.dan))
    expect(await w.match(one('lastInboundAt', 'isNotEmpty'))).toEqual(ids(w.ann, w.cat))
    expect(await w.match(one('lastOutboundAt', 'after', { days: 7 }))).toEqual(ids(w.ann))
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    const now = w.t.clock.now()
    expect(await w.match(one('lastInboundAt', 'between', { from: day(now - 45 * DAY), to: day(now - 35 * DAY) }))).toEqual(ids(w.ann))
    // The date-only end of "between" covers that whole day.
    expect(await w.match(one('lastInboundAt', 'between', { from: day(now - 11 * DAY), to: day(now - 10 * DAY) }))).toEqual(ids(w.cat))
    expect(await w.match(one('lastInboundAt', 'before', day(now - 20 * DAY)))).toEqual(ids(w.ann))
    // A saved segment resolves {days} when it is used: 21 days later Cat has not written for 31 days.
    const seg = await w.t.ok('segments.create', { name: 'Gone quiet', objectId: w.b.objectId, rules: stale })
    expect(seg.count).toBe(1)
    await w.t.ok('clock.advance', { ms: 21 * DAY })
    expect((await w.t.ok('segments.list', {})).find((s) => s.id === seg.id)?.count).toBe(2)
    expect(contactInSegment(w.ctx as Ctx, seg.id, w.cat.id)).toBe(true)
  })

  it('created: before / after', async () => {
    const w = await world()
    await w.t.ok('clock.advance', { ms: 3 * DAY })
    const late = await w.t.ok('contacts.create', { email: 'late@x.test' })
    expect(await w.match(one('createdAt', 'after', { days: 1 }))).toEqual(ids(late))
    expect(await w.match(one('createdAt', 'before', { days: 1 }))).toEqual(ids(w.ann, w.bob, w.cat, w.dan))
  })

  it('replied / opened: after, not since, before, between, ever, never (a click counts as an open)', async () => {
    const w = await world()
    const { t, b } = w
    const sendTo = async (c: { id: number; email: string | null }) => {
      const o = await t.ok('mail.send', { profileId: b.profileId, to: [c.email!], subject: 'Quote', html: '<p>Here</p>', contactId: c.id })
      await b.idle()
      return (await t.ok('outbox.get', { id: o.id }))
    }
    const toAnn = await sendTo(w.ann)
    const toCat = await sendTo(w.cat)
    expect(toAnn.status).toBe('sent')
    // Ann replies (a real reply through the store), 20 days before "now" is moved on.
    storeMessages(w.ctx, inboxRef(b.mailboxId), [msg({ from: addr('ann@client.test'), inReplyTo: toAnn.messageId, references: [toAnn.messageId], subject: 'Re: Quote' })])
    addEvent(w.ctx as Ctx, toCat.id, 'clicked', null, t.clock.now())
    await t.ok('clock.advance', { ms: 20 * DAY })
    expect(await w.match(one('replied', 'ever'))).toEqual(ids(w.ann))
    expect(await w.match(one('replied', 'never'))).toEqual(ids(w.bob, w.cat, w.dan))
    expect(await w.match(one('replied', 'after', { days: 30 }))).toEqual(ids(w.ann))
    expect(await w.match(one('replied', 'after', { days: 7 }))).toEqual([])
    expect(await w.match(one('replied', 'notAfter', { days: 7 }))).toEqual(ids(w.ann, w.bob, w.cat, w.dan))
    expect(await w.match(one('replied', 'notAfter', { days: 30 }))).toEqual(ids(w.bob, w.cat, w.dan))
    expect(await w.match(one('replied', 'before', { days: 7 }))).toEqual(ids(w.ann))
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    expect(await w.match(one('replied', 'between', { from: day(t.clock.now() - 21 * DAY), to: day(t.clock.now() - 19 * DAY) }))).toEqual(ids(w.ann))
    expect(await w.match(one('opened', 'ever'))).toEqual(ids(w.cat))
    expect(await w.match(one('opened', 'after', { days: 30 }))).toEqual(ids(w.cat))
  })
})

describe('segment rules combined', () => {
  it('all, any, a group inside a group, and empty groups', async () => {
    const w = await world()
    const vip = { field: 'tag', op: 'has', value: w.vip.id }
    const lead = { field: 'tag', op: 'has', value: w.lead.id }
    const active = { field: 'status', op: 'is', value: 'active' }
    expect(await w.match({ all: [vip, lead] })).toEqual(ids(w.cat))
    expect(await w.match({ any: [vip, lead] })).toEqual(ids(w.ann, w.bob, w.cat))
    expect(await w.match({ all: [active, { any: [lead, { field: 'phone', op: 'isNotEmpty' }] }] })).toEqual(ids(w.cat, w.dan))
    expect(await w.match({ any: [{ all: [vip, lead] }, { all: [{ field: 'status', op: 'is', value: 'unsubscribed' }] }] })).toEqual(ids(w.bob, w.cat))
    expect(await w.match({ all: [] })).toEqual(ids(w.ann, w.bob, w.cat, w.dan))
    expect(await w.match({ any: [] })).toEqual([])
    // A business's segment only ever holds that business's contacts.
    expect(await w.match({ all: [] }, w.other.id)).toEqual(ids(w.dan))
  })

  it('the issue\'s example: a tag and no mail from them for 30 days', async () => {
    const w = await world()
    mailWith(w, w.b, 'ann@client.test', 40, null)
    mailWith(w, w.b, 'cat@client.test', 3, null)
    const seg = await w.t.ok('segments.create', {
      name: 'VIPs gone quiet',
      rules: { all: [{ field: 'tag', op: 'has', value: w.vip.id }, { field: 'lastInboundAt', op: 'before', value: { days: 30 } }] },
    })
    expect(seg).toMatchObject({ name: 'VIPs gone quiet', objectId: null, count: 1 })
    expect(contactInSegment(w.ctx as Ctx, seg.id, w.ann.id)).toBe(true)
    expect(contactInSegment(w.ctx as Ctx, seg.id, w.cat.id)).toBe(false)
    expect(contactInSegment(w.ctx as Ctx, 999, w.ann.id)).toBe(false)
  })
})

describe('validation in words', () => {
  it('every invalid rule at once, each at its path', async () => {
    const w = await world()
    const e = await w.t.err('segments.create', {
      name: 'Bad',
      rules: {
        all: [
          { field: 'shoeSize', op: 'equals', value: '9' },
          { field: 'tag', op: 'contains', value: 1 },
          { field: 'lastInboundAt', op: 'before', value: { days: -3 } },
          { field: 'email', op: 'isEmpty', value: 'x' },
          { any: [{ field: 'status', op: 'is', value: 'asleep' }, { all: [{ field: 'tag', op: 'has', value: 1 }] }] },
        ],
      },
    })
    expect(e.code).toBe('VALIDATION')
    expect(e.fields).toEqual([
      { field: 'rules.all.0.field', message: 'Condition 1: “shoeSize” is not a field a segment can filter on' },
      { field: 'rules.all.1.op', message: 'Condition 2: Tag can be filtered with: has, has not' },
      { field: 'rules.all.2.value', message: 'Condition 3: Last mail from them before: the number of days must be a whole number from 0 to 36500' },
      { field: 'rules.all.3.value', message: 'Condition 4: Email is empty takes no value' },
      { field: 'rules.all.4.any.0.value', message: 'Condition 1: Status must be one of: active, unsubscribed, bounced, complained' },
      { field: 'rules.all.4.any.1', message: 'Condition 2: groups nest one level deep at most' },
    ])
  })

  it('a malformed rule set, a bad date and a missing name are said in words', async () => {
    const w = await world()
    expect(await w.t.err('segments.preview', { rules: [] })).toMatchObject({ code: 'VALIDATION', field: 'rules', message: 'Rules must be {all: […]} or {any: […]}' })
    expect(await w.t.err('segments.preview', { rules: one('lastInboundAt', 'after', 'last tuesday') })).toMatchObject({
      field: 'rules.all.0.value',
      message: 'Condition 1: Last mail from them after: use a date like 2026-11-01, or {days: N} for N days ago',
    })
    expect(await w.t.err('segments.create', { name: ' ', rules: { all: [] } })).toMatchObject({ field: 'name', message: 'Give the segment a name' })
  })

  it('a tag, business or company that does not exist is named, all of them', async () => {
    const w = await world()
    const e = await w.t.err('segments.preview', { rules: { any: [{ field: 'tag', op: 'has', value: 9999 }, { field: 'companyId', op: 'is', value: 77 }, { field: 'tag', op: 'has', value: w.vip.id }] } })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'rules.any.0.value', message: 'Condition 1: Tag 9999 does not exist (it may have been deleted)' })
    expect(e.fields?.map((f) => f.field)).toEqual(['rules.any.0.value', 'rules.any.1.value'])
  })
})

describe('segments: saved, counted live, used', () => {
  it('list / update / delete, names unique per business, counts follow the contacts', async () => {
    const w = await world()
    const { t } = w
    const seg = await t.ok('segments.create', { name: 'VIP', objectId: w.b.objectId, rules: one('tag', 'has', w.vip.id) })
    expect(seg.count).toBe(2)
    expect(await t.err('segments.create', { name: 'vip', objectId: w.b.objectId, rules: { all: [] } })).toMatchObject({ code: 'CONFLICT', field: 'name' })
    await t.ok('contacts.addTag', { contactIds: [w.bob.id], tagId: w.vip.id })
    expect((await t.ok('segments.list', { objectId: w.b.objectId }))[0]).toMatchObject({ id: seg.id, count: 3 })
    expect(await t.ok('segments.list', { objectId: w.other.id })).toEqual([])
    const renamed = await t.ok('segments.update', { id: seg.id, name: 'Lead', rules: one('tag', 'has', w.lead.id) })
    expect(renamed).toMatchObject({ name: 'Lead', count: 2, rules: one('tag', 'has', w.lead.id) })
    expect(await t.err('segments.update', { id: 999, name: 'x' })).toMatchObject({ code: 'NOT_FOUND' })
    expect(await t.ok('segments.delete', { id: seg.id })).toEqual({ id: seg.id, deleted: true })
    expect(await t.ok('segments.list', {})).toEqual([])
    expect(t.events.some((e) => e.event === 'segments.changed')).toBe(true)
  })

  it('filters the contact grid, with search, status and paging', async () => {
    const w = await world()
    const { t } = w
    const seg = await t.ok('segments.create', { name: 'Client domain', rules: one('email', 'endsWith', '@client.test') })
    const page = await t.ok('contacts.list', { segmentId: seg.id, limit: 1 })
    expect(page.total).toBe(2)
    expect(page.items.map((c) => c.id)).toEqual([w.ann.id])
    const next = await t.ok('contacts.list', { segmentId: seg.id, limit: 1, cursor: page.nextCursor! })
    expect(next.items.map((c) => c.id)).toEqual([w.cat.id])
    expect(next.nextCursor).toBeNull()
    expect((await t.ok('contacts.list', { segmentId: seg.id, query: 'cat' })).items.map((c) => c.id)).toEqual([w.cat.id])
    expect((await t.ok('contacts.list', { segmentId: seg.id, tagId: w.lead.id, query: 'cat' })).total).toBe(1)
    expect((await t.ok('contacts.list', { segmentId: seg.id, status: 'unsubscribed' })).total).toBe(0)
    expect(await t.err('contacts.list', { segmentId: 4242 })).toMatchObject({ code: 'NOT_FOUND', field: 'segmentId', message: 'Segment 4242 does not exist' })
  })

  it('enrols a sequence: the segment\'s contacts of that business with an email, once', async () => {
    const w = await world()
    const { t, b } = w
    const seq = await t.ok('sequences.create', { name: 'Nurture', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [{ subject: 'Hi', bodyHtml: '<p>Hi</p>', wait: { value: 1, unit: 'days' } }] })
    const seg = await t.ok('segments.create', { name: 'Everyone but Ann', rules: one('email', 'notEquals', 'ann@client.test') })
    // Bob is unsubscribed and Dan belongs to another business: both skipped.
    expect(await t.ok('sequences.enroll', { sequenceId: seq.id, segmentId: seg.id })).toEqual({ enrolled: 1, alreadyEnrolled: 0, skipped: 2 })
    expect(await t.ok('sequences.enroll', { sequenceId: seq.id, segmentId: seg.id })).toEqual({ enrolled: 0, alreadyEnrolled: 1, skipped: 2 })
    const enrolled = await t.ok('sequences.contacts', { sequenceId: seq.id })
    expect(enrolled.items.map((i) => i.contactId)).toEqual([w.cat.id])
    expect(await t.err('sequences.enroll', { sequenceId: seq.id, segmentId: 31337 })).toMatchObject({ code: 'NOT_FOUND', field: 'segmentId' })
  })
})

describe('last activity dates (migration 0015 triggers)', () => {
  it('follow real mail: auto-replies do not count, a send does, a manual unlink recomputes', async () => {
    const w = await world()
    const { t, b } = w
    const now = t.clock.now()
    mailWith(w, b, 'ann@client.test', 10, null)
    mailWith(w, b, 'ann@client.test', 2, null, { headers: [['auto-submitted', 'auto-replied']], subject: 'Out of office' })
    let ann = await t.ok('contacts.get', { id: w.ann.id })
    expect(ann.lastInboundAt).toBe(new Date(now - 10 * DAY).toISOString())
    expect(ann.lastOutboundAt).toBeNull()
    await t.ok('mail.send', { profileId: b.profileId, to: ['ann@client.test'], subject: 'Hi', html: '<p>x</p>', contactId: w.ann.id })
    await b.idle()
    ann = await t.ok('contacts.get', { id: w.ann.id })
    expect(ann.lastOutboundAt).toBe(new Date(now).toISOString())
    // The user says the newer mail was not Ann's: her date goes back to the mail before.
    mailWith(w, b, 'ann@client.test', 1, null)
    const newest = w.ctx.sqlite.prepare("SELECT max(m.id) AS id FROM messages m WHERE m.from_email = 'ann@client.test'").get() as { id: number }
    expect((await t.ok('contacts.get', { id: w.ann.id })).lastInboundAt).toBe(new Date(now - 1 * DAY).toISOString())
    await t.ok('messages.linkContact', { messageId: newest.id, contactId: w.ann.id, linked: false })
    expect((await t.ok('contacts.get', { id: w.ann.id })).lastInboundAt).toBe(new Date(now - 10 * DAY).toISOString())
    await t.ok('messages.linkContact', { messageId: newest.id, contactId: w.ann.id, linked: true })
    expect((await t.ok('contacts.get', { id: w.ann.id })).lastInboundAt).toBe(new Date(now - 1 * DAY).toISOString())
  })
})
