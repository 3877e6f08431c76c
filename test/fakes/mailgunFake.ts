// A contract-faithful stand-in for Mailgun's v3 HTTP API (messages, events, and a domain's details). Real Mailgun has no local
// server, so this mirrors its paths, basic auth, form validation, status codes, bodies and event paging.
import { randomBytes } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeEvent {
  id: string
  event: string
  /** Float seconds, like Mailgun. */
  timestamp: number
  recipient: string
  severity?: 'permanent' | 'temporary'
  reason?: string
  'delivery-status'?: { code: number; message: string; description: string }
  url?: string
  /** Mailgun's message-id header value has no angle brackets. */
  message: { headers: { 'message-id': string; from: string; to: string; subject: string } }
}
/** A file part of the form (Mailgun's `attachment` and `inline` fields), bytes as received. */
export interface SentFile { filename: string; contentType: string; content: Buffer }
export interface SentMessage { domain: string; id: string; fields: Record<string, string[]>; auth: string; files: Record<string, SentFile[]> }
export interface FakeRequest { method: string; path: string; query: string; status: number }
export interface FailOpts { retryAfter?: number; body?: string; only?: 'messages' | 'events' | 'domains' | InboundKind }
export interface AddEventInput extends Partial<Omit<FakeEvent, 'message'>> { event: string; messageId: string; domain?: string }

export interface FakeMailgun {
  url: string
  sent: SentMessage[]
  requests: FakeRequest[]
  /** Every stored event, oldest first, as the events API would return it. */
  events(): FakeEvent[]
  /** The next `times` requests (optionally only messages/events ones) answer `status`. */
  failNext(status: number, times?: number, opts?: FailOpts): void
  addEvent(e: AddEventInput): FakeEvent
  deliverAll(): FakeEvent[]
  fail(messageId: string, severity: 'permanent' | 'temporary', reason?: string, recipient?: string): FakeEvent[]
  open(messageId: string, recipient?: string): FakeEvent[]
  click(messageId: string, url?: string, recipient?: string): FakeEvent[]
  complain(messageId: string, recipient?: string): FakeEvent[]
  unsubscribe(messageId: string, recipient?: string): FakeEvent[]
  close(): Promise<void>
  /** Receiving (issue 18): routes, stored mail and its storage API. */
  inbound: FakeInbound
}

interface Stored { domain: string; seq: number; ev: FakeEvent }
interface Cursor { t: number; s: number }
/** Everything a page needs lives in the token, like Mailgun's opaque page ids. */
interface PageToken { f: Record<string, string>; limit: number; asc: boolean; after?: Cursor; mode?: 'prev' | 'last' }

const FILTERS = ['begin', 'end', 'event', 'message-id', 'recipient', 'severity'] as const
const bare = (id: string): string => id.trim().replace(/^<|>$/g, '')
const addrOf = (s: string): string => (s.match(/<([^>]+)>/)?.[1] ?? s).trim().toLowerCase()
const splitList = (s: string): string[] => s.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((x) => x.trim()).filter(Boolean)
const key = (x: Stored): Cursor => ({ t: x.ev.timestamp, s: x.seq })
const cmp = (a: Cursor, b: Cursor): number => a.t - b.t || a.s - b.s
const encodeToken = (t: PageToken): string => Buffer.from(JSON.stringify(t)).toString('base64url')

class HttpError extends Error {
  constructor(readonly status: number, readonly body: string, readonly type = 'application/json') {
    super(body)
  }
}
const jsonError = (status: number, message: string): HttpError => new HttpError(status, JSON.stringify({ message }))

function parseTime(v: string): number {
  const t = /^\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v) / 1000
  if (Number.isNaN(t)) throw jsonError(400, `Invalid timestamp: ${v}`)
  return t
}

/** Mailgun refuses messages over 25 MB as a whole (its documented limit). */
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024

async function readFields(req: IncomingMessage): Promise<{ fields: Record<string, string[]>; files: Record<string, SentFile[]> }> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const type = req.headers['content-type'] ?? ''
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) return { fields: {}, files: {} }
  let form: FormData
  try {
    form = await new Request('http://fake.local/', { method: 'POST', headers: { 'content-type': type }, body: Buffer.concat(chunks) }).formData()
  } catch {
    throw jsonError(400, 'Invalid form body')
  }
  const fields: Record<string, string[]> = {}
  const files: Record<string, SentFile[]> = {}
  let fileBytes = 0
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      ;(fields[name] ??= []).push(value)
      continue
    }
    ;(fields[name] ??= []).push(`[file ${value.name}]`)
    const content = Buffer.from(await value.arrayBuffer())
    fileBytes += content.length
    ;(files[name] ??= []).push({ filename: value.name, contentType: value.type || 'application/octet-stream', content })
  }
  // Only files may be sent in the attachment/inline fields: a plain string there is a client bug Mailgun rejects.
  for (const k of ['attachment', 'inline']) if ((fields[k]?.length ?? 0) !== (files[k]?.length ?? 0)) throw jsonError(400, `'${k}' parameter must be a file`)
  if (fileBytes > MAX_MESSAGE_BYTES) throw jsonError(413, 'Message size exceeds the 25 MB limit')
  return { fields, files }
}

function validateSend(fields: Record<string, string[]>): void {
  const has = (k: string): boolean => Boolean(fields[k]?.some((v) => v.trim() !== ''))
  if (!has('from')) throw jsonError(400, "'from' parameter is missing")
  if (!has('to')) throw jsonError(400, "'to' parameter is missing")
  if (!has('subject')) throw jsonError(400, "'subject' parameter is missing")
  if (!has('text') && !has('html')) throw jsonError(400, "Need at least one of 'text', 'html', 'amp-html' or 'template' parameters specified")
}

function recipientsOf(fields: Record<string, string[]>): string[] {
  return ['to', 'cc', 'bcc'].flatMap((k) => fields[k] ?? []).flatMap(splitList).map(addrOf)
}

function matches(x: Stored, f: Record<string, string>, asc: boolean): boolean {
  const t = x.ev.timestamp
  const begin = f.begin !== undefined ? parseTime(f.begin) : undefined
  const end = f.end !== undefined ? parseTime(f.end) : undefined
  // Mailgun's begin is where traversal starts: the lower bound ascending, the upper bound descending.
  if (begin !== undefined && (asc ? t < begin : t > begin)) return false
  if (end !== undefined && (asc ? t > end : t < end)) return false
  if (f.event && !f.event.split(/\s+OR\s+/i).includes(x.ev.event)) return false
  if (f['message-id'] && bare(f['message-id']) !== x.ev.message.headers['message-id']) return false
  if (f.recipient && addrOf(f.recipient) !== x.ev.recipient) return false
  return !f.severity || f.severity === x.ev.severity
}

/** The slice of the (traversal-ordered) list a token selects. */
function selectPage(list: Stored[], tok: PageToken): Stored[] {
  const dir = (a: Cursor, b: Cursor): number => (tok.asc ? cmp(a, b) : -cmp(a, b))
  if (tok.mode === 'last') return list.slice(-tok.limit)
  if (tok.mode === 'prev') return tok.after ? list.filter((x) => dir(key(x), tok.after!) < 0).slice(-tok.limit) : []
  return list.filter((x) => !tok.after || dir(key(x), tok.after) > 0).slice(0, tok.limit)
}

function tokenFromQuery(q: URLSearchParams): PageToken {
  const f: Record<string, string> = {}
  for (const name of FILTERS) {
    const v = q.get(name)
    if (v !== null && v !== '') f[name] = v
  }
  const limit = Number(q.get('limit') ?? 100)
  if (!Number.isInteger(limit) || limit < 1 || limit > 300) throw jsonError(400, 'limit: must be an integer between 1 and 300')
  const ascending = q.get('ascending')
  if (ascending !== null && ascending !== 'yes' && ascending !== 'no') throw jsonError(400, `Invalid ascending: ${ascending}`)
  // Without `ascending`, the begin/end relation decides the direction (default descending).
  const asc = ascending === 'yes' || (ascending === null && f.begin !== undefined && f.end !== undefined && parseTime(f.end) >= parseTime(f.begin))
  return { f, limit, asc }
}

function decodeToken(raw: string): PageToken {
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PageToken
  } catch {
    throw jsonError(400, 'Invalid page token')
  }
}

function newMessageId(domain: string, n: number): string {
  const d = new Date()
  const stamp = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((p) => String(p).padStart(2, '0')).join('')
  return `<${stamp}.${n}.${randomBytes(8).toString('hex').toUpperCase()}@${domain}>`
}

/**
 * `GET /v3/domains/{name}` as Mailgun answers it: the domain object with its sending and receiving DNS
 * records. A domain whose records are not in place yet is 'unverified'.
 */
function domainBody(name: string, state: 'active' | 'unverified'): string {
  const record = (type: string, value: string, extra: Record<string, unknown> = {}) => ({ record_type: type, valid: state === 'active' ? 'valid' : 'unknown', value, cached: [], ...extra })
  return JSON.stringify({
    domain: {
      created_at: 'Mon, 05 Jan 2026 09:00:00 GMT',
      id: randomBytes(12).toString('hex'),
      is_disabled: false,
      name,
      require_tls: false,
      skip_verification: false,
      smtp_login: `postmaster@${name}`,
      spam_action: 'disabled',
      state,
      type: 'custom',
      use_automatic_sender_security: true,
      web_prefix: 'email',
      web_scheme: 'https',
      wildcard: false,
    },
    receiving_dns_records: [record('MX', 'mxa.mailgun.org', { priority: '10' }), record('MX', 'mxb.mailgun.org', { priority: '10' })],
    sending_dns_records: [record('TXT', 'v=spf1 include:mailgun.org ~all', { name }), record('CNAME', 'mailgun.org', { name: `email.${name}` })],
  })
}

export async function startFakeMailgun(opts: { apiKey: string; domains: string[]; unverified?: string[] }): Promise<FakeMailgun> {
  const sent: SentMessage[] = []
  const requests: FakeRequest[] = []
  const stored: Stored[] = []
  const failures: Array<{ status: number } & FailOpts> = []
  const domains = new Set(opts.domains)
  let seq = 0
  let lastMs = 0
  let baseUrl = ''

  // Strictly increasing ms so every event has its own instant, like a real (busy) clock.
  const nowSeconds = (): number => (lastMs = Math.max(Date.now(), lastMs + 1)) / 1000
  const findSent = (messageId: string): SentMessage | undefined => sent.find((s) => bare(s.id) === bare(messageId))

  function push(domain: string, ev: FakeEvent): FakeEvent {
    stored.push({ domain, seq: seq++, ev })
    return ev
  }

  function makeEvent(s: SentMessage | undefined, messageId: string, event: string, recipient: string, extra: Partial<FakeEvent> = {}): FakeEvent {
    const one = (k: string): string => s?.fields[k]?.[0] ?? ''
    const headers = { 'message-id': bare(messageId), from: one('from'), to: (s?.fields.to ?? []).join(', '), subject: one('subject') }
    return { id: randomBytes(16).toString('base64url'), event, timestamp: nowSeconds(), recipient, ...extra, message: { headers } }
  }

  /** One event per recipient of a sent message (Mailgun tracks each recipient separately). */
  function emit(messageId: string, event: string, extra: Partial<FakeEvent>, recipient?: string): FakeEvent[] {
    const s = findSent(messageId)
    if (!s) throw new Error(`fake mailgun: no sent message ${messageId}`)
    const rcpts = recipient ? [addrOf(recipient)] : recipientsOf(s.fields)
    return rcpts.map((r) => push(s.domain, makeEvent(s, s.id, event, r, extra)))
  }

  function handleSend(domain: string, { fields, files }: { fields: Record<string, string[]>; files: Record<string, SentFile[]> }, auth: string): string {
    validateSend(fields)
    const custom = fields['h:Message-Id']?.[0]
    const id = custom ? `<${bare(custom)}>` : newMessageId(domain, sent.length + 1)
    const s = { domain, id, fields, auth, files }
    sent.push(s)
    for (const r of recipientsOf(fields)) push(domain, makeEvent(s, id, 'accepted', r))
    return JSON.stringify({ id, message: 'Queued. Thank you.' })
  }

  function handleEvents(domain: string, tokenRaw: string | undefined, q: URLSearchParams): string {
    const tok = tokenRaw ? decodeToken(tokenRaw) : tokenFromQuery(q)
    const list = stored.filter((x) => x.domain === domain && matches(x, tok.f, tok.asc)).sort((a, b) => (tok.asc ? cmp(key(a), key(b)) : cmp(key(b), key(a))))
    const items = selectPage(list, tok)
    const pageUrl = (t: PageToken): string => `${baseUrl}/v3/${domain}/events/${encodeToken(t)}`
    const base = { f: tok.f, limit: tok.limit, asc: tok.asc }
    const firstKey = items.length ? key(items[0]) : tok.after
    const lastKey = items.length ? key(items[items.length - 1]) : tok.after
    const paging = { next: pageUrl({ ...base, after: lastKey }), previous: pageUrl({ ...base, mode: 'prev', after: firstKey }), first: pageUrl(base), last: pageUrl({ ...base, mode: 'last' }) }
    return JSON.stringify({ items: items.map((x) => x.ev), paging })
  }

  function checkAuth(header: string | undefined): void {
    const m = /^Basic\s+(.+)$/i.exec(header ?? '')
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : ''
    if (decoded !== `api:${opts.apiKey}`) throw new HttpError(401, 'Forbidden', 'text/plain')
  }

  function takeFailure(kind: 'messages' | 'events' | 'domains' | InboundKind): HttpError | null {
    const i = failures.findIndex((f) => !f.only || f.only === kind)
    if (i < 0) return null
    const [f] = failures.splice(i, 1)
    const body = f.body ?? (f.status === 401 || f.status === 403 ? 'Forbidden' : JSON.stringify({ message: STATUS_CODES[f.status] ?? 'Error' }))
    const err = new HttpError(f.status, body, body.startsWith('{') ? 'application/json' : 'text/plain')
    return Object.assign(err, { retryAfter: f.retryAfter })
  }

  async function route(req: IncomingMessage, u: URL): Promise<{ status: number; body: string }> {
    const received = await inbound.route(req, u)
    if (received) return received
    const d = /^\/v3\/domains\/([^/]+)$/.exec(u.pathname)
    if (d) {
      const injected = takeFailure('domains')
      if (injected) throw injected
      checkAuth(req.headers.authorization)
      const name = decodeURIComponent(d[1]).toLowerCase()
      if (req.method !== 'GET') throw jsonError(405, 'Method Not Allowed')
      if (!domains.has(name)) throw jsonError(404, 'Domain not found')
      return { status: 200, body: domainBody(name, opts.unverified?.includes(name) ? 'unverified' : 'active') }
    }
    const m = /^\/v3\/([^/]+)\/(messages|events)(?:\/([A-Za-z0-9_-]+))?$/.exec(u.pathname)
    if (!m) throw jsonError(404, 'Not Found')
    const [, rawDomain, kind, token] = m
    const injected = takeFailure(kind as 'messages' | 'events')
    if (injected) throw injected
    checkAuth(req.headers.authorization)
    const domain = decodeURIComponent(rawDomain)
    if (!domains.has(domain)) throw jsonError(404, `Domain not found: ${domain}`)
    if (kind === 'messages' && req.method === 'POST' && !token) return { status: 200, body: handleSend(domain, await readFields(req), req.headers.authorization ?? '') }
    if (kind === 'events' && req.method === 'GET') return { status: 200, body: handleEvents(domain, token, u.searchParams) }
    throw jsonError(405, 'Method Not Allowed')
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', baseUrl)
    let status = 200
    let body: string
    let type = 'application/json'
    const headers: Record<string, string> = {}
    try {
      ;({ status, body } = await route(req, u))
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      ;({ status, body, type } = err)
      const retryAfter = (err as HttpError & { retryAfter?: number }).retryAfter
      if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter)
    }
    requests.push({ method: req.method ?? '', path: u.pathname, query: u.search, status })
    res.writeHead(status, { 'Content-Type': type, ...headers }).end(body)
  }

  const inbound = fakeInbound({ domains, baseUrl: () => baseUrl, push, nowSeconds, checkAuth, takeFailure })

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const finalStates = (x: Stored): boolean => x.ev.event === 'delivered' || (x.ev.event === 'failed' && x.ev.severity === 'permanent')
  return {
    url: baseUrl,
    sent,
    requests,
    events: () => [...stored].sort((a, b) => cmp(key(a), key(b))).map((x) => x.ev),
    failNext: (status, times = 1, o = {}) => {
      for (let i = 0; i < times; i++) failures.push({ status, ...o })
    },
    addEvent: ({ messageId, domain, event, ...extra }) => {
      const s = findSent(messageId)
      const ev = makeEvent(s, messageId, event, extra.recipient ?? recipientsOf(s?.fields ?? {})[0] ?? 'someone@example.test', extra)
      return push(domain ?? s?.domain ?? opts.domains[0], ev)
    },
    deliverAll: () => {
      const done = new Set(stored.filter(finalStates).map((x) => `${x.ev.message.headers['message-id']} ${x.ev.recipient}`))
      const out: FakeEvent[] = []
      for (const x of stored.filter((y) => y.ev.event === 'accepted')) {
        const mid = x.ev.message.headers['message-id']
        if (done.has(`${mid} ${x.ev.recipient}`)) continue
        done.add(`${mid} ${x.ev.recipient}`)
        const status = { code: 250, message: 'OK', description: '' }
        out.push(push(x.domain, makeEvent(findSent(mid), mid, 'delivered', x.ev.recipient, { 'delivery-status': status })))
      }
      return out
    },
    fail: (messageId, severity, reason = severity === 'permanent' ? 'bounce' : 'generic', recipient) => {
      const status = severity === 'permanent'
        ? { code: 550, message: '5.1.1 The email account that you tried to reach does not exist.', description: '' }
        : { code: 452, message: '4.2.2 The email account that you tried to reach is over quota.', description: '' }
      return emit(messageId, 'failed', { severity, reason, 'delivery-status': status }, recipient)
    },
    open: (messageId, recipient) => emit(messageId, 'opened', {}, recipient),
    click: (messageId, url = 'https://example.test/', recipient) => emit(messageId, 'clicked', { url }, recipient),
    complain: (messageId, recipient) => emit(messageId, 'complained', {}, recipient),
    unsubscribe: (messageId, recipient) => emit(messageId, 'unsubscribed', {}, recipient),
    inbound: inbound.api,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// ---------------------------------------------------------------- receiving (issue 18): routes, stored mail, storage
// Mailgun's receiving side as documented: routes are per account (`GET/POST /v3/routes`, `GET/PUT/DELETE
// /v3/routes/{id}`; skip/limit paging, `{total_count, items}`; create answers `{message, route}`); a
// message that a store() route takes becomes a `stored` event of its domain carrying `storage.url` and
// `storage.key`; `GET /v3/domains/{domain}/messages/{key}` returns it as JSON (with `body-mime` when asked
// with `Accept: message/rfc2822`), 404 once it has expired (Mailgun keeps stored mail three days).

type InboundKind = 'routes' | 'storage'

export interface FakeRoute { id: string; priority: number; description: string; expression: string; actions: string[]; created_at: string }
export interface FakeStoredMessage { key: string; domain: string; recipient: string; raw: string; eventId: string; expired: boolean }
export interface FakeInbound {
  routes: FakeRoute[]
  stored: FakeStoredMessage[]
  /** Mail for `recipient` arrives at Mailgun: routes are applied; a store() route stores it (returns null when none does). */
  receive(recipient: string, raw: string): { key: string; event: FakeEvent } | null
  /** Adds another `stored` event for an already stored message (Mailgun may report a message twice). */
  repeatEvent(key: string): FakeEvent
  /** The storage forgets the message (its retention ran out): the storage URL answers 404. */
  expire(key: string): void
}

interface InboundDeps {
  domains: Set<string>
  baseUrl(): string
  push(domain: string, ev: FakeEvent): FakeEvent
  nowSeconds(): number
  checkAuth(header: string | undefined): void
  takeFailure(kind: InboundKind): HttpError | null
}

/** The header block of a raw message, unfolded, names lower-cased (first value wins). */
function rawHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? ''
  const out: Record<string, string> = {}
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':')
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim()
  }
  return out
}

/** Mailgun's filters use Python regexes; the ones routes are made of here (match_recipient('…'), catch_all()) are JS-compatible. */
function routeMatches(r: FakeRoute, recipient: string): boolean {
  const e = r.expression.trim()
  if (/^catch_all\(\)$/.test(e)) return true
  const m = /^match_recipient\((['"])(.*)\1\)$/.exec(e)
  if (!m) return false
  try {
    return new RegExp(m[2]!, 'i').test(recipient)
  } catch {
    return false
  }
}

function fakeInbound(d: InboundDeps): { api: FakeInbound; route(req: IncomingMessage, u: URL): Promise<{ status: number; body: string } | null> } {
  const routes: FakeRoute[] = []
  const stored: FakeStoredMessage[] = []
  const rfc1123 = (): string => new Date().toUTCString()

  function storedEvent(m: FakeStoredMessage): FakeEvent {
    const h = rawHeaders(m.raw)
    const ev = {
      id: randomBytes(16).toString('base64url'),
      event: 'stored',
      timestamp: d.nowSeconds(),
      recipient: m.recipient,
      storage: { url: `${d.baseUrl()}/v3/domains/${m.domain}/messages/${m.key}`, key: m.key },
      message: {
        headers: { 'message-id': bare(h['message-id'] ?? ''), from: h.from ?? '', to: h.to ?? '', subject: h.subject ?? '' },
        recipients: [m.recipient],
        size: Buffer.byteLength(m.raw),
        attachments: [],
      },
      flags: { 'is-test-mode': false },
    }
    m.eventId = ev.id
    return d.push(m.domain, ev as unknown as FakeEvent)
  }

  const api: FakeInbound = {
    routes,
    stored,
    receive(recipient, raw) {
      const rcpt = addrOf(recipient)
      const domain = rcpt.split('@')[1] ?? ''
      if (!d.domains.has(domain)) return null
      const hits = [...routes].sort((a, b) => a.priority - b.priority).filter((r) => routeMatches(r, rcpt))
      if (!hits.some((r) => r.actions.some((a) => /^store\(/.test(a.trim())))) return null
      const m: FakeStoredMessage = { key: randomBytes(24).toString('base64url'), domain, recipient: rcpt, raw, eventId: '', expired: false }
      stored.push(m)
      return { key: m.key, event: storedEvent(m) }
    },
    repeatEvent(key) {
      const m = stored.find((x) => x.key === key)
      if (!m) throw new Error(`fake mailgun: no stored message ${key}`)
      return storedEvent(m)
    },
    expire(key) {
      const m = stored.find((x) => x.key === key)
      if (m) m.expired = true
    },
  }

  function listRoutes(q: URLSearchParams): string {
    const skip = Number(q.get('skip') ?? 0)
    const limit = Number(q.get('limit') ?? 100)
    if (!Number.isInteger(skip) || skip < 0) throw jsonError(400, 'skip: must be a non-negative integer')
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw jsonError(400, 'limit: must be an integer between 1 and 1000')
    return JSON.stringify({ total_count: routes.length, items: routes.slice(skip, skip + limit) })
  }

  function createRoute(fields: Record<string, string[]>): string {
    const expression = fields.expression?.[0]?.trim()
    if (!expression) throw jsonError(400, "'expression' parameter is missing")
    const actions = fields.action ?? []
    if (!actions.length) throw jsonError(400, "'action' parameter is missing")
    if (expression.length > 4096 || actions.join('').length > 4096) throw jsonError(400, 'Expression or action is too long')
    const priority = Number(fields.priority?.[0] ?? 0)
    if (!Number.isInteger(priority)) throw jsonError(400, 'priority: must be an integer')
    const r: FakeRoute = { id: randomBytes(12).toString('hex'), priority, description: fields.description?.[0] ?? '', expression, actions, created_at: rfc1123() }
    routes.push(r)
    return JSON.stringify({ message: 'Route has been created', route: r })
  }

  /** PUT /v3/routes/{id}: every field optional, only those given change; answers `{message, route}`. */
  function updateRoute(r: FakeRoute, fields: Record<string, string[]>): string {
    if (fields.priority) {
      const priority = Number(fields.priority[0])
      if (!Number.isInteger(priority)) throw jsonError(400, 'priority: must be an integer')
      r.priority = priority
    }
    if (fields.description) r.description = fields.description[0] ?? ''
    if (fields.expression) r.expression = fields.expression[0]!.trim()
    if (fields.action?.length) r.actions = fields.action
    return JSON.stringify({ message: 'Route has been updated', route: r })
  }

  function storedMessage(domain: string, key: string, accept: string): string {
    const m = stored.find((x) => x.key === key && x.domain === domain)
    if (!m || m.expired) throw jsonError(404, 'Message not found')
    const h = rawHeaders(m.raw)
    const body = m.raw.split(/\r?\n\r?\n/).slice(1).join('\n\n')
    const common = { recipients: m.recipient, sender: addrOf(h.from ?? ''), from: h.from ?? '', subject: h.subject ?? '', 'Message-Id': h['message-id'] ?? '' }
    if (/message\/rfc2822/i.test(accept)) return JSON.stringify({ ...common, 'body-mime': m.raw })
    return JSON.stringify({ ...common, 'body-plain': body, 'stripped-text': body, 'message-headers': Object.entries(h), attachments: [], 'content-id-map': {} })
  }

  async function route(req: IncomingMessage, u: URL): Promise<{ status: number; body: string } | null> {
    const r = /^\/v3\/routes(?:\/([A-Za-z0-9]+))?$/.exec(u.pathname)
    const s = /^\/v3\/domains\/([^/]+)\/messages\/([A-Za-z0-9_-]+)$/.exec(u.pathname)
    if (!r && !s) return null
    const injected = d.takeFailure(r ? 'routes' : 'storage')
    if (injected) throw injected
    d.checkAuth(req.headers.authorization)
    if (s) {
      if (req.method !== 'GET') throw jsonError(405, 'Method Not Allowed')
      return { status: 200, body: storedMessage(decodeURIComponent(s[1]!), s[2]!, String(req.headers.accept ?? '')) }
    }
    const id = r![1]
    if (!id && req.method === 'GET') return { status: 200, body: listRoutes(u.searchParams) }
    if (!id && req.method === 'POST') return { status: 200, body: createRoute((await readFields(req)).fields) }
    const at = routes.findIndex((x) => x.id === id)
    if (id && at < 0) throw jsonError(404, 'Route not found')
    if (id && req.method === 'GET') return { status: 200, body: JSON.stringify({ route: routes[at] }) }
    if (id && req.method === 'PUT') return { status: 200, body: updateRoute(routes[at]!, (await readFields(req)).fields) }
    if (id && req.method === 'DELETE') {
      routes.splice(at, 1)
      return { status: 200, body: JSON.stringify({ message: 'Route has been deleted', id }) }
    }
    throw jsonError(405, 'Method Not Allowed')
  }

  return { api, route }
}
