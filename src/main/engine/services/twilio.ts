// A business's Twilio settings: save (the auth token sealed like Mailgun keys), test against the account
// endpoint, remove when no text waits on it.
import type { ParsedInput } from '../../../shared/contract'
import type { TwilioSettings, TwilioTestResult } from '../../../shared/channels'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { fetchAccount, TWILIO_BASE } from '../channels/twilioApi'
import { SendFailure } from '../outbound/failure'
import { getSetting } from '../repos/settings'
import { deleteTwilioRow, saveTwilioRow, twilioAuthErrorKey, twilioRowOf, waitingTextCount, type TwilioRow } from '../repos/twilio'
import { requireObject } from './objects'

export function toTwilio(ctx: Ctx, r: TwilioRow): TwilioSettings {
  return {
    objectId: r.objectId,
    accountSid: r.accountSid,
    hasAuthToken: r.authTokenSealed !== null,
    smsFrom: r.smsFrom,
    messagingServiceSid: r.messagingServiceSid,
    whatsappFrom: r.whatsappFrom,
    apiBaseUrl: r.apiBaseUrl,
    smsPerSecond: r.smsPerSecond,
    whatsappPerSecond: r.whatsappPerSecond,
    authError: getSetting(ctx, twilioAuthErrorKey(r.objectId)),
    updatedAt: iso(r.updatedAt),
  }
}

export function getTwilio(ctx: Ctx, objectId: number): TwilioSettings | null {
  requireObject(ctx, objectId)
  const r = twilioRowOf(ctx, objectId)
  return r ? toTwilio(ctx, r) : null
}

export function upsertTwilio(ctx: Ctx, input: ParsedInput<'twilio.upsert'>): TwilioSettings {
  requireObject(ctx, input.objectId)
  const old = twilioRowOf(ctx, input.objectId)
  if (!old && !input.authToken) throw new AppError('VALIDATION', 'Paste the auth token from the Twilio Console', 'authToken')
  // Omitted keeps what is stored; null clears it.
  const keep = <T>(v: T | undefined, was: T): T => (v === undefined ? was : v)
  const row = {
    objectId: input.objectId,
    accountSid: input.accountSid,
    authTokenSealed: input.authToken ? ctx.secrets.seal(input.authToken) : old!.authTokenSealed,
    smsFrom: keep(input.smsFrom, old?.smsFrom ?? null),
    messagingServiceSid: keep(input.messagingServiceSid, old?.messagingServiceSid ?? null),
    whatsappFrom: keep(input.whatsappFrom, old?.whatsappFrom ?? null),
    apiBaseUrl: keep(input.apiBaseUrl, old?.apiBaseUrl ?? null),
    smsPerSecond: input.smsPerSecond ?? old?.smsPerSecond ?? 1,
    whatsappPerSecond: input.whatsappPerSecond ?? old?.whatsappPerSecond ?? 1,
    updatedAt: ctx.clock.now(),
  }
  if (!row.smsFrom && !row.messagingServiceSid && !row.whatsappFrom)
    throw new AppError('VALIDATION', 'Give an SMS number, a Messaging Service SID or a WhatsApp number to send from', 'smsFrom')
  saveTwilioRow(ctx, row)
  // New settings forget the old refusal and release the texts it held.
  ctx.outbound.scheduler.settingsChanged({ twilioObjectId: input.objectId })
  ctx.emit('objects.changed', {})
  return toTwilio(ctx, twilioRowOf(ctx, input.objectId)!)
}

export function removeTwilio(ctx: Ctx, objectId: number): { objectId: number } {
  requireObject(ctx, objectId)
  const waiting = waitingTextCount(ctx, objectId)
  if (waiting > 0) throw new AppError('CONFLICT', `${waiting} text(s) are still waiting to go through Twilio. Cancel them first.`, 'objectId')
  deleteTwilioRow(ctx, objectId)
  ctx.emit('objects.changed', {})
  return { objectId }
}

/** Asks Twilio about the account with these credentials (unsaved ones too); nothing is stored. */
export async function testTwilio(ctx: Ctx, input: ParsedInput<'twilio.test'>): Promise<TwilioTestResult> {
  const stored = input.objectId !== undefined ? (requireObject(ctx, input.objectId), twilioRowOf(ctx, input.objectId)) : undefined
  const accountSid = input.accountSid ?? stored?.accountSid
  if (!accountSid) throw new AppError('VALIDATION', 'Give the account SID to test', 'accountSid')
  const authToken = input.authToken ?? (stored?.authTokenSealed ? ctx.secrets.open(stored.authTokenSealed) : undefined)
  if (!authToken) throw new AppError('VALIDATION', 'Paste the auth token to test it', 'authToken')
  const apiBaseUrl = input.apiBaseUrl === undefined ? (stored?.apiBaseUrl ?? null) : input.apiBaseUrl
  try {
    const a = await fetchAccount({ accountSid, authToken, apiBaseUrl }, ctx.outbound.setupTest.timeoutMs)
    if (a.status !== 'active') return { ok: false, code: 'SUSPENDED', message: `The Twilio account is ${a.status}: texts cannot be sent until it is active again.`, friendlyName: a.friendly_name }
    return { ok: true, code: 'OK', message: `Signed in to Twilio as “${a.friendly_name}”.`, friendlyName: a.friendly_name }
  } catch (err) {
    if (!(err instanceof SendFailure)) throw err
    const code = err.kind === 'auth' ? 'AUTH' : err.code ?? (err.kind === 'offline' ? 'NETWORK' : 'UNKNOWN')
    const message = err.kind === 'auth' ? 'Twilio refused the account SID and auth token. Copy both again from the Twilio Console.' : err.code === 'TWILIO_20404' ? `Twilio has no account ${accountSid} at ${apiBaseUrl ?? TWILIO_BASE}.` : err.message
    return { ok: false, code, message, friendlyName: null }
  }
}
