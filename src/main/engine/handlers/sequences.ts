// Sequences (seed 002): the boundary. Definitions and enrolment in automation/sequences.ts, sending in
// automation/sequenceRun.ts.
import { AppError } from '../../../shared/result'
import { cancelWaiting } from '../outbound/cancel'
import type { Ctx, HandlersFor } from '../context'
import { wakeAutomation } from '../automation/runner'
import { pause, resume } from '../automation/sequenceRun'
import { createSequence, enroll, getSequence, listSequenceContacts, listSequences, updateSequence } from '../automation/sequences'
import { cleanTemplates } from '../outbound/outgoingHtml'
import { segmentCondition } from '../services/segments'

const changed = (ctx: Ctx) => {
  ctx.emit('automation.changed', { kind: 'sequences' })
  ctx.outbound.scheduler.wake()
  wakeAutomation(ctx)
}

export const sequenceHandlers: HandlersFor<'sequences'> = {
  'sequences.list': (ctx, { objectId }) => listSequences(ctx, objectId),
  'sequences.get': (ctx, { id }) => getSequence(ctx, id),
  'sequences.create': (ctx, input) => {
    const s = createSequence(ctx, { ...input, steps: cleanTemplates(input.steps)! })
    changed(ctx)
    return s
  },
  'sequences.update': (ctx, input) => {
    const s = updateSequence(ctx, input.steps ? { ...input, steps: cleanTemplates(input.steps) } : input)
    changed(ctx)
    return s
  },
  'sequences.delete': (ctx, { id }) => {
    getSequence(ctx, id)
    ctx.sqlite.transaction(() => {
      // Steps not yet sent are withdrawn from the outbox with the sequence.
      const pending = ctx.sqlite.prepare('SELECT pending_outbound_id AS id FROM sequence_contacts WHERE sequence_id = ? AND pending_outbound_id IS NOT NULL').all(id) as Array<{ id: number }>
      ctx.sqlite.prepare('UPDATE sequence_contacts SET pending_outbound_id = NULL WHERE sequence_id = ?').run(id)
      for (const p of pending)
        cancelWaiting(ctx, p.id, 'The sequence was deleted')
      ctx.sqlite.prepare('DELETE FROM sequences WHERE id = ?').run(id)
    })()
    changed(ctx)
    return { id, deleted: true as const }
  },
  'sequences.enroll': (ctx, input) => {
    const r = enroll(ctx, input, input.segmentId === undefined ? undefined : segmentCondition(ctx, input.segmentId))
    changed(ctx)
    return r
  },
  'sequences.contacts': (ctx, input) => listSequenceContacts(ctx, input),
  'sequences.pause': (ctx, { id, contactIds }) => {
    const s = getSequence(ctx, id)
    if (!contactIds && s.status === 'paused') throw new AppError('CONFLICT', 'The sequence is already paused', 'id')
    pause(ctx, id, contactIds)
    changed(ctx)
    return getSequence(ctx, id)
  },
  'sequences.resume': (ctx, { id, contactIds }) => {
    getSequence(ctx, id)
    resume(ctx, id, contactIds)
    changed(ctx)
    return getSequence(ctx, id)
  },
}
