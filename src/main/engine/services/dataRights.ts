// A person's right to be forgotten (issue 18, seed 003): contacts.erase removes the contact and everything that is
// only theirs, blanks what other records need to keep their shape (outbox rows, events), cuts them out of mail they
// share with other contacts, and leaves a salted hash of their address (suppressions, reason 'erased') so imports,
// new contacts and sends stay blocked. The audit line keeps ids and counts only.
//
// "Nowhere in the data dir" after an erase, and how each place is handled:
// - SQLite pages: `secure_delete` is on for the erase, so freed cells and pages are overwritten with zeros.
// - FTS5: contentless and external-content tables keep a deleted row's tokens in their segments until merged, so
//   the three indexes are optimized (merged into one segment) after the erase.
// - The WAL: the old page images sit in it until checkpointed; a TRUNCATE checkpoint copies the zeroed pages back
//   and empties the file.
// - Attachment files: removed when no other message or outgoing mail points at the same bytes.
// - Exports: this contact's earlier export zips in <dataDir>/exports are deleted.
// - Backups: the snapshots are re-taken, not edited. A snapshot that still holds the person would bring them back on
//   restore; editing each one would mean running this whole erase on every copy, then a VACUUM of each (seconds per
//   copy on a big workspace, and a copy half edited when the app quits is worse than none). So the earlier snapshots
//   are deleted and one fresh snapshot is taken at once: the user keeps a restore point, and no restore can undo an
//   erase. The erase dialog says so.
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ParsedInput } from '../../../shared/contract'
import type { ContactConsent, EraseCounts, ErasePreview } from '../../../shared/dataRights'
import { consentHistory, consentOf, setConsent } from '../repos/consent'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { removeAttachment } from '../inbound/attachmentFiles'
import { refreshThreads } from '../inbound/thread'
import { cancelWaiting } from '../outbound/cancel'
import { currentUserId } from '../repos/app'
import { addAudit } from '../repos/audit'
import { teamState } from '../repos/team'
import { deleteContactRow } from '../repos/contacts'
import { listBackupFiles, removeBackup } from '../backups/files'
import {
  blankOutbound,
  contactCore,
  deleteDrafts,
  deleteMessageSet,
  deletePersonalRows,
  draftIdsOf,
  eraseCounts,
  insertErasedBlocks,
  insertErasedMessages,
  isErased,
  linkedMessages,
  mailOfErasedBlocks,
  messagesWithErasedKeys,
  namesInMail,
  outboundIdsOf,
  redactMessages,
  unreferencedHashes,
  type ContactCore,
} from '../repos/dataRights'

export const exportsDir = (ctx: Ctx): string => join(ctx.info.dataDir, 'exports')
/** Export zips are named after the contact's id (never their name or address), so an erase finds them. */
export const exportPrefix = (contactId: number): string => `contact-${contactId}-`

function requireCore(ctx: Ctx, id: number): ContactCore {
  const c = contactCore(ctx, id)
  if (!c) throw new AppError('NOT_FOUND', `Contact ${id} does not exist`, 'id')
  return c
}

function earlierExports(ctx: Ctx, contactId: number): string[] {
  try {
    return readdirSync(exportsDir(ctx)).filter((f) => f.startsWith(exportPrefix(contactId)))
  } catch {
    return []
  }
}

/** What an erase would remove and keep, for the confirmation dialog. A read: writes nothing. */
export function erasePreview(ctx: Ctx, id: number): ErasePreview {
  const c = requireCore(ctx, id)
  return {
    ...eraseCounts(ctx, c),
    addresses: c.addresses.length,
    exports: earlierExports(ctx, id).length,
    backups: listBackupFiles(ctx.info.dataDir).length,
    team: teamState(ctx.sqlite) !== undefined,
  }
}

/** The words an import, a new contact or a send hears for an erased address. */
export const ERASED_WORDS = 'was erased at the person’s request and is blocked from being added or mailed again'

/** Throws when the address was erased in this business (contacts.create, contacts.update). */
export function assertNotErased(ctx: Ctx, objectId: number | null, email: string | null, field = 'email'): void {
  if (email && isErased(ctx, objectId, email)) throw new AppError('CONFLICT', `${email} ${ERASED_WORDS}`, field)
}

export async function eraseContact(ctx: Ctx, id: number): Promise<{ erased: true }> {
  const c = requireCore(ctx, id)
  const names = (stmt(ctx.sqlite, "SELECT first_name || ' ' || last_name AS full, first_name AS f, last_name AS l FROM contacts WHERE id = ?").get(id) as {
    full: string
    f: string
    l: string
  })
  const now = ctx.clock.now()
  const hashes = new Set<string>()
  const touched = new Set<number>()
  let counts: EraseCounts | undefined
  let outbound: number[] = []
  const secure = ctx.sqlite.pragma('secure_delete', { simple: true }) as number
  ctx.sqlite.pragma('secure_delete = ON')
  try {
    // Pages freed before now are overwritten first; what this erase frees is zeroed as it goes (secure_delete).
    scrubFreePages(ctx)
    ctx.sqlite
      .transaction(() => {
        counts = eraseCounts(ctx, c)
        // Mail still waiting for them is withdrawn first (the one way to do it), then every row is blanked.
        outbound = outboundIdsOf(ctx, c)
        for (const o of outbound) cancelWaiting(ctx, o, 'The recipient was erased', 'erased')
        for (const h of blankOutbound(ctx, outbound)) hashes.add(h)
        const { alone, shared } = linkedMessages(ctx, id)
        // The names their mail gives them too (a display name the contact row never had), before it goes.
        const mailNames = namesInMail(ctx, c.addresses)
        // Their mail stays on the server: a later full fetch must not store it again.
        insertErasedMessages(ctx, alone, now)
        const gone = deleteMessageSet(ctx, alone)
        for (const h of gone.hashes) hashes.add(h)
        for (const t of [...gone.touched, ...gone.emptied]) touched.add(t)
        refreshThreads(ctx, gone.touched)
        redactMessages(ctx, shared, c.addresses, [names.full.trim(), names.f, names.l, ...mailNames])
        for (const h of deleteDrafts(ctx, draftIdsOf(ctx, c))) hashes.add(h)
        deletePersonalRows(ctx, c)
        // Notes, consent, tags, extra addresses, sequence and flow enrolments go with the row (ON DELETE CASCADE).
        deleteContactRow(ctx, id)
        insertErasedBlocks(ctx, c.objectId, c.addresses, now)
        addAudit(ctx, { objectId: c.objectId, userId: currentUserId(ctx), action: 'contacts.erase', detail: { contactId: id, ...counts } }, now)
      })
      .immediate()
    // Deleted rows' tokens stay in FTS5 segments until merged.
    for (const t of ['messages_fts', 'contacts_fts', 'notes_fts']) stmt(ctx.sqlite, `INSERT INTO ${t}(${t}) VALUES ('optimize')`).run()
  } finally {
    ctx.sqlite.pragma(`secure_delete = ${secure}`)
  }
  for (const h of unreferencedHashes(ctx, hashes)) removeAttachment(ctx.info.dataDir, h)
  for (const f of earlierExports(ctx, id)) rmSync(join(exportsDir(ctx), f), { force: true })

  ctx.emit('contacts.changed', { ids: [id] })
  if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages: 0 })
  if (outbound.length) ctx.emit('outbox.changed', { ids: outbound })
  ctx.emit('drafts.changed', {})
  ctx.emit('tasks.changed', { ids: [] })

  // A backup copy in progress holds a read snapshot (the checkpoint would wait on it) and may hold the person:
  // wait for it without blocking the thread; retakeBackups then replaces it with the others.
  if (ctx.backups.runner.running()) await ctx.backups.runner.create('manual').catch(() => undefined)
  await checkpointTruncate(ctx)
  retakeBackups(ctx)
  return { erased: true }
}

/** Listens for erases that arrive from other desktops of a team workspace (engine start). */
export function wireErasedMail(ctx: Ctx, log: (msg: string) => void): Array<() => void> {
  return [
    ctx.hooks.on('team.erasedMessages', ({ keys, blocks }) => {
      eraseArrivedMail(ctx, keys, blocks).catch((e) => log(`[engine] removing mail erased on another desktop failed: ${e instanceof Error ? e.message : String(e)}`))
    }),
  ]
}

/**
 * Another desktop of the workspace erased a person (team/replicator.ts): the keys of the messages it removed
 * arrived, and this desktop's own IMAP copies of them go the same way (secure delete, index merge, WAL emptied,
 * snapshots re-taken); its sync never stores them again (erasedMessageTest reads the same keys). The person's
 * blocks arrived too: the mail that stays (shared with other contacts) has their address and name cut out. With
 * blocks and no mail of theirs here, the tidying still runs: this desktop's snapshots held their contact row.
 */
export async function eraseArrivedMail(ctx: Ctx, keys: Set<string>, blocks: Array<{ objectId: number | null; key: string }> = []): Promise<number> {
  const ids = messagesWithErasedKeys(ctx, keys)
  const gone = new Set(ids)
  // The mail that stays but names the person (shared with other contacts): cut out, as the erasing desktop did.
  const named = mailOfErasedBlocks(ctx, blocks)
  const cut = named.ids.filter((id) => !gone.has(id))
  if (ids.length === 0 && cut.length === 0 && blocks.length === 0) return 0
  const secure = ctx.sqlite.pragma('secure_delete', { simple: true }) as number
  ctx.sqlite.pragma('secure_delete = ON')
  let deleted: ReturnType<typeof deleteMessageSet> = { touched: [], emptied: [], hashes: [] }
  try {
    scrubFreePages(ctx)
    if (ids.length || cut.length)
      deleted = ctx.sqlite
        .transaction(() => {
          const g = deleteMessageSet(ctx, ids)
          refreshThreads(ctx, g.touched)
          redactMessages(ctx, cut, named.addresses, named.names)
          return g
        })
        .immediate()
    // The person's contact, notes and tasks went with the ops just applied: their tokens leave the indexes too.
    for (const t of ['messages_fts', 'contacts_fts', 'notes_fts']) stmt(ctx.sqlite, `INSERT INTO ${t}(${t}) VALUES ('optimize')`).run()
  } finally {
    ctx.sqlite.pragma(`secure_delete = ${secure}`)
  }
  for (const h of unreferencedHashes(ctx, deleted.hashes)) removeAttachment(ctx.info.dataDir, h)
  const threads = cut.length ? (stmt(ctx.sqlite, 'SELECT DISTINCT thread_id FROM messages WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(cut)) as number[]) : []
  const touched = [...new Set([...deleted.touched, ...deleted.emptied, ...threads])]
  if (touched.length) ctx.emit('inbox.changed', { threadIds: touched, newMessages: 0 })
  // As after an erase here: no snapshot of this desktop may bring the person (their contact row, their mail) back.
  if (ctx.backups.runner.running()) await ctx.backups.runner.create('manual').catch(() => undefined)
  await checkpointTruncate(ctx)
  retakeBackups(ctx)
  return ids.length + cut.length
}

/**
 * Pages freed before this erase (an ordinary delete of an old conversation, say) keep their old bytes on the
 * freelist. One zero-filled blob as large as the freelist takes every free page and writes it; dropped again
 * under secure_delete, the pages go back to the freelist as zeros. Costs one write per free page, no VACUUM.
 */
function scrubFreePages(ctx: Ctx): void {
  const free = ctx.sqlite.pragma('freelist_count', { simple: true }) as number
  if (free === 0) return
  const size = ctx.sqlite.pragma('page_size', { simple: true }) as number
  ctx.sqlite.transaction(() => {
    ctx.sqlite.exec('CREATE TABLE IF NOT EXISTS temp_erase_scrub (b BLOB)')
    ctx.sqlite.prepare('INSERT INTO temp_erase_scrub (b) VALUES (zeroblob(?))').run(free * size)
    ctx.sqlite.exec('DROP TABLE temp_erase_scrub')
  })()
}

/**
 * Earlier snapshots go at once and a fresh one is taken on the backup thread (see the top of this file for why);
 * the erase does not wait for the copy. A copy already in progress may hold the person: it is waited for on that
 * thread and removed like the others.
 */
function retakeBackups(ctx: Ctx): void {
  const runner = ctx.backups.runner
  const old = listBackupFiles(ctx.info.dataDir)
  if (old.length === 0 && !runner.running()) return
  for (const b of old) removeBackup(b)
  const fresh = async () => {
    if (runner.running()) {
      const stale = await runner.create('manual').catch(() => null)
      if (stale) removeBackup(stale)
    }
    await runner.create('manual')
  }
  fresh().catch(() => undefined) // a failed copy shows in the backups screen (runner.lastError)
}

/** Copies the WAL's pages into the database and empties it; a reader still on an old snapshot is waited for. */
async function checkpointTruncate(ctx: Ctx): Promise<void> {
  // A short busy wait per try (the usual 5 s would stall the engine's thread), and the waiting between tries async.
  const busyMs = ctx.sqlite.pragma('busy_timeout', { simple: true }) as number
  try {
    ctx.sqlite.pragma('busy_timeout = 50')
    for (let i = 0; i < 100; i++) {
      const r = ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
      if (!r[0]?.busy) return
      await new Promise((res) => setTimeout(res, 50))
    }
  } finally {
    ctx.sqlite.pragma(`busy_timeout = ${busyMs}`)
  }
  throw new AppError('UNAVAILABLE', 'The erase is done, but the database is busy and could not be tidied; try again in a moment')
}

export function contactConsent(ctx: Ctx, id: number): ContactConsent {
  requireCore(ctx, id)
  return { current: consentOf(ctx, id), history: consentHistory(ctx, id) }
}

/** Staff record a person's answer by hand; a repeat of the current answer changes nothing and is not audited. */
export function setContactConsent(ctx: Ctx, { id, channel, status }: ParsedInput<'contacts.setConsent'>): ContactConsent {
  const c = requireCore(ctx, id)
  const now = ctx.clock.now()
  const changed = ctx.sqlite.transaction(() => {
    const did = setConsent(ctx, id, channel, status, 'manual', now)
    if (did) addAudit(ctx, { objectId: c.objectId, userId: currentUserId(ctx), action: 'consent.change', detail: { contactId: id, channel, status } }, now)
    return did
  })()
  if (changed) ctx.emit('contacts.changed', { ids: [id] })
  return contactConsent(ctx, id)
}
