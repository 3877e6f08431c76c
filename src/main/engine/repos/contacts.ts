// Contact queries: row → model, the grid's list query (search, filters, keyset paging) and lookups.
import type { Contact, ContactPage, ListContacts } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import { groupBy } from '../../../shared/groupBy'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { decodeCursor, encodeCursor } from './cursor'
import { countingWhere, type GridSegment } from './segmentSql'
// issue 17: several phones per contact
import { phonesOf } from './contactPhones'
import { phoneSearchText } from '../../../shared/phones'
// issue 22 item 5: who added and who last changed a contact
import { authorOf, namesByEmail } from './authors'
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
  // migration 0015 (issue 19)
  company_id?: number | null
  last_inbound_at?: number | null
  last_outbound_at?: number | null
  // migration 0037 (issue 22 item 5): the e-mails of who added it and who last changed it by hand
  created_by?: string | null
  updated_by?: string | null
}

/** The grid's "name" sort key: "first last", or the email for nameless contacts. */
export const sortNameOf = (c: { firstName: string; lastName: string; email: string | null }): string =>
  `${c.firstName} ${c.lastName}`.trim().toLowerCase() || (c.email ?? '')

export interface NewContactRow {
  primaryObjectId: number | null
  email: string | null
  firstName: string
  lastName: string
  company: string
  phone: string
  timezone: string | null
  fields: Record<string, string>
  /** issue 17: every number in searchable forms (default: the primary's). */
  phoneSearch?: string
  /** issue 22 item 5: the e-mail of who adds it (repos/authors.ts actorEmail); null for automation. */
  addedBy?: string | null
}

/** The one way contacts are inserted. Call indexContacts with the new ids in the same transaction. */
export function contactInserter(ctx: Ctx): (c: NewContactRow, now: number) => number {
  const insert = ctx.sqlite.prepare(
    `INSERT INTO contacts (primary_object_id, email, first_name, last_name, company, phone, timezone, fields_json, status, sort_name, created_at, updated_at, phone_search, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)`,
  )
  return (c, now) =>
    Number(
      insert.run(c.primaryObjectId, c.email, c.firstName, c.lastName, c.company, c.phone, c.timezone, JSON.stringify(c.fields), sortNameOf(c), now, now, c.phoneSearch ?? phoneSearchText(c.phone ? [c.phone] : []), c.addedBy ?? null)
        .lastInsertRowid,
    )
}

/** Adds new contacts to the search index in one statement (see migration 0001 for why not a trigger). */
export function indexContacts(ctx: Ctx, ids: number[]): void {
  if (ids.length === 0) return
  ctx.sqlite
    .prepare(
      `INSERT INTO contacts_fts (rowid, email, first_name, last_name, company, phone)
       SELECT id, ifnull(email, ''), first_name, last_name, company, phone_search FROM contacts WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .run(JSON.stringify(ids))
}

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
  const tagsBy = groupBy(tagRows, (t) => t.contactId)
  const emailsBy = groupBy(emailRows, (e) => e.contactId)
  const phonesBy = phonesOf(ctx, ids)
  const names = namesByEmail(ctx, rows.flatMap((r) => [r.created_by, r.updated_by]))
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
    companyId: r.company_id ?? null,
    lastInboundAt: r.last_inbound_at ? iso(r.last_inbound_at) : null,
    lastOutboundAt: r.last_outbound_at ? iso(r.last_outbound_at) : null,
    phones: phonesBy.get(r.id) ?? [],
    createdBy: authorOf(names, r.created_by),
    updatedBy: authorOf(names, r.updated_by),
  }))
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
type PageRow = ContactRow & { sort_key: string | number }

/** `segment`: a compiled segment over `contacts c`, first in WHERE (services/segments.ts, issue 19). */
export function listContacts(ctx: Ctx, input: ListInput, segment?: GridSegment): ContactPage {
  const where: string[] = []
  const params: unknown[] = []
  if (segment) where.push(segment.sql), params.push(...segment.params)
  if (input.objectId === null) where.push('c.primary_object_id IS NULL')
  else if (input.objectId !== undefined) where.push('c.primary_object_id = ?'), params.push(input.objectId)
  if (input.status) where.push('c.status = ?'), params.push(input.status)
  const match = matchExpression(input.query ?? '')
  if (match && input.tagId !== undefined) return listTaggedMatches(ctx, input, where, params, input.tagId, match)
  // EXISTS lets the page query walk the sort index and stop after one page.
  if (input.tagId !== undefined) where.push('EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ?)'), params.push(input.tagId)
  // The search's own count (cheap) picks the plan: few matches drive the query from the match list;
  // many matches walk the sort index and test membership ("+" hides c.id from the planner), so a broad
  // term stops after one page instead of sorting tens of thousands of rows.
  const matches = match ? count(ctx, 'SELECT count(*) AS n FROM contacts_fts WHERE contacts_fts MATCH ?', match) : 0
  if (match) where.push(`${matches > DRIVE_FROM_MATCHES_UP_TO ? '+c.id' : 'c.id'} IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)`), params.push(match)
  const rows = pageRows(ctx, input, where, params)
  return toPage(ctx, input, rows, countContacts(ctx, input, ...countingWhere(where, params, segment), match, matches))
}

/**
 * Search + tag. The ids that pass every filter are fetched once (one probe of the tag's index per search match,
 * then the other filters on those rows only): their number is the total, and the page is drawn from them. Many
 * ids: walk the sort index testing membership, but only for about as long as sorting them all would take (broad
 * matches can sit late in the sort order, e.g. every "Mia" after every "Ava" … "Lena"); if the page isn't full by
 * then, sort the ids instead. Both plans return the same rows in the same order.
 */
function listTaggedMatches(ctx: Ctx, input: ListInput, where: string[], params: unknown[], tagId: number, match: string): ContactPage {
  const ids = ctx.sqlite
    .prepare(
      `SELECT f.rowid FROM contacts_fts f CROSS JOIN contact_tags ct ON ct.tag_id = ? AND ct.contact_id = f.rowid
       ${where.length ? 'CROSS JOIN contacts c ON c.id = f.rowid' : ''} WHERE f.contacts_fts MATCH ? ${where.map((w) => `AND ${w}`).join(' ')}`,
    )
    .pluck()
    .all(tagId, match, ...params) as number[]
  const idList = JSON.stringify(ids)
  const walked = ids.length > DRIVE_FROM_MATCHES_UP_TO ? walkSortIndex(ctx, input, idList, ids.length * WALK_ROWS_PER_ID) : null
  const rows = walked ?? pageRows(ctx, input, ['c.id IN (SELECT value FROM json_each(?))'], [idList])
  return toPage(ctx, input, rows, ids.length)
}

/** One page (plus one row, to tell whether there is more) after the cursor, in sort order. */
function pageRows(ctx: Ctx, input: ListInput, where: string[], params: unknown[]): PageRow[] {
  const { expr, dir, after, afterParams } = sortOf(input)
  const conds = after ? [...where, after] : where
  return ctx.sqlite
    .prepare(
      `SELECT c.*, ${expr} AS sort_key FROM contacts c ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
       ORDER BY ${expr} ${dir}, c.id ${dir} LIMIT ?`,
    )
    .all(...params, ...afterParams, input.limit + 1) as PageRow[]
}

/**
 * pageRows for the ids in idList, by walking at most maxRows entries of the sort index (ids and sort keys
 * only) after the cursor; only members are read in full. Null when the page isn't full within the bound.
 * w.sort_key keeps its expression's collation (NOCASE for company), so the outer ORDER BY is the walk's own
 * order: no sort, and the walk stops as soon as the page is full.
 */
function walkSortIndex(ctx: Ctx, input: ListInput, idList: string, maxRows: number): PageRow[] | null {
  const { expr, dir, after, afterParams } = sortOf(input)
  const rows = ctx.sqlite
    .prepare(
      `SELECT r.*, w.sort_key FROM (
         SELECT c.id, ${expr} AS sort_key FROM contacts c ${after ? `WHERE ${after}` : ''}
         ORDER BY ${expr} ${dir}, c.id ${dir} LIMIT ?
       ) w CROSS JOIN contacts r ON r.id = w.id
       WHERE +w.id IN (SELECT value FROM json_each(?))
       ORDER BY w.sort_key ${dir}, w.id ${dir} LIMIT ?`,
    )
    .all(...afterParams, maxRows, idList, input.limit + 1) as PageRow[]
  return rows.length > input.limit ? rows : null
}

function sortOf(input: ListInput) {
  const expr = SORT_EXPR[input.sort.field]
  const dir = input.sort.dir === 'desc' ? 'DESC' : 'ASC'
  if (!input.cursor) return { expr, dir, after: null, afterParams: [] }
  const [value, id] = decodeCursor(input.cursor, 2)
  const cmp = dir === 'ASC' ? '>' : '<'
  return { expr, dir, after: `(${expr} ${cmp} ? OR (${expr} = ? AND c.id ${cmp} ?))`, afterParams: [value, value, id] }
}

function toPage(ctx: Ctx, input: ListInput, rows: PageRow[], total: number): ContactPage {
  const more = rows.length > input.limit
  const page = more ? rows.slice(0, input.limit) : rows
  const last = page[page.length - 1]
  return { items: hydrate(ctx, page), total, nextCursor: more && last ? encodeCursor([last.sort_key, last.id]) : null }
}

/** The grid's total. Tag or search filters alone are counted from their own indexes, without touching contacts. */
function countContacts(ctx: Ctx, input: ListInput, where: string[], params: unknown[], match: string | null, matches: number): number {
  if (match && where.length === 1) return matches
  if (input.tagId !== undefined && where.length === 1) return count(ctx, 'SELECT count(*) AS n FROM contact_tags WHERE tag_id = ?', input.tagId)
  return count(ctx, `SELECT count(*) AS n FROM contacts c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, ...params)
}

/** Measured on 100k contacts: driving from the match list costs ~1.3 µs per match, walking the index ~10 ms at worst. */
const DRIVE_FROM_MATCHES_UP_TO = 2000
/** Reading and sorting one id (~2 µs) costs about as much as walking this many sort-index entries testing membership. */
const WALK_ROWS_PER_ID = 12
const count = (ctx: Ctx, sql: string, ...params: unknown[]): number => (ctx.sqlite.prepare(sql).get(...params) as { n: number }).n

/** Every word must match the start of a word in the email, name, company or phone ("ngu" → Nguyen). */
function matchExpression(query: string): string | null {
  const words = query
    .split(/\s+/)
    // Keep only characters the tokenizer indexes; punctuation inside a word splits it into a phrase.
    .map((w) => w.replace(/[^\p{L}\p{N}@.+_'-]/gu, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, 8)
  return words.length ? words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ') : null
}

/** Writes every editable column of a contact (the merged patch), its name sort key and who changed it (`by`). */
export function updateContactRow(ctx: Ctx, id: number, c: NewContactRow & { status: Contact['status'] }, now: number, by: string | null): void {
  stmt(
    ctx.sqlite,
    `UPDATE contacts SET primary_object_id = ?, email = ?, first_name = ?, last_name = ?, company = ?, phone = ?, timezone = ?,
       fields_json = ?, status = ?, sort_name = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
  ).run(c.primaryObjectId, c.email, c.firstName, c.lastName, c.company, c.phone, c.timezone, JSON.stringify(c.fields), c.status, sortNameOf(c), now, by, id)
}

/** The contact's extra addresses become exactly `emails`. */
export function replaceExtraEmails(ctx: Ctx, contactId: number, emails: string[], now: number): void {
  stmt(ctx.sqlite, 'DELETE FROM contact_emails WHERE contact_id = ?').run(contactId)
  const insert = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO contact_emails (contact_id, email, created_at) VALUES (?, ?, ?)')
  for (const email of emails) insert.run(contactId, email, now)
}

/** Which of these ids are contacts; chunked so 100k ids never exceed SQLite's parameter limit. */
export function existingContactIds(ctx: Ctx, ids: number[]): Set<number> {
  const found = new Set<number>()
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    for (const id of ctx.sqlite.prepare(`SELECT id FROM contacts WHERE id IN (${chunk.map(() => '?').join(',')})`).pluck().all(...chunk) as number[]) found.add(id)
  }
  return found
}

/** Deletes one contact (its tags, addresses and links cascade); false when it was not there. */
export const deleteContactRow = (ctx: Ctx, id: number): boolean => stmt(ctx.sqlite, 'DELETE FROM contacts WHERE id = ?').run(id).changes > 0

export interface ImportMatch {
  id: number
  first_name: string
  last_name: string
  fields_json: string
}

/** The contact an import row updates: same business (or none) and email. */
export const importMatch = (ctx: Ctx, objectId: number | null, email: string): ImportMatch | undefined =>
  stmt(ctx.sqlite, 'SELECT id, first_name, last_name, fields_json FROM contacts WHERE ifnull(primary_object_id, 0) = ? AND email = ?').get(objectId ?? 0, email) as
    | ImportMatch
    | undefined

/** An import row over an existing contact: given values replace, blanks (null) keep what is there. */
export function mergeImportedContact(
  ctx: Ctx,
  id: number,
  v: { firstName: string | null; lastName: string | null; company: string | null; phone: string | null; timezone: string | null },
  fields: Record<string, string>,
  sortName: string,
  now: number,
  by: string | null,
): void {
  stmt(
    ctx.sqlite,
    `UPDATE contacts SET first_name = ifnull(?, first_name), last_name = ifnull(?, last_name), company = ifnull(?, company),
       phone = ifnull(?, phone), timezone = ifnull(?, timezone), fields_json = ?, sort_name = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
  ).run(v.firstName, v.lastName, v.company, v.phone, v.timezone, JSON.stringify(fields), sortName, now, by, id)
}
