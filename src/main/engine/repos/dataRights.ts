// Queries for a person's data rights (issue 18): what an erase removes or blanks, the salted block it leaves in
// `suppressions`, the keys of the mail it removed, and the erase work still due. The services (services/dataRights.ts,
// services/eraseWork.ts) hold the transactions.
import { createHmac, randomBytes } from 'node:crypto'
import type { Ctx } from '../context'
import type { Sqlite } from '../db/open'
import { stmt, stmtPluck } from '../db/stmt'

export const ERASED_REASON = 'erased'

/**
 * Every salt an erased person's block was hashed with, oldest first: this desktop's and, in a team workspace, the
 * other desktops' (erase_salts replicates, migration 0040). Empty when nobody was ever erased.
 */
export const eraseSalts = (ctx: Ctx): string[] => stmtPluck(ctx.sqlite, 'SELECT salt FROM erase_salts ORDER BY created_at, salt').all() as string[]

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
  const extra = stmtPluck(ctx.sqlite, 'SELECT email FROM contact_emails WHERE contact_id = ?').all(id) as string[]
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
  return stmtPluck(
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
    .all({ id: c.id, obj: c.objectId, addrs: JSON.stringify(c.addresses) }) as number[]
}

/** Drafts for the contact or addressed to them. */
export function draftIdsOf(ctx: Ctx, c: ContactCore): number[] {
  return stmtPluck(
    ctx.sqlite,
    `SELECT id FROM drafts WHERE contact_id = @id
     UNION SELECT d.id FROM drafts d, json_each(d.to_json) j WHERE lower(j.value) IN (SELECT value FROM json_each(@addrs))
     UNION SELECT d.id FROM drafts d, json_each(d.cc_json) j WHERE lower(j.value) IN (SELECT value FROM json_each(@addrs))
     UNION SELECT d.id FROM drafts d, json_each(d.bcc_json) j WHERE lower(j.value) IN (SELECT value FROM json_each(@addrs))`,
  )
    .all({ id: c.id, addrs: JSON.stringify(c.addresses) }) as number[]
}

const count = (ctx: Ctx, sql: string, ...args: unknown[]): number => (stmtPluck(ctx.sqlite, sql).get(...args) as number) ?? 0

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
  const hashes = stmtPluck(ctx.sqlite, 'SELECT sha256 FROM mail_attachments WHERE outbound_id IN (SELECT value FROM json_each(?))').all(list) as string[]
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

/** A slice of the messages table by id: after < id <= upTo (the erase's scans run in slices, services/eraseWork.ts). */
export interface IdRange {
  after: number
  upTo: number
}
const ALL_IDS: IdRange = { after: 0, upTo: Number.MAX_SAFE_INTEGER }

export const lastMessageId = (ctx: Ctx): number => (stmtPluck(ctx.sqlite, 'SELECT max(id) FROM messages').get() as number | null) ?? 0

/**
 * The local messages of the range whose erased keys are among `keys` (another desktop erased them; the keys are
 * salted hashes, so every copy's key is worked out and looked up: one HMAC per message and salt, a rare event).
 */
export function messagesWithErasedKeys(ctx: Ctx, keys: Set<string>, range: IdRange = ALL_IDS, salts = eraseSalts(ctx)): number[] {
  if (keys.size === 0 || salts.length === 0) return []
  const ids: number[] = []
  const rows = stmt(ctx.sqlite, 'SELECT id, message_id AS messageId, mailbox_id AS mailboxId, folder, uidvalidity, uid FROM messages WHERE id > ? AND id <= ?').iterate(
    range.after,
    range.upTo,
  ) as Iterable<MessagePlace & { id: number }>
  for (const r of rows) if (salts.some((salt) => keys.has(erasedMessageKey(salt, r)))) ids.push(r.id)
  return ids
}

// Every address of local mail (From, To, Cc) with the display name it came with, one row per message and address,
// for the messages with ids in (?, ?] (each of the three parts takes the pair). To and Cc hold {name, email}
// objects (older rows: plain strings).
const J_EMAIL = `lower(CASE j.type WHEN 'object' THEN json_extract(j.value, '$.email') ELSE j.value END)`
const J_NAME = `CASE j.type WHEN 'object' THEN json_extract(j.value, '$.name') END`
const IN_RANGE = 'm.id > ? AND m.id <= ?'
const PEOPLE_OF_MAIL = `SELECT m.id, m.object_id AS objectId, lower(m.from_email) AS email, m.from_name AS name FROM messages m WHERE ${IN_RANGE} AND m.from_email IS NOT NULL
  UNION ALL SELECT m.id, m.object_id, ${J_EMAIL}, ${J_NAME} FROM messages m, json_each(m.to_json) j WHERE ${IN_RANGE}
  UNION ALL SELECT m.id, m.object_id, ${J_EMAIL}, ${J_NAME} FROM messages m, json_each(m.cc_json) j WHERE ${IN_RANGE}`
const rangeArgs = (r: IdRange) => [r.after, r.upTo, r.after, r.upTo, r.after, r.upTo]

/** The names mail gives these addresses (From, To and Cc display names, whole and word by word): cut with them. */
export function namesInMail(ctx: Ctx, addresses: string[], range: IdRange = ALL_IDS): string[] {
  if (addresses.length === 0) return []
  const rows = stmtPluck(ctx.sqlite, `SELECT DISTINCT name FROM (${PEOPLE_OF_MAIL}) WHERE email IN (SELECT value FROM json_each(?))`)
    .all(...rangeArgs(range), JSON.stringify(addresses)) as Array<string | null>
  return nameWords(rows)
}

export const nameWords = (names: Iterable<string | null>): string[] =>
  [...new Set([...names].flatMap((n) => [n?.trim() ?? '', ...(n ?? '').split(/\s+/)]).filter((n) => n.length > 2))]

/** What a scan for the mail of erased people found so far (carried from one slice to the next). */
export interface BlockScan {
  ids: Set<number>
  addresses: Set<string>
  names: Set<string | null>
  /** business:address → whether it is erased (one HMAC per salt for each, however often it appears). */
  memo: Map<string, boolean>
}
export const newBlockScan = (): BlockScan => ({ ids: new Set(), addresses: new Set(), names: new Set(), memo: new Map() })

/**
 * Which messages of the range name the people the arrived blocks (salted keys, per business or for all) stand
 * for, their addresses, and the display names the mail gives them: what an erase on another desktop cut out there.
 */
export function mailOfErasedBlocks(ctx: Ctx, blocks: Array<{ objectId: number | null; key: string }>, range: IdRange = ALL_IDS, acc = newBlockScan(), salts = eraseSalts(ctx)): BlockScan {
  if (blocks.length === 0 || salts.length === 0) return acc
  const hit = new Map<string, Array<number | null>>()
  for (const b of blocks) hit.set(b.key, [...(hit.get(b.key) ?? []), b.objectId])
  const rows = stmt(ctx.sqlite, PEOPLE_OF_MAIL).iterate(...rangeArgs(range)) as Iterable<{ id: number; objectId: number; email: string | null; name: string | null }>
  for (const p of rows) {
    if (!p.email) continue
    const at = `${p.objectId}:${p.email}`
    let is = acc.memo.get(at)
    if (is === undefined) {
      is = salts.some((salt) => (hit.get(erasedKey(salt, p.email!)) ?? []).some((o) => o === null || o === p.objectId))
      acc.memo.set(at, is)
    }
    if (!is) continue
    acc.ids.add(p.id)
    acc.addresses.add(p.email)
    acc.names.add(p.name)
  }
  return acc
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
  const hashes = stmtPluck(ctx.sqlite, 'SELECT sha256 FROM mail_attachments WHERE draft_id IN (SELECT value FROM json_each(?))').all(list) as string[]
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

/** Every erased message key this desktop holds (its own erases' and those that arrived from other desktops). */
export const allErasedKeys = (ctx: Ctx): Set<string> => new Set(stmtPluck(ctx.sqlite, 'SELECT key FROM erased_messages').all() as string[])

/** Every erased person's block (a salted hash of an address, for one business or for all). */
export const allErasedBlocks = (ctx: Ctx): Array<{ objectId: number | null; key: string }> =>
  stmt(ctx.sqlite, 'SELECT object_id AS objectId, email AS key FROM suppressions WHERE reason = ?').all(ERASED_REASON) as Array<{ objectId: number | null; key: string }>

// The erase work still due (services/eraseWork.ts): device-local (app_settings is never shared). `rescan`: erased
// mail may still be stored here (an erase arrived from another desktop); otherwise only the tidy is due. The value
// changes with every mark, so work that finishes clears only the mark it started from.
const ERASE_PENDING = 'erase.pending'

/** Marks erase work due, in the caller's transaction (the erase's own, or the apply of another desktop's). */
export function markErasePending(sqlite: Sqlite, rescan: boolean): string {
  const was = stmtPluck(sqlite, 'SELECT value FROM app_settings WHERE key = ?').get(ERASE_PENDING) as string | undefined
  const prev = was ? (JSON.parse(was) as { rescan: boolean; n: number }) : { rescan: false, n: 0 }
  const value = JSON.stringify({ rescan: rescan || prev.rescan, n: prev.n + 1 })
  stmt(sqlite, 'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ERASE_PENDING, value)
  return value
}

/** The mail of a mark is done (a local erase finished its slices): only the tidy stays due, unless another erase marked since. */
export function mailDoneForMark(ctx: Ctx, raw: string): void {
  const mark = JSON.parse(raw) as { rescan: boolean; n: number }
  stmt(ctx.sqlite, 'UPDATE app_settings SET value = ? WHERE key = ? AND value = ?').run(JSON.stringify({ rescan: false, n: mark.n }), ERASE_PENDING, raw)
}

export function erasePending(ctx: Ctx): { rescan: boolean; raw: string } | null {
  const raw = stmtPluck(ctx.sqlite, 'SELECT value FROM app_settings WHERE key = ?').get(ERASE_PENDING) as string | undefined
  return raw ? { rescan: (JSON.parse(raw) as { rescan: boolean }).rescan, raw } : null
}

/** Clears the mark the finished work started from; false when another erase marked meanwhile. */
export const clearErasePending = (ctx: Ctx, raw: string): boolean => stmt(ctx.sqlite, 'DELETE FROM app_settings WHERE key = ? AND value = ?').run(ERASE_PENDING, raw).changes > 0

/** Files no attachment row points at any more (outgoing mail shares the store). */
export function unreferencedHashes(ctx: Ctx, hashes: Iterable<string>): string[] {
  const used = stmt(ctx.sqlite, 'SELECT 1 FROM attachments WHERE sha256 = ? UNION ALL SELECT 1 FROM mail_attachments WHERE sha256 = ? LIMIT 1')
  return [...new Set(hashes)].filter((h) => !used.get(h, h))
}
