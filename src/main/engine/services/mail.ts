// mail.send: a composed message into the outbox (outbound/queue.ts), and its draft hidden in the same
// transaction so undo can bring it back.
import type { z } from 'zod'
import type { SendMail } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { resolveRefs } from '../outbound/attachments'
import { loadProfile, queueMessage } from '../outbound/queue'
import { tagRow } from '../repos/bulk'
import { getRow, toOutbound } from '../repos/outbox'
import { rowIdByKey } from '../repos/mail'
import { hideDraft } from './drafts'
import { outboxChanged } from './outbox'
import { assertMaySendFrom } from './permissions'
import { mustTemplate } from './templates'

export function sendMail(ctx: Ctx, input: z.output<typeof SendMail>) {
  // A staff member sends only from the profiles assigned to them (before anything is looked up or stored).
  assertMaySendFrom(ctx, input.profileId)
  // The same key in the same business: the first message, and nothing queued (seed 004). Checked before the
  // upload so a repeated Send does not store its files again; the unique index backs it inside the write.
  if (input.idempotencyKey) {
    const prior = priorByKey(ctx, input.profileId, input.idempotencyKey)
    if (prior) return { ...toOutbound(prior), idempotencyReused: true }
  }
  if (input.templateId !== undefined && mustTemplate(ctx, input.templateId, 'templateId').objectId !== loadProfile(ctx, input.profileId).objectId)
    throw new AppError('VALIDATION', 'That template belongs to another business than this sender', 'templateId')
  // Uploaded files reach the store before the transaction that points at them.
  const attachments = input.attachments ? resolveRefs(ctx, input.attachments) : undefined
  const row = inTransaction(ctx.sqlite, () => {
    if (input.idempotencyKey) {
      const prior = priorByKey(ctx, input.profileId, input.idempotencyKey)
      if (prior) return { ...prior, reused: true }
    }
    const r = queueMessage(ctx, {
      ...input,
      attachments,
      sendAt: input.sendAt ? Date.parse(input.sendAt) : undefined,
      source: 'compose',
      undoMs: ctx.outbound.undoMs,
      draftId: input.draftId ?? null,
    })
    if (input.draftId) hideDraft(ctx, input.draftId, r.id)
    if (input.templateId !== undefined) tagRow(ctx, r.id, input.templateId, null, null)
    return { ...r, reused: false }
  })
  if (row.reused) return { ...toOutbound(row), idempotencyReused: true }
  outboxChanged(ctx, row.id)
  if (input.draftId) ctx.emit('drafts.changed', {})
  return { ...toOutbound(row), ...(input.idempotencyKey ? { idempotencyReused: false } : {}) }
}

function priorByKey(ctx: Ctx, profileId: number, key: string) {
  const id = rowIdByKey(ctx, loadProfile(ctx, profileId).objectId, key)
  return id === undefined ? undefined : getRow(ctx, id)
}
