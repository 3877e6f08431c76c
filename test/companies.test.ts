// Companies (issue 19): contacts join the company of their email domain on every write path (create,
// import, a changed email, and the ones already there when the company is made), within its business; a
// company lists its people and their recent mail; deleting it keeps the people.
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { freshEngine } from './helpers'
import { addr, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

async function setup() {
  const t = freshEngine({ outbound: { run: false }, inbound: { run: false }, backups: { run: false } })
  const { object, mailbox } = await inboxSetup(t)
  const other = await t.ok('objects.create', { name: 'Other Biz' })
  return { t, object, mailbox, other }
}

describe('companies', () => {
  it('a new company takes in the contacts already at its domain, only of its business, and only those without a company', async () => {
    const { t, object, other } = await setup()
    const ann = await t.ok('contacts.create', { email: 'ann@acme.test', primaryObjectId: object.id })
    const bea = await t.ok('contacts.create', { email: 'bea@ACME.test', primaryObjectId: object.id })
    const elsewhere = await t.ok('contacts.create', { email: 'cy@acme.test', primaryObjectId: other.id })
    const gmail = await t.ok('contacts.create', { email: 'dee@gmail.test', primaryObjectId: object.id })
    const acme = await t.ok('companies.create', { name: 'Acme', domain: 'https://www.Acme.test/about', objectId: object.id })
    expect(acme).toMatchObject({ name: 'Acme', domain: 'acme.test', objectId: object.id, contactCount: 2 })
    expect((await t.ok('contacts.get', { id: ann.id })).companyId).toBe(acme.id)
    expect((await t.ok('contacts.get', { id: bea.id })).companyId).toBe(acme.id)
    expect((await t.ok('contacts.get', { id: elsewhere.id })).companyId).toBeNull()
    expect((await t.ok('contacts.get', { id: gmail.id })).companyId).toBeNull()
    // A second company with the same domain in the same business is refused; in another business it is fine.
    expect(await t.err('companies.create', { name: 'Acme 2', domain: 'acme.test', objectId: object.id })).toMatchObject({ code: 'CONFLICT', field: 'domain' })
    const acmeOther = await t.ok('companies.create', { name: 'Acme (Other)', domain: 'acme.test', objectId: other.id })
    expect((await t.ok('contacts.get', { id: elsewhere.id })).companyId).toBe(acmeOther.id)
  })

  it('contacts created, imported or given an email at the domain later join it', async () => {
    const { t, object } = await setup()
    const acme = await t.ok('companies.create', { name: 'Acme', domain: 'acme.test', objectId: object.id })
    const made = await t.ok('contacts.create', { email: 'new@acme.test', primaryObjectId: object.id })
    expect(made.companyId).toBe(acme.id)
    const r = await t.ok('contacts.import', { csv: 'email,first name\nimp@acme.test,Imp\nout@else.test,Out\n', objectId: object.id })
    expect(r.imported).toBe(2)
    const page = await t.ok('contacts.list', { objectId: object.id })
    const byEmail = new Map(page.items.map((c) => [c.email, c.companyId]))
    expect(byEmail.get('imp@acme.test')).toBe(acme.id)
    expect(byEmail.get('out@else.test')).toBeNull()
    const moved = page.items.find((c) => c.email === 'out@else.test')!
    await t.ok('contacts.update', { id: moved.id, email: 'moved@acme.test' })
    expect((await t.ok('contacts.get', { id: moved.id })).companyId).toBe(acme.id)
    // A workspace-wide company (no business) takes contacts of any business.
    const wide = await t.ok('companies.create', { name: 'Wide', domain: 'wide.test' })
    expect((await t.ok('contacts.create', { email: 'x@wide.test', primaryObjectId: object.id })).companyId).toBe(wide.id)
  })

  it('assign by hand, and a segment on the company', async () => {
    const { t, object } = await setup()
    const acme = await t.ok('companies.create', { name: 'Acme', objectId: object.id })
    // No domain: its page is its people and their mail only.
    expect((await t.ok('companies.get', { id: acme.id })).recentMail).toEqual([])
    expect(acme.domain).toBeNull()
    const dee = await t.ok('contacts.create', { email: 'dee@gmail.test', primaryObjectId: object.id })
    expect(await t.ok('companies.assign', { companyId: acme.id, contactIds: [dee.id] })).toEqual({ changed: 1 })
    expect((await t.ok('segments.preview', { rules: { all: [{ field: 'companyId', op: 'is', value: acme.id }] } })).count).toBe(1)
    expect((await t.ok('segments.preview', { rules: { all: [{ field: 'companyId', op: 'isEmpty' }] } })).count).toBe(0)
    expect(await t.err('companies.assign', { companyId: acme.id, contactIds: [9999] })).toMatchObject({ code: 'NOT_FOUND', field: 'contactIds' })
    expect(await t.err('companies.assign', { companyId: 777, contactIds: [dee.id] })).toMatchObject({ code: 'NOT_FOUND', field: 'companyId' })
    expect(await t.ok('companies.assign', { companyId: null, contactIds: [dee.id] })).toEqual({ changed: 1 })
    expect((await t.ok('contacts.get', { id: dee.id })).companyId).toBeNull()
  })

  it('its page lists its people and their recent mail, and mail from its domain by a new address, once per message; deleting it keeps the people', async () => {
    const { t, object, mailbox } = await setup()
    const acme = await t.ok('companies.create', { name: 'Acme', domain: 'acme.test', objectId: object.id })
    const ann = await t.ok('contacts.create', { email: 'ann@acme.test', firstName: 'Ann', primaryObjectId: object.id })
    const bob = await t.ok('contacts.create', { email: 'bob@acme.test', firstName: 'Bob', primaryObjectId: object.id })
    const { ctx } = storeCtx(t)
    const now = t.clock.now()
    storeMessages(ctx, inboxRef(mailbox.id), [
      msg({ from: addr('ann@acme.test'), cc: [addr('bob@acme.test')], subject: 'Both of us', date: now - 3600_000 }),
      msg({ from: addr('bob@acme.test'), subject: 'Bob alone', date: now - 7200_000 }),
      msg({ from: addr('zed@else.test'), subject: 'Not theirs', date: now }),
      // Nobody has this address yet: the mail is the company's by its domain (any case).
      msg({ from: addr('Newcomer@ACME.test'), subject: 'Hello from a colleague', date: now - 1800_000 }),
    ])
    storeMessages(ctx, sentRef(mailbox.id), [msg({ from: addr('hello@eve.test'), to: [addr('ann@acme.test')], subject: 'Our answer', date: now - 60_000 })])
    const page = await t.ok('companies.get', { id: acme.id })
    expect(page.people.map((p) => p.name)).toEqual(['Ann', 'Bob'])
    expect(page.recentMail.map((m) => [m.subject, m.direction])).toEqual([
      ['Our answer', 'out'],
      ['Hello from a colleague', 'in'],
      ['Both of us', 'in'],
      ['Bob alone', 'in'],
    ])
    expect(page.recentMail.find((m) => m.subject === 'Hello from a colleague')!.contactId).toBeNull()
    expect(page.lastActivityAt).toBe(new Date(now - 60_000).toISOString())
    expect(page.people[0]!.lastOutboundAt).toBe(new Date(now - 60_000).toISOString())
    expect((await t.ok('companies.list', { objectId: object.id }))[0]).toMatchObject({ id: acme.id, contactCount: 2 })
    expect(await t.ok('companies.list', { query: 'zzz' })).toEqual([])
    const renamed = await t.ok('companies.update', { id: acme.id, name: 'Acme Inc' })
    expect(renamed.name).toBe('Acme Inc')
    expect(await t.ok('companies.delete', { id: acme.id })).toEqual({ id: acme.id, deleted: true })
    expect((await t.ok('contacts.get', { id: bob.id })).companyId).toBeNull()
    expect((await t.ok('contacts.get', { id: ann.id })).email).toBe('ann@acme.test')
    expect(await t.err('companies.get', { id: acme.id })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('bad input is refused in words', async () => {
    const { t } = await setup()
    expect(await t.err('companies.create', { name: '' })).toMatchObject({ code: 'VALIDATION', field: 'name', message: 'Give the company a name' })
    expect(await t.err('companies.create', { name: 'X', domain: 'not a domain' })).toMatchObject({ code: 'VALIDATION', field: 'domain', message: 'Not a valid domain, like acme.com' })
    expect(await t.err('companies.create', { name: 'X', objectId: 999 })).toMatchObject({ code: 'NOT_FOUND', field: 'objectId' })
  })
})
