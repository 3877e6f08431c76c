// Issue 22: the per-field versions that decide which write wins. A row's insert stamps all its columns with one
// version row ('*') on the desktop that pushed it and on the one that applied it; a later op on a field writes
// its own, and an op older than the insert loses.
import { describe, expect, it } from 'vitest'
import { ADMIN, STAFF, applyAsPull, freshDatabase, joinUrl, teamEngine, withFile } from './teamSetup'

const versionsOf = (rows: Array<{ field: string; position: number }>) => Object.fromEntries(rows.map((r) => [r.field, r.position]))

describe('team field versions', () => {
  it('stores one version for an insert, one per field after, and an op older than the insert changes nothing', async () => {
    const db = await freshDatabase()
    const a = teamEngine()
    await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [] })
    await a.ok('team.sync', {})
    const b = teamEngine()
    await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
    const ava = await a.ok('contacts.create', { email: 'ava@x.co', firstName: 'Ava', lastName: 'Nguyen' })
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    const read = (t: typeof a) =>
      withFile(t, (f) => versionsOf(f.prepare("SELECT field, position FROM team_field_versions WHERE tbl = 'contacts' AND row_key = ?").all(String(ava.id)) as never))
    const born = read(b)['*']!
    expect(born).toBeGreaterThan(0)
    expect(read(b)).toEqual({ '*': born })
    expect(read(a)).toEqual({ '*': born })

    // A later edit of one field: its own version, above the insert's.
    await a.ok('contacts.update', { id: ava.id, lastName: 'Nguyen-Smith' })
    await a.ok('team.sync', {})
    await b.ok('team.sync', {})
    const edited = read(b).last_name!
    expect(edited).toBeGreaterThan(born)
    // (the edit's name and who made it change with it)
    expect(read(b)).toEqual({ '*': born, last_name: edited, sort_name: edited, updated_by: edited })
    expect(await b.ok('contacts.get', { id: ava.id })).toMatchObject({ lastName: 'Nguyen-Smith' })

    // Ops older than the insert (first name) and than the edit (last name) lose; a newer one on the first name wins.
    const apply = (position: number, fields: Record<string, unknown>) =>
      applyAsPull(b, [{ position, id: `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`, deviceId: 999, tbl: 'contacts', rowKey: String(ava.id), kind: 'update', fields }], { moveCursor: false }).applied
    expect(apply(born - 1, { first_name: 'Old' })).toBe(0)
    expect(apply(edited - 1, { last_name: 'Older' })).toBe(0)
    expect(await b.ok('contacts.get', { id: ava.id })).toMatchObject({ firstName: 'Ava', lastName: 'Nguyen-Smith' })
    expect(apply(edited + 1_000_000, { first_name: 'Avery' })).toBe(1)
    expect(await b.ok('contacts.get', { id: ava.id })).toMatchObject({ firstName: 'Avery', lastName: 'Nguyen-Smith' })
    expect(read(b)).toEqual({ '*': born, last_name: edited, sort_name: edited, updated_by: edited, first_name: edited + 1_000_000 })
  })
})
