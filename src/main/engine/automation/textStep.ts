// An SMS or WhatsApp step of a sequence or an autoresponder (issue 17 item 7), queued through the one outbox
// by the channels code (queueText): the business must have a sender for the channel, the contact a number;
// WhatsApp free text only inside the contact's 24-hour window at the step's send time, else the step's
// approved template, else the step is skipped with the reason. An opt-out is a row written `skipped`.
import { WINDOW_CLOSED, type TemplateRef, type TextChannel } from '../../../shared/channels'
import type { MessageSource } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { queueText, senderFor } from '../channels/queueText'
import { lastWhatsappInbound, WINDOW_MS } from '../channels/window'
import type { OutboxRow } from '../repos/outbox'
import type { ContactRow, ObjectRow } from '../repos/templates'
import type { SenderProfile } from './sender'
import { renderText, validateText } from './templates'

/** A stored text step or action (sequence_steps / autoresponder_actions columns). */
export interface TextStepDef {
  channel: TextChannel
  textBody: string | null
  contentSid: string | null
  contentVariablesJson: string | null
}

export type TextStepOutcome =
  | { kind: 'queued'; row: OutboxRow }
  /** Nothing to send to this contact on this step (no number, opted out, window closed): the next step may go on. */
  | { kind: 'skipped'; reason: string; row: OutboxRow | null }
  /** The template cannot be filled for this contact (a variable it lacks). */
  | { kind: 'unfillable'; reason: string }
  /** The business cannot text on this channel (no sender), or the outbox refused. */
  | { kind: 'failed'; reason: string }

export const CHANNEL_NAMES: Record<'email' | TextChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' }

/** Whether WhatsApp free text may go to the contact at `at` (within 24 h of their last WhatsApp message). */
export function whatsappOpenAt(ctx: Ctx, contactId: number, at: number): boolean {
  const last = lastWhatsappInbound(ctx, contactId)
  return last !== null && at - last < WINDOW_MS
}

export function noSenderWords(channel: TextChannel): string {
  return channel === 'whatsapp' ? 'The business has no WhatsApp number to send from' : 'The business has no SMS number to send from'
}

/** Writes the step's outbox row (or says why there is none). Call inside the runner's or the hook's transaction. */
export function queueTextStep(
  ctx: Ctx,
  def: TextStepDef,
  contact: ContactRow,
  object: ObjectRow,
  profile: SenderProfile | null,
  o: { sendAt: number; source: MessageSource; idempotencyKey?: string; field: string },
): TextStepOutcome {
  const channel = def.channel
  if (!senderFor(ctx, object.id, channel)) return { kind: 'failed', reason: noSenderWords(channel) }
  if (!contact.phone) return { kind: 'skipped', reason: 'The contact has no phone number', row: null }
  let useTemplate = false
  if (channel === 'whatsapp') {
    const open = whatsappOpenAt(ctx, contact.id, o.sendAt)
    useTemplate = def.contentSid !== null && (!def.textBody || !open)
    if (!useTemplate && !open) return { kind: 'skipped', reason: WINDOW_CLOSED, row: null }
  } else if (!def.textBody) return { kind: 'failed', reason: 'The step has no text to send' }
  let rendered
  try {
    const variables = useTemplate && def.contentVariablesJson ? (JSON.parse(def.contentVariablesJson) as Record<string, string>) : {}
    rendered = renderText(ctx, { body: useTemplate ? null : def.textBody, variables, field: 'body' }, contact, object, profile)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { kind: 'unfillable', reason: err.message }
  }
  const template: TemplateRef | undefined = useTemplate ? { contentSid: def.contentSid!, variables: rendered.variables } : undefined
  let row: OutboxRow
  try {
    row = queueText(ctx, { contactId: contact.id, channel, body: rendered.body ?? undefined, template, sendAt: o.sendAt, source: o.source, idempotencyKey: o.idempotencyKey })
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { kind: 'failed', reason: err.message }
  }
  if (row.status === 'skipped') return { kind: 'skipped', reason: row.statusReason ?? 'Skipped', row }
  return { kind: 'queued', row }
}

/** A stored step or action as the contract shows it: its channel, a text's body and a WhatsApp template. */
export function messageFieldsOf(r: { channel: 'email' | TextChannel; textBody: string | null; contentSid: string | null; contentVariablesJson: string | null }): {
  channel: 'email' | TextChannel
  body: string | null
  template: TemplateRef | null
} {
  return {
    channel: r.channel,
    body: r.channel === 'email' ? null : r.textBody,
    template: r.contentSid ? { contentSid: r.contentSid, variables: r.contentVariablesJson ? (JSON.parse(r.contentVariablesJson) as Record<string, string>) : {} } : null,
  }
}

/**
 * Save-time checks of a list of steps or actions: an email's subject and HTML, a text's body and template
 * variables, and that the business can text on each text step's channel (VALIDATION naming the step).
 * `objectIds`: the businesses that may send it (an autoresponder for every business: any of them).
 */
export function validateMessages(
  ctx: Ctx,
  list: ReadonlyArray<{ subject: string; bodyHtml: string; channel?: 'email' | TextChannel; body?: string; template?: TemplateRef }>,
  prefix: 'steps' | 'actions',
  objectIds: number[],
  validateEmail: (subject: string, html: string, prefix: string) => void,
  /** An autoresponder for every business: any business that can text will do. */
  anyBusiness = false,
): void {
  const noun = prefix === 'steps' ? 'Step' : 'Action'
  list.forEach((m, i) => {
    const channel = m.channel ?? 'email'
    if (channel === 'email') return validateEmail(m.subject, m.bodyHtml, `${prefix}.${i}.`)
    if (m.body) validateText(m.body, `${prefix}.${i}.body`)
    for (const v of Object.values(m.template?.variables ?? {})) validateText(v, `${prefix}.${i}.template`)
    if (!objectIds.some((id) => senderFor(ctx, id, channel)))
      throw new AppError(
        'VALIDATION',
        `${noun} ${i + 1} is ${channel === 'sms' ? 'an SMS' : 'a WhatsApp message'}, but ${anyBusiness ? `no business has ${channel === 'sms' ? 'an' : 'a'}` : 'the business has no'} ${CHANNEL_NAMES[channel]} number to send from: add one in the Twilio settings`,
        `${prefix}.${i}.channel`,
      )
  })
}
