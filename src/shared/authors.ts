// Who did what (issue 22 item 5): the staff member behind a contact or an outbox row, by the e-mail stored with
// the row (replicated in a team workspace) and the name the workspace's users list gives it, or the automation
// that queued a message. Optional in every output shape: a solo desktop with nobody chosen shows none.
import { z } from 'zod'

/** A staff member: their e-mail, and their name (the e-mail when the users list does not know them). */
export const Author = z.object({ email: z.string(), name: z.string() })
export type Author = z.infer<typeof Author>

export const AUTOMATION_KINDS = ['sequence', 'flow', 'autoresponder'] as const
export type AutomationKind = (typeof AUTOMATION_KINDS)[number]

/** Who queued an outbox row: a person, or a sequence/flow/autoresponder (its name when this desktop has it). */
export const QueuedBy = z.discriminatedUnion('kind', [
  Author.extend({ kind: z.literal('person') }),
  z.object({ kind: z.enum(AUTOMATION_KINDS), id: z.number().int().nullable(), name: z.string().nullable() }),
])
export type QueuedBy = z.infer<typeof QueuedBy>

const KIND_WORD: Record<AutomationKind, string> = { sequence: 'sequence', flow: 'flow', autoresponder: 'autoresponder' }

/** "Ana Lopez", "sequence Spring re-booking", or "a sequence" when its name is not known here. */
export function queuedByText(q: QueuedBy): string {
  if (q.kind === 'person') return q.name
  return q.name ? `${KIND_WORD[q.kind]} ${q.name}` : `${q.kind === 'autoresponder' ? 'an' : 'a'} ${KIND_WORD[q.kind]}`
}
