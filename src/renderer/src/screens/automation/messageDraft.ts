// The editable form of an autoresponder action or a sequence step: the body is the rich editor's HTML with
// its variables as Handlebars text (what the engine stores), a delay whose number is kept as typed until
// save, and a stable key for React lists.
import type { Delay } from '../../../../shared/automation'
import type { OutboxChannel, TemplateRef } from '../../../../shared/channels'
import type { DelayUnit } from '../../lib/automation'
import { focusFirstInvalid, splitError } from '../../lib/errors'
import { chipsIn, chipsOut, isBlankHtml } from '../../lib/templateChips'

export interface MessageDraft {
  key: string
  subject: string
  body: string
  delay: { value: string; unit: DelayUnit }
  /** Issue 17: an email (subject + body) or a text: its words (`text`), and for WhatsApp an approved template. */
  channel: OutboxChannel
  text: string
  contentSid: string
  /** The template's {{1}}, {{2}} … values, one per line. */
  templateVars: string
}

let nextKey = 1
export const newMessage = (delay: Delay = { value: 0, unit: 'days' }): MessageDraft => ({
  key: `m${nextKey++}`,
  subject: '',
  body: '',
  delay: { value: String(delay.value), unit: delay.unit },
  channel: 'email',
  text: '',
  contentSid: '',
  templateVars: '',
})

export const messageOfSaved = (m: { subject: string; bodyHtml: string; channel?: OutboxChannel; body?: string | null; template?: TemplateRef | null }, delay: Delay): MessageDraft => ({
  key: `m${nextKey++}`,
  subject: m.subject,
  // Through the chip round trip: a body saved by the old plain-text editor had its quotes escaped inside
  // mustaches ({{default x &quot;there&quot;}}), which strict Handlebars cannot parse.
  body: m.bodyHtml ? chipsOut(chipsIn(m.bodyHtml)) : '',
  delay: { value: String(delay.value), unit: delay.unit },
  channel: m.channel ?? 'email',
  text: m.body ?? '',
  contentSid: m.template?.contentSid ?? '',
  templateVars: m.template ? Object.keys(m.template.variables).sort((a, b) => Number(a) - Number(b)).map((k) => m.template!.variables[k]).join('\n') : '',
})

const SID = /^HX[0-9a-fA-F]{32}$/

/** What the engine takes for one step or action: an email's subject and HTML, or a text's words and template. */
export function messageInputOf(m: MessageDraft): { channel: OutboxChannel; subject?: string; bodyHtml?: string; body?: string; template?: TemplateRef } {
  if (m.channel === 'email') return { channel: 'email', subject: m.subject.trim(), bodyHtml: htmlOf(m) }
  const sid = m.channel === 'whatsapp' ? m.contentSid.trim() : ''
  const variables = Object.fromEntries(
    m.templateVars
      .split('\n')
      .map((v) => v.trim())
      .map((v, i) => [String(i + 1), v] as const)
      .filter(([, v]) => v !== ''),
  )
  return { channel: m.channel, body: m.text.trim() || undefined, template: sid ? { contentSid: sid, variables } : undefined }
}

export const delayOf = (m: MessageDraft): Delay => {
  const value = Number(m.delay.value)
  return { value: Number.isInteger(value) && value >= 0 ? value : 0, unit: m.delay.unit }
}

export const htmlOf = (m: MessageDraft): string => m.body

/** Errors keyed `<index>.subject` / `<index>.body`, from the engine's field paths (`actions.2.bodyHtml`). */
export function messageErrorKey(field: string | undefined, list: 'actions' | 'steps'): string | null {
  const m = field ? new RegExp(`^${list}\\.(\\d+)\\.(subject|bodyHtml|delay|wait|body|channel|template)`).exec(field) : null
  if (!m) return null
  const key: Record<string, string> = { subject: 'subject', bodyHtml: 'body', delay: 'delay', wait: 'delay', body: 'text', channel: 'channel', template: 'contentSid' }
  return `${m[1]}.${key[m[2]!]}`
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
    if (m.channel !== 'email') {
      const sid = m.channel === 'whatsapp' ? m.contentSid.trim() : ''
      if (!m.text.trim() && !sid) errors[`${i}.text`] = m.channel === 'whatsapp' ? 'Type the message, or give an approved template' : 'Type the text message'
      if (sid && !SID.test(sid)) errors[`${i}.contentSid`] = 'A template (ContentSid) starts with HX followed by 32 letters and digits'
    } else {
      if (!m.subject.trim()) errors[`${i}.subject`] = 'A subject is required'
      if (isBlankHtml(m.body)) errors[`${i}.body`] = 'The message is empty'
    }
    const v = Number(m.delay.value)
    if (m.delay.value.trim() === '' || !Number.isInteger(v) || v < 0 || v > 3650) errors[`${i}.delay`] = 'A whole number from 0 to 3650'
  })
  return errors
}
