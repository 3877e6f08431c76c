// WhatsApp's 24-hour rule: free text only within 24 h of the contact's last WhatsApp message to the business;
// outside it only an approved template. Read from the texts received (text_messages).
import type { WhatsappWindow } from '../../../shared/channels'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmtPluck } from '../db/stmt'

export const WINDOW_MS = 24 * 3_600_000

export function lastWhatsappInbound(ctx: Ctx, contactId: number): number | null {
  return (stmtPluck(ctx.sqlite, "SELECT max(received_at) FROM text_messages WHERE contact_id = ? AND channel = 'whatsapp'").get(contactId) as number | null) ?? null
}

export function whatsappWindow(ctx: Ctx, contactId: number): WhatsappWindow {
  const last = lastWhatsappInbound(ctx, contactId)
  const open = last !== null && ctx.clock.now() - last < WINDOW_MS
  return { contactId, open, lastInboundAt: last === null ? null : iso(last), closesAt: open ? iso(last! + WINDOW_MS) : null }
}
