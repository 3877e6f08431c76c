// A contract-faithful stand-in for Twilio's 2010-04-01 Messages API (SMS and WhatsApp) and the account
// endpoint. Twilio has no local server, so this mirrors its paths, basic auth, form fields, 201 bodies
// (num_segments as a string, RFC 2822 dates), error JSON {code, message, more_info, status}, list paging
// (PageSize, Page, PageToken, next_page_uri; filters To, From, DateSent, DateSent<, DateSent>) and statuses
// that progress as they are polled (queued → sent → delivered, or failed/undelivered with an error code).
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { textSegments } from '../../src/shared/textSegments'

export interface FakeText {
  sid: string
  account_sid: string
  messaging_service_sid: string | null
  from: string
  to: string
  body: string
  status: string
  direction: 'inbound' | 'outbound-api'
  num_segments: string
  num_media: string
  error_code: number | null
  error_message: string | null
  date_created: string
  date_updated: string
  date_sent: string | null
  price: string | null
  price_unit: string
  api_version: string
  uri: string
  subresource_uris: { media: string }
}
interface Stored {
  m: FakeText
  seq: number
  sentAt: number
  /** Statuses still to come, one per poll of the message. */
  steps: string[]
  /** Error code the final status carries (asynchronous failures: 30001, 63016, …). */
  finalError?: number
  contentSid?: string
  contentVariables?: string
}
/** The approval statuses Twilio reports for a WhatsApp template. */
export type WhatsappApproval = 'unsubmitted' | 'received' | 'pending' | 'approved' | 'rejected' | 'paused' | 'disabled'

export interface FakeTwilioRequest { method: string; path: string; query: string; status: number; at: number; to?: string }
export interface FailRule { code: number; times?: number }

export interface FakeTwilio {
  url: string
  accountSid: string
  /** Messages created through the API, oldest first, with the form fields as received. */
  sent: Array<{ fields: Record<string, string>; sid: string; auth: string; at: number }>
  requests: FakeTwilioRequest[]
  /** Every message stored (sent and received), as the API returns it. */
  message(sid: string): FakeText | undefined
  /** Sends to this number (E.164, without whatsapp:) fail with Twilio's error `code` (the next `times`, default always). */
  failNumber(to: string, code: number, times?: number): void
  /** The next `times` requests answer this HTTP status (5xx outages), with a Twilio error body. */
  failNext(status: number, times?: number): void
  /** Someone texts one of our numbers: stored as an inbound message (`to`/`from` may carry whatsapp:). */
  inbound(m: { from: string; to: string; body: string; at?: number }): FakeText
  /** How many polls a new message takes to reach its final status (default 2: queued → sent → delivered). */
  setSteps(steps: string[]): void
  /** A content template in the account (Content API, /v1/Content): `body` with {{1}} … placeholders; returns its HX sid. */
  addContent(c: { friendlyName: string; body: string; variables?: Record<string, string>; language?: string; approval?: WhatsappApproval; rejectionReason?: string }): string
  /** A number in a Messaging Service's sender pool (Messaging API, /v1/Services/{Sid}/PhoneNumbers). */
  addServiceNumber(serviceSid: string, phoneNumber: string): void
  close(): Promise<void>
}

// Twilio's words for each error it sends back synchronously (HTTP status, message); documented at more_info.
const SYNC_ERRORS: Record<number, [number, string]> = {
  20003: [401, 'Authenticate'],
  20429: [429, 'Too Many Requests'],
  21211: [400, "Invalid 'To' Phone Number"],
  21614: [400, "'To' number is not a valid mobile number"],
  21610: [400, 'Attempt to send to unsubscribed recipient'],
  21602: [400, 'Message body is required.'],
  21603: [400, "A 'From' phone number is required."],
  21604: [400, "A 'To' phone number is required."],
  21617: [400, 'The concatenated message body exceeds the 1600 character limit.'],
  21910: [400, 'Invalid From and To pair. From and To should be of the same channel'],
  20404: [404, 'The requested resource was not found'],
}
// Errors Twilio reports later, on the message's status (failed or undelivered).
const ASYNC_ERRORS: Record<number, [string, string]> = {
  30001: ['failed', 'Queue overflow'],
  30003: ['undelivered', 'Unreachable destination handset'],
  30005: ['undelivered', 'Unknown destination handset'],
  63016: ['failed', 'Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.'],
}
const FINAL = new Set(['delivered', 'undelivered', 'failed', 'received', 'read', 'canceled'])

const rfc2822 = (ms: number): string => new Date(ms).toUTCString().replace('GMT', '+0000')
const newSid = (prefix: string): string => prefix + randomBytes(16).toString('hex')
const bare = (addr: string): string => addr.replace(/^whatsapp:/, '')

class TwilioError extends Error {
  constructor(readonly code: number, readonly status = SYNC_ERRORS[code]?.[0] ?? 400, message = SYNC_ERRORS[code]?.[1] ?? 'Error') {
    super(message)
  }
  body(): string {
    return JSON.stringify({ code: this.code, message: this.message, more_info: `https://www.twilio.com/docs/errors/${this.code}`, status: this.status })
  }
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
}

/** DateSent filters take a day (YYYY-MM-DD) or an ISO 8601 instant. */
function parseDate(v: string, endOfDay: boolean): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v)
  const t = Date.parse(day ? `${v}T00:00:00Z` : v)
  if (Number.isNaN(t)) throw new TwilioError(20001, 400, `Invalid DateSent: ${v}`)
  return day && endOfDay ? t + 86_400_000 - 1 : t
}

export async function startFakeTwilio(opts: { accountSid?: string; authToken?: string; now?: () => number } = {}): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? `AC${'0'.repeat(31)}1`
  const authToken = opts.authToken ?? 'fake-auth-token-0123456789'
  const now = opts.now ?? Date.now
  const store = new Map<string, Stored>()
  const order: Stored[] = []
  const failures = new Map<string, FailRule>()
  const outage: Array<number> = []
  let steps = ['sent', 'delivered']
  let seq = 0
  const sent: FakeTwilio['sent'] = []
  const requests: FakeTwilioRequest[] = []
  const base = `/2010-04-01/Accounts/${accountSid}`
  /** Last inbound WhatsApp per customer address: free text goes out only within 24 h of it (63016). */
  const lastWhatsappIn = new Map<string, number>()

  function checkAuth(h: string | undefined): string {
    const m = /^Basic (.+)$/.exec(h ?? '')
    const [user, pass] = m ? Buffer.from(m[1]!, 'base64').toString().split(':') : []
    if (user !== accountSid || pass !== authToken) throw new TwilioError(20003)
    return h!
  }

  function store1(m: FakeText, at: number, extra: Partial<Stored> = {}): Stored {
    const s: Stored = { m, seq: seq++, sentAt: at, steps: [], ...extra }
    store.set(m.sid, s)
    order.push(s)
    return s
  }

  function create(f: Record<string, string>, auth: string): FakeText {
    const to = f.To?.trim()
    if (!to) throw new TwilioError(21604)
    const from = f.From?.trim() || null
    const service = f.MessagingServiceSid?.trim() || null
    if (!from && !service) throw new TwilioError(21603)
    if (!f.Body?.trim() && !f.ContentSid) throw new TwilioError(21602)
    if ((f.Body ?? '').length > 1600) throw new TwilioError(21617)
    if (!/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(to)) throw new TwilioError(21211)
    const wa = to.startsWith('whatsapp:')
    if (from && wa !== from.startsWith('whatsapp:')) throw new TwilioError(21910)
    if (f.ContentVariables) {
      try {
        JSON.parse(f.ContentVariables)
      } catch {
        throw new TwilioError(21656, 400, 'The ContentVariables Parameter is invalid.')
      }
    }
    const rule = failures.get(bare(to))
    let asyncError: number | undefined
    if (rule) {
      if (rule.times !== undefined && --rule.times <= 0) failures.delete(bare(to))
      if (SYNC_ERRORS[rule.code]) throw new TwilioError(rule.code)
      asyncError = rule.code
    }
    const t = now()
    // WhatsApp free text outside the customer's 24-hour window fails later with 63016, as on Twilio.
    if (wa && !f.ContentSid && asyncError === undefined && !(t - (lastWhatsappIn.get(to) ?? -Infinity) <= 86_400_000)) asyncError = 63016
    const sid = newSid('SM')
    const m: FakeText = {
      sid,
      account_sid: accountSid,
      messaging_service_sid: service,
      from: from ?? '',
      to,
      body: f.Body ?? '',
      status: service && !from ? 'accepted' : 'queued',
      direction: 'outbound-api',
      // A Messaging Service picks the sender later: Twilio says 0 segments until then.
      num_segments: service && !from ? '0' : String(textSegments(f.Body ?? '').segments),
      num_media: '0',
      error_code: null,
      error_message: null,
      date_created: rfc2822(t),
      date_updated: rfc2822(t),
      date_sent: null,
      price: null,
      price_unit: 'USD',
      api_version: '2010-04-01',
      uri: `${base}/Messages/${sid}.json`,
      subresource_uris: { media: `${base}/Messages/${sid}/Media.json` },
    }
    const s = store1(m, t, { contentSid: f.ContentSid, contentVariables: f.ContentVariables })
    s.steps = asyncError !== undefined ? [ASYNC_ERRORS[asyncError]?.[0] ?? 'failed'] : [...steps]
    s.finalError = asyncError
    sent.push({ fields: f, sid, auth, at: t })
    return m
  }

  /** One poll moves a message one step on. */
  function advance(s: Stored): void {
    const next = s.steps.shift()
    if (!next) return
    const t = now()
    s.m.status = next
    s.m.date_updated = rfc2822(t)
    if (next === 'sent' || (FINAL.has(next) && !s.m.date_sent)) s.m.date_sent = rfc2822(t)
    if (s.m.messaging_service_sid && s.m.num_segments === '0') s.m.num_segments = String(textSegments(s.m.body).segments)
    if (FINAL.has(next) && s.finalError !== undefined) {
      s.m.error_code = s.finalError
      s.m.error_message = ASYNC_ERRORS[s.finalError]?.[1] ?? 'Failed'
    }
  }

  function list(q: URLSearchParams): object {
    const pageSize = Math.min(Math.max(Number(q.get('PageSize') ?? 50) || 50, 1), 1000)
    const page = Number(q.get('Page') ?? 0)
    const to = q.get('To')
    const from = q.get('From')
    const on = q.get('DateSent')
    const before = q.get('DateSent<')
    const after = q.get('DateSent>')
    const dated = (s: Stored) => (s.m.date_sent ? Date.parse(s.m.date_sent) : s.sentAt)
    // Newest first, as Twilio lists; the page token pins where the previous page ended.
    let items = [...order].reverse().filter((s) => {
      const t = dated(s)
      if (to && s.m.to !== to) return false
      if (from && s.m.from !== from) return false
      if (on && (t < parseDate(on, false) || t > parseDate(on, true))) return false
      if (before && t > parseDate(before, true)) return false
      if (after && t < parseDate(after, false)) return false
      return true
    })
    const token = q.get('PageToken')
    if (token) {
      const [, seqText] = /^PA(\d+)$/.exec(token) ?? []
      if (seqText === undefined) throw new TwilioError(20001, 400, 'Invalid PageToken')
      const idx = items.findIndex((s) => s.seq === Number(seqText))
      items = idx >= 0 ? items.slice(idx + 1) : []
    }
    const pageItems = items.slice(0, pageSize)
    const params = new URLSearchParams()
    for (const k of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']) if (q.get(k)) params.set(k, q.get(k)!)
    params.set('PageSize', String(pageSize))
    const uri = (p: URLSearchParams) => `${base}/Messages.json?${p.toString()}`
    const firstParams = new URLSearchParams(params)
    firstParams.set('Page', '0')
    let next: string | null = null
    if (items.length > pageSize) {
      const n = new URLSearchParams(params)
      n.set('Page', String(page + 1))
      n.set('PageToken', `PA${pageItems.at(-1)!.seq}`)
      next = uri(n)
    }
    return {
      messages: pageItems.map((s) => s.m),
      end: page * pageSize + pageItems.length - 1,
      first_page_uri: uri(firstParams),
      next_page_uri: next,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? uri(firstParams) : null,
      start: page * pageSize,
      uri: `${base}/Messages.json?${q.toString()}`,
    }
  }

  // Content API (content.twilio.com/v1/Content): templates oldest first, paged by PageSize and PageToken, with
  // Twilio's `meta` block (absolute URLs, key "contents").
  const contents: Array<Record<string, unknown> & { sid: string }> = []
  /** WhatsApp's verdict per template, as /v1/Content/{Sid}/ApprovalRequests reports it. */
  const approvals = new Map<string, { status: WhatsappApproval; reason: string }>()
  const services = new Map<string, Array<Record<string, unknown>>>()
  function contentList(q: URLSearchParams, origin: string): object {
    const pageSize = Math.min(Math.max(Number(q.get('PageSize') ?? 50) || 50, 1), 500)
    const page = Number(q.get('Page') ?? 0)
    const token = q.get('PageToken')
    let start = 0
    if (token) {
      const [, after] = /^PT(HX[0-9a-f]{32})$/.exec(token) ?? []
      if (!after) throw new TwilioError(20001, 400, 'Invalid PageToken')
      start = contents.findIndex((c) => c.sid === after) + 1
    }
    const items = contents.slice(start, start + pageSize)
    const url = (p: Record<string, string>) => `${origin}/v1/Content?${new URLSearchParams({ PageSize: String(pageSize), ...p }).toString()}`
    return {
      contents: items,
      meta: {
        page,
        page_size: pageSize,
        first_page_url: url({ Page: '0' }),
        previous_page_url: page > 0 ? url({ Page: String(page - 1) }) : null,
        url: url({ Page: String(page), ...(token ? { PageToken: token } : {}) }),
        next_page_url: start + pageSize < contents.length ? url({ Page: String(page + 1), PageToken: `PT${items.at(-1)!.sid}` }) : null,
        key: 'contents',
      },
    }
  }

  async function route(req: IncomingMessage): Promise<{ status: number; body: object | string }> {
    const u = new URL(req.url ?? '/', 'http://fake.local')
    const path = u.pathname
    if (outage.length) {
      const status = outage.shift()!
      throw new TwilioError(status === 429 ? 20429 : 20500, status, status === 429 ? 'Too Many Requests' : 'Internal Server Error')
    }
    const svc = /^\/v1\/Services\/([^/]+)\/PhoneNumbers$/.exec(path)
    if (svc) {
      checkAuth(req.headers.authorization)
      if (req.method !== 'GET') throw new TwilioError(20404, 405, 'Method not allowed')
      const all = services.get(svc[1]!)
      if (!all) throw new TwilioError(20404)
      const pageSize = Math.min(Math.max(Number(u.searchParams.get('PageSize') ?? 50) || 50, 1), 1000)
      const page = Number(u.searchParams.get('Page') ?? 0)
      const items = all.slice(page * pageSize, (page + 1) * pageSize)
      const url = (p: number) => `http://${req.headers.host}${path}?PageSize=${pageSize}&Page=${p}`
      return {
        status: 200,
        body: {
          phone_numbers: items,
          meta: { page, page_size: pageSize, first_page_url: url(0), previous_page_url: page > 0 ? url(page - 1) : null, url: url(page), next_page_url: (page + 1) * pageSize < all.length ? url(page + 1) : null, key: 'phone_numbers' },
        },
      }
    }
    const approvalOf = /^\/v1\/Content\/(HX[0-9a-f]{32})\/ApprovalRequests$/.exec(path)
    if (approvalOf) {
      checkAuth(req.headers.authorization)
      if (req.method !== 'GET') throw new TwilioError(20404, 405, 'Method not allowed')
      const c = contents.find((x) => x.sid === approvalOf[1])
      if (!c) throw new TwilioError(20404)
      const a = approvals.get(c.sid)!
      return {
        status: 200,
        body: {
          account_sid: accountSid,
          sid: c.sid,
          url: `https://content.twilio.com/v1/Content/${c.sid}/ApprovalRequests`,
          whatsapp: { name: c.friendly_name, category: 'UTILITY', content_type: 'twilio/text', status: a.status, rejection_reason: a.reason, allow_category_change: true, type: 'whatsapp', flows: null },
        },
      }
    }
    if (path === '/v1/Content') {
      checkAuth(req.headers.authorization)
      if (req.method !== 'GET') throw new TwilioError(20404, 405, 'Method not allowed')
      return { status: 200, body: contentList(u.searchParams, `http://${req.headers.host}`) }
    }
    const acct = /^\/2010-04-01\/Accounts\/([^/]+)(\/Messages(?:\/([^/]+))?)?\.json$/.exec(path)
    if (!acct) throw new TwilioError(20404)
    const auth = checkAuth(req.headers.authorization)
    if (acct[1] !== accountSid) throw new TwilioError(20404)
    if (!acct[2]) {
      if (req.method !== 'GET') throw new TwilioError(20404, 405, 'Method not allowed')
      const t = rfc2822(0)
      return { status: 200, body: { sid: accountSid, friendly_name: 'Fake Twilio account', status: 'active', type: 'Full', owner_account_sid: accountSid, date_created: t, date_updated: t, auth_token: authToken, uri: `${base}.json` } }
    }
    if (acct[3]) {
      const s = store.get(acct[3])
      if (!s || req.method !== 'GET') throw new TwilioError(20404)
      advance(s)
      return { status: 200, body: s.m }
    }
    if (req.method === 'POST') return { status: 201, body: create(await readForm(req), auth) }
    if (req.method === 'GET') return { status: 200, body: list(u.searchParams) }
    throw new TwilioError(20404, 405, 'Method not allowed')
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://fake.local')
    // When the request arrived (not when it was answered): what a rate limit on Twilio's side would count.
    const arrived = Date.now()
    const done = (status: number, body: object | string) => {
      requests.push({ method: req.method ?? '', path: u.pathname, query: u.search, status, at: arrived })
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    route(req).then(
      (r) => done(r.status, r.body),
      (err: unknown) => (err instanceof TwilioError ? done(err.status, err.body()) : done(500, new TwilioError(20500, 500, String(err)).body())),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    sent,
    requests,
    message: (sid) => store.get(sid)?.m,
    failNumber: (to, code, times) => void failures.set(bare(to), { code, times }),
    failNext: (status, times = 1) => {
      for (let i = 0; i < times; i++) outage.push(status)
    },
    inbound({ from, to, body, at }) {
      const t = at ?? now()
      const sid = newSid('SM')
      const m: FakeText = {
        sid,
        account_sid: accountSid,
        messaging_service_sid: null,
        from,
        to,
        body,
        status: 'received',
        direction: 'inbound',
        num_segments: String(textSegments(body).segments),
        num_media: '0',
        error_code: null,
        error_message: null,
        date_created: rfc2822(t),
        date_updated: rfc2822(t),
        date_sent: rfc2822(t),
        price: null,
        price_unit: 'USD',
        api_version: '2010-04-01',
        uri: `${base}/Messages/${sid}.json`,
        subresource_uris: { media: `${base}/Messages/${sid}/Media.json` },
      }
      store1(m, t)
      if (from.startsWith('whatsapp:')) lastWhatsappIn.set(from, t)
      return m
    },
    setSteps: (s) => void (steps = s),
    addServiceNumber(serviceSid, phoneNumber) {
      const t = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
      const sid = newSid('PN')
      const list = services.get(serviceSid) ?? []
      list.push({ sid, account_sid: accountSid, service_sid: serviceSid, phone_number: phoneNumber, country_code: 'US', capabilities: ['SMS', 'MMS'], date_created: t, date_updated: t, url: `https://messaging.twilio.com/v1/Services/${serviceSid}/PhoneNumbers/${sid}` })
      services.set(serviceSid, list)
    },
    addContent({ friendlyName, body, variables = {}, language = 'en', approval = 'approved', rejectionReason = '' }) {
      const sid = newSid('HX')
      approvals.set(sid, { status: approval, reason: rejectionReason })
      const t = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
      contents.push({
        sid,
        account_sid: accountSid,
        friendly_name: friendlyName,
        language,
        variables,
        types: { 'twilio/text': { body } },
        date_created: t,
        date_updated: t,
        url: `https://content.twilio.com/v1/Content/${sid}`,
        links: { approval_fetch: `https://content.twilio.com/v1/Content/${sid}/ApprovalRequests`, approval_create: `https://content.twilio.com/v1/Content/${sid}/ApprovalRequests/whatsapp` },
      })
      return sid
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
