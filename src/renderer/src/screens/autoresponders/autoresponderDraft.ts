// The autoresponder form's state and its conversion to and from the engine's shapes.
import type { Autoresponder, Trigger } from '../../../../shared/automation'
import type { Input } from '../../../../shared/contract'
import { delayOf, localMessageErrors, messageInputOf, messageOfSaved, newMessage, type MessageDraft } from '../automation/messageDraft'
import type { TriggerDraft } from './TriggerPicker'

export interface AutoresponderDraft {
  name: string
  /** '' = every business. */
  objectId: string
  isActive: boolean
  trigger: TriggerDraft
  actions: MessageDraft[]
}

export const emptyDraft = (): AutoresponderDraft => ({
  name: '',
  objectId: '',
  isActive: true,
  trigger: { type: 'TAG_ADDED', tagId: null, field: 'createdAt', offset: '0', direction: 'after' },
  actions: [newMessage({ value: 0, unit: 'minutes' })],
})

export function draftOf(a: Autoresponder): AutoresponderDraft {
  const t = a.trigger
  return {
    name: a.name,
    objectId: a.objectId === null ? '' : String(a.objectId),
    isActive: a.isActive,
    trigger: {
      type: t.type,
      tagId: t.type === 'TAG_ADDED' ? t.tagId : null,
      field: t.type === 'DATE_BASED' ? t.field : 'createdAt',
      offset: t.type === 'DATE_BASED' ? String(Math.abs(t.offsetDays)) : '0',
      direction: t.type === 'DATE_BASED' && t.offsetDays < 0 ? 'before' : 'after',
    },
    actions: a.actions.map((x) => messageOfSaved(x, x.delay)),
  }
}

export function triggerOf(t: TriggerDraft): Trigger | null {
  if (t.type === 'CONTACT_CREATED') return { type: 'CONTACT_CREATED' }
  if (t.type === 'TAG_ADDED') return t.tagId ? { type: 'TAG_ADDED', tagId: t.tagId } : null
  const days = Number(t.offset) || 0
  return { type: 'DATE_BASED', field: t.field.trim(), offsetDays: t.direction === 'before' ? -days : days }
}

export function localErrors(d: AutoresponderDraft): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!d.name.trim()) errors.name = 'Give it a name'
  if (d.trigger.type === 'TAG_ADDED' && !d.trigger.tagId) errors['trigger.tagId'] = 'Pick the tag that starts it'
  if (d.trigger.type === 'DATE_BASED') {
    if (!d.trigger.field.trim()) errors['trigger.field'] = 'Name the field that holds the date'
    const n = Number(d.trigger.offset)
    if (!Number.isInteger(n) || n < 0 || n > 3650) errors['trigger.offsetDays'] = 'A whole number of days'
  }
  return { ...errors, ...localMessageErrors(d.actions) }
}

export function createInput(d: AutoresponderDraft): Input<'autoresponders.create'> {
  return {
    name: d.name.trim(),
    objectId: d.objectId ? Number(d.objectId) : null,
    isActive: d.isActive,
    trigger: triggerOf(d.trigger) as Trigger,
    actions: d.actions.map((m) => ({ ...messageInputOf(m), delay: delayOf(m) })),
  }
}
