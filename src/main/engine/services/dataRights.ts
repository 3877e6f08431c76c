// A person's right to be forgotten (issue 18, seed 003): contacts.erase removes the contact and everything that is
// only theirs, blanks what other records need to keep their shape (outbox rows, events), cuts them out of mail they
// share with other contacts, and leaves a salted hash of their address (suppressions, reason 'erased') so imports,
// new contacts and sends stay blocked. The audit line keeps ids and counts only.
//
// "Nowhere in the data dir" after an erase, and how each place is handled:
// - SQLite pages: `secure_delete` is on for the erase, so freed cells and pages are overwritten with zeros.
// - FTS5: contentless and external-content tables keep a deleted row's tokens in their segments until merged, so
//   the three indexes are merged into one segment each after the erase (in slices: services/eraseWork.ts, which
//   also runs the mail's deletion and cutting, and finishes an erase a quit interrupted).
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
import { cancelWaiting } from '../outbound/cancel'
import { currentUserId } from '../repos/app'
import { addAudit } from '../repos/audit'
import { teamState } from '../repos/team'
import { deleteContactRow } from '../repos/contacts'
import { listBackupFiles } from '../backups/files'
import { deleteInSlices, finishErases, namesInMailSliced, redactInSlices, scrubFreePages, serially, withSecureDelete } from './eraseWork'
import {
  blankOutbound,
  contactCore,
  deleteDrafts,
  deletePersonalRows,
  draftIdsOf,
  eraseCounts,
  insertErasedBlocks,
  insertErasedMessages,
  isErased,
  linkedMessages,
  mailDoneForMark,
  markErasePending,
  outboundIdsOf,
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

export function eraseContact(ctx: Ctx, id: number): Promise<{ erased: true }> {
  // One erase's work at a time (an erase that arrived from another desktop may be running): see eraseWork.ts.
  return serially(ctx, async () => {
    const c = requireCore(ctx, id)
    const names = stmt(ctx.sqlite, "SELECT first_name || ' ' || last_name AS full, first_name AS f, last_name AS l FROM contacts WHERE id = ?").get(id) as {
      full: string
      f: string
      l: string
    }
    const now = ctx.clock.now()
    const hashes = new Set<string>()
    let counts: EraseCounts | undefined
    let outbound: number[] = []
    let alone: number[] = []
    let shared: number[] = []
    let mark = ''
    // The names their mail gives them too (a display name the contact row never had), read in slices first.
    const mailNames = await namesInMailSliced(ctx, c.addresses)
    await withSecureDelete(ctx, async () => {
      // Pages freed before now are overwritten first; what this erase frees is zeroed as it goes (secure_delete).
      scrubFreePages(ctx)
      ctx.sqlite
        .transaction(() => {
          // Still there after the slices above (another call may have deleted it meanwhile).
          requireCore(ctx, id)
          counts = eraseCounts(ctx, c)
          // Mail still waiting for them is withdrawn first (the one way to do it), then every row is blanked.
          outbound = outboundIdsOf(ctx, c)
          for (const o of outbound) cancelWaiting(ctx, o, 'The recipient was erased', 'erased')
          for (const h of blankOutbound(ctx, outbound)) hashes.add(h)
          const linked = linkedMessages(ctx, id)
          alone = linked.alone
          shared = linked.shared
          // Their mail stays on the server: a later full fetch must not store it again. (It is deleted below, in
          // slices; after a quit halfway these keys find it again.)
          insertErasedMessages(ctx, alone, now)
          for (const h of deleteDrafts(ctx, draftIdsOf(ctx, c))) hashes.add(h)
          deletePersonalRows(ctx, c)
          // Notes, consent, tags, extra addresses, sequence and flow enrolments go with the row (ON DELETE CASCADE).
          deleteContactRow(ctx, id)
          insertErasedBlocks(ctx, c.objectId, c.addresses, now)
          addAudit(ctx, { objectId: c.objectId, userId: currentUserId(ctx), action: 'contacts.erase', detail: { contactId: id, ...counts } }, now)
          // The rest is due from this commit, a restart included: the mail they share with others cut (below, and
          // found again by their blocks after a restart), the indexes merged, the WAL emptied, snapshots re-taken.
          mark = markErasePending(ctx.sqlite, true)
        })
        .immediate()
      // Their drafts' and outgoing mail's files and their exports go at once (the slices below may be cut short by
      // a quit, and nothing after could find these again).
      for (const h of unreferencedHashes(ctx, hashes)) removeAttachment(ctx.info.dataDir, h)
      for (const f of earlierExports(ctx, id)) rmSync(join(exportsDir(ctx), f), { force: true })
      ctx.emit('contacts.changed', { ids: [id] })
      if (outbound.length) ctx.emit('outbox.changed', { ids: outbound })
      ctx.emit('drafts.changed', {})
      ctx.emit('tasks.changed', { ids: [] })
      // Their own mail goes, and mail they share with other contacts stays with them cut out of it: in slices.
      await deleteInSlices(ctx, alone)
      await redactInSlices(ctx, shared, c.addresses, [names.full.trim(), names.f, names.l, ...mailNames])
      // All of it done here: the tidy needs no search for their mail (a quit before now has the next start search).
      mailDoneForMark(ctx, mark)
    })
    // Deleted rows' tokens leave the FTS segments, the WAL is emptied and the snapshots re-taken, in slices.
    await finishErases(ctx)
    return { erased: true as const }
  })
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
