// The editable form of an autoresponder action or a sequence step: the body is the rich editor's HTML with
// its variables as Handlebars text (what the engine stores), a delay whose number is kept as typed until
// save, and a stable key for React lists.
import type { Delay } from '../../../../shared/automation'
import type { DelayUnit } from '../../lib/automation'
import { focusFirstInvalid, splitError } from '../../lib/errors'
import { chipsIn, chipsOut, isBlankHtml } from '../../lib/templateChips'

export interface MessageDraft {
  key: string
  subject: string
  body: string
  delay: { value: string; unit: DelayUnit }
}

let nextKey = 1
export const newMessage = (delay: Delay = { value: 0, unit: 'days' }): MessageDraft => ({
  key: `m${nextKey++}`,
  subject: '',
  body: '',
  delay: { value: String(delay.value), unit: delay.unit },
})

export const messageOfSaved = (m: { subject: string; bodyHtml: string }, delay: Delay): MessageDraft => ({
  key: `m${nextKey++}`,
  subject: m.subject,
  // Through the chip round trip: a body saved by the old plain-text editor had its quotes escaped inside
  // mustaches ({{default x &quot;there&quot;}}), which strict Handlebars cannot parse.
  body: chipsOut(chipsIn(m.bodyHtml)),
  delay: { value: String(delay.value), unit: delay.unit },
})

export const delayOf = (m: MessageDraft): Delay => {
  const value = Number(m.delay.value)
  return { value: Number.isInteger(value) && value >= 0 ? value : 0, unit: m.delay.unit }
}

export const htmlOf = (m: MessageDraft): string => m.body

/** Errors keyed `<index>.subject` / `<index>.body`, from the engine's field paths (`actions.2.bodyHtml`). */
export function messageErrorKey(field: string | undefined, list: 'actions' | 'steps'): string | null {
  const m = field ? new RegExp(`^${list}\\.(\\d+)\\.(subject|bodyHtml|delay|wait)`).exec(field) : null
  if (!m) return null
  return `${m[1]}.${m[2] === 'subject' ? 'subject' : m[2] === 'bodyHtml' ? 'body' : 'delay'}`
}

/**
 * Where the engine's refusal of a save goes: next to a message's field, next to one of the form's own
 * `fields`, or (anything else) above the form.
 */
export function routeSaveError(err: unknown, list: 'actions' | 'steps', fields: readonly string[], setErrors: (e: Record<string, string>) => void, setFormError: (m: string) => void): void {
  const split = splitError(err, () => true, (f) => messageErrorKey(f, list) ?? (fields.includes(f) ? f : null))
  setErrors(split.fields)
  if (split.form) setFormError(split.form)
  if (Object.keys(split.fields).length) focusFirstInvalid()
}

/** The first message (by index) that has an error, so the editor can show it before focusing. */
export function firstMessageWithError(errors: Record<string, string>): number | null {
  const indexes = Object.keys(errors)
    .map((k) => /^(\d+)\./.exec(k)?.[1])
    .filter((i): i is string => i !== undefined)
    .map(Number)
  return indexes.length ? Math.min(...indexes) : null
}

/** Local checks before asking the engine, so the first empty field is pointed at directly. */
export function localMessageErrors(messages: MessageDraft[]): Record<string, string> {
  const errors: Record<string, string> = {}
  messages.forEach((m, i) => {
    if (!m.subject.trim()) errors[`${i}.subject`] = 'A subject is required'
    if (isBlankHtml(m.body)) errors[`${i}.body`] = 'The message is empty'
    const v = Number(m.delay.value)
    if (m.delay.value.trim() === '' || !Number.isInteger(v) || v < 0 || v > 3650) errors[`${i}.delay`] = 'A whole number from 0 to 3650'
  })
  return errors
}
