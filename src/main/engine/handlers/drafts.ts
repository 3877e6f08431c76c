// drafts.*: saved as typed, sent through the outbox (services/drafts.ts).
import type { HandlersFor } from '../context'
import * as drafts from '../services/drafts'

export const draftHandlers: HandlersFor<'drafts'> = {
  'drafts.save': (ctx, input) => drafts.saveDraft(ctx, input),
  'drafts.attach': (ctx, input) => drafts.attachToDraft(ctx, input),
  'drafts.list': (ctx, { replyTo, threadId }) => drafts.listDrafts(ctx, { replyTo, threadId }),
  'drafts.get': (ctx, { id }) => drafts.getDraft(ctx, id),
  'drafts.delete': (ctx, { id }) => drafts.deleteDraft(ctx, id),
  'drafts.send': (ctx, { draftId, sendAt }) => drafts.sendDraft(ctx, draftId, sendAt),
}
