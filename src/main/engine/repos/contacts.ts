// Contact queries: row → model, the grid's list query (search, filters, keyset paging) and lookups.
import type { Contact, ContactPage, ListContacts } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import type { z } from 'zod'

export interface ContactRow {
  id: number
  primary_object_id: number | null
  email: string | null
  first_name: string
  last_name: string
  company: string
  phone: string
  timezone: string | null
  fields_json: string
  status: Contact['status']
  created_at: number
  updated_at: number
}

/** The grid's "name" sort key: "first last", or the email for nameless contacts. */
export const sortNameOf = (c: { firstName: string; lastName: string; email: string | null }): string =>
  `${c.firstName} ${c.lastName}`.trim().toLowerCase() || (c.email ?? '')

/** Adds tags and extra emails to rows with two queries, whatever the page size. */
export function hydrate(ctx: Ctx, rows: ContactRow[]): Contact[] {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const placeholders = ids.map(() => '?').join(',')
  const tagRows = ctx.sqlite
    .prepare(
      `SELECT ct.contact_id AS contactId, t.id, t.name, t.color FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
       WHERE ct.contact_id IN (${placeholders}) ORDER BY t.name COLLATE NOCASE`,
    )
    .all(...ids) as Array<{ contactId: number; id: number; name: string; color: string }>
  const emailRows = ctx.sqlite
    .prepare(`SELECT contact_id AS contactId, email FROM contact_emails WHERE contact_id IN (${placeholders}) ORDER BY id`)
    .all(...ids) as Array<{ contactId: number; email: string }>
  const tagsBy = group(tagRows, (t) => t.contactId)
  const emailsBy = group(emailRows, (e) => e.contactId)
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    company: r.company,
    phone: r.phone,
    timezone: r.timezone,
    primaryObjectId: r.primary_object_id,
    fields: JSON.parse(r.fields_json) as Record<string, string>,
    status: r.status,
    tags: (tagsBy.get(r.id) ?? []).map(({ id, name, color }) => ({ id, name, color })),
    extraEmails: (emailsBy.get(r.id) ?? []).map((e) => e.email),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }))
}

function group<T>(items: T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list) list.push(item)
    else out.set(k, [item])
  }
  return out
}

export function getContact(ctx: Ctx, id: number, field = 'id'): Contact {
  const row = ctx.sqlite.prepare('SELECT * FROM contacts WHERE id = ?').get(id) as ContactRow | undefined
  if (!row) throw new AppError('NOT_FOUND', `Contact ${id} does not exist`, field)
  return hydrate(ctx, [row])[0]
}

export function findByEmail(ctx: Ctx, objectId: number | null, email: string): { id: number } | undefined {
  return ctx.sqlite.prepare('SELECT id FROM contacts WHERE ifnull(primary_object_id, 0) = ? AND email = ?').get(objectId ?? 0, email) as
    | { id: number }
    | undefined
}

// Each sort key is an indexed expression; the id breaks ties so paging is stable.
const SORT_EXPR = {
  name: 'c.sort_name',
  email: "ifnull(c.email, '')",
  company: 'c.company COLLATE NOCASE',
  createdAt: 'c.created_at',
  updatedAt: 'c.updated_at',
} as const

type ListInput = z.output<typeof ListContacts>

export function listContacts(ctx: Ctx, input: ListInput): ContactPage {
  const where: string[] = []
  const params: unknown[] = []
  if (input.objectId === null) where.push('c.primary_object_id IS NULL')
  else if (input.objectId !== undefined) where.push('c.primary_object_id = ?'), params.push(input.objectId)
  if (input.status) where.push('c.status = ?'), params.push(input.status)
  if (input.tagId !== undefined) where.push('EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ?)'), params.push(input.tagId)
  addSearch(input.query ?? '', where, params)

  const filter = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = (ctx.sqlite.prepare(`SELECT count(*) AS n FROM contacts c ${filter}`).get(...params) as { n: number }).n

  const expr = SORT_EXPR[input.sort.field]
  const dir = input.sort.dir === 'desc' ? 'DESC' : 'ASC'
  const pageWhere = [...where]
  const pageParams = [...params]
  if (input.cursor) {
    const [value, id] = decodeCursor(input.cursor)
    const cmp = dir === 'ASC' ? '>' : '<'
    pageWhere.push(`(${expr} ${cmp} ? OR (${expr} = ? AND c.id ${cmp} ?))`)
    pageParams.push(value, value, id)
  }
  const rows = ctx.sqlite
    .prepare(
      `SELECT c.*, ${expr} AS sort_key FROM contacts c ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
       ORDER BY ${expr} ${dir}, c.id ${dir} LIMIT ?`,
    )
    .all(...pageParams, input.limit + 1) as Array<ContactRow & { sort_key: string | number }>
  const more = rows.length > input.limit
  const page = more ? rows.slice(0, input.limit) : rows
  const last = page[page.length - 1]
  return { items: hydrate(ctx, page), total, nextCursor: more && last ? encodeCursor(last.sort_key, last.id) : null }
}

/** Words of 3+ characters use the trigram index; shorter ones fall back to LIKE. All words must match. */
function addSearch(query: string, where: string[], params: unknown[]): void {
  const words = query.split(/\s+/).filter(Boolean).slice(0, 8)
  const long = words.filter((w) => w.length >= 3)
  if (long.length) {
    where.push('c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)')
    params.push(long.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND '))
  }
  for (const w of words.filter((w) => w.length < 3)) {
    const like = `%${w.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
    where.push(
      "(ifnull(c.email,'') LIKE ? ESCAPE '\\' OR c.first_name LIKE ? ESCAPE '\\' OR c.last_name LIKE ? ESCAPE '\\' OR c.company LIKE ? ESCAPE '\\')",
    )
    params.push(like, like, like, like)
  }
}

function encodeCursor(value: string | number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url')
}

function decodeCursor(cursor: string): [string | number, number] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(parsed) && parsed.length === 2 && ['string', 'number'].includes(typeof parsed[0]) && Number.isInteger(parsed[1]))
      return parsed as [string | number, number]
  } catch {
    // fall through to the coded error
  }
  throw new AppError('VALIDATION', 'The page cursor is not valid; start again from the first page', 'cursor')
}
