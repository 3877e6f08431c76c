// Twilio's 2010-04-01 REST API for messages (SMS and WhatsApp) and the account: plain HTTP requests on kept-alive
// connections (outbound/httpCall.ts), basic auth with the account SID and auth token, form-encoded bodies. Every failure becomes a SendFailure (errors.ts), and
// the token never appears in a message.
import { SendFailure, networkCode } from '../outbound/failure'
import { httpCall, type HttpAnswer } from '../outbound/httpCall'
import { twilioFailure } from './errors'

export const TWILIO_BASE = 'https://api.twilio.com'

export interface TwilioConfig {
  accountSid: string
  authToken: string
  apiBaseUrl: string | null
}

/** The parts of Twilio's Message resource the engine reads. */
export interface TwilioMessage {
  sid: string
  status: string
  from: string
  to: string
  body: string
  direction: string
  num_segments: string
  error_code: number | null
  error_message: string | null
  date_sent: string | null
  date_created: string
}

export interface TwilioPage {
  messages: TwilioMessage[]
  next_page_uri: string | null
}

const base = (cfg: TwilioConfig) => (cfg.apiBaseUrl ?? TWILIO_BASE).replace(/\/+$/, '')
const auth = (cfg: TwilioConfig) => `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}`
export const accountPath = (cfg: TwilioConfig) => `/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}`

async function call<T>(cfg: TwilioConfig, path: string, init: { method?: string; body?: string } = {}, timeoutMs = 30_000): Promise<T> {
  let res: HttpAnswer
  try {
    res = await httpCall(`${base(cfg)}${path}`, {
      ...init,
      headers: { Authorization: auth(cfg), Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      timeoutMs,
    })
  } catch (err) {
    const e = err as { name?: string; message?: string }
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') throw new SendFailure('offline', 'Twilio did not answer in time. Texts wait and are tried again.', undefined, 'TIMEOUT')
    if (networkCode(err)) throw new SendFailure('offline', 'Twilio could not be reached: check the internet connection. Texts wait and go out when it is back.', undefined, 'NETWORK')
    throw new SendFailure('transient', 'Twilio could not be reached. The text is tried again later.')
  }
  const text = res.text
  if (res.status < 200 || res.status > 299) {
    let body: { code?: unknown; message?: unknown } = {}
    try {
      body = JSON.parse(text) as typeof body
    } catch {
      /* not JSON: the status alone decides */
    }
    const retry = Number(res.headers['retry-after'])
    throw twilioFailure(typeof body.code === 'number' ? body.code : null, res.status, typeof body.message === 'string' ? body.message.split(cfg.authToken).join('***') : '', Number.isFinite(retry) && retry > 0 ? retry * 1000 : undefined)
  }
  try {
    return JSON.parse(text) as T
  } catch {
    throw new SendFailure('transient', `Twilio answered ${res.status} with something that is not JSON`)
  }
}

export interface OutgoingText {
  to: string
  from?: string | null
  messagingServiceSid?: string | null
  body?: string | null
  contentSid?: string | null
  contentVariables?: string | null
}

export function createMessage(cfg: TwilioConfig, m: OutgoingText): Promise<TwilioMessage> {
  const form = new URLSearchParams({ To: m.to })
  if (m.messagingServiceSid && !m.from) form.set('MessagingServiceSid', m.messagingServiceSid)
  else if (m.from) form.set('From', m.from)
  if (m.contentSid) {
    form.set('ContentSid', m.contentSid)
    if (m.contentVariables) form.set('ContentVariables', m.contentVariables)
  } else form.set('Body', m.body ?? '')
  return call<TwilioMessage>(cfg, `${accountPath(cfg)}/Messages.json`, { method: 'POST', body: form.toString() })
}

export const fetchMessage = (cfg: TwilioConfig, sid: string): Promise<TwilioMessage> => call<TwilioMessage>(cfg, `${accountPath(cfg)}/Messages/${encodeURIComponent(sid)}.json`)

/** One page of messages to `to` sent on or after `after` (newest first); `pageUri` continues a listing. */
export function listMessages(cfg: TwilioConfig, q: { to: string; after: Date; pageSize?: number } | { pageUri: string }): Promise<TwilioPage> {
  if ('pageUri' in q) return call<TwilioPage>(cfg, q.pageUri)
  const p = new URLSearchParams({ To: q.to, 'DateSent>': q.after.toISOString().slice(0, 19) + 'Z', PageSize: String(q.pageSize ?? 200) })
  return call<TwilioPage>(cfg, `${accountPath(cfg)}/Messages.json?${p.toString()}`)
}

export const fetchAccount = (cfg: TwilioConfig, timeoutMs: number): Promise<{ sid: string; friendly_name: string; status: string }> =>
  call(cfg, `${accountPath(cfg)}.json`, {}, timeoutMs)

// ---- Content API (WhatsApp templates): https://content.twilio.com/v1/Content, paged by `meta`
export const CONTENT_BASE = 'https://content.twilio.com'

export interface TwilioContent {
  sid: string
  friendly_name: string
  language: string
  /** The template's placeholders and their sample values: {"1": "Ann"}. */
  variables: Record<string, string>
  /** By content type: {"twilio/text": {"body": "Hi {{1}}"}}, {"twilio/quick-reply": {"body": …, "actions": […]}}, … */
  types: Record<string, { body?: string } | undefined>
  date_updated: string
}

export interface TwilioContentPage {
  contents: TwilioContent[]
  meta: { page: number; page_size: number; first_page_url: string; previous_page_url: string | null; next_page_url: string | null; url: string; key: string }
}

/** One page of the account's content templates; `pageUrl` (the previous page's meta.next_page_url) continues. */
export function listContent(cfg: TwilioConfig, q: { pageSize?: number } | { pageUrl: string } = {}): Promise<TwilioContentPage> {
  const content = { ...cfg, apiBaseUrl: cfg.apiBaseUrl ?? CONTENT_BASE }
  if ('pageUrl' in q) {
    // Follow Twilio's own next page only on the same host the first page came from (the token goes with it).
    const next = new URL(q.pageUrl)
    if (next.origin !== new URL(base(content)).origin) throw new SendFailure('permanent', 'Twilio pointed the template list at another address')
    return call<TwilioContentPage>(content, `${next.pathname}${next.search}`)
  }
  return call<TwilioContentPage>(content, `/v1/Content?PageSize=${q.pageSize ?? 50}`)
}

/** A template's WhatsApp approval (GET /v1/Content/{Sid}/ApprovalRequests): only an approved one may go outside the window. */
export interface TwilioApproval {
  sid: string
  whatsapp?: { name?: string; category?: string; status?: string; rejection_reason?: string } | null
}

export function fetchApproval(cfg: TwilioConfig, contentSid: string): Promise<TwilioApproval> {
  const content = { ...cfg, apiBaseUrl: cfg.apiBaseUrl ?? CONTENT_BASE }
  return call<TwilioApproval>(content, `/v1/Content/${encodeURIComponent(contentSid)}/ApprovalRequests`)
}

// ---- Messaging Services (https://messaging.twilio.com/v1/Services/{Sid}/PhoneNumbers): the numbers in a
// service's sender pool, where replies to texts sent through the service arrive
export const MESSAGING_BASE = 'https://messaging.twilio.com'

export interface ServiceNumbersPage {
  phone_numbers: Array<{ sid: string; phone_number: string; capabilities?: string[] }>
  meta: { next_page_url: string | null }
}

/** One page of a Messaging Service's phone numbers; `pageUrl` (meta.next_page_url) continues, on the same host only. */
export function listServiceNumbers(cfg: TwilioConfig, serviceSid: string, q: { pageUrl?: string } = {}): Promise<ServiceNumbersPage> {
  const messaging = { ...cfg, apiBaseUrl: cfg.apiBaseUrl ?? MESSAGING_BASE }
  if (q.pageUrl) {
    const next = new URL(q.pageUrl)
    if (next.origin !== new URL(base(messaging)).origin) throw new SendFailure('permanent', 'Twilio pointed the number list at another address')
    return call<ServiceNumbersPage>(messaging, `${next.pathname}${next.search}`)
  }
  return call<ServiceNumbersPage>(messaging, `/v1/Services/${encodeURIComponent(serviceSid)}/PhoneNumbers?PageSize=100`)
}
