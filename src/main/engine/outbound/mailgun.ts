// Mailgun HTTP API client (v3 messages + events) for the outbound engine.
// Node built-in fetch/FormData only; every failure is reduced to a SendFailure kind (see failure.ts).
import { describeServerError } from '../../../shared/serverErrors'
import { SendFailure, networkCode } from './failure'

export interface MailgunConfig {
  sendingDomain: string
  apiKey: string
  region: 'us' | 'eu'
  apiBaseUrl: string | null
}

export const MAILGUN_BASE = { us: 'https://api.mailgun.net', eu: 'https://api.eu.mailgun.net' } as const

export interface MailgunMessage {
  /** RFC 5322 id WITH angle brackets, e.g. <abc@switchboard.local>. */
  messageId: string
  /** 'Name <a@b>' */
  from: string
  replyTo?: string | null
  to: string[]
  cc: string[]
  subject: string
  html: string
  text: string
  tracking: boolean
  /** Extra headers, e.g. In-Reply-To, References, List-Unsubscribe. */
  headers?: Record<string, string>
  timeoutMs?: number
  /** Blind copies: Mailgun puts them in the envelope only. */
  bcc?: string[]
  /** Sent as multipart `attachment` fields, one per file. */
  attachments?: Array<{ filename: string; contentType: string; content: Buffer }>
  /** Pictures shown in the text: posted as `inline` files, which the html names as cid:<filename>. */
  inline?: Array<{ filename: string; contentType: string; content: Buffer }>
}

export interface MailgunEvent {
  id: string
  event: string
  /** Milliseconds since the epoch (Mailgun sends float seconds). */
  timestamp: number
  /** With angle brackets, normalised. */
  messageId: string
  recipient: string
  severity?: 'permanent' | 'temporary'
  reason?: string
  description?: string
  url?: string
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_EVENTS_LIMIT = 300

// ---------------------------------------------------------------- URLs and auth

function apiBase(cfg: MailgunConfig): string {
  return (cfg.apiBaseUrl ?? MAILGUN_BASE[cfg.region]).replace(/\/+$/, '')
}

/** Always the configured sending domain: deriving it from the From address was a bug in the system we replace. */
function domainUrl(cfg: MailgunConfig, resource: 'messages' | 'events'): string {
  return `${apiBase(cfg)}/v3/${encodeURIComponent(cfg.sendingDomain)}/${resource}`
}

function authHeader(apiKey: string): string {
  return `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`
}

/** Keeps the API key out of anything that ends up in logs or the outbox row. */
function redact(text: string, apiKey: string): string {
  return apiKey ? text.split(apiKey).join('***') : text
}

export function withBrackets(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '')
  return `<${bare}>`
}

// ---------------------------------------------------------------- transport + classification

/** One HTTP round trip; returns the parsed JSON body of a 2xx or throws a classified SendFailure. */
async function call(cfg: MailgunConfig, url: string, init: RequestInit, timeoutMs: number): Promise<unknown> {
  let res: Response
  let body: string
  try {
    res = await fetch(url, { ...init, headers: { Authorization: authHeader(cfg.apiKey), Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
    body = await res.text()
  } catch (err) {
    throw thrownFailure(err, cfg)
  }
  if (!res.ok) throw statusFailure(res, body, cfg.apiKey)
  try {
    return JSON.parse(body) as unknown
  } catch {
    throw new SendFailure('transient', `Mailgun returned a non-JSON ${res.status} response`)
  }
}

function thrownFailure(err: unknown, cfg: MailgunConfig): SendFailure {
  const apiKey = cfg.apiKey
  const e = err as { name?: string; message?: string }
  const host = (() => {
    try {
      return new URL(apiBase(cfg)).host
    } catch {
      return 'Mailgun'
    }
  })()
  const problem = describeServerError(err, { service: 'Mailgun', host, domain: cfg.sendingDomain })
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new SendFailure('offline', 'Mailgun did not answer in time. Messages wait and are tried again.', undefined, 'TIMEOUT')
  if (networkCode(err)) return new SendFailure('offline', problem.message, undefined, problem.code)
  // Anything else (TLS trouble, a malformed URL) is not "no network": let the retry policy decide.
  return new SendFailure('transient', redact(`Mailgun request failed: ${e?.message ?? String(err)}`, apiKey))
}

function statusFailure(res: Response, body: string, apiKey: string): SendFailure {
  const s = res.status
  const detail = redact(mailgunMessage(body), apiKey)
  if (s === 401 || s === 403) return new SendFailure('auth', `Mailgun rejected the API key (${s})`)
  if (s === 429) return new SendFailure('rate_limit', `Mailgun rate limit (429)${detail ? `: ${detail}` : ''}`, retryAfterMs(res.headers.get('retry-after')))
  if (s >= 500 || s === 408) return new SendFailure('transient', `Mailgun server error (${s})${detail ? `: ${detail}` : ''}`)
  // 400 (bad parameter), 404 (unknown domain), 413 (too large) and any other 4xx will fail the same way again.
  return new SendFailure('permanent', `Mailgun ${s}: ${detail || 'request rejected'}`)
}

/** Mailgun errors are {"message": "..."}; some (401) are plain text. */
function mailgunMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown }
    if (typeof parsed?.message === 'string') return parsed.message
  } catch {
    // plain text body
  }
  return body.trim().slice(0, 300)
}

/** Retry-After is delta-seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const secs = Number(header)
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

// ---------------------------------------------------------------- send

function assertHeader(name: string, value: string): void {
  // CR/LF would let a header value smuggle extra headers into the MIME Mailgun builds.
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || /[\r\n]/.test(value)) {
    throw new SendFailure('permanent', `Invalid header: ${name}`)
  }
}

function buildForm(msg: MailgunMessage): FormData {
  const form = new FormData()
  form.append('from', msg.from)
  for (const to of msg.to) form.append('to', to)
  for (const cc of msg.cc) form.append('cc', cc)
  for (const bcc of msg.bcc ?? []) form.append('bcc', bcc)
  form.append('subject', msg.subject)
  if (msg.html) form.append('html', msg.html)
  if (msg.text) form.append('text', msg.text)
  for (const img of msg.inline ?? []) form.append('inline', new Blob([new Uint8Array(img.content)], { type: img.contentType }), img.filename)
  // Our own Message-Id so replies and events can be matched to the outbox row.
  form.append('h:Message-Id', withBrackets(msg.messageId))
  if (msg.replyTo) form.append('h:Reply-To', msg.replyTo)
  for (const [name, value] of Object.entries(msg.headers ?? {})) {
    assertHeader(name, value)
    form.append(`h:${name}`, value)
  }
  for (const a of msg.attachments ?? []) form.append('attachment', new Blob([new Uint8Array(a.content)], { type: a.contentType }), a.filename)
  const yesNo = msg.tracking ? 'yes' : 'no'
  form.append('o:tracking', yesNo)
  form.append('o:tracking-clicks', yesNo)
  form.append('o:tracking-opens', yesNo)
  return form
}

export async function mailgunSend(cfg: MailgunConfig, msg: MailgunMessage): Promise<{ providerId: string }> {
  const form = buildForm(msg)
  const body = await call(cfg, domainUrl(cfg, 'messages'), { method: 'POST', body: form }, msg.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const id = (body as { id?: unknown })?.id
  if (typeof id !== 'string' || !id) throw new SendFailure('transient', 'Mailgun accepted the message but returned no id')
  return { providerId: id }
}

// ---------------------------------------------------------------- events

function eventsUrl(cfg: MailgunConfig, q: { beginMs?: number; limit?: number; messageId?: string }): string {
  const params = new URLSearchParams()
  if (q.beginMs !== undefined) params.set('begin', String(q.beginMs / 1000))
  params.set('ascending', 'yes')
  params.set('limit', String(q.limit ?? DEFAULT_EVENTS_LIMIT))
  // Mailgun stores the message-id header value without angle brackets.
  if (q.messageId) params.set('message-id', withBrackets(q.messageId).slice(1, -1))
  return `${domainUrl(cfg, 'events')}?${params}`
}

/** Paging URLs come from the server; only follow them to the configured API host, since they carry our key. */
function checkedPageUrl(cfg: MailgunConfig, pageUrl: string): string {
  let origin: string
  try {
    origin = new URL(pageUrl).origin
  } catch {
    throw new SendFailure('permanent', 'Invalid Mailgun paging URL')
  }
  if (origin !== new URL(apiBase(cfg)).origin) throw new SendFailure('permanent', `Mailgun paging URL points at another host: ${origin}`)
  return pageUrl
}

type RawEvent = Record<string, unknown> & {
  message?: { headers?: Record<string, unknown> }
  'delivery-status'?: { message?: unknown; description?: unknown }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/** Null for items we cannot match to a message (no id / message-id), so callers never see half events. */
function toEvent(raw: RawEvent): MailgunEvent | null {
  const id = str(raw.id)
  const event = str(raw.event)
  const messageId = str(raw.message?.headers?.['message-id'])
  if (!id || !event || !messageId || typeof raw.timestamp !== 'number') return null
  const status = raw['delivery-status']
  const out: MailgunEvent = { id, event, timestamp: Math.round(raw.timestamp * 1000), messageId: withBrackets(messageId), recipient: str(raw.recipient) ?? '' }
  if (raw.severity === 'permanent' || raw.severity === 'temporary') out.severity = raw.severity
  const reason = str(raw.reason)
  if (reason) out.reason = reason
  const description = str(status?.description) ?? str(status?.message)
  if (description) out.description = description
  const url = str(raw.url)
  if (url) out.url = url
  return out
}

export async function mailgunEvents(
  cfg: MailgunConfig,
  q: { beginMs?: number; pageUrl?: string; limit?: number; messageId?: string },
): Promise<{ items: MailgunEvent[]; nextPageUrl: string | null }> {
  const url = q.pageUrl ? checkedPageUrl(cfg, q.pageUrl) : eventsUrl(cfg, q)
  const body = (await call(cfg, url, { method: 'GET' }, DEFAULT_TIMEOUT_MS)) as { items?: unknown; paging?: { next?: unknown } }
  const rawItems = Array.isArray(body?.items) ? (body.items as RawEvent[]) : []
  const items = rawItems.map(toEvent).filter((e): e is MailgunEvent => e !== null)
  // Mailgun always returns a next URL; an empty page is the only end-of-data signal.
  const nextPageUrl = rawItems.length > 0 ? (str(body?.paging?.next) ?? null) : null
  return { items, nextPageUrl }
}

// ---------------------------------------------------------------- the set-up test

/**
 * Mailgun's view of the sending domain (`GET /v3/domains/{domain}`), for the set-up test: its state
 * ('active', 'unverified', …). A refusal throws an error carrying the HTTP `status` (401 the key, 404 the
 * domain) for the shared error mapping; the key never appears in it.
 */
export async function mailgunDomain(cfg: MailgunConfig, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<{ state: string | null }> {
  const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]
  const res = await fetch(`${apiBase(cfg)}/v3/domains/${encodeURIComponent(cfg.sendingDomain)}`, {
    headers: { Authorization: authHeader(cfg.apiKey), Accept: 'application/json' },
    signal: AbortSignal.any(signals),
  })
  const body = await res.text()
  if (!res.ok) throw Object.assign(new Error(redact(mailgunMessage(body), cfg.apiKey) || `HTTP ${res.status}`), { status: res.status })
  type DomainBody = { domain?: { state?: unknown } } | null
  let parsed: DomainBody
  try {
    parsed = JSON.parse(body) as DomainBody
  } catch {
    throw Object.assign(new Error(`Mailgun returned a non-JSON ${res.status} response`), { status: 502 })
  }
  return { state: typeof parsed?.domain?.state === 'string' ? parsed.domain.state : null }
}
