// attachments.content: the bytes of a received file, for the renderer to save or open.
import { AppError, notFound } from '../../../shared/result'
import type { Ctx } from '../context'
import { readAttachment } from '../inbound/attachmentFiles'
import { displayFilename } from '../inbound/attachmentName'
import { ATTACHMENT_MAX_BYTES, attachmentRow } from '../repos/messages'

export function attachmentContent(ctx: Ctx, id: number): { filename: string; contentType: string; base64: string } {
  const a = attachmentRow(ctx, id)
  if (!a) throw notFound('Attachment', id)
  if (a.size > ATTACHMENT_MAX_BYTES) {
    throw new AppError('VALIDATION', `${a.filename} is ${(a.size / 1048576).toFixed(1)} MB; attachments over 25 MB cannot be saved from the app`, 'id')
  }
  const bytes = readAttachment(ctx.info.dataDir, a.sha256)
  if (!bytes) throw new AppError('NOT_FOUND', `The file of attachment ${id} is missing from the data folder`, 'id')
  if (bytes.length > ATTACHMENT_MAX_BYTES) throw new AppError('VALIDATION', `${a.filename} is over 25 MB and cannot be saved from the app`, 'id')
  return { filename: displayFilename(a.filename), contentType: a.contentType, base64: bytes.toString('base64') }
}
