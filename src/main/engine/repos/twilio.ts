// A business's Twilio settings (one row per business) and the flags the outbox keeps about them.
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface TwilioRow {
  objectId: number
  accountSid: string
  authTokenSealed: string | null
  smsFrom: string | null
  messagingServiceSid: string | null
  whatsappFrom: string | null
  apiBaseUrl: string | null
  smsPerSecond: number
  whatsappPerSecond: number
  createdAt: number
  updatedAt: number
}

const SELECT = `SELECT object_id AS objectId, account_sid AS accountSid, auth_token_sealed AS authTokenSealed, sms_from AS smsFrom,
  messaging_service_sid AS messagingServiceSid, whatsapp_from AS whatsappFrom, api_base_url AS apiBaseUrl, sms_per_second AS smsPerSecond,
  whatsapp_per_second AS whatsappPerSecond, created_at AS createdAt, updated_at AS updatedAt FROM object_twilio_settings`

export const twilioRowOf = (ctx: Ctx, objectId: number): TwilioRow | undefined => stmt(ctx.sqlite, `${SELECT} WHERE object_id = ?`).get(objectId) as TwilioRow | undefined
export const allTwilioRows = (ctx: Ctx): TwilioRow[] => stmt(ctx.sqlite, SELECT).all() as TwilioRow[]

export function saveTwilioRow(ctx: Ctx, r: Omit<TwilioRow, 'createdAt'>): void {
  stmt(
    ctx.sqlite,
    `INSERT INTO object_twilio_settings (object_id, account_sid, auth_token_sealed, sms_from, messaging_service_sid, whatsapp_from, api_base_url,
       sms_per_second, whatsapp_per_second, created_at, updated_at) VALUES (@objectId, @accountSid, @authTokenSealed, @smsFrom, @messagingServiceSid,
       @whatsappFrom, @apiBaseUrl, @smsPerSecond, @whatsappPerSecond, @updatedAt, @updatedAt)
     ON CONFLICT (object_id) DO UPDATE SET account_sid = excluded.account_sid, auth_token_sealed = excluded.auth_token_sealed, sms_from = excluded.sms_from,
       messaging_service_sid = excluded.messaging_service_sid, whatsapp_from = excluded.whatsapp_from, api_base_url = excluded.api_base_url,
       sms_per_second = excluded.sms_per_second, whatsapp_per_second = excluded.whatsapp_per_second, updated_at = excluded.updated_at`,
  ).run(r)
}

export const deleteTwilioRow = (ctx: Ctx, objectId: number): void => void stmt(ctx.sqlite, 'DELETE FROM object_twilio_settings WHERE object_id = ?').run(objectId)

/** app_settings key: Twilio refused this business's credentials (its texts are held until the settings change). */
export const twilioAuthErrorKey = (objectId: number) => `twilio.authError.${objectId}`
/** app_settings key: the inbound poll's cursor per business and receiving number (newest date_sent seen, ms). */
export const twilioInboundCursorKey = (objectId: number, to: string) => `twilio.inboundCursor.${objectId}.${to}`

/** Texts waiting to leave through this business's Twilio account. */
export const waitingTextCount = (ctx: Ctx, objectId: number): number =>
  stmtPluck(ctx.sqlite, "SELECT count(*) FROM outbound_messages WHERE object_id = ? AND transport = 'twilio' AND status IN ('queued', 'retry_wait', 'held', 'sending')").get(objectId) as number
