// contacts.emailsChanged: emitted inside the write's transaction whenever a contact is created or imported, or its
// addresses (or the business they are matched in) change, so stored mail can be linked on the write side.
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'

function listen(t: TestEngine): number[][] {
  const seen: number[][] = []
  t.engine.hooks.on('contacts.emailsChanged', ({ contactIds }) => seen.push(contactIds))
  return seen
}

describe('contacts.emailsChanged', () => {
  it('fires on create and on every change of the addresses, and not on other edits', async () => {
    const t = freshEngine()
    const a = await t.ok('objects.create', { name: 'Eve' })
    const b = await t.ok('objects.create', { name: 'Bloom' })
    const seen = listen(t)
    const c = await t.ok('contacts.create', { email: 'ann@client.test', primaryObjectId: a.id, extraEmails: ['ann@work.test'] })
    expect(seen).toEqual([[c.id]])

    await t.ok('contacts.update', { id: c.id, firstName: 'Ann', status: 'unsubscribed', fields: { Plan: 'Gold' } })
    await t.ok('contacts.update', { id: c.id, extraEmails: ['ann@work.test'] }) // the same list again
    expect(seen).toHaveLength(1)

    await t.ok('contacts.update', { id: c.id, email: 'ann@new.test' })
    await t.ok('contacts.update', { id: c.id, extraEmails: ['ann@work.test', 'ann@home.test'] })
    await t.ok('contacts.update', { id: c.id, extraEmails: [] })
    // Mail is matched within the contact's business: moving it changes which stored mail is its.
    await t.ok('contacts.update', { id: c.id, primaryObjectId: b.id })
    await t.ok('contacts.update', { id: c.id, email: null })
    expect(seen).toEqual(Array(6).fill([c.id]))
  })

  it('fires once per import chunk for the contacts it created, not for the ones it updated', async () => {
    const t = freshEngine()
    const seen = listen(t)
    await t.ok('contacts.import', { csv: 'email,first name\nann@client.test,Ann\nbob@client.test,Bob\n' })
    const ids = (await t.ok('contacts.list', {})).items.map((c) => c.id).sort()
    expect(seen.map((s) => [...s].sort())).toEqual([ids])
    // Re-importing updates names only: no address changed.
    await t.ok('contacts.import', { csv: 'email,first name\nann@client.test,Annie\ncy@client.test,Cy\n' })
    const cy = (await t.ok('contacts.list', { query: 'cy' })).items[0]!
    expect(seen.slice(1)).toEqual([[cy.id]])
  })

  it('runs inside the write: a listener that throws undoes the contact', async () => {
    const t = freshEngine()
    t.engine.hooks.on('contacts.emailsChanged', () => {
      throw new Error('linking failed')
    })
    expect(await t.err('contacts.create', { email: 'ann@client.test' })).toMatchObject({ code: 'INTERNAL' })
    expect((await t.ok('contacts.list', {})).total).toBe(0)
    expect(await t.err('contacts.import', { csv: 'email\nbob@client.test\n' })).toMatchObject({ code: 'INTERNAL' })
    expect((await t.ok('contacts.list', {})).total).toBe(0)
  })
})
