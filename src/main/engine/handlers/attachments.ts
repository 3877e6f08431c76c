// attachments.*: a received file's bytes (services/attachments.ts).
import type { HandlersFor } from '../context'
import { attachmentContent } from '../services/attachments'

export const attachmentsHandlers: HandlersFor<'attachments'> = {
  'attachments.content': (ctx, { id }) => attachmentContent(ctx, id),
}
