// Company queries: the rows with their head count and last activity, their people and their recent mail.
import type { Company, CompanyDetail } from '../../../shared/segments'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

interface CompanyRow {
  id: number
  objectId: number | null
  name: string
  domain: string | null
  contactCount: number
  lastActivity: number | null
  createdAt: number
  updatedAt: number
}
// Activity comes from the contacts' denormalised dates (migration 0015), through contacts_company_id_idx.
const SELECT = `SELECT co.id, co.object_id AS objectId, co.name, co.domain, co.created_at AS createdAt, co.updated_at AS updatedAt,
  (SELECT count(*) FROM contacts c WHERE c.company_id = co.id) AS contactCount,
  (SELECT max(max(ifnull(c.last_inbound_at, 0), ifnull(c.last_outbound_at, 0))) FROM contacts c WHERE c.company_id = co.id) AS lastActivity
  FROM companies co`

const toCompany = (r: CompanyRow): Company => ({
  id: r.id,
  objectId: r.objectId,
  name: r.name,
  domain: r.domain,
  contactCount: r.contactCount,
  lastActivityAt: r.lastActivity ? iso(r.lastActivity) : null,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
})

export function companyById(ctx: Ctx, id: number): Company | undefined {
  const r = stmt(ctx.sqlite, `${SELECT} WHERE co.id = ?`).get(id) as CompanyRow | undefined
  return r && toCompany(r)
}

export function listCompanyRows(ctx: Ctx, objectId: number | undefined, query: string | undefined): Company[] {
  const where: string[] = []
  const params: unknown[] = []
  if (objectId !== undefined) where.push('(co.object_id IS NULL OR co.object_id = ?)'), params.push(objectId)
  if (query) where.push("(co.name LIKE ? ESCAPE '\\' OR co.domain LIKE ? ESCAPE '\\')"), params.push(`%${query.replace(/[\\%_]/g, '\\$&')}%`, `%${query.replace(/[\\%_]/g, '\\$&')}%`)
  const rows = stmt(ctx.sqlite, `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY co.name COLLATE NOCASE, co.id LIMIT 1000`).all(...params) as CompanyRow[]
  return rows.map(toCompany)
}

export function companyPeople(ctx: Ctx, id: number): CompanyDetail['people'] {
  const rows = stmt(
    ctx.sqlite,
    `SELECT c.id, trim(c.first_name || ' ' || c.last_name) AS name, c.email, c.last_inbound_at AS lastIn, c.last_outbound_at AS lastOut
     FROM contacts c WHERE c.company_id = ? ORDER BY c.sort_name, c.id LIMIT 500`,
  ).all(id) as Array<{ id: number; name: string; email: string | null; lastIn: number | null; lastOut: number | null }>
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, lastInboundAt: r.lastIn ? iso(r.lastIn) : null, lastOutboundAt: r.lastOut ? iso(r.lastOut) : null }))
}

/**
 * The newest mail with any of its people, and mail from the company's domain by an address no contact has
 * yet (contactId null); one row per message (a copy in two folders counts once).
 */
export function companyMail(ctx: Ctx, id: number, domain: string | null, limit = 25): CompanyDetail['recentMail'] {
  const rows = stmt(
    ctx.sqlite,
    `SELECT messageId, threadId, min(contactId) AS contactId, direction, subject, snippet, fromName, fromEmail, date FROM (
       SELECT m.id AS messageId, m.thread_id AS threadId, mc.contact_id AS contactId, m.direction, m.subject, m.snippet, m.from_name AS fromName,
              m.from_email AS fromEmail, m.date, m.message_id AS mid, m.mailbox_id AS box
         FROM contacts c JOIN message_contacts mc ON mc.contact_id = c.id AND mc.linked = 1 JOIN messages m ON m.id = mc.message_id
        WHERE c.company_id = ?
       UNION ALL
       SELECT m.id, m.thread_id, NULL, m.direction, m.subject, m.snippet, m.from_name, m.from_email, m.date, m.message_id, m.mailbox_id
         FROM messages m INDEXED BY messages_from_domain_idx
        WHERE ? IS NOT NULL AND m.from_email IS NOT NULL AND lower(substr(m.from_email, instr(m.from_email, '@') + 1)) = ?
     ) x
     WHERE (mid IS NULL OR messageId = (SELECT min(m2.id) FROM messages m2 WHERE m2.mailbox_id = box AND m2.message_id = mid))
     GROUP BY messageId ORDER BY date DESC, messageId DESC LIMIT ?`,
  ).all(id, domain, domain?.toLowerCase() ?? null, limit) as Array<Omit<CompanyDetail['recentMail'][number], 'date'> & { date: number }>
  return rows.map((r) => ({ ...r, date: iso(r.date) }))
}

export const domainTaken = (ctx: Ctx, objectId: number | null, domain: string, exceptId = 0): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM companies WHERE ifnull(object_id, 0) = ? AND domain = ? AND id <> ?').get(objectId ?? 0, domain, exceptId)

export function insertCompany(ctx: Ctx, c: { objectId: number | null; name: string; domain: string | null }, now: number): number {
  return Number(stmt(ctx.sqlite, 'INSERT INTO companies (object_id, name, domain, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(c.objectId, c.name, c.domain, now, now).lastInsertRowid)
}

export function updateCompanyRow(ctx: Ctx, c: { id: number; name: string; domain: string | null }, now: number): void {
  stmt(ctx.sqlite, 'UPDATE companies SET name = ?, domain = ?, updated_at = ? WHERE id = ?').run(c.name, c.domain, now, c.id)
}

export const deleteCompanyRow = (ctx: Ctx, id: number): number => stmt(ctx.sqlite, 'DELETE FROM companies WHERE id = ?').run(id).changes

/**
 * Contacts without a company whose email is at the domain (and of the company's business, or any business
 * for a workspace-wide company) join it. The trigger of migration 0015 does this for contacts written
 * later; this is for the ones that were there first.
 */
export function linkContactsByDomain(ctx: Ctx, companyId: number, objectId: number | null, domain: string): number {
  return stmt(
    ctx.sqlite,
    `UPDATE contacts SET company_id = ? WHERE company_id IS NULL AND email LIKE ? ESCAPE '\\' AND (? IS NULL OR primary_object_id = ?)`,
  ).run(companyId, `%@${domain.replace(/[\\%_]/g, '\\$&')}`, objectId, objectId).changes
}

export function assignContacts(ctx: Ctx, companyId: number | null, contactIds: number[]): number {
  return stmt(ctx.sqlite, 'UPDATE contacts SET company_id = ? WHERE id IN (SELECT value FROM json_each(?)) AND company_id IS NOT ?').run(companyId, JSON.stringify(contactIds), companyId).changes
}

export const missingContacts = (ctx: Ctx, ids: number[]): number[] => {
  const found = new Set(stmtPluck(ctx.sqlite, 'SELECT c.id FROM json_each(?) j JOIN contacts c ON c.id = j.value').all(JSON.stringify(ids)) as number[])
  return ids.filter((id) => !found.has(id))
}
