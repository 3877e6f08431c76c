// One raw RFC 5322 source → the parsed half of a ParsedMessage. Runs inside the parse worker threads
// (parseWorker.ts); pure and synchronous-free of the database. Any failure becomes parseError + raw:
// a hostile message is kept and marked, never allowed to crash or stall the sync.
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser'
import type { ParsedAddress, ParsedAttachment, ParsedMessage } from '../types'
import { displayFilename } from '../attachmentName'
import { prepareBody, unprepared } from '../prepare'
import { fastParse } from './fastParse'

/** The fields parse() fills; the IMAP side (uid, flags, modseq, internalDate, size) is added by the caller. */
export type ParsedBody = Omit<ParsedMessage, 'uid' | 'flags' | 'modseq' | 'internalDate' | 'size'>

export const PARSE_LIMITS = {
  /** Bigger sources are not handed to mailparser at all: kept raw with a best-effort header parse. */
  maxBytes: 32 * 1024 * 1024,
  maxHeaders: 300,
  maxHeaderValue: 16 * 1024,
  maxAddresses: 500,
}

const STANDARD_HEADERS = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'content-type', 'mime-version', 'received', 'return-path', 'sender', 'reply-to'])

export async function parseSource(source: Buffer, internalDate: number, opts: { deferHtml?: boolean } = {}): Promise<ParsedBody> {
  if (source.length > PARSE_LIMITS.maxBytes) {
    return fallback(source, internalDate, `Message too large to parse (${Math.round(source.length / 1048576)} MB)`)
  }
  const parsed = fastParse(source, internalDate) ?? (await parseWithMailparser(source, internalDate))
  return withPrepared(parsed, opts)
}

/** Sanitising and the snippet happen here, in the parse thread, once: the engine's thread only stores them. */
export function withPrepared(b: ParsedBody, opts: { deferHtml?: boolean } = {}): ParsedBody {
  try {
    return { ...b, prepared: prepareBody(b, opts) }
  } catch {
    // sanitize-html threw on something: show the text, never the unsanitised HTML
    return { ...b, prepared: unprepared(b) }
  }
}

/** The full parser, for everything the fast path declines (and for comparing the two in tests). */
export async function parseWithMailparser(source: Buffer, internalDate: number): Promise<ParsedBody> {
  let mail: ParsedMail
  try {
    mail = await simpleParser(source, {
      checksumAlgo: 'sha256',
      keepDeliveryStatus: true,
      keepCidLinks: true,
      skipTextToHtml: true,
      // The store derives searchable text from the HTML itself when a message has no text part.
      skipHtmlToText: true,
      skipTextLinks: true,
      skipImageLinks: true,
    })
  } catch (e) {
    return fallback(source, internalDate, `MIME parse failed: ${errText(e)}`)
  }
  // Binary garbage "parses" into an empty message: without one standard header, keep it raw and marked.
  if (!mail.headerLines.some((h) => STANDARD_HEADERS.has(h.key))) return fallback(source, internalDate, 'No message headers found')
  try {
    return fromMail(mail, source, internalDate)
  } catch (e) {
    return fallback(source, internalDate, `MIME parse failed: ${errText(e)}`)
  }
}

function fromMail(mail: ParsedMail, source: Buffer, internalDate: number): ParsedBody {
  const headers = headerList(mail.headerLines.map((h) => h.line))
  const attachments: ParsedAttachment[] = []
  let deliveryStatus: string | null = null
  const returned: string[] = []
  for (const a of mail.attachments) {
    const type = (a.contentType || 'application/octet-stream').toLowerCase()
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') deliveryStatus = a.content.toString('utf8')
    if (type === 'message/rfc822' || type === 'text/rfc822-headers' || type === 'message/global' || type === 'message/global-headers')
      returned.push(a.content.subarray(0, 256 * 1024).toString('utf8'))
    attachments.push(toAttachment(a))
  }
  const isReport = /multipart\/report/i.test(headerValue(headers, 'content-type') ?? '') && /delivery-status/i.test(headerValue(headers, 'content-type') ?? '')
  let dsn: ParsedBody['dsn'] = null
  if (isReport || deliveryStatus) {
    dsn = parseDsn(deliveryStatus ?? sectionAfter(source, /message\/(global-)?delivery-status/i), returned, source)
  }
  // mailparser substitutes "now" for an unparsable Date header; the internal date is the better guess.
  const date = parseDateHeader(headerValue(headers, 'date'))
  return {
    messageId: msgId(mail.messageId),
    inReplyTo: msgId(mail.inReplyTo),
    references: refs(mail.references),
    subject: (mail.subject ?? '').slice(0, 2000),
    date: Number.isFinite(date) ? date : internalDate,
    from: first(mail.from),
    to: addrs(mail.to),
    cc: addrs(mail.cc),
    replyTo: addrs(mail.replyTo),
    headers,
    text: mail.text ?? null,
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments,
    dsn,
    parseError: null,
    raw: null,
  }
}

function toAttachment(a: Attachment): ParsedAttachment {
  return {
    filename: displayFilename((a.filename ?? '').slice(0, 1000) || defaultName(a.contentType)),
    contentType: (a.contentType || 'application/octet-stream').toLowerCase().slice(0, 255),
    size: a.size ?? a.content.length,
    sha256: a.checksum,
    contentId: a.contentId ?? null,
    inline: a.contentDisposition === 'inline' || a.related === true,
    content: a.content,
  }
}

const defaultName = (type: string) => (/rfc822/.test(type) ? 'message.eml' : /delivery-status/.test(type) ? 'delivery-status.txt' : 'attachment')

// ------------------------------------------------------------------ addresses and ids

export function addrs(v: AddressObject | AddressObject[] | undefined): ParsedAddress[] {
  if (!v) return []
  const out: ParsedAddress[] = []
  const walk = (list: AddressObject['value']) => {
    for (const a of list) {
      if (out.length >= PARSE_LIMITS.maxAddresses) return
      if (a.group) walk(a.group)
      else if (a.address) out.push({ name: (a.name ?? '').trim().slice(0, 200), email: a.address.trim().toLowerCase().slice(0, 320) })
    }
  }
  for (const o of Array.isArray(v) ? v : [v]) walk(o.value ?? [])
  return out
}

const first = (v: AddressObject | undefined): ParsedAddress | null => addrs(v)[0] ?? null

export function msgId(v: string | undefined | null): string | null {
  if (!v) return null
  const m = /<[^<>\s]+>/.exec(v)
  if (m) return m[0].slice(0, 998)
  const t = v.trim()
  return t && !/\s/.test(t) ? `<${t.slice(0, 996)}>` : null
}

export function refs(v: string | string[] | undefined): string[] {
  if (!v) return []
  const out: string[] = []
  for (const s of Array.isArray(v) ? v : [v]) for (const m of s.matchAll(/<[^<>\s]+>/g)) out.push(m[0])
  return out.slice(-100)
}

// ------------------------------------------------------------------ dates

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const ZONES: Record<string, number> = { ut: 0, utc: 0, gmt: 0, z: 0, est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7 }
const RFC5322_DATE = /^\s*(?:[a-z]+\s*,\s*)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,5})?/i

/**
 * A Date header in ms, NaN when unreadable. RFC 5322 dates are read here: Date.parse takes a four-digit
 * "0001" for 2001 (and "0099" for 1999). Two-digit years follow RFC 5322 §4.3 (00-49 → 20xx, 50-99 → 19xx).
 */
export function parseDateHeader(v: string | undefined): number {
  if (!v) return NaN
  const m = RFC5322_DATE.exec(v)
  if (!m) return Date.parse(v)
  const month = MONTHS.indexOf(m[2]!.toLowerCase())
  if (month < 0) return Date.parse(v)
  const y = m[3]!
  const year = y.length === 4 ? Number(y) : y.length === 3 ? 1900 + Number(y) : Number(y) < 50 ? 2000 + Number(y) : 1900 + Number(y)
  const zone = m[7] ?? '+0000'
  let offsetMin = 0
  if (/^[+-]\d{4}$/.test(zone)) offsetMin = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
  else offsetMin = (ZONES[zone.toLowerCase()] ?? 0) * 60
  const [day, h, mi, sec] = [Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)]
  if (day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60) return Date.parse(v)
  const d = new Date(0)
  d.setUTCFullYear(year, month, day) // not Date.UTC: it maps years 0-99 to 1900-1999
  d.setUTCHours(h, mi, sec, 0)
  const t = d.getTime() - offsetMin * 60_000
  return Number.isFinite(t) ? t : Date.parse(v)
}

// ------------------------------------------------------------------ headers

/** Raw header lines (folded) → [lower-cased name, decoded value], capped in count and length. */
export function headerList(lines: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const line of lines) {
    if (out.length >= PARSE_LIMITS.maxHeaders) break
    const i = line.indexOf(':')
    if (i <= 0) continue
    const name = line.slice(0, i).trim().toLowerCase().slice(0, 100)
    const value = decodeWords(line.slice(i + 1).replace(/\r?\n[ \t]+/g, ' ').trim()).slice(0, PARSE_LIMITS.maxHeaderValue)
    out.push([name, value])
  }
  return out
}

const headerValue = (h: Array<[string, string]>, name: string) => h.find(([n]) => n === name)?.[1]

/** RFC 2047 encoded words (=?charset?B|Q?...?=). Adjacent words of one charset are joined as bytes first
 * (a multibyte character may be split across them); unknown charsets fall back to latin1 rather than throw. */
export function decodeWords(s: string): string {
  if (!s.includes('=?')) return s
  const word = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g
  let out = ''
  let last = 0
  let run: { charset: string; bytes: Buffer[] } | null = null
  const flush = () => {
    if (run) out += decodeCharset(Buffer.concat(run.bytes), run.charset)
    run = null
  }
  for (const m of s.matchAll(word)) {
    const between = s.slice(last, m.index)
    const charset = m[1]!.split('*')[0]!.toLowerCase()
    let bytes: Buffer
    try {
      bytes =
        m[2]!.toUpperCase() === 'B'
          ? Buffer.from(m[3]!, 'base64')
          : Buffer.from(m[3]!.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1')
    } catch {
      flush()
      out += between + m[0]
      last = m.index! + m[0].length
      continue
    }
    // Whitespace between two encoded words is not part of the text.
    if (run && /^\s*$/.test(between) && run.charset === charset) run.bytes.push(bytes)
    else {
      if (!(run && /^\s*$/.test(between))) {
        flush()
        out += between
      } else flush()
      run = { charset, bytes: [bytes] }
    }
    last = m.index! + m[0].length
  }
  flush()
  return out + s.slice(last)
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes)
  } catch {
    return bytes.toString('latin1')
  }
}

// ------------------------------------------------------------------ DSN (RFC 3464)

export function parseDsn(status: string | null, returned: string[], source: Buffer): NonNullable<ParsedBody['dsn']> {
  const recipients: NonNullable<ParsedBody['dsn']>['recipients'] = []
  if (status) {
    const groups = status.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/)
    for (const g of groups) {
      const f = new Map<string, string>()
      for (const line of g.split('\n')) {
        const i = line.indexOf(':')
        if (i > 0) f.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
      }
      const rcpt = f.get('final-recipient') ?? f.get('original-recipient')
      if (!rcpt) continue
      const email = (rcpt.includes(';') ? rcpt.slice(rcpt.indexOf(';') + 1) : rcpt).trim().replace(/^<|>$/g, '').toLowerCase()
      if (!email) continue
      recipients.push({
        email: email.slice(0, 320),
        action: (f.get('action') ?? '').toLowerCase().slice(0, 50),
        status: (f.get('status') ?? '').split(/\s/)[0].slice(0, 20),
        diagnostic: f.get('diagnostic-code')?.slice(0, 1000) ?? null,
      })
      if (recipients.length >= 100) break
    }
  }
  let originalMessageId: string | null = null
  for (const r of returned) {
    originalMessageId = findMessageId(r)
    if (originalMessageId) break
  }
  // Some servers inline the returned headers as text: look after the status part in the raw source.
  if (!originalMessageId) originalMessageId = findMessageId(sectionAfter(source, /message\/(global-)?delivery-status/i, 1) ?? '')
  return { originalMessageId, recipients }
}

function findMessageId(text: string): string | null {
  const m = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]+>)/im.exec(text)
  return m ? m[1] : null
}

/** The raw text after the nth MIME part header matching `type` (skipping `skip` further parts), or null. */
function sectionAfter(source: Buffer, type: RegExp, skip = 0): string | null {
  const s = source.subarray(0, 4 * 1024 * 1024).toString('latin1')
  const m = type.exec(s)
  if (!m) return null
  let rest = s.slice(m.index)
  for (let i = 0; i < skip; i++) {
    const next = /\n--[^\r\n]+\r?\nContent-Type:/i.exec(rest.slice(1))
    if (!next) break
    rest = rest.slice(next.index + 1)
  }
  return rest
}

// ------------------------------------------------------------------ fallback for unparsable mail

/** Kept raw: only the top header block is read (by hand, bounded) so the store can still thread and match. */
export function fallback(source: Buffer, internalDate: number, reason: string): ParsedBody {
  const head = source.subarray(0, 256 * 1024).toString('latin1')
  const end = head.search(/\r?\n\r?\n/)
  const block = end >= 0 ? head.slice(0, end) : head
  const lines = block.split(/\r?\n(?![ \t])/).filter((l) => l.includes(':'))
  const headers = headerList(lines)
  const get = (n: string) => headerValue(headers, n)
  const date = parseDateHeader(get('date'))
  return {
    messageId: msgId(get('message-id')),
    inReplyTo: msgId(get('in-reply-to')),
    references: refs(get('references')),
    subject: (get('subject') ?? '').slice(0, 2000),
    date: Number.isFinite(date) ? date : internalDate,
    from: simpleAddrs(get('from'))[0] ?? null,
    to: simpleAddrs(get('to')),
    cc: simpleAddrs(get('cc')),
    replyTo: simpleAddrs(get('reply-to')),
    headers,
    text: null,
    html: null,
    attachments: [],
    dsn: null,
    parseError: reason.slice(0, 500),
    raw: source,
  }
}

function simpleAddrs(v: string | undefined): ParsedAddress[] {
  if (!v) return []
  const out: ParsedAddress[] = []
  for (const m of v.matchAll(/(?:"?([^"<,]*)"?\s*)?<?([^\s<>,;"]+@[^\s<>,;"]+)>?/g)) {
    out.push({ name: (m[1] ?? '').trim().slice(0, 200), email: m[2].toLowerCase().slice(0, 320) })
    if (out.length >= PARSE_LIMITS.maxAddresses) break
  }
  return out
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 300)
