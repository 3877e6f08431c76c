// The sendText node (issue 17 item 7): an SMS or a WhatsApp message queued through the one outbox by the
// channels' own door (queueText: consent, sender, the WhatsApp window), inside the lead's transaction like an
// email. What is the contact's (opted out, no phone, a closed WhatsApp window with no template) is recorded
// on the step with the reason and the lead goes on, as Mautic's campaigns do; nothing is ever attempted twice.
import { SendTextConfig, type FlowNode } from '../../../shared/flows'
import { AppError } from '../../../shared/result'
import type { TemplateRef } from '../../../shared/channels'
import type { Ctx } from '../context'
import { cannotText, queueText } from '../channels/queueText'
import { whatsappWindow } from '../channels/window'
import type { LeadRow } from '../repos/flows'
import { type ContactRow, type ObjectRow } from '../repos/templates'
import type { SliceCache } from './flowSend'
import { renderOne, varsOf } from './templates'

export type TextOutcome =
  | { outcome: 'sent'; outboundId: number }
  | { outcome: 'skipped'; detail: string; outboundId: number | null }
  | { outcome: 'failed'; detail: string }

const configs = new WeakMap<FlowNode, SendTextConfig>()
const configOf = (node: FlowNode): SendTextConfig => {
  let c = configs.get(node)
  if (!c) configs.set(node, (c = SendTextConfig.parse(node.config)))
  return c
}

/** The variables a text can use: a contact's and the business's ({{profile.*}} is the business's name, a text has no mailbox). */
export function textVars(contact: ContactRow, object: ObjectRow) {
  return varsOf(contact, object, { objectId: object.id, email: '', displayName: object.name, replyTo: null }, '')
}

/** The body (or the template's values) rendered for the contact; an AppError names the field. */
export function renderText(ctx: Ctx, node: FlowNode, c: SendTextConfig, contact: ContactRow, object: ObjectRow, useTemplate: boolean): { body?: string; template?: TemplateRef } {
  const vars = textVars(contact, object)
  const data = { now: ctx.clock.now(), tz: contact.timezone ?? object.timezone }
  if (useTemplate) {
    const t = c.template!
    const variables = Object.fromEntries(Object.entries(t.variables).map(([k, v]) => [k, renderOne(v, `${node.id}.template.variables.${k}`, vars, data, false)]))
    return { template: { contentSid: t.contentSid, variables } }
  }
  const body = renderOne(c.body, `${node.id}.body`, vars, data, false).trim()
  if (!body) throw new AppError('VALIDATION', 'The message renders empty for this contact', `${node.id}.body`)
  return { body }
}

/** Queues the node's text for the lead (`pass`: how many times the lead was sent this node before). */
export function textNode(ctx: Ctx, s: SliceCache, lead: LeadRow, node: FlowNode, pass: number): TextOutcome {
  const c = configOf(node)
  const contact = s.contact(lead.contactId)
  if (!contact) return { outcome: 'failed', detail: 'The contact was deleted' }
  if (!contact.phone) return { outcome: 'skipped', detail: 'The contact has no phone number', outboundId: null }
  const object = s.object(s.flow(lead.flowId).objectId)!
  // WhatsApp: the message inside the 24-hour window, the approved template outside it (or when there is no message).
  const useTemplate = c.channel === 'whatsapp' && !!c.template && (!c.body.trim() || !whatsappWindow(ctx, contact.id).open)
  try {
    const refused = cannotText(ctx, { id: contact.id, objectId: object.id, phone: contact.phone }, c.channel, useTemplate)
    if (refused) return { outcome: 'failed', detail: `${node.id}: ${refused.message}` }
    const content = renderText(ctx, node, c, contact, object, useTemplate)
    const idempotencyKey = `flow:${lead.id}:${node.id}:${lead.version}${pass ? `:${pass}` : ''}`
    // Opted out of the channel: queueText writes the row `skipped` with the reason (never attempted).
    const row = queueText(ctx, { contactId: contact.id, channel: c.channel, ...content, source: 'flow', idempotencyKey })
    return row.status === 'skipped' ? { outcome: 'skipped', detail: row.statusReason ?? 'Skipped', outboundId: row.id } : { outcome: 'sent', outboundId: row.id }
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { outcome: 'failed', detail: `${node.id}: ${err.message}` }
  }
}
