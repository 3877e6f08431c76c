// Defect 4 (issue 20): a CSV with the same email twice merged the rows silently, and two columns could
// both be mapped to Email. Duplicate rows are now row errors naming the first row; two columns on one
// field are refused, naming both.
import { describe, expect, it } from 'vitest'
import { duplicateEmailRows, duplicateTargets } from '../src/shared/importChecks'
import { freshEngine } from './helpers'

describe('import checks', () => {
  it('finds targets chosen twice, never ignore', () => {
    expect(duplicateTargets({ Email: 'email', Work: 'email', A: 'ignore', B: 'ignore', N: 'firstName' })).toEqual([{ target: 'email', headers: ['Email', 'Work'] }])
  })
  it('finds repeated emails per business, case-insensitively', () => {
    const rows = [
      { row: 2, email: 'a@x.test', business: '1' },
      { row: 3, email: 'A@X.test ', business: '1' },
      { row: 4, email: 'a@x.test', business: '2' },
      { row: 5, email: 'a@x.test', business: '1' },
    ]
    expect([...duplicateEmailRows(rows)]).toEqual([
      [3, 2],
      [5, 2],
    ])
  })
})

describe('contacts.import: duplicates', () => {
  it('reports a repeated email as a row error naming the first row, and imports that row only', async () => {
    const t = freshEngine()
    const obj = await t.ok('objects.create', { name: 'Eve Beauty' })
    const csv = 'Email,First name,Notes\nann@client.test,Ann,first\nbob@client.test,Bob,\nANN@client.test,Annie,second\n'
    const r = await t.ok('contacts.import', { csv, objectId: obj.id })
    expect(r).toMatchObject({ imported: 2, updated: 0, skipped: 1 })
    expect(r.errors).toEqual([{ row: 4, field: 'email', message: expect.stringContaining('row 2') }])
    const list = await t.ok('contacts.list', { query: 'ann@client.test' })
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({ firstName: 'Ann' })
  })

  it('the same email in two businesses (a Brand column mapped to the business) is two contacts, not a duplicate', async () => {
    const t = freshEngine()
    await t.ok('objects.create', { name: 'Eve Beauty' })
    await t.ok('objects.create', { name: 'Senova' })
    const r = await t.ok('contacts.import', { csv: 'Email,Brand\nann@client.test,Eve Beauty\nann@client.test,Senova\n' })
    expect(r).toMatchObject({ imported: 2, skipped: 0, errors: [] })
  })

  it('refuses two columns mapped to one field, naming both, and imports nothing', async () => {
    const t = freshEngine()
    const obj = await t.ok('objects.create', { name: 'Eve Beauty' })
    const csv = 'Email,Work email,Name,Nick\nann@client.test,ann@work.test,Ann,Annie\n'
    const e = await t.err('contacts.import', { csv, objectId: obj.id, mapping: { Email: 'email', 'Work email': 'email', Name: 'firstName', Nick: 'firstName' } })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'mapping.Work email' })
    expect(e.message).toContain('"Work email" and "Email" are both mapped to Email')
    expect(e.fields).toEqual([
      { field: 'mapping.Work email', message: expect.stringContaining('Email') },
      { field: 'mapping.Nick', message: '"Nick" and "Name" are both mapped to First name: choose one column for it' },
    ])
    expect((await t.ok('contacts.list', {})).total).toBe(0)
  })
})
