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

/**
 * Approvals already read, per engine and account: every composer that opens asks for the list, and a look per
 * template each time would send Twilio one request per template per opening. An approved template stays
 * approved for long; a pending one is looked at again sooner.
 */
const approvalCache = new WeakMap<Ctx['sqlite'], Map<string, { approval: string; reason: string | null; until: number }>>()
const APPROVED_TTL_MS = 10 * 60_000
const PENDING_TTL_MS = 60_000

/** Each template's WhatsApp approval; one that cannot be read stays "unknown" (and is not offered as approved). */
async function approvalsOf(ctx: Ctx, cfg: TwilioConfig, templates: WhatsappTemplate[]): Promise<void> {
  let cache = approvalCache.get(ctx.sqlite)
  if (!cache) approvalCache.set(ctx.sqlite, (cache = new Map()))
  const known = cache
  const now = ctx.clock.now()
  const todo: WhatsappTemplate[] = []
  for (const t of templates) {
    const hit = known.get(`${cfg.accountSid}:${t.contentSid}`)
    if (hit && hit.until > now) [t.approval, t.rejectionReason] = [hit.approval, hit.reason]
    else todo.push(t)
  }
  let next = 0
  const worker = async () => {
    for (let t = todo[next++]; t; t = todo[next++]) {
      try {
        const a = await fetchApproval(cfg, t.contentSid)
        t.approval = a.whatsapp?.status || 'unsubmitted'
        t.rejectionReason = a.whatsapp?.rejection_reason || null
        const ttl = t.approval === 'approved' ? APPROVED_TTL_MS : PENDING_TTL_MS
        known.set(`${cfg.accountSid}:${t.contentSid}`, { approval: t.approval, reason: t.rejectionReason, until: ctx.clock.now() + ttl })
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
    await approvalsOf(ctx, cfg, out)
    return out.sort((a, b) => a.name.localeCompare(b.name))
  } catch (err) {
    if (err instanceof SendFailure) throw new AppError('UNAVAILABLE', `The templates could not be read from Twilio: ${err.message}`)
    throw err
  }
}
