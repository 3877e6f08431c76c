// Texts (SMS and WhatsApp): send one to a contact (the inbox's reply and the contact page use it), read
// conversations per contact and channel, the WhatsApp window for the composer, and "poll now".
import type { ParsedInput } from '../../../shared/contract'
import type { ConversationDetail, TextConversation, TextMessage, WhatsappTemplate, WhatsappWindow } from '../../../shared/channels'
import type { OutboundMessage } from '../../../shared/outbound'
import type { z } from 'zod'
import { iso } from '../clock'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { queueText, textContact } from '../channels/queueText'
import { whatsappWindow } from '../channels/window'
import { fetchApproval, listContent, type TwilioConfig } from '../channels/twilioApi'
import { twilioConfig } from '../channels/twilioSender'
import { SendFailure } from '../outbound/failure'
import { twilioRowOf } from '../repos/twilio'
import { toOutbound } from '../repos/outbox'
import { conversationItems, conversationRows, markConversationRead } from '../repos/texts'

export function sendText(ctx: Ctx, input: ParsedInput<'texts.send'>): OutboundMessage {
  const row = ctx.sqlite.transaction(() => queueText(ctx, { ...input, source: 'compose' })).immediate()
  ctx.outbound.scheduler.wake()
  ctx.emit('outbox.changed', { ids: [row.id] })
  ctx.emit('texts.changed', { contactIds: [input.contactId] })
  return toOutbound(row)
}

export function listConversations(ctx: Ctx, input: ParsedInput<'texts.conversations'>): TextConversation[] {
  return conversationRows(ctx, input.objectId ?? null, input.limit).map((r) => ({
    contactId: r.contactId,
    contactName: r.contactName || r.phone,
    phone: r.phone || null,
    channel: r.channel,
    objectId: r.objectId,
    lastAt: iso(r.lastAt),
    lastBody: r.lastBody,
    lastDirection: r.lastDirection,
    unread: r.unread,
  }))
}

export function getConversation(ctx: Ctx, input: ParsedInput<'texts.conversation'>): z.output<typeof ConversationDetail> {
  textContact(ctx, input.contactId)
  const messages: TextMessage[] = conversationItems(ctx, input.contactId, input.channel, input.limit).map((r) => ({
    key: `${r.dir}:${r.id}`,
    direction: r.dir,
    channel: r.channel,
    contactId: r.contactId,
    body: r.body,
    status: r.status,
    statusReason: r.statusReason,
    outboundId: r.dir === 'out' ? r.id : null,
    segments: r.segments,
    from: r.fromPhone,
    to: (JSON.parse(r.toJson) as string[])[0] ?? '',
    at: iso(r.at),
    read: r.read === 1,
  }))
  return { contactId: input.contactId, channel: input.channel, messages, window: input.channel === 'whatsapp' ? whatsappWindow(ctx, input.contactId) : null }
}

export function markRead(ctx: Ctx, input: ParsedInput<'texts.markRead'>): { changed: number } {
  const changed = markConversationRead(ctx, input.contactId, input.channel)
  if (changed) ctx.emit('texts.changed', { contactIds: [input.contactId] })
  return { changed }
}

export function windowOf(ctx: Ctx, contactId: number): WhatsappWindow {
  textContact(ctx, contactId)
  return whatsappWindow(ctx, contactId)
}

export function pollTexts(ctx: Ctx): Promise<{ statusChanged: number; received: number }> {
  if (!ctx.outbound.texts) throw new AppError('UNAVAILABLE', 'Texts are not polled in this engine')
  return ctx.outbound.texts.pollNow()
}

/** Pages read at most (50 templates each): a listing never runs on without end. */
const TEMPLATE_PAGES = 20

/** Requests in flight at once while reading the templates' approvals (one request per template). */
const APPROVAL_CONCURRENCY = 4

/** Each template's WhatsApp approval; one that cannot be read stays "unknown" (and is not offered as approved). */
async function approvalsOf(cfg: TwilioConfig, templates: WhatsappTemplate[]): Promise<void> {
  let next = 0
  const worker = async () => {
    for (let t = templates[next++]; t; t = templates[next++]) {
      try {
        const a = await fetchApproval(cfg, t.contentSid)
        t.approval = a.whatsapp?.status || 'unsubmitted'
        t.rejectionReason = a.whatsapp?.rejection_reason || null
      } catch (err) {
        if (!(err instanceof SendFailure)) throw err
        // An account refusing every request already failed the listing; one template's failure is its own.
      }
    }
  }
  await Promise.all(Array.from({ length: APPROVAL_CONCURRENCY }, worker))
}

/** The business's WhatsApp templates from Twilio's Content API, every page (meta.next_page_url), newest names first. */
export async function whatsappTemplates(ctx: Ctx, objectId: number): Promise<WhatsappTemplate[]> {
  if (!twilioRowOf(ctx, objectId)) throw new AppError('VALIDATION', 'Business Twilio not configured', 'objectId')
  try {
    const cfg = twilioConfig(ctx, objectId)
    const out: WhatsappTemplate[] = []
    let page = await listContent(cfg)
    for (let i = 1; ; i++) {
      for (const c of page.contents) {
        const body = Object.values(c.types ?? {}).find((t) => typeof t?.body === 'string')?.body ?? ''
        const keys = Object.keys(c.variables ?? {}).sort((a, b) => Number(a) - Number(b))
        out.push({ contentSid: c.sid, name: c.friendly_name || c.sid, language: c.language ?? '', body, variables: keys.map((key) => ({ key, sample: String(c.variables[key] ?? '') })), approval: 'unknown', rejectionReason: null })
      }
      if (!page.meta?.next_page_url || i >= TEMPLATE_PAGES) break
      page = await listContent(cfg, { pageUrl: page.meta.next_page_url })
    }
    await approvalsOf(cfg, out)
    return out.sort((a, b) => a.name.localeCompare(b.name))
  } catch (err) {
    if (err instanceof SendFailure) throw new AppError('UNAVAILABLE', `The templates could not be read from Twilio: ${err.message}`)
    throw err
  }
}
