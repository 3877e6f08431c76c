// Queries for a person's data rights (issue 18): what a contact's export reads, what an erase removes or blanks,
// the salted block an erase leaves in `suppressions`, and the retention setting. The service (services/dataRights.ts)
// wraps the writes in one transaction.
import { createHmac, randomBytes } from 'node:crypto'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export const ERASED_REASON = 'erased'

/**
 * Every salt an erased person's block was hashed with, oldest first: this desktop's and, in a team workspace, the
 * other desktops' (erase_salts replicates, migration 0040). Empty when nobody was ever erased.
 */
export const eraseSalts = (ctx: Ctx): string[] => stmt(ctx.sqlite, 'SELECT salt FROM erase_salts ORDER BY created_at, salt').pluck().all() as string[]

/** The salt a new erase hashes with: the workspace's oldest, or one made now (inside the erase's transaction). */
export function ensureEraseSalt(ctx: Ctx): string {
  const s = eraseSalts(ctx)[0]
  if (s) return s
  const made = randomBytes(32).toString('hex')
  stmt(ctx.sqlite, 'INSERT INTO erase_salts (salt, created_at) VALUES (?, ?)').run(made, ctx.clock.now())
  return made
}

/** What `suppressions.email` holds for an erased address: never the address itself. */
export const erasedKey = (salt: string, email: string): string => `erased:${createHmac('sha256', salt).update(email.trim().toLowerCase()).digest('hex')}`

/**
 * Whether the address was erased in this business (or in every business), on this desktop or another of the
 * workspace. `objectId` null looks only at blocks that cover every business, as a contact of no business is.
 */
export function isErased(ctx: Ctx, objectId: number | null, email: string): boolean {
  const salts = eraseSalts(ctx)
  if (salts.length === 0) return false
  const keys = JSON.stringify(salts.map((salt) => erasedKey(salt, email)))
  return (
    stmt(ctx.sqlite, 'SELECT 1 FROM suppressions WHERE email IN (SELECT value FROM json_each(?)) AND (object_id IS NULL OR object_id = ?) LIMIT 1').get(keys, objectId) !==
    undefined
  )
}

export interface ContactCore {
  id: number
  objectId: number | null
  email: string | null
  addresses: string[]
}

export function contactCore(ctx: Ctx, id: number): ContactCore | null {
  const c = stmt(ctx.sqlite, 'SELECT id, primary_object_id AS objectId, email FROM contacts WHERE id = ?').get(id) as Omit<ContactCore, 'addresses'> | undefined
  if (!c) return null
  const extra = stmt(ctx.sqlite, 'SELECT email FROM contact_emails WHERE contact_id = ?').pluck().all(id) as string[]
  const addresses = [...new Set([c.email, ...extra].filter((e): e is string => !!e).map((e) => e.trim().toLowerCase()))]
  return { ...c, addresses }
}

// ---- what belongs to the contact -------------------------------------------------------------------------

/** Stored mail linked to the contact, split into mail only they are party to and mail shared with other contacts. */
export function linkedMessages(ctx: Ctx, contactId: number): { alone: number[]; shared: number[] } {
  const rows = stmt(
    ctx.sqlite,
    `SELECT mc.message_id AS id,
            EXISTS (SELECT 1 FROM message_contacts o WHERE o.message_id = mc.message_id AND o.contact_id != mc.contact_id AND o.linked = 1) AS shared
       FROM message_contacts mc WHERE mc.contact_id = ? AND mc.linked = 1`,
  ).all(contactId) as Array<{ id: number; shared: number }>
  return { alone: rows.filter((r) => !r.shared).map((r) => r.id), shared: rows.filter((r) => r.shared).map((r) => r.id) }
}

/** Outbox rows for the contact, or addressed to one of their addresses in their business. */
export function outboundIdsOf(ctx: Ctx, c: ContactCore): number[] {
  return stmt(
    ctx.sqlite,
    `SELECT id FROM outbound_messages WHERE contact_id = @id
     UNION
     SELECT o.id FROM outbound_messages o, json_each(o.to_json) j
      WHERE (@obj IS NULL OR o.object_id = @obj) AND lower(j.value) IN (SELECT value FROM json_each(@addrs))
     UNION
     SELECT o.id FROM outbound_messages o, json_each(o.cc_json) j
      WHERE (@obj IS NULL OR o.object_id = @obj) AND lower(j.value) IN (SELECT value FROM json_each(@addrs))
     UNION
     SELECT o.id FROM outbound_messages o, json_each(o.bcc_json) j
      WHERE (@obj IS NULL OR o.object_id = @obj) AND lower(j.value) IN (SELECT value FROM json_each(@addrs))
     ORDER BY 1`,
  )
    .pluck()
    .all({ id: c.id, obj: c.objectId, addrs: JSON.stringify(c.addresses) }) as number[]
}

/** Drafts for the contact or addressed to them. */
export function draftIdsOf(ctx: Ctx, c: ContactCore): number[] {
  return stmt(
    ctx.sqlite,
    `SELECT id FROM drafts WHERE contact_id = @id
     UNION SELECT d.id FROM drafts d, json_each(d.to_json) j WHERE lower(j.value) IN (SELECT value FROM json_each(@addrs))
     UNION SELECT d.id FROM drafts d, json_each(d.cc_json) j WHERE lower(j.value) IN (SELECT value FROM json_each(@addrs))
     UNION SELECT d.id FROM drafts d, json_each(d.bcc_json) j WHERE lower(j.value) IN (SELECT value FROM json_each(@addrs))`,
  )
    .pluck()
    .all({ id: c.id, addrs: JSON.stringify(c.addresses) }) as number[]
}

const count = (ctx: Ctx, sql: string, ...args: unknown[]): number => (stmt(ctx.sqlite, sql).pluck().get(...args) as number) ?? 0

export interface EraseCounts {
  messages: number
  sharedMessages: number
  threads: number
  attachments: number
  outbox: number
  drafts: number
  notes: number
  tasks: number
  consent: number
  automations: number
}

export function eraseCounts(ctx: Ctx, c: ContactCore): EraseCounts {
  const { alone, shared } = linkedMessages(ctx, c.id)
  const ids = JSON.stringify(alone)
  return {
    messages: alone.length,
    sharedMessages: shared.length,
    // Threads left with no message once theirs are gone.
    threads: count(
      ctx,
      `SELECT count(*) FROM (SELECT DISTINCT thread_id AS t FROM messages WHERE id IN (SELECT value FROM json_each(?))) x
        WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = x.t AND m.id NOT IN (SELECT value FROM json_each(?)))`,
      ids,
      ids,
    ),
    attachments: count(ctx, 'SELECT count(*) FROM attachments WHERE message_id IN (SELECT value FROM json_each(?))', ids),
    outbox: outboundIdsOf(ctx, c).length,
    drafts: draftIdsOf(ctx, c).length,
    notes: count(ctx, 'SELECT count(*) FROM contact_notes WHERE contact_id = ?', c.id),
    tasks: count(ctx, 'SELECT count(*) FROM tasks WHERE contact_id = ?', c.id),
    consent: count(ctx, 'SELECT count(*) FROM consent_events WHERE contact_id = ?', c.id),
    automations:
      count(ctx, 'SELECT count(*) FROM sequence_contacts WHERE contact_id = ?', c.id) +
      count(ctx, 'SELECT count(*) FROM flow_leads WHERE contact_id = ?', c.id) +
      count(ctx, 'SELECT count(*) FROM autoresponder_executions WHERE contact_id = ?', c.id),
  }
}

// ---- the erase's writes (inside the service's transaction) -----------------------------------------------

/** Attachment hashes of these outbox rows, then the rows' personal fields blanked; their history keeps its shape. */
export function blankOutbound(ctx: Ctx, ids: number[]): string[] {
  const list = JSON.stringify(ids)
  const hashes = stmt(ctx.sqlite, 'SELECT sha256 FROM mail_attachments WHERE outbound_id IN (SELECT value FROM json_each(?))').pluck().all(list) as string[]
  stmt(ctx.sqlite, 'DELETE FROM mail_attachments WHERE outbound_id IN (SELECT value FROM json_each(?))').run(list)
  stmt(
    ctx.sqlite,
    `UPDATE outbound_messages SET contact_id = NULL, from_name = '', reply_to = NULL, to_json = '[]', cc_json = '[]', bcc_json = '[]', subject = '', html = '', text = '',
       headers_json = '{}', idempotency_key = NULL, status_reason = CASE WHEN status_reason IS NULL THEN NULL ELSE 'erased' END, last_error = NULL
     WHERE id IN (SELECT value FROM json_each(?))`,
  ).run(list)
  // Events keep their type and time (counts, analytics); their detail can quote an address or a server's reply.
  stmt(ctx.sqlite, 'UPDATE message_events SET detail = NULL WHERE outbound_id IN (SELECT value FROM json_each(?))').run(list)
  stmt(ctx.sqlite, "UPDATE dead_letters SET error = 'erased' WHERE outbound_id IN (SELECT value FROM json_each(?))").run(list)
  stmt(ctx.sqlite, 'UPDATE autoresponder_executions SET error = NULL WHERE outbound_id IN (SELECT value FROM json_each(?))').run(list)
  stmt(ctx.sqlite, 'UPDATE flow_lead_events SET detail = NULL WHERE outbound_id IN (SELECT value FROM json_each(?))').run(list)
  return hashes
}

/** Shared mail stays for the other contacts; the erased person's address and name are cut out of it. */
export function redactMessages(ctx: Ctx, ids: number[], addresses: string[], names: string[]): void {
  const get = stmt(
    ctx.sqlite,
    `SELECT m.id, m.from_email AS fromEmail, m.from_name AS fromName, m.to_json AS toJson, m.cc_json AS ccJson, m.reply_to_json AS replyTo, m.subject, m.snippet,
            b.text, b.html, b.safe_html AS safeHtml, b.html_text AS htmlText, b.headers_json AS headers
       FROM messages m LEFT JOIN message_bodies b ON b.message_id = m.id WHERE m.id = ?`,
  )
  const updM = stmt(ctx.sqlite, 'UPDATE messages SET from_email = ?, from_name = ?, to_json = ?, cc_json = ?, reply_to_json = ?, subject = ?, snippet = ? WHERE id = ?')
  const updB = stmt(ctx.sqlite, 'UPDATE message_bodies SET text = ?, html = ?, safe_html = ?, html_text = ?, headers_json = ?, raw = NULL WHERE message_id = ?')
  const ftsDel = stmt(ctx.sqlite, 'DELETE FROM messages_fts WHERE rowid = ?')
  const ftsIns = stmt(ctx.sqlite, 'INSERT INTO messages_fts (rowid, subject, body, names, addresses) VALUES (?, ?, ?, ?, ?)')
  const words = [...addresses, ...names.filter((n) => n.trim().length > 2)].sort((a, b) => b.length - a.length)
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  // Whole words only: erasing "Ava" must not turn "Java" into "J[erased]".
  const re = words.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(esc).join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null
  const cut = <T extends string | null>(s: T): T => (s && re ? (s.replace(re, '[erased]') as T) : s)
  for (const id of ids) {
    const r = get.get(id) as Record<string, string | null> | undefined
    if (!r) continue
    const fromGone = r.fromEmail && addresses.includes(r.fromEmail.toLowerCase())
    updM.run(fromGone ? null : r.fromEmail, fromGone ? '' : cut(r.fromName ?? ''), cut(r.toJson), cut(r.ccJson), cut(r.replyTo), cut(r.subject), cut(r.snippet), id)
    updB.run(cut(r.text), cut(r.html), cut(r.safeHtml), cut(r.htmlText), cut(r.headers) ?? '[]', id)
    ftsDel.run(id)
    const list = (j: string | null) => (JSON.parse(cut(j) ?? '[]') as Array<{ name?: string; email?: string } | string>).map((a) => (typeof a === 'string' ? { email: a, name: '' } : a))
    const people = [...(fromGone ? [] : [{ name: cut(r.fromName ?? ''), email: r.fromEmail ?? '' }]), ...list(r.toJson), ...list(r.ccJson)]
    ftsIns.run(id, cut(r.subject) ?? '', (cut(r.text) ?? cut(r.htmlText) ?? '').slice(0, 100_000), people.map((p) => p.name ?? '').join(' '), people.map((p) => p.email ?? '').join(' '))
  }
}

/**
 * Deletes these messages and their FTS rows in a few set statements (the sync's deleteMessages goes row by row,
 * which is right for a handful and four times slower for a contact's ten thousand). Threads left empty go too.
 * Returns the threads that still have mail (to refresh) and the attachment hashes the messages used.
 */
export function deleteMessageSet(ctx: Ctx, ids: number[]): { touched: number[]; emptied: number[]; hashes: string[] } {
  if (ids.length === 0) return { touched: [], emptied: [], hashes: [] }
  const list = JSON.stringify(ids)
  const threads = stmt(ctx.sqlite, 'SELECT DISTINCT thread_id FROM messages WHERE id IN (SELECT value FROM json_each(?))').pluck().all(list) as number[]
  const hashes = stmt(ctx.sqlite, 'SELECT DISTINCT sha256 FROM attachments WHERE message_id IN (SELECT value FROM json_each(?))').pluck().all(list) as string[]
  stmt(ctx.sqlite, 'DELETE FROM messages_fts WHERE rowid IN (SELECT value FROM json_each(?))').run(list)
  stmt(ctx.sqlite, 'DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))').run(list)
  const emptied = stmt(
    ctx.sqlite,
    'DELETE FROM threads WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = threads.id) RETURNING id',
  )
    .pluck()
    .all(JSON.stringify(threads)) as number[]
  const gone = new Set(emptied)
  return { touched: threads.filter((t) => !gone.has(t)), emptied, hashes }
}

/** Where a message is, enough to know it again when a full fetch brings it back (see erasedMessageKey). */
export interface MessagePlace {
  messageId: string | null
  mailboxId: number
  folder: string
  /** As the messages table holds it (text); a number prints the same. */
  uidvalidity: number | string
  uid: number
}
/** The Message-ID when there is one (it survives a new UIDVALIDITY and a refetch), else the place. */
export const erasedMessageKey = (salt: string, m: MessagePlace): string =>
  erasedKey(salt, m.messageId ? `mid:${m.messageId.toLowerCase()}` : `at:${m.mailboxId}:${m.folder}:${m.uidvalidity}:${m.uid}`)

/** Before these messages are deleted: their hashed keys, so the sync never stores them again. */
export function insertErasedMessages(ctx: Ctx, ids: number[], now: number): void {
  if (ids.length === 0) return
  const salt = ensureEraseSalt(ctx)
  const rows = stmt(
    ctx.sqlite,
    'SELECT message_id AS messageId, mailbox_id AS mailboxId, folder, uidvalidity, uid FROM messages WHERE id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(ids)) as MessagePlace[]
  const ins = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO erased_messages (key, created_at) VALUES (?, ?)')
  for (const r of rows) ins.run(erasedMessageKey(salt, r), now)
}

/**
 * The local messages whose erased keys are among `keys` (another desktop erased them; the keys are salted hashes,
 * so every copy's key is worked out and looked up: one HMAC per message and salt, a rare event).
 */
export function messagesWithErasedKeys(ctx: Ctx, keys: Set<string>): number[] {
  const salts = eraseSalts(ctx)
  if (keys.size === 0 || salts.length === 0) return []
  const ids: number[] = []
  const rows = stmt(ctx.sqlite, 'SELECT id, message_id AS messageId, mailbox_id AS mailboxId, folder, uidvalidity, uid FROM messages').iterate() as Iterable<MessagePlace & { id: number }>
  for (const r of rows) if (salts.some((salt) => keys.has(erasedMessageKey(salt, r)))) ids.push(r.id)
  return ids
}

// Every address of local mail (From, To, Cc) with the display name it came with, one row per message and address.
// To and Cc hold {name, email} objects (older rows: plain strings).
const J_EMAIL = `lower(CASE j.type WHEN 'object' THEN json_extract(j.value, '$.email') ELSE j.value END)`
const J_NAME = `CASE j.type WHEN 'object' THEN json_extract(j.value, '$.name') END`
const PEOPLE_OF_MAIL = `SELECT m.id, m.object_id AS objectId, lower(m.from_email) AS email, m.from_name AS name FROM messages m WHERE m.from_email IS NOT NULL
  UNION ALL SELECT m.id, m.object_id, ${J_EMAIL}, ${J_NAME} FROM messages m, json_each(m.to_json) j
  UNION ALL SELECT m.id, m.object_id, ${J_EMAIL}, ${J_NAME} FROM messages m, json_each(m.cc_json) j`

/** The names mail gives these addresses (From, To and Cc display names, whole and word by word): cut with them. */
export function namesInMail(ctx: Ctx, addresses: string[]): string[] {
  if (addresses.length === 0) return []
  const rows = stmt(ctx.sqlite, `SELECT DISTINCT name FROM (${PEOPLE_OF_MAIL}) WHERE email IN (SELECT value FROM json_each(?))`)
    .pluck()
    .all(JSON.stringify(addresses)) as Array<string | null>
  return nameWords(rows)
}

const nameWords = (names: Array<string | null>): string[] => [...new Set(names.flatMap((n) => [n?.trim() ?? '', ...(n ?? '').split(/\s+/)]).filter((n) => n.length > 2))]

/**
 * Which messages of local mail name the people the arrived blocks (salted keys, per business or for all) stand
 * for, their addresses, and the display names the mail gives them: what an erase on another desktop cut out there.
 * One pass over every address of the mail, each distinct address hashed once per salt (a rare event).
 */
export function mailOfErasedBlocks(ctx: Ctx, blocks: Array<{ objectId: number | null; key: string }>): { ids: number[]; addresses: string[]; names: string[] } {
  const salts = eraseSalts(ctx)
  if (blocks.length === 0 || salts.length === 0) return { ids: [], addresses: [], names: [] }
  const hit = new Map<string, Array<number | null>>()
  for (const b of blocks) hit.set(b.key, [...(hit.get(b.key) ?? []), b.objectId])
  const erased = new Map<string, boolean>()
  const ids = new Set<number>()
  const addresses = new Set<string>()
  const names: Array<string | null> = []
  const rows = stmt(ctx.sqlite, PEOPLE_OF_MAIL).iterate() as Iterable<{ id: number; objectId: number; email: string | null; name: string | null }>
  for (const p of rows) {
    if (!p.email) continue
    const at = `${p.objectId}:${p.email}`
    let is = erased.get(at)
    if (is === undefined) {
      is = salts.some((salt) => (hit.get(erasedKey(salt, p.email!)) ?? []).some((o) => o === null || o === p.objectId))
      erased.set(at, is)
    }
    if (!is) continue
    ids.add(p.id)
    addresses.add(p.email)
    names.push(p.name)
  }
  return { ids: [...ids], addresses: [...addresses], names: nameWords(names) }
}

/**
 * For the sync: a test of whether a fetched message was erased, or null when nothing ever was (the usual
 * case, which then costs one query per batch and nothing per message).
 */
export function erasedMessageTest(ctx: Ctx): ((m: MessagePlace) => boolean) | null {
  const salts = eraseSalts(ctx)
  if (salts.length === 0 || !stmt(ctx.sqlite, 'SELECT 1 FROM erased_messages LIMIT 1').get()) return null
  const has = stmt(ctx.sqlite, 'SELECT 1 FROM erased_messages WHERE key = ?')
  return (m) => salts.some((salt) => has.get(erasedMessageKey(salt, m)) !== undefined)
}

export function deleteDrafts(ctx: Ctx, ids: number[]): string[] {
  const list = JSON.stringify(ids)
  const hashes = stmt(ctx.sqlite, 'SELECT sha256 FROM mail_attachments WHERE draft_id IN (SELECT value FROM json_each(?))').pluck().all(list) as string[]
  stmt(ctx.sqlite, 'DELETE FROM drafts WHERE id IN (SELECT value FROM json_each(?))').run(list)
  return hashes
}

/** Everything else that names the person and does not go with the contact row by itself. */
export function deletePersonalRows(ctx: Ctx, c: ContactCore): void {
  const addrs = JSON.stringify(c.addresses)
  stmt(ctx.sqlite, 'DELETE FROM tasks WHERE contact_id = ?').run(c.id)
  stmt(ctx.sqlite, 'UPDATE autoresponder_executions SET error = NULL WHERE contact_id = ?').run(c.id)
  stmt(ctx.sqlite, 'DELETE FROM remote_image_allows WHERE lower(value) IN (SELECT value FROM json_each(?))').run(addrs)
  // Plain suppressions of the address go: the hashed block below replaces them (and is stricter).
  stmt(ctx.sqlite, 'DELETE FROM suppressions WHERE email IN (SELECT value FROM json_each(?))').run(addrs)
}

export function insertErasedBlocks(ctx: Ctx, objectId: number | null, addresses: string[], now: number): void {
  const salt = ensureEraseSalt(ctx)
  const ins = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO suppressions (object_id, email, reason, created_at) VALUES (?, ?, ?, ?)')
  for (const a of addresses) ins.run(objectId, erasedKey(salt, a), ERASED_REASON, now)
}

/** Files no attachment row points at any more (outgoing mail shares the store). */
export function unreferencedHashes(ctx: Ctx, hashes: Iterable<string>): string[] {
  const used = stmt(ctx.sqlite, 'SELECT 1 FROM attachments WHERE sha256 = ? UNION ALL SELECT 1 FROM mail_attachments WHERE sha256 = ? LIMIT 1')
  return [...new Set(hashes)].filter((h) => !used.get(h, h))
}

// ---- retention -------------------------------------------------------------------------------------------

export interface RetentionRow {
  objectId: number
  months: number | null
  lastRunAt: number | null
}

export const retentionOf = (ctx: Ctx, objectId: number): RetentionRow =>
  (stmt(ctx.sqlite, 'SELECT object_id AS objectId, months, last_run_at AS lastRunAt FROM data_retention WHERE object_id = ?').get(objectId) as RetentionRow | undefined) ?? {
    objectId,
    months: null,
    lastRunAt: null,
  }

export function setRetention(ctx: Ctx, objectId: number, months: number | null, now: number): void {
  stmt(
    ctx.sqlite,
    'INSERT INTO data_retention (object_id, months, updated_at) VALUES (?, ?, ?) ON CONFLICT (object_id) DO UPDATE SET months = excluded.months, updated_at = excluded.updated_at',
  ).run(objectId, months, now)
}

export const retentionDue = (ctx: Ctx, dueBefore: number): RetentionRow[] =>
  stmt(
    ctx.sqlite,
    'SELECT object_id AS objectId, months, last_run_at AS lastRunAt FROM data_retention WHERE months IS NOT NULL AND (last_run_at IS NULL OR last_run_at <= ?)',
  ).all(dueBefore) as RetentionRow[]

export const markRetentionRun = (ctx: Ctx, objectId: number, at: number): void => void stmt(ctx.sqlite, 'UPDATE data_retention SET last_run_at = ? WHERE object_id = ?').run(at, objectId)

/** Local mail of the business older than the cut, oldest first, a page at a time. */
export const messagesOlderThan = (ctx: Ctx, objectId: number, before: number, limit: number): number[] =>
  stmt(ctx.sqlite, 'SELECT id FROM messages WHERE object_id = ? AND date < ? ORDER BY date, id LIMIT ?').pluck().all(objectId, before, limit) as number[]
