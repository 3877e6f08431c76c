// Files attached to outgoing mail. The bytes go into the data dir's content-hash store (shared with received
// mail, so a forwarded PDF is one file), written before the transaction that points at them; a row of
// mail_attachments belongs to a draft or an outbox row. Sending reads the file by hash at the last moment.
import { basename } from 'node:path'
import { ATTACHMENTS_MAX_BYTES, formatBytes, type AttachmentRef, type NewAttachment, type OutgoingAttachment } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import type { AttachmentRow as StoredAttachmentRow } from '../repos/messages'
import { readAttachment, saveAttachment } from '../inbound/attachmentFiles'
import { SendFailure } from './failure'

/** A stored file as outgoing mail uses it (the message's own row also has its inline/content-id). */
export type AttachmentRow = Omit<StoredAttachmentRow, 'contentId' | 'inline'>
/** A file ready to be linked to a draft or an outbox row; `from` is the mail_attachments row it was named by. */
export type Resolved = Omit<AttachmentRow, 'id'> & { from?: number }

const COLS = 'id, filename, content_type AS contentType, size, sha256'

/** Names travel into MIME headers and download prompts: no paths, no control characters. */
export const cleanFilename = (name: string): string =>
  basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255) || 'attachment'

/** Writes an uploaded file to the store (outside any transaction) and returns what a row needs. */
export function storeUpload(ctx: Ctx, a: NewAttachment, field = 'attachments'): Resolved {
  const bytes = Buffer.from(a.contentBase64, 'base64')
  if (bytes.length > ATTACHMENTS_MAX_BYTES) throw new AppError('VALIDATION', `${a.filename} is ${formatBytes(bytes.length)}; attachments can be 25 MB in total at most`, field)
  const sha256 = saveAttachment(ctx.info.dataDir, bytes)
  return { filename: cleanFilename(a.filename), contentType: a.contentType.toLowerCase(), size: bytes.length, sha256 }
}

/** An attachment row by id (any owner): a file of a draft, an outbox row, or a pending upload. */
function rowById(ctx: Ctx, id: number, field: string): AttachmentRow {
  const r = stmt(ctx.sqlite, `SELECT ${COLS} FROM mail_attachments WHERE id = ?`).get(id) as AttachmentRow | undefined
  if (!r) throw new AppError('NOT_FOUND', `Attachment ${id} does not exist`, field)
  return r
}

/**
 * Turns refs into files: uploads are stored (so call this before the write transaction), ids looked up.
 * A file named by attachmentId carries that id as `from`, so a draft keeps (or adopts) the very row.
 * Refuses a total over 25 MB in words.
 */
export function resolveRefs(ctx: Ctx, refs: readonly AttachmentRef[], field = 'attachments'): Resolved[] {
  const out = refs.map((ref, i): Resolved => {
    if ('attachmentId' in ref) {
      const { id, ...rest } = rowById(ctx, ref.attachmentId, `${field}.${i}.attachmentId`)
      return { ...rest, from: id }
    }
    if ('messageAttachmentId' in ref) {
      const r = stmt(ctx.sqlite, 'SELECT filename, content_type AS contentType, size, sha256 FROM attachments WHERE id = ?').get(ref.messageAttachmentId) as Resolved | undefined
      if (!r) throw new AppError('NOT_FOUND', `Attachment ${ref.messageAttachmentId} of that message does not exist`, `${field}.${i}.messageAttachmentId`)
      return r
    }
    return storeUpload(ctx, ref, `${field}.${i}`)
  })
  assertTotal(out, field)
  return out
}

export function assertTotal(files: readonly Pick<Resolved, 'size'>[], field = 'attachments'): void {
  const total = files.reduce((n, f) => n + f.size, 0)
  if (total > ATTACHMENTS_MAX_BYTES)
    throw new AppError('VALIDATION', `The attachments come to ${formatBytes(total)}; a message can carry 25 MB of attachments at most`, field)
}

/** The files of a received message, for a forward (inline images stay in the quoted body's place). */
export function originalAttachments(ctx: Ctx, messageId: number): Resolved[] {
  return stmt(ctx.sqlite, 'SELECT filename, content_type AS contentType, size, sha256 FROM attachments WHERE message_id = ? AND inline = 0 ORDER BY id').all(messageId) as Resolved[]
}

type Owner = { draftId: number } | { outboundId: number }

/**
 * Replaces the owner's files with `files` (in order). A draft keeps the ids of rows it already has and
 * adopts pending uploads, so the ids the UI holds stay valid across autosaves. Call inside a write transaction.
 */
export function setAttachments(ctx: Ctx, owner: Owner, files: readonly Resolved[]): void {
  const now = ctx.clock.now()
  if ('outboundId' in owner) {
    const insert = stmt(ctx.sqlite, 'INSERT INTO mail_attachments (outbound_id, position, filename, content_type, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    files.forEach((f, i) => insert.run(owner.outboundId, i, f.filename, f.contentType, f.size, f.sha256, now))
    return
  }
  const { draftId } = owner
  const keep = new Set<number>()
  const claim = stmt(ctx.sqlite, 'UPDATE mail_attachments SET draft_id = ?, position = ? WHERE id = ? AND outbound_id IS NULL AND (draft_id = ? OR draft_id IS NULL)')
  const insert = stmt(ctx.sqlite, 'INSERT INTO mail_attachments (draft_id, position, filename, content_type, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id')
  files.forEach((f, i) => {
    if (f.from !== undefined && !keep.has(f.from) && claim.run(draftId, i, f.from, draftId).changes) keep.add(f.from)
    else keep.add((insert.get(draftId, i, f.filename, f.contentType, f.size, f.sha256, now) as { id: number }).id)
  })
  const mine = stmtPluck(ctx.sqlite, 'SELECT id FROM mail_attachments WHERE draft_id = ?').all(draftId) as number[]
  const drop = stmt(ctx.sqlite, 'DELETE FROM mail_attachments WHERE id = ?')
  for (const id of mine) if (!keep.has(id)) drop.run(id)
}

/** Uploads no draft took within a week (the window closed before the next save) are forgotten. */
const STAGED_MS = 7 * 86_400_000

/** Uploads that wait for their draft's next save (drafts.attach). */
export function stageUpload(ctx: Ctx, file: Resolved): OutgoingAttachment {
  stmt(ctx.sqlite, 'DELETE FROM mail_attachments WHERE draft_id IS NULL AND outbound_id IS NULL AND created_at < ?').run(ctx.clock.now() - STAGED_MS)
  const r = stmt(ctx.sqlite, 'INSERT INTO mail_attachments (position, filename, content_type, size, sha256, created_at) VALUES (0, ?, ?, ?, ?, ?) RETURNING id')
    .get(file.filename, file.contentType, file.size, file.sha256, ctx.clock.now()) as { id: number }
  return { id: r.id, filename: file.filename, contentType: file.contentType, size: file.size }
}

export function attachmentsOf(ctx: Ctx, owner: Owner): AttachmentRow[] {
  const [col, id] = 'draftId' in owner ? ['draft_id', owner.draftId] : ['outbound_id', owner.outboundId]
  return stmt(ctx.sqlite, `SELECT ${COLS} FROM mail_attachments WHERE ${col} = ? ORDER BY position, id`).all(id) as AttachmentRow[]
}

export const publicAttachment = ({ id, filename, contentType, size }: AttachmentRow): OutgoingAttachment => ({ id, filename, contentType, size })

/** What a sender attaches. Read from the store when the row leaves, never kept in the row. */
export interface FileToSend {
  filename: string
  contentType: string
  content: Buffer
}

/**
 * The files of an outbox row, read and checked against their hashes. A file gone from the data folder is a
 * permanent failure in words: sending without it would deliver a message that says "attached" and is not.
 */
export function filesToSend(ctx: Ctx, outboundId: number): FileToSend[] {
  return attachmentsOf(ctx, { outboundId }).map((a) => {
    const content = readAttachment(ctx.info.dataDir, a.sha256)
    if (!content) throw new SendFailure('permanent', `The attached file ${a.filename} is missing from the data folder`)
    return { filename: a.filename, contentType: a.contentType, content }
  })
}
