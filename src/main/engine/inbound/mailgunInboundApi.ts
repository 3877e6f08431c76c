// Mailgun's receiving side over HTTP: routes (`/v3/routes`), `stored` events (`/v3/{domain}/events`) and the
// stored messages themselves (the event's `storage.url`, asked for as message/rfc2822: JSON with `body-mime`).
import { MAILGUN_BASE, type MailgunConfig } from '../outbound/mailgun'

const TIMEOUT_MS = 30_000
/** A stored message bigger than this is not fetched (Mailgun accepts 25 MB messages; JSON-escaped they grow). */
const STORED_MAX_BYTES = 64 * 1024 * 1024

export class MailgunInboundError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message)
  }
}

const base = (cfg: MailgunConfig): string => (cfg.apiBaseUrl ?? MAILGUN_BASE[cfg.region]).replace(/\/+$/, '')
const auth = (key: string): string => `Basic ${Buffer.from(`api:${key}`).toString('base64')}`

async function request(cfg: MailgunConfig, url: string, init: { method?: string; body?: FormData; accept?: string } = {}): Promise<{ status: number; text: string }> {
  let res: Response
  try {
    res = await fetch(url, {
      method: init.method ?? 'GET',
      body: init.body,
      headers: { Authorization: auth(cfg.apiKey), Accept: init.accept ?? 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (e) {
    const name = (e as { name?: string }).name
    throw new MailgunInboundError(name === 'TimeoutError' ? 'Mailgun did not answer in time' : 'Mailgun cannot be reached (no network?)', null)
  }
  const length = Number(res.headers.get('content-length') ?? 0)
  if (length > STORED_MAX_BYTES) {
    await res.body?.cancel()
    throw new MailgunInboundError('The stored message is too large to fetch', 413)
  }
  const text = await res.text()
  if (!res.ok) {
    let msg = text.trim().slice(0, 200)
    try {
      msg = String((JSON.parse(text) as { message?: unknown }).message ?? msg)
    } catch {
      // plain text body (401 is "Forbidden")
    }
    const words =
      res.status === 401 || res.status === 403
        ? 'Mailgun rejected the API key'
        : res.status === 404
          ? `Mailgun has no such thing (${msg || 'not found'})`
          : res.status === 429
            ? 'Mailgun asks us to slow down (rate limit)'
            : `Mailgun answered ${res.status}${msg ? `: ${msg}` : ''}`
    throw new MailgunInboundError(words.split(cfg.apiKey).join('***'), res.status)
  }
  return { status: res.status, text }
}

const json = <T>(text: string): T => {
  try {
    return JSON.parse(text) as T
  } catch {
    throw new MailgunInboundError('Mailgun returned something that is not JSON', null)
  }
}

// ---------------------------------------------------------------- routes

export interface MailgunRoute {
  id: string
  expression: string
  actions: string[]
  description: string
  priority: number
}

/** The one expression our route uses: exactly these recipients (regex-escaped), any case. */
export function routeExpression(addresses: string[]): string {
  const esc = (a: string) => a.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const alt = addresses.map(esc).join('|')
  return `match_recipient('^${addresses.length > 1 ? `(${alt})` : alt}$')`
}

/** Every route of the account (routes are per account, not per domain), paged by skip/limit. */
export async function listRoutes(cfg: MailgunConfig): Promise<MailgunRoute[]> {
  const out: MailgunRoute[] = []
  for (let skip = 0; skip < 10_000; ) {
    const body = json<{ total_count?: number; items?: MailgunRoute[] }>((await request(cfg, `${base(cfg)}/v3/routes?skip=${skip}&limit=100`)).text)
    const items = Array.isArray(body.items) ? body.items : []
    out.push(...items)
    skip += items.length
    if (!items.length || skip >= (body.total_count ?? 0)) break
  }
  return out
}

export async function createRoute(cfg: MailgunConfig, expression: string, description: string): Promise<MailgunRoute> {
  const form = new FormData()
  form.append('priority', '10')
  form.append('description', description)
  form.append('expression', expression)
  form.append('action', 'store()')
  const body = json<{ route?: MailgunRoute }>((await request(cfg, `${base(cfg)}/v3/routes`, { method: 'POST', body: form })).text)
  if (!body.route?.id) throw new MailgunInboundError('Mailgun created the route but returned no id', null)
  return body.route
}

/** The description of a route Switchboard made: such a route is ours to change when the addresses change. */
export const routeDescription = (addresses: string[]): string => `Switchboard: store mail for ${addresses.join(', ')}`
const OURS = /^Switchboard: /

/**
 * Points a route Switchboard made at new addresses (PUT /v3/routes/{id}), so a change of addresses leaves
 * one route, not one per version. Null when the route is gone or was not made by Switchboard (left alone).
 */
export async function retargetRoute(cfg: MailgunConfig, id: string, expression: string, description: string): Promise<MailgunRoute | null> {
  const url = `${base(cfg)}/v3/routes/${encodeURIComponent(id)}`
  let current: MailgunRoute | undefined
  try {
    current = json<{ route?: MailgunRoute }>((await request(cfg, url)).text).route
  } catch (e) {
    if (e instanceof MailgunInboundError && e.status === 404) return null
    throw e
  }
  if (!current || !OURS.test(current.description)) return null
  const form = new FormData()
  form.append('expression', expression)
  form.append('description', description)
  const body = json<{ route?: MailgunRoute }>((await request(cfg, url, { method: 'PUT', body: form })).text)
  return body.route?.id ? body.route : null
}

/** The same filter, whatever the spacing (a route made by hand may have some). */
export const sameExpression = (a: string, b: string): boolean => a.replace(/\s+/g, '') === b.replace(/\s+/g, '')

/** A route we can use as ours: it stores, and its expression is ours (made by us before, or by hand the same way). */
export const adoptable = (r: MailgunRoute, expression: string): boolean => sameExpression(r.expression, expression) && r.actions.some((a) => /^store\(/.test(a.trim()))

// ---------------------------------------------------------------- stored events

export interface StoredEvent {
  id: string
  /** ms */
  timestamp: number
  recipient: string
  storageUrl: string
  /** With angle brackets, or null. */
  messageId: string | null
}

type RawStored = { id?: unknown; event?: unknown; timestamp?: unknown; recipient?: unknown; storage?: { url?: unknown }; message?: { headers?: { 'message-id'?: unknown } } }

const toStored = (e: RawStored): StoredEvent | null => {
  if (typeof e.id !== 'string' || e.event !== 'stored' || typeof e.timestamp !== 'number' || typeof e.storage?.url !== 'string') return null
  const mid = e.message?.headers?.['message-id']
  return {
    id: e.id,
    timestamp: Math.round(e.timestamp * 1000),
    recipient: typeof e.recipient === 'string' ? e.recipient.toLowerCase() : '',
    storageUrl: e.storage.url,
    messageId: typeof mid === 'string' && mid.trim() ? `<${mid.trim().replace(/^<|>$/g, '')}>` : null,
  }
}

/** Paging URLs and storage URLs carry our key: follow them only to Mailgun (or the configured API host). */
function trusted(cfg: MailgunConfig, url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new MailgunInboundError('Mailgun gave an invalid address', null)
  }
  const own = new URL(base(cfg)).origin
  const mailgunHost = u.protocol === 'https:' && /(^|\.)mailgun\.(net|org)$/i.test(u.hostname)
  if (u.origin !== own && !mailgunHost) throw new MailgunInboundError(`Mailgun pointed at another host (${u.host}); not followed`, null)
  return url
}

/** One page of `stored` events, oldest first from `beginMs`, or the page a previous answer's `paging.next` names. */
export async function storedEvents(cfg: MailgunConfig, q: { beginMs?: number; pageUrl?: string; limit?: number }): Promise<{ items: StoredEvent[]; nextPageUrl: string | null }> {
  const url = q.pageUrl
    ? trusted(cfg, q.pageUrl)
    : `${base(cfg)}/v3/${encodeURIComponent(cfg.sendingDomain)}/events?${new URLSearchParams({ event: 'stored', begin: String((q.beginMs ?? 0) / 1000), ascending: 'yes', limit: String(q.limit ?? 300) })}`
  const body = json<{ items?: RawStored[]; paging?: { next?: unknown } }>((await request(cfg, url)).text)
  const raw = Array.isArray(body.items) ? body.items : []
  // Mailgun always gives a next page; an empty page is the end.
  return { items: raw.map(toStored).filter((e): e is StoredEvent => e !== null), nextPageUrl: raw.length && typeof body.paging?.next === 'string' ? body.paging.next : null }
}

/** The stored message's raw MIME (`Accept: message/rfc2822` makes Mailgun answer `body-mime`). */
export async function fetchStored(cfg: MailgunConfig, storageUrl: string): Promise<Buffer> {
  const { text } = await request(cfg, trusted(cfg, storageUrl), { accept: 'message/rfc2822' })
  const mime = json<{ 'body-mime'?: unknown }>(text)['body-mime']
  if (typeof mime !== 'string') throw new MailgunInboundError('Mailgun returned the stored message without its MIME source', null)
  return Buffer.from(mime, 'utf8')
}
