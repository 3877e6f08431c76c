// Search + tag picks its plan from the number of matching ids: few are sorted directly; many walk the sort index,
// and a walk that hasn't filled the page within its bound (matches clustered late in the sort order) falls back to
// sorting them. Whatever the plan, pages must equal the plain answer: filter, sort by key then id, page by cursor.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'

const N = 32_000
const LATE = 2_400 // the last LATE rows match "zedd" and sort last by name, company and creation

function csv(): string {
  const lines = ['First Name,Last Name,Email,Company,Tags']
  for (let i = 0; i < N; i++) {
    const late = i >= N - LATE
    const early = !late && i % 997 === 0 // a few matches early in every sort order
    const match = late || early
    const first = late ? (i % 3 ? 'Zoe' : 'zoe') : ['Ann', 'Bob', 'cat'][i % 3]
    const last = match ? 'Zedd' : ['Smith', 'Kim'][i % 2]
    // Mixed case: the company sort is NOCASE, so 'beta co' sorts between 'Acme' and 'Zeta Ltd'.
    const company = late ? (i % 4 ? 'Zeta Ltd' : 'zeta ltd') : ['Acme', 'beta co', ''][i % 3]
    const tags = [match ? i % 10 !== 3 && 'VIP' : i % 2 === 0 && 'VIP', i % 50 === 0 && 'Rare'].filter(Boolean).join(';')
    lines.push([first, last, `p${i}@x${i % 7}.co`, company, tags].join(','))
  }
  return lines.join('\n')
}

type Field = 'name' | 'email' | 'company' | 'createdAt' | 'updatedAt'
interface Row {
  id: number
  sort_name: string
  email: string | null
  company: string
  created_at: number
  updated_at: number
  last_name: string
  first_name: string
}

/** The answer computed the plain way, in JS, from the raw rows (ASCII data: BINARY is code-unit order). */
function expected(rows: Row[], tagged: Set<number>, words: string[], field: Field, dir: 'asc' | 'desc'): number[] {
  const key = (r: Row): string | number =>
    field === 'name' ? r.sort_name : field === 'email' ? (r.email ?? '') : field === 'company' ? r.company.toLowerCase() : field === 'createdAt' ? r.created_at : r.updated_at
  const hit = (r: Row) => words.every((w) => [r.first_name, r.last_name].some((v) => v.toLowerCase().startsWith(w)))
  const cmp = (a: Row, b: Row) => {
    const ka = key(a)
    const kb = key(b)
    return (ka < kb ? -1 : ka > kb ? 1 : 0) || a.id - b.id
  }
  const out = rows.filter((r) => tagged.has(r.id) && hit(r)).sort(cmp)
  return (dir === 'asc' ? out : out.reverse()).map((r) => r.id)
}

async function pages(t: TestEngine, input: Record<string, unknown>, limit: number) {
  const ids: number[] = []
  const totals = new Set<number>()
  let cursor: string | undefined
  let calls = 0
  do {
    const page = await t.ok('contacts.list', { ...input, limit, ...(cursor ? { cursor } : {}) } as never)
    expect(page.items.length).toBeLessThanOrEqual(limit)
    if (page.nextCursor) expect(page.items).toHaveLength(limit)
    ids.push(...page.items.map((c) => c.id))
    totals.add(page.total)
    cursor = page.nextCursor ?? undefined
    calls++
  } while (cursor && calls < 100)
  return { ids, totals: [...totals] }
}

describe('contacts.list search + tag plans', () => {
  it('pages identically whether matches come early or late in the sort order', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Plans' })
    const res = await t.ok('contacts.import', { csv: csv(), objectId: o.id })
    expect(res.imported).toBe(N)
    const tags = await t.ok('tags.list', {})
    const vip = tags.find((x) => x.name === 'VIP')!.id
    const rare = tags.find((x) => x.name === 'Rare')!.id

    const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true })
    const rows = db.prepare('SELECT id, sort_name, email, company, created_at, updated_at, first_name, last_name FROM contacts').all() as Row[]
    const tagged = (tagId: number) => new Set((db.prepare('SELECT contact_id FROM contact_tags WHERE tag_id = ?').pluck().all(tagId) as number[]))
    const byTag = new Map([
      [vip, tagged(vip)],
      [rare, tagged(rare)],
    ])
    db.close()

    const cases: Array<[string, number, string[]]> = [
      ['zedd', vip, ['zedd']], // > 2000 ids: walks the index, falls back when they sit last
      ['zoe zedd', vip, ['zoe', 'zedd']],
      ['zedd', rare, ['zedd']], // few ids: sorted directly
    ]
    const sorts: Array<[Field, 'asc' | 'desc']> = [
      ['name', 'asc'],
      ['name', 'desc'],
      ['company', 'asc'],
      ['company', 'desc'],
      ['email', 'asc'],
      ['email', 'desc'],
      ['createdAt', 'asc'],
      ['createdAt', 'desc'],
    ]
    for (const [query, tagId, words] of cases) {
      for (const [field, dir] of sorts) {
        const want = expected(rows, byTag.get(tagId)!, words, field, dir)
        expect(want.length).toBeGreaterThan(0)
        for (const filter of [{}, { objectId: o.id }]) {
          const got = await pages(t, { query, tagId, sort: { field, dir }, ...filter }, 500)
          expect({ query, field, dir, totals: got.totals }).toEqual({ query, field, dir, totals: [want.length] })
          expect(got.ids).toEqual(want)
        }
      }
    }
    // Another object's filter leaves nothing, with either plan.
    const other = await t.ok('objects.create', { name: 'Other' })
    const none = await t.ok('contacts.list', { query: 'zedd', tagId: vip, objectId: other.id })
    expect(none).toMatchObject({ items: [], total: 0, nextCursor: null })
  }, 60_000)
})
