import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'

async function people(t: TestEngine) {
  const o = await t.ok('objects.create', { name: 'Eve' })
  const rows = [
    ['ava@x.co', 'Ava', 'Nguyen', 'Glow Studio'],
    ['ben@x.co', 'Ben', 'Adams', 'Harbor Dental'],
    ['cy@x.co', 'Cy', 'Zhou', 'Bloom & Co'],
    ['dee@y.org', 'Dee', 'Nguyen', ''],
    ['eli@y.org', '', '', 'Zed Corp'],
  ]
  const ids: number[] = []
  for (const [email, firstName, lastName, company] of rows) {
    t.clock.advance(1000)
    ids.push((await t.ok('contacts.create', { email, firstName, lastName, company, primaryObjectId: o.id })).id)
  }
  return { o, ids }
}

describe('contacts', () => {
  it('creates, gets, updates and deletes with tags, extra emails and custom fields', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve' })
    const tag = await t.ok('tags.create', { name: 'VIP' })
    const c = await t.ok('contacts.create', {
      email: ' Ava@Example.COM ',
      firstName: 'Ava',
      phone: '+1 (555) 010-2030',
      timezone: 'Europe/London',
      primaryObjectId: o.id,
      fields: { 'Favourite service': 'Facial' },
      extraEmails: ['ava.work@example.com'],
      tagIds: [tag.id],
    })
    expect(c).toMatchObject({
      email: 'ava@example.com',
      status: 'active',
      tags: [{ id: tag.id, name: 'VIP' }],
      extraEmails: ['ava.work@example.com'],
      fields: { 'Favourite service': 'Facial' },
    })
    const u = await t.ok('contacts.update', { id: c.id, lastName: 'Nguyen', fields: {} })
    expect(u).toMatchObject({ firstName: 'Ava', lastName: 'Nguyen', fields: {}, tags: [{ name: 'VIP' }] })
    expect(await t.ok('contacts.get', { id: c.id })).toEqual(u)
    expect(await t.ok('contacts.delete', { ids: [c.id] })).toEqual({ deleted: 1 })
    expect(await t.err('contacts.get', { id: c.id })).toMatchObject({ code: 'NOT_FOUND', field: 'id' })
  })

  it('keeps email unique per object, case-insensitively, but allows it in another object', async () => {
    const t = freshEngine()
    const a = await t.ok('objects.create', { name: 'A' })
    const b = await t.ok('objects.create', { name: 'B' })
    await t.ok('contacts.create', { email: 'sam@x.co', primaryObjectId: a.id })
    expect(await t.err('contacts.create', { email: 'SAM@x.co', primaryObjectId: a.id })).toMatchObject({ code: 'CONFLICT', field: 'email' })
    const other = await t.ok('contacts.create', { email: 'sam@x.co', primaryObjectId: b.id })
    expect(await t.err('contacts.update', { id: other.id, primaryObjectId: a.id })).toMatchObject({ code: 'CONFLICT' })
    await t.ok('contacts.create', { email: 'sam@x.co' })
    expect(await t.err('contacts.create', { email: 'sam@x.co', primaryObjectId: null })).toMatchObject({ code: 'CONFLICT' })
  })

  it('rejects bad fields with the field named', async () => {
    const t = freshEngine()
    expect(await t.err('contacts.create', {})).toMatchObject({ code: 'VALIDATION', field: 'email' })
    expect(await t.err('contacts.create', { email: 'a@x.co', phone: 'call me' })).toMatchObject({ field: 'phone' })
    expect(await t.err('contacts.create', { email: 'a@x.co', timezone: 'Nowhere/Land' })).toMatchObject({ field: 'timezone' })
    expect(await t.err('contacts.create', { email: 'a@x.co', fields: { 'bad{key}': 'x' } })).toMatchObject({ field: 'fields.bad{key}' })
    expect(await t.err('contacts.create', { email: 'a@x.co', primaryObjectId: 42 })).toMatchObject({ code: 'NOT_FOUND', field: 'primaryObjectId' })
    expect(await t.err('contacts.update', { id: 1, status: 'vip' })).toMatchObject({ field: 'status' })
  })

  it('suppresses the address when a contact unsubscribes', async () => {
    const t = freshEngine()
    const c = await t.ok('contacts.create', { email: 'out@x.co' })
    await t.ok('contacts.update', { id: c.id, status: 'unsubscribed' })
    expect((await t.ok('contacts.get', { id: c.id })).status).toBe('unsubscribed')
    const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true })
    expect(db.prepare('SELECT email, reason FROM suppressions').all()).toEqual([{ email: 'out@x.co', reason: 'unsubscribed' }])
    db.close()
  })
})

describe('contacts.list', () => {
  it('searches by substring across name, email and company', async () => {
    const t = freshEngine()
    await people(t)
    const emails = async (query: string) => (await t.ok('contacts.list', { query })).items.map((c) => c.email)
    expect(await emails('nguyen')).toEqual(['ava@x.co', 'dee@y.org'])
    expect(await emails('harbor')).toEqual(['ben@x.co'])
    expect(await emails('y.org')).toEqual(['dee@y.org', 'eli@y.org'])
    expect(await emails('cy')).toEqual(['cy@x.co']) // a word prefix of any length
    expect(await emails('ngu')).toEqual(['ava@x.co', 'dee@y.org'])
    expect(await emails('(*^')).toEqual(['ava@x.co', 'ben@x.co', 'cy@x.co', 'dee@y.org', 'eli@y.org']) // nothing searchable
    expect(await emails('ava nguyen')).toEqual(['ava@x.co'])
    expect(await emails('"quoted"')).toEqual([])
    expect((await t.ok('contacts.list', { query: 'nguyen' })).total).toBe(2)
  })

  it('keeps search in step with creates, updates, deletes and imports, folding accents', async () => {
    const t = freshEngine()
    const hits = async (query: string) => (await t.ok('contacts.list', { query })).total
    const c = await t.ok('contacts.create', { email: 'jose@x.co', firstName: 'José' })
    expect(await hits('jose')).toBe(1)
    await t.ok('contacts.update', { id: c.id, firstName: 'Beatrix' })
    expect(await hits('beat')).toBe(1)
    expect(await hits('jose')).toBe(1) // still in the email
    await t.ok('contacts.update', { id: c.id, email: 'bea@x.co' })
    expect(await hits('jose')).toBe(0)
    await t.ok('contacts.import', { csv: 'email,company\nzed@x.co,Zanzibar Spa' })
    expect(await hits('zanz')).toBe(1)
    await t.ok('contacts.delete', { ids: [c.id] })
    expect(await hits('beat')).toBe(0)
  })

  it('sorts by each column both ways, nameless contacts by email', async () => {
    const t = freshEngine()
    await people(t)
    const first = async (field: 'name' | 'email' | 'company' | 'createdAt', dir: 'asc' | 'desc') =>
      (await t.ok('contacts.list', { sort: { field, dir } })).items.map((c) => c.email)
    expect(await first('name', 'asc')).toEqual(['ava@x.co', 'ben@x.co', 'cy@x.co', 'dee@y.org', 'eli@y.org'])
    expect((await first('company', 'asc'))[0]).toBe('dee@y.org') // blank company first
    expect((await first('company', 'desc'))[0]).toBe('eli@y.org')
    expect(await first('createdAt', 'desc')).toEqual(['eli@y.org', 'dee@y.org', 'cy@x.co', 'ben@x.co', 'ava@x.co'])
    expect((await first('email', 'desc'))[0]).toBe('eli@y.org')
  })

  it('pages with a cursor without gaps or repeats, and rejects a forged cursor', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Big' })
    await t.ok('contacts.import', { csv: 'email,first name\n' + Array.from({ length: 250 }, (_, i) => `p${i}@x.co,Same`).join('\n'), objectId: o.id })
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await t.ok('contacts.list', { limit: 60, sort: { field: 'name', dir: 'desc' }, ...(cursor ? { cursor } : {}) })
      expect(page.total).toBe(250)
      seen.push(...page.items.map((c) => c.email!))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toHaveLength(250)
    expect(new Set(seen).size).toBe(250)
    expect(await t.err('contacts.list', { cursor: 'garbage!' })).toMatchObject({ code: 'VALIDATION', field: 'cursor' })
  })

  it('gives the same answers whichever plan a broad or narrow search takes', async () => {
    const t = freshEngine()
    const rows = Array.from({ length: 2600 }, (_, i) => `p${i}@x.co,${i % 2 ? 'Acme' : 'Other'} Ltd,Name${String(i).padStart(4, '0')}`)
    await t.ok('contacts.import', { csv: 'email,company,first name\n' + rows.join('\n') })
    for (const [query, expected] of [['ltd', 2600], ['acme', 1300], ['name0007', 1]] as const) {
      const seen: string[] = []
      let cursor: string | undefined
      do {
        const page = await t.ok('contacts.list', { query, limit: 500, ...(cursor ? { cursor } : {}) })
        expect(page.total).toBe(expected)
        seen.push(...page.items.map((c) => c.firstName))
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      expect(seen).toHaveLength(expected)
      expect(seen).toEqual([...seen].sort())
    }
  })

  it('filters by object, unassigned, tag and status', async () => {
    const t = freshEngine()
    const { o, ids } = await people(t)
    await t.ok('contacts.create', { email: 'loose@x.co' })
    const vip = await t.ok('tags.create', { name: 'VIP' })
    expect(await t.ok('contacts.addTag', { contactIds: [ids[0], ids[2], ids[2]], tagId: vip.id })).toEqual({ changed: 2 })
    expect((await t.ok('contacts.list', { tagId: vip.id })).items.map((c) => c.email)).toEqual(['ava@x.co', 'cy@x.co'])
    expect((await t.ok('contacts.list', { objectId: o.id })).total).toBe(5)
    expect((await t.ok('contacts.list', { objectId: null })).items.map((c) => c.email)).toEqual(['loose@x.co'])
    expect((await t.ok('contacts.list', { tagId: vip.id, query: 'zhou' })).total).toBe(1)
    expect(await t.ok('contacts.removeTag', { contactIds: [ids[0]], tagId: vip.id })).toEqual({ changed: 1 })
    expect((await t.ok('tags.list', {})).find((x) => x.id === vip.id)?.contactCount).toBe(1)
    expect(await t.err('contacts.addTag', { contactIds: [9999], tagId: vip.id })).toMatchObject({ code: 'NOT_FOUND', field: 'contactIds' })
    expect(await t.err('contacts.addTag', { contactIds: [], tagId: vip.id })).toMatchObject({ code: 'VALIDATION', field: 'contactIds' })
    await t.ok('contacts.update', { id: ids[1], status: 'bounced' })
    expect((await t.ok('contacts.list', { status: 'bounced' })).items.map((c) => c.email)).toEqual(['ben@x.co'])
  })
})

describe('tags', () => {
  it('creates unique names with rotating colours', async () => {
    const t = freshEngine()
    const a = await t.ok('tags.create', { name: 'Holiday Form' })
    const b = await t.ok('tags.create', { name: 'VIP', color: 'red' })
    expect(a.color).not.toBe(b.color)
    expect(b.color).toBe('red')
    expect(await t.err('tags.create', { name: 'holiday form' })).toMatchObject({ code: 'CONFLICT', field: 'name' })
    expect(await t.err('tags.create', { name: 'x', color: 'chartreuse' })).toMatchObject({ field: 'color' })
  })
})
