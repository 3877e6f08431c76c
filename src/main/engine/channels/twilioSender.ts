// The Twilio transport behind the outbox's Sender interface: texts (SMS, WhatsApp) claimed by the scheduler
// like mail. Before any request it checks what must never be attempted (an opt-out, WhatsApp free text
// outside the 24-hour window); a 21610 from Twilio withdraws the contact's consent for that channel.
import type { TextChannel } from '../../../shared/channels'
import type { Ctx } from '../context'
import { SendFailure } from '../outbound/failure'
import type { Endpoint, Sender } from '../outbound/transport'
import type { OutboxRow } from '../repos/outbox'
import { twilioRowOf } from '../repos/twilio'
import { applyConsent, optOutReason } from './consent'
import { OPTED_OUT } from './errors'
import { createMessage, fetchMessage, TWILIO_BASE, type TwilioConfig } from './twilioApi'
import { whatsappWindow } from './window'

// Opening a sealed token is a decryption: done once per token, not once per text sent or polled.
const opened = new WeakMap<Ctx, Map<string, string>>()

export function twilioConfig(ctx: Ctx, objectId: number): TwilioConfig {
  const r = twilioRowOf(ctx, objectId)
  if (!r?.authTokenSealed) throw new SendFailure('auth', 'Business Twilio not configured', undefined, 'AUTH')
  let tokens = opened.get(ctx)
  if (!tokens) opened.set(ctx, (tokens = new Map()))
  let authToken = tokens.get(r.authTokenSealed)
  if (authToken === undefined) {
    authToken = ctx.secrets.open(r.authTokenSealed)
    if (tokens.size > 100) tokens.clear()
    tokens.set(r.authTokenSealed, authToken)
  }
  return { accountSid: r.accountSid, authToken, apiBaseUrl: r.apiBaseUrl }
}

const address = (channel: string, phone: string) => (channel === 'whatsapp' && !phone.startsWith('whatsapp:') ? `whatsapp:${phone}` : phone)

export function twilioSender(ctx: Ctx, opts: { onChanged?: (ids: number[]) => void } = {}): Sender {
  const endpoint = (row: Pick<OutboxRow, 'objectId'>): Endpoint => {
    const url = new URL(twilioRowOf(ctx, row.objectId)?.apiBaseUrl ?? TWILIO_BASE)
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
    return { key: `twilio:${url.host}`, label: `Twilio (${url.host})`, host: url.hostname, port }
  }
  return {
    endpoint,
    settleMs: 10_000,
    async send(row) {
      const channel = row.channel as TextChannel
      // Never attempted: an opt-out that came in after the text was queued, or a window that closed meanwhile.
      if (row.contactId) {
        const out = optOutReason(ctx, row.contactId, channel)
        if (out) throw new SendFailure('permanent', out, undefined, `TWILIO_${OPTED_OUT}`)
        if (channel === 'whatsapp' && !row.contentSid && !whatsappWindow(ctx, row.contactId).open)
          throw new SendFailure('permanent', 'Outside WhatsApp’s 24-hour window: only an approved template can be sent now. Nothing was sent.', undefined, 'TWILIO_63016')
      }
      const cfg = twilioConfig(ctx, row.objectId)
      const s = twilioRowOf(ctx, row.objectId)!
      const to = address(channel, (JSON.parse(row.toJson) as string[])[0] ?? '')
      const service = channel === 'sms' && !s.smsFrom ? s.messagingServiceSid : null
      try {
        const m = await createMessage(cfg, {
          to,
          from: service ? null : row.fromEmail,
          messagingServiceSid: service,
          body: row.contentSid ? null : row.text,
          contentSid: row.contentSid,
          contentVariables: row.contentVariablesJson,
        })
        return { providerId: m.sid }
      } catch (err) {
        if (err instanceof SendFailure && err.code === `TWILIO_${OPTED_OUT}` && row.contactId) {
          const contactId = row.contactId
          const changed = ctx.sqlite.transaction(() => applyConsent(ctx, contactId, channel, 'revoked', `twilio:${OPTED_OUT}`, ctx.clock.now())).immediate()
          if (changed.length) opts.onChanged?.(changed)
        }
        throw err
      }
    },
    async wasSent(row) {
      // Twilio keeps no Message-ID of ours; a row cut off mid-send is found by its sid only if it was recorded.
      if (!row.providerId) return 'no-evidence'
      try {
        await fetchMessage(twilioConfig(ctx, row.objectId), row.providerId)
        return true
      } catch {
        return 'unknown'
      }
    },
    close() {},
  }
}
