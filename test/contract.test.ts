import { describe, expect, it } from 'vitest'
import { contract } from '../src/shared/contract'
import { freshEngine } from './helpers'

describe('contract boundary', () => {
  it('answers every contract method with a handler (no method falls through to INTERNAL)', async () => {
    const t = freshEngine()
    for (const method of Object.keys(contract)) {
      // Garbage input must come back as a coded validation error, never a crash or a missing handler.
      const r = await t.call(method, { definitelyNotAField: 1 })
      if (!r.ok) expect(['VALIDATION', 'NOT_FOUND', 'CONFLICT'], `${method}: ${r.error.message}`).toContain(r.error.code)
    }
  })

  it('refuses unknown methods and non-object input with VALIDATION', async () => {
    const t = freshEngine()
    expect(await t.err('contacts.explode', {})).toMatchObject({ code: 'VALIDATION', field: 'method' })
    expect(await t.err('contacts.create', 'not an object')).toMatchObject({ code: 'VALIDATION' })
    expect(await t.err('objects.create', { name: 'x', extra: true })).toMatchObject({ code: 'VALIDATION' })
  })

  it('names the offending field, nested ones with a dotted path', async () => {
    const t = freshEngine()
    expect(await t.err('objects.create', {})).toEqual({ code: 'VALIDATION', message: 'Name is required', field: 'name' })
    expect(await t.err('objects.create', { name: 'A', timezone: 'Mars/Olympus' })).toMatchObject({ code: 'VALIDATION', field: 'timezone' })
    const o = await t.ok('objects.create', { name: 'A' })
    const e = await t.err('mailboxes.create', {
      objectId: o.id,
      email: 'a@b.co',
      smtp: { host: 'smtp.b.co', port: 70000, secure: 'tls', user: 'u', password: 'p' },
    })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'smtp.port' })
    expect(await t.err('contacts.create', { email: 'nope' })).toEqual({ code: 'VALIDATION', message: 'Not a valid email address', field: 'email' })
  })

  it('serialises writes: concurrent creates never interleave and all land', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'A' })
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.call('contacts.create', { email: `p${i % 20}@x.co`, primaryObjectId: o.id })),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(20)
    expect(results.filter((r) => !r.ok && r.error.code === 'CONFLICT')).toHaveLength(20)
    expect((await t.ok('contacts.list', {})).total).toBe(20)
  })

  it('reports an unexpected failure as INTERNAL without leaking input', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'A' })
    // Close the database behind the engine's back so the handler itself throws.
    await t.engine.close()
    const r = await t.call('objects.update', { id: o.id, name: 'B' })
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })
})
