// mail.send: a composed message into the outbox (outbound/queue.ts), and its draft hidden in the same
// transaction so undo can bring it back.
import type { z } from 'zod'
import type { SendMail } from '../../../shared/outbound'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { resolveRefs } from '../outbound/attachments'
import { queueMessage } from '../outbound/queue'
import { toOutbound } from '../repos/outbox'
import { hideDraft } from './drafts'
import { outboxChanged } from './outbox'

export function sendMail(ctx: Ctx, input: z.output<typeof SendMail>) {
  // Uploaded files reach the store before the transaction that points at them.
  const attachments = input.attachments ? resolveRefs(ctx, input.attachments) : undefined
  const row = inTransaction(ctx.sqlite, () => {
    const r = queueMessage(ctx, {
      ...input,
      attachments,
      sendAt: input.sendAt ? Date.parse(input.sendAt) : undefined,
      source: 'compose',
      undoMs: ctx.outbound.undoMs,
      draftId: input.draftId ?? null,
    })
    if (input.draftId) hideDraft(ctx, input.draftId, r.id)
    return r
  })
  outboxChanged(ctx, row.id)
  if (input.draftId) ctx.emit('drafts.changed', {})
  return toOutbound(row)
}
