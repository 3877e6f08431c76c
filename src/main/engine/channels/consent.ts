// Consent for texts: the carrier keywords (STOP … opts out of that channel, START/YES back in), Twilio's 21610,
// and what an opt-out does to texts still waiting (skipped with the reason, never attempted).
import type { Channel } from '../../../shared/consent'
import type { Ctx } from '../context'
import { stmtPluck } from '../db/stmt'
import { consentFor, setConsent } from '../repos/consent'
import { cancelWaiting } from '../outbound/cancel'

// Twilio's default opt-out and opt-in keywords (Advanced Opt-Out), matched on the whole message.
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'])
const OPT_IN = new Set(['START', 'YES', 'UNSTOP'])

export function keywordOf(body: string): 'out' | 'in' | null {
  const word = body.trim().replace(/[.!\s]+$/g, '').replace(/\s+/g, '').toUpperCase()
  return OPT_OUT.has(word) ? 'out' : OPT_IN.has(word) ? 'in' : null
}

const NAMES: Record<Channel, string> = { email: 'email', sms: 'SMS', whatsapp: 'WhatsApp' }

/** Why a text on this channel must not go to the contact, or null. */
export function optOutReason(ctx: Ctx, contactId: number, channel: Channel): string | null {
  const c = consentFor(ctx, contactId, channel)
  if (!c || c.status !== 'revoked') return null
  const why = c.source.startsWith('inbound:') ? `replied ${c.source.slice(8)}` : c.source === 'twilio:21610' ? 'Twilio reports the number unsubscribed (21610)' : c.source
  return `The contact opted out of ${NAMES[channel]} (${why})`
}

/**
 * Records an answer; an opt-out also withdraws the contact's texts on that channel that are still waiting
 * (cancelWaiting, with the reason).
 * Call inside a transaction; returns the outbox rows that changed.
 */
export function applyConsent(ctx: Ctx, contactId: number, channel: Channel, status: 'granted' | 'revoked', source: string, at: number): number[] {
  if (!setConsent(ctx, contactId, channel, status, source, at) || status === 'granted') return []
  const reason = optOutReason(ctx, contactId, channel)!
  const ids = stmtPluck(ctx.sqlite, "SELECT id FROM outbound_messages WHERE contact_id = ? AND channel = ? AND status IN ('queued', 'retry_wait', 'held')").all(contactId, channel) as number[]
  return ids.filter((id) => cancelWaiting(ctx, id, reason))
}
