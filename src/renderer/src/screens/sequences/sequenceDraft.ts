// The sequence form's state and its conversion to and from the engine's shapes.
import type { Sequence, SendWindow } from '../../../../shared/automation'
import type { Input } from '../../../../shared/contract'
import { delayOf, localMessageErrors, messageInputOf, messageOfSaved, newMessage, type MessageDraft } from '../automation/messageDraft'

export interface SequenceDraft {
  name: string
  objectId: string
  steps: MessageDraft[]
  mailboxIds: number[]
  windowOn: boolean
  window: SendWindow
}

const DEFAULT_WINDOW: SendWindow = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 }

export const emptyDraft = (objectId: string): SequenceDraft => ({
  name: '',
  objectId,
  steps: [newMessage({ value: 0, unit: 'days' }), newMessage({ value: 3, unit: 'days' })],
  mailboxIds: [],
  windowOn: true,
  window: DEFAULT_WINDOW,
})

export const draftOf = (s: Sequence): SequenceDraft => ({
  name: s.name,
  objectId: String(s.objectId),
  steps: s.steps.map((x) => messageOfSaved(x, x.wait)),
  mailboxIds: s.mailboxIds,
  windowOn: s.window !== null,
  window: s.window ?? DEFAULT_WINDOW,
})

export function localErrors(d: SequenceDraft): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!d.name.trim()) errors.name = 'Give it a name'
  if (!d.objectId) errors.objectId = 'Pick the business it sends for'
  if (d.mailboxIds.length === 0) errors.mailboxIds = 'Pick at least one mailbox'
  if (d.windowOn && d.window.days.length === 0) errors['window.days'] = 'Pick at least one day'
  if (d.windowOn && d.window.endHour <= d.window.startHour) errors['window.endHour'] = 'The window must end after it starts'
  return { ...errors, ...localMessageErrors(d.steps) }
}

const stepsOf = (d: SequenceDraft) => d.steps.map((m) => ({ ...messageInputOf(m), wait: delayOf(m) }))

export const createInput = (d: SequenceDraft): Input<'sequences.create'> => ({
  name: d.name.trim(),
  objectId: Number(d.objectId),
  steps: stepsOf(d),
  mailboxIds: d.mailboxIds,
  window: d.windowOn ? d.window : null,
})

export const patchInput = (id: number, d: SequenceDraft): Input<'sequences.update'> => ({
  id,
  name: d.name.trim(),
  steps: stepsOf(d),
  mailboxIds: d.mailboxIds,
  window: d.windowOn ? d.window : null,
})

/** People in the sequence (every status). */
export const enrolledOf = (s: Sequence): number => Object.values(s.counts).reduce((n, c) => n + c, 0)
