// Phones on contacts (issue 17): any common form in, E.164 stored by the business's country, several per contact,
// errors in words for every bad number at once, search by any form, CSV import, and numbers from before 0020.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { freshEngine } from './helpers'

/** FTS5's own check that the search index matches its content (contacts.phone_search through the view). */
function searchIndexIntact(t: ReturnType<typeof freshEngine>): void {
  const { sqlite } = openDatabase(join(t.dataDir, 'switchboard.db'), findMigrationsDir())
  try {
    sqlite.prepare("INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)").run()
  } finally {
    sqlite.close()
  }
}

const search = async (t: ReturnType<typeof freshEngine>, query: string) => (await t.ok('contacts.list', { query })).items.map((c) => c.firstName)

describe('business country', () => {
  it('comes from the time zone until set, and is validated', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve', timezone: 'America/Chicago' })
    expect(o).toMatchObject({ country: 'US', countrySet: false })
    expect(await t.ok('objects.update', { id: o.id, country: 'gb' })).toMatchObject({ country: 'GB', countrySet: true })
    expect(await t.ok('objects.update', { id: o.id, country: null })).toMatchObject({ country: 'US', countrySet: false })
    expect(await t.err('objects.update', { id: o.id, country: 'ZZ' })).toMatchObject({ code: 'VALIDATION', field: 'country', message: 'Choose a country from the list' })
    expect(await t.ok('objects.create', { name: 'Utc' })).toMatchObject({ country: null, countrySet: false })
    expect(await t.ok('objects.create', { name: 'Paris', country: 'FR' })).toMatchObject({ country: 'FR', countrySet: true })
  })
})

describe('contacts with phones', () => {
  it('stores any common form as E.164 by the business country', async () => {
    const t = freshEngine()
    const us = await t.ok('objects.create', { name: 'Eve', timezone: 'America/New_York' })
    const a = await t.ok('contacts.create', { firstName: 'Ann', phone: '+1 (555) 555-0123', primaryObjectId: us.id })
    expect(a).toMatchObject({ phone: '+15555550123', phones: [{ number: '+15555550123', label: 'mobile', primary: true }] })
    const b = await t.ok('contacts.create', { firstName: 'Ben', phone: '555-555-0124', primaryObjectId: us.id })
    expect(b.phone).toBe('+15555550124')
    // another business's country reads the same digits differently
    const uk = await t.ok('objects.create', { name: 'Glow', country: 'GB' })
    expect((await t.ok('contacts.create', { firstName: 'Cat', phone: '020 7946 0958', primaryObjectId: uk.id })).phone).toBe('+442079460958')
    // two contacts may share a number (a household, a front desk)
    expect((await t.ok('contacts.create', { firstName: 'Dan', phone: '(555) 555-0123', primaryObjectId: us.id })).phone).toBe('+15555550123')
    expect(await t.ok('contacts.get', { id: a.id })).toEqual(a)
  })

  it('keeps several labelled numbers, one primary, first', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve', country: 'US' })
    const c = await t.ok('contacts.create', {
      firstName: 'Ann',
      primaryObjectId: o.id,
      phones: [
        { number: '555-555-0123', label: 'work' },
        { number: '+44 20 7946 0958', label: 'home', primary: true },
        { number: '555 555 0199' },
      ],
    })
    expect(c.phone).toBe('+442079460958')
    expect(c.phones).toEqual([
      { number: '+442079460958', label: 'home', primary: true },
      { number: '+15555550123', label: 'work', primary: false },
      { number: '+15555550199', label: 'mobile', primary: false },
    ])
    // `phone` alone changes the primary's number and keeps the rest
    const u = await t.ok('contacts.update', { id: c.id, phone: '555-555-0100' })
    expect(u.phones.map((p) => `${p.number} ${p.label} ${p.primary}`)).toEqual(['+15555550100 home true', '+15555550123 work false', '+15555550199 mobile false'])
    // naming a number it already has makes that one primary
    expect((await t.ok('contacts.update', { id: c.id, phone: '+1 555 555 0199' })).phones[0]).toEqual({ number: '+15555550199', label: 'mobile', primary: true })
    // '' removes the primary, the next one takes over
    const removed = await t.ok('contacts.update', { id: c.id, phone: '' })
    expect(removed.phone).toBe('+15555550123') // the others stay in the order they were added
    expect(removed.phones).toHaveLength(2)
    // a list replaces the list; an update without phones leaves them alone
    const replaced = await t.ok('contacts.update', { id: c.id, phones: [{ number: '555-555-0177', label: 'other' }] })
    expect(replaced.phones).toEqual([{ number: '+15555550177', label: 'other', primary: true }])
    expect((await t.ok('contacts.update', { id: c.id, lastName: 'Nguyen' })).phones).toEqual(replaced.phones)
    const none = await t.ok('contacts.update', { id: c.id, phones: [] })
    expect(none).toMatchObject({ phone: '', phones: [] })
    searchIndexIntact(t)
  })

  it('names every bad number at once, in words', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve', country: 'US' })
    const e = await t.err('contacts.create', {
      firstName: 'Ann',
      primaryObjectId: o.id,
      phones: [{ number: '555-0123' }, { number: '555-555-0123' }, { number: '+999 555 0123' }, { number: '+1 555 555 0123' }],
    })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'phones.0.number', message: 'That phone number has too few digits for the United States.' })
    expect(e.fields).toEqual([
      { field: 'phones.0.number', message: 'That phone number has too few digits for the United States.' },
      { field: 'phones.2.number', message: 'That phone number starts with a country code that does not exist.' },
      { field: 'phones.3.number', message: 'This number is already listed (phone 2)' },
    ])
    expect(await t.err('contacts.create', { firstName: 'Ann', primaryObjectId: o.id, phone: '5555550123999' })).toMatchObject({
      field: 'phone',
      message: 'That phone number has too many digits for the United States.',
    })
    // without a country, a national number cannot be read: the message says what to do
    const utc = await t.ok('objects.create', { name: 'Utc' })
    expect((await t.err('contacts.create', { firstName: 'Ann', primaryObjectId: utc.id, phone: '555-555-0123' })).message).toMatch(/country code, like \+1/)
    expect((await t.ok('contacts.create', { firstName: 'Ann', primaryObjectId: utc.id, phone: '+1 555 555 0123' })).phone).toBe('+15555550123')
    // letters are refused by the contract itself, with the other fields' problems
    const shape = await t.err('contacts.create', { email: 'ann@', primaryObjectId: o.id, phones: [{ number: 'call me', label: 'pager' }] })
    expect(shape.fields).toEqual([
      { field: 'email', message: 'Not a valid email address' },
      { field: 'phones.0.number', message: 'Not a valid phone number: use digits only, like +1 555 555 0123.' },
      { field: 'phones.0.label', message: 'Choose mobile, work, home or other' },
    ])
    // nothing was written by the refused calls
    expect((await t.ok('contacts.list', {})).total).toBe(1)
  })

  it('finds a contact by any form of any of its numbers, and forgets a removed one', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve', country: 'US' })
    const c = await t.ok('contacts.create', { firstName: 'Ann', primaryObjectId: o.id, phones: [{ number: '555-555-0123' }, { number: '+44 20 7946 0958', label: 'work' }] })
    await t.ok('contacts.create', { firstName: 'Ben', primaryObjectId: o.id, phone: '212-867-0100' })
    for (const q of ['555', '5555550123', '(555) 555-0123', '555-555-0123', '+15555550123', '+1 555 555 0123', '7946', '+44 20 7946 0958', '020 7946 0958'])
      expect(await search(t, q), q).toEqual(['Ann'])
    expect(await search(t, '212')).toEqual(['Ben'])
    expect(await search(t, '867-0100')).toEqual(['Ben'])
    await t.ok('contacts.update', { id: c.id, phones: [{ number: '555-555-0123' }] })
    expect(await search(t, '7946')).toEqual([])
    expect(await search(t, '555-555-0123')).toEqual(['Ann'])
    await t.ok('contacts.delete', { ids: [c.id] })
    expect(await search(t, '555-555-0123')).toEqual([])
    searchIndexIntact(t)
  })

  it('imports phones by the row business country; a bad phone is a row error, the rest imported', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve', country: 'US' })
    const csv = ['Name,Email,Work phone', 'Ann,ann@x.co,(555) 555-0123', 'Ben,ben@x.co,555-0123', 'Cy,cy@x.co,', 'Dee,dee@x.co,+44 20 7946 0958'].join('\n')
    const r = await t.ok('contacts.import', { csv, objectId: o.id, mapping: { Name: 'firstName', Email: 'email', 'Work phone': 'phone' } })
    expect(r).toEqual({ imported: 3, updated: 0, skipped: 1, errors: [{ row: 3, field: 'phone', message: '"555-0123" has too few digits for the United States.' }] })
    const ann = (await t.ok('contacts.list', { query: 'ann@x.co' })).items[0]!
    expect(ann.phones).toEqual([{ number: '+15555550123', label: 'work', primary: true }])
    expect(await search(t, '555-555-0123')).toEqual(['Ann'])
    expect((await t.ok('contacts.list', { query: 'dee@x.co' })).items[0]!.phone).toBe('+442079460958')
    // re-import with a new number: it becomes primary, the old one is kept
    await t.ok('contacts.import', { csv: 'email,mobile\nann@x.co,555 555 0199', objectId: o.id })
    const again = await t.ok('contacts.get', { id: ann.id })
    expect(again.phones).toEqual([
      { number: '+15555550199', label: 'mobile', primary: true },
      { number: '+15555550123', label: 'work', primary: false },
    ])
    expect(await search(t, '0199')).toEqual(['Ann'])
    searchIndexIntact(t)
  })
})

describe('numbers from before migration 0020', () => {
  it('are read into E.164 where they can be and kept as typed where not, searchable either way', async () => {
    // A database at 0018, with contacts as the old engine wrote them (phone as typed, indexed as typed).
    const dir = mkdtempSync(join(tmpdir(), 'sb-phones-'))
    const migrations = join(dir, 'migrations')
    cpSync(findMigrationsDir(), migrations, { recursive: true })
    const journalFile = join(migrations, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
    const full = structuredClone(journal)
    journal.entries = journal.entries.filter((e) => e.tag < '0020')
    writeFileSync(journalFile, JSON.stringify(journal))
    const dataDir = join(dir, 'data')
    mkdirSync(dataDir)
    const { sqlite } = openDatabase(join(dataDir, 'switchboard.db'), migrations)
    sqlite.prepare("INSERT INTO objects (name, timezone, created_at, updated_at) VALUES ('Eve', 'America/Chicago', 1, 1), ('Utc', 'UTC', 1, 1)").run()
    const add = sqlite.prepare("INSERT INTO contacts (primary_object_id, first_name, phone, sort_name, created_at, updated_at) VALUES (?, ?, ?, lower(?), 1, 1)")
    for (const [obj, name, phone] of [[1, 'Ann', '(555) 555-0123'], [1, 'Ben', '+1 555 0199'], [2, 'Cy', '555-555-0100'], [2, 'Dee', '+44 20 7946 0958'], [1, 'Eli', '']] as const) add.run(obj, name, phone, name)
    sqlite.prepare("INSERT INTO contacts_fts (rowid, email, first_name, last_name, company, phone) SELECT id, '', first_name, last_name, company, phone FROM contacts").run()
    sqlite.close()
    writeFileSync(journalFile, JSON.stringify(full))

    const t = freshEngine({ dataDir, migrationsDir: migrations })
    const byName = Object.fromEntries((await t.ok('contacts.list', {})).items.map((c) => [c.firstName, c]))
    expect(byName.Ann).toMatchObject({ phone: '+15555550123', phones: [{ number: '+15555550123', label: 'other', primary: true }] })
    expect(byName.Ben).toMatchObject({ phone: '+1 555 0199', phones: [{ number: '+1 555 0199', primary: true }] }) // too short to read
    expect(byName.Cy!.phone).toBe('555-555-0100') // its business has no country: kept as typed
    expect(byName.Dee!.phone).toBe('+442079460958')
    expect(byName.Eli).toMatchObject({ phone: '', phones: [] })
    expect(await search(t, '555-555-0123')).toEqual(['Ann'])
    expect(await search(t, '0199')).toEqual(['Ben'])
    expect(await search(t, '555-555-0100')).toEqual(['Cy'])
    expect(await search(t, '7946')).toEqual(['Dee'])
    // a number kept as typed can be given back unchanged with other edits; a new one must be readable
    expect((await t.ok('contacts.update', { id: byName.Ben!.id, phones: [{ number: '+1 555 0199', label: 'work' }, { number: '+1 555 555 0111' }] })).phones).toHaveLength(2)
    expect((await t.err('contacts.update', { id: byName.Ben!.id, phones: [{ number: '+1 555 0198' }] })).message).toMatch(/too few digits/)
    // the search index stayed consistent through the trigger swap (FTS5 integrity check)
    await t.engine.close()
    const check = openDatabase(join(dataDir, 'switchboard.db'), migrations).sqlite
    expect(() => check.prepare("INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow()
    expect(check.prepare("SELECT count(*) AS n FROM app_settings WHERE key = 'phones.normalizePending'").get()).toEqual({ n: 0 })
    check.close()
  })
})

describe('contacts.consent', () => {
  it('reads the current answer per channel for the composer', async () => {
    const t = freshEngine()
    const c = await t.ok('contacts.create', { firstName: 'Ann', phone: '+1 555 555 0123' })
    expect((await t.ok('contacts.consent', { id: c.id })).current).toEqual([])
    const { sqlite } = openDatabase(join(t.dataDir, 'switchboard.db'), findMigrationsDir())
    sqlite.prepare("INSERT INTO consent (contact_id, channel, status, source, at) VALUES (?, 'sms', 'revoked', 'inbound:STOP', ?)").run(c.id, Date.UTC(2026, 0, 2))
    sqlite.close()
    expect((await t.ok('contacts.consent', { id: c.id })).current).toEqual([{ contactId: c.id, channel: 'sms', status: 'revoked', source: 'inbound:STOP', at: '2026-01-02T00:00:00.000Z' }])
    expect(await t.err('contacts.consent', { id: 999 })).toMatchObject({ code: 'NOT_FOUND' })
  })
})
