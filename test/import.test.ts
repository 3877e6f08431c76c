import { describe, expect, it } from 'vitest'
import { guessMapping, parseCsv } from '../src/shared/csv'
import { freshEngine } from './helpers'

describe('parseCsv', () => {
  it('reads quotes, escaped quotes, embedded newlines, CRLF, a BOM and blank lines', () => {
    const text = '\uFEFFname,note\r\n"Smith, Jo","said ""hi""\nthen left"\r\n\r\nAl,plain\n'
    expect(parseCsv(text)).toEqual([
      ['name', 'note'],
      ['Smith, Jo', 'said "hi"\nthen left'],
      ['Al', 'plain'],
    ])
  })
  it('detects ; and tab delimiters from the header', () => {
    expect(parseCsv('a;b\n1;2')).toEqual([['a', 'b'], ['1', '2']])
    expect(parseCsv('a\tb\n1\t2')).toEqual([['a', 'b'], ['1', '2']])
  })
  it('never throws on malformed input', () => {
    expect(parseCsv('"unterminated,x\ny')).toEqual([['unterminated,x\ny']])
    expect(parseCsv('a"b,c')).toEqual([['a"b', 'c']])
  })
})

describe('guessMapping', () => {
  it('maps common header spellings and keeps the rest as custom fields', () => {
    expect(guessMapping(['first_name', 'Last Name', 'E-mail Address', 'Company', 'Mobile', 'Tags', 'Favourite colour!', 'firstName'])).toEqual({
      first_name: 'firstName',
      'Last Name': 'lastName',
      'E-mail Address': 'email',
      Company: 'company',
      Mobile: 'phone',
      Tags: 'tags',
      'Favourite colour!': 'fields.Favourite colour',
      firstName: 'ignore',
    })
  })
})

describe('contacts.import', () => {
  it('imports, updates on re-import, reports bad rows by spreadsheet row and field', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve' })
    const csv = [
      'First Name,Last Name,Email,Phone,Tags,Birthday',
      'Ava,Nguyen,ava@x.co,+1 555 555 0100,VIP;Holiday Form,1990-02-03',
      'Ben,,not-an-email,,,',
      'Cy,Zhou,cy@x.co,call me,,',
      ',Dee,DEE@x.co,,VIP,',
    ].join('\n')
    const r = await t.ok('contacts.import', { csv, objectId: o.id })
    expect(r).toEqual({
      imported: 2,
      updated: 0,
      skipped: 2,
      errors: [
        { row: 3, field: 'email', message: '"not-an-email" is not a valid email address' },
        { row: 4, field: 'phone', message: '"call me" is not a valid phone number: use digits only, like +1 555 555 0123.' },
      ],
    })
    const ava = (await t.ok('contacts.list', { query: 'ava@x.co' })).items[0]
    expect(ava).toMatchObject({ firstName: 'Ava', primaryObjectId: o.id, fields: { Birthday: '1990-02-03' } })
    expect(ava.tags.map((x) => x.name)).toEqual(['Holiday Form', 'VIP'])

    // Re-import: blank cells keep what is there; new values win; custom fields merge.
    const again = await t.ok('contacts.import', { csv: 'email,company,first name\nava@x.co,Glow,\nnew@x.co,,New', objectId: o.id })
    expect(again).toEqual({ imported: 1, updated: 1, skipped: 0, errors: [] })
    expect(await t.ok('contacts.get', { id: ava.id })).toMatchObject({ firstName: 'Ava', company: 'Glow', fields: { Birthday: '1990-02-03' } })
  })

  it('honours an explicit mapping, an object column, and extra tags', async () => {
    const t = freshEngine()
    await t.ok('objects.create', { name: 'Hana Beauty' })
    const tag = await t.ok('tags.create', { name: 'Imported' })
    const csv = 'Who,Addr,Biz\nAl,al@x.co,hana beauty\nBo,bo@x.co,Nobody Inc'
    const r = await t.ok('contacts.import', { csv, mapping: { Who: 'firstName', Addr: 'email', Biz: 'object' }, tagIds: [tag.id] })
    expect(r).toEqual({ imported: 1, updated: 0, skipped: 1, errors: [{ row: 3, field: 'object', message: 'No object is named "Nobody Inc"' }] })
    expect((await t.ok('contacts.list', { tagId: tag.id })).items.map((c) => c.firstName)).toEqual(['Al'])
  })

  it('counts every skipped row even when the error list is capped', async () => {
    const t = freshEngine()
    const csv = 'email\n' + Array.from({ length: 1500 }, (_, i) => `bad${i}`).join('\n') + '\nok@x.co'
    const r = await t.ok('contacts.import', { csv })
    expect(r).toMatchObject({ imported: 1, skipped: 1500 })
    expect(r.errors).toHaveLength(1000)
  })

  it('refuses files it cannot import with a clear, coded error', async () => {
    const t = freshEngine()
    expect(await t.err('contacts.import', { csv: 'name,company\nAl,X' })).toMatchObject({ code: 'VALIDATION', field: 'mapping' })
    expect(await t.err('contacts.import', { csv: 'email\n' })).toMatchObject({ code: 'VALIDATION', field: 'csv' })
    expect(await t.err('contacts.import', { csv: 'email\na@x.co', mapping: { Nope: 'email' } })).toMatchObject({ field: 'mapping.Nope' })
    expect(await t.err('contacts.import', { csv: 'email\na@x.co', mapping: { email: 'password' } })).toMatchObject({ field: 'mapping.email' })
    expect(await t.err('contacts.import', { csv: 'email\na@x.co', objectId: 77 })).toMatchObject({ code: 'NOT_FOUND', field: 'objectId' })
  })

  it('survives hostile rows: ragged, huge, binary', async () => {
    const t = freshEngine()
    const csv = ['email,first name', 'a@x.co,A,extra,cells', 'b@x.co', '\u0000\u0001,zz', `c@x.co,${'x'.repeat(5000)}`].join('\n')
    const r = await t.ok('contacts.import', { csv })
    expect(r.imported).toBe(2)
    expect(r.skipped).toBe(2)
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'csv'],
      [4, 'email'],
    ])
    expect((await t.ok('contacts.list', { query: 'c@x.co' })).items[0].firstName).toHaveLength(120)
  })
})
