// Capability 5 (issue 20): refused input names every invalid field at once, in words, never zod's own
// messages ("Too big: expected number to be <=65535").
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { fromZod } from '../src/main/engine/dispatch'
import { labelOf, wordsOf } from '../src/shared/zodWords'
import { freshEngine } from './helpers'

const RAW = /Too (big|small)|Invalid (input|option|string)|expected|<=|>=|Unrecognized/

const wordsFor = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input)
  if (r.success) throw new Error('expected a failure')
  return r.error.issues.map(wordsOf)
}

describe('zod issues in words', () => {
  it('says each kind with the field’s label and the limit', () => {
    const s = z
      .object({
        smtp: z.object({ port: z.number().int().min(1).max(65535) }),
        name: z.string().min(1).max(20),
        note: z.string().min(3),
        email: z.email(),
        tags: z.array(z.number()).min(1).max(2),
        kind: z.enum(['smtp', 'mailgun']),
        site: z.url(),
        code: z.string().regex(/^[a-z]+$/),
        dailyCapacity: z.number().max(100000),
        count: z.number().int(),
        gap: z.number().gt(0),
      })
      .strict()
    const words = wordsFor(s, { smtp: { port: 70000 }, name: '', note: 'ab', email: 'x', tags: [1, 2, 3], kind: 'fax', site: 'nope', code: 'A!', dailyCapacity: 200000, count: 1.5, gap: 0, extra: 1 })
    expect(words).toEqual([
      'SMTP port must be 65535 or less',
      'Name is required',
      'Note is too short: at least 3 characters',
      'Not a valid email address',
      'Tags: at most 2 items',
      'Kind must be one of: smtp, mailgun',
      'Site must be a web address, like https://example.com',
      'Code has characters that are not allowed here',
      'Daily sending limit must be 100,000 or less',
      'Count must be a whole number',
      'Gap must be more than 0',
      'Unknown field "extra"',
    ])
    for (const w of words) expect(w).not.toMatch(RAW)
  })

  it('missing and wrongly typed values, long text, empty lists', () => {
    const s = z.object({ firstName: z.string(), port: z.number(), bio: z.string().max(5), ids: z.array(z.number()).min(1) })
    expect(wordsFor(s, { port: 'x', bio: 'abcdefg', ids: [] })).toEqual([
      'First name is required',
      'Port must be a number',
      'Bio is too long: at most 5 characters',
      'Ids: pick at least one',
    ])
  })

  it('keeps a message the contract wrote itself', () => {
    expect(wordsFor(z.object({ email: z.string().min(1, 'Email is required') }), { email: '' })).toEqual(['Email is required'])
    expect(wordsFor(z.string().refine(() => false, 'Not a known time zone'), 'x')).toEqual(['Not a known time zone'])
  })

  it('labels nested paths as a person would', () => {
    expect(labelOf(['steps', 1, 'subject'])).toBe('Subject of step 2')
    expect(labelOf(['actions', 0, 'bodyHtml'])).toBe('Message of email 1')
    expect(labelOf(['imap', 'host'])).toBe('IMAP host')
    expect(labelOf(['fields', 'Shoe size'])).toBe('Shoe size')
    expect(labelOf(['minGapSeconds'])).toBe('Minimum gap')
  })

  it('fromZod returns every field, one message each, the first as message/field', () => {
    const s = z.object({ a: z.string().min(1).max(2), b: z.number() })
    const r = s.safeParse({ a: 'long', b: 'x' })
    const e = fromZod(r.error!)
    expect(e).toEqual({
      code: 'VALIDATION',
      message: 'A is too long: at most 2 characters',
      field: 'a',
      fields: [
        { field: 'a', message: 'A is too long: at most 2 characters' },
        { field: 'b', message: 'B must be a number' },
      ],
    })
  })
})

describe('dispatch refuses input with every invalid field', () => {
  it('a mailbox with a bad port, a bad email and no host: all three, in words', async () => {
    const t = freshEngine()
    const obj = await t.ok('objects.create', { name: 'Eve Beauty' })
    const e = await t.err('mailboxes.create', {
      objectId: obj.id,
      email: 'not an address',
      dailyCapacity: 0,
      smtp: { host: '', port: 70000, secure: 'none', user: 'u', password: 'p' },
    })
    expect(e.code).toBe('VALIDATION')
    const byField = Object.fromEntries((e.fields ?? []).map((f) => [f.field, f.message]))
    expect(byField).toMatchObject({
      email: 'Not a valid email address',
      dailyCapacity: 'At least 1 per day',
      'smtp.host': 'Host is required',
      'smtp.port': 'SMTP port must be 65535 or less',
    })
    expect(e.field).toBe(e.fields![0]!.field)
    expect(e.message).toBe(e.fields![0]!.message)
    for (const f of e.fields!) expect(f.message).not.toMatch(RAW)
  })

  it('a contact with several bad fields lists each of them', async () => {
    const t = freshEngine()
    const e = await t.err('contacts.create', { email: 'x@', firstName: 'a'.repeat(300), phone: 'call me', timezone: 'Mars/Base' })
    expect((e.fields ?? []).map((f) => f.field).sort()).toEqual(['email', 'firstName', 'phone', 'timezone'])
    for (const f of e.fields!) expect(f.message).not.toMatch(RAW)
  })
})

describe('hostile input', () => {
  it('a hundred thousand invalid ids cost one pass and a short answer (a quadratic pass would outlive the test timeout)', async () => {
    const t = freshEngine()
    const e = await t.err('contacts.addTag', { contactIds: Array.from({ length: 100_000 }, () => -1), tagId: 1 })
    expect(e.code).toBe('VALIDATION')
    expect(e.fields!.length).toBe(50)
    expect(e.fields![0]).toEqual({ field: 'contactIds.0', message: expect.any(String) })
    expect(e.message).not.toMatch(RAW)
  })
})
