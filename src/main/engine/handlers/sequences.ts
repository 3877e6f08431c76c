// Sequences (seed 002): the boundary. Rules in services/sequences.ts, queries in repos/sequences.ts,
// sending in automation/sequenceRun.ts.
import type { HandlersFor } from '../context'
import {
  createSequence,
  deleteSequence,
  enrollAndWake,
  getSequence,
  listSequenceContacts,
  listSequences,
  pauseSequence,
  resumeSequence,
  updateSequence,
} from '../services/sequences'

export const sequencesHandlers: HandlersFor<'sequences'> = {
  'sequences.list': (ctx, { objectId }) => listSequences(ctx, objectId),
  'sequences.get': (ctx, { id }) => getSequence(ctx, id),
  'sequences.create': (ctx, input) => createSequence(ctx, input),
  'sequences.update': (ctx, input) => updateSequence(ctx, input),
  'sequences.delete': (ctx, { id }) => deleteSequence(ctx, id),
  'sequences.enroll': (ctx, input) => enrollAndWake(ctx, input),
  'sequences.contacts': (ctx, input) => listSequenceContacts(ctx, input),
  'sequences.pause': (ctx, { id, contactIds }) => pauseSequence(ctx, id, contactIds),
  'sequences.resume': (ctx, { id, contactIds }) => resumeSequence(ctx, id, contactIds),
}
