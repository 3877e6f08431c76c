// A fast path for the shapes most mail has: one text/plain or text/html part, multipart/alternative of
// the two, or multipart/mixed of those plus plainly named attachments, in us-ascii/utf-8 with
// 7bit/8bit/quoted-printable/base64. mailparser costs ~1.5 ms of CPU per message in stream and event
// machinery; this costs a few hundred µs and gives the same result (test/inboxParse.test.ts compares the
// two over a generated corpus). Anything else — other charsets, format=flowed, RFC 2231 names, nested or
// report/related/rfc822 parts, 8-bit headers, a missing boundary — returns null and goes to mailparser.
import { createHash } from 'node:crypto'
import { parseAddressHeader } from 'mailparser'
import { displayFilename } from '../attachmentName'
import type { ParsedAddress, ParsedAttachment } from '../types'
import { addrs, decodeWords, headerList, msgId, PARSE_LIMITS, parseDateHeader, refs, type ParsedBody } from './parse'

interface Part {
  /** Raw header lines, folded as in the source. */
  lines: string[]
  fields: Map<string, string>
  body: Buffer
}

const MAX_HEAD = 64 * 1024
const OK_CHARSETS = new Set(['us-ascii', 'ascii', 'utf-8', 'utf8'])
const OK_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'quoted-printable', 'base64'])

export function fastParse(source: Buffer, internalDate: number): ParsedBody | null {
  try {
    return parse(source, internalDate)
  } catch {
    return null
  }
}

function parse(source: Buffer, internalDate: number): ParsedBody | null {
  const root = splitPart(source, true)
  if (!root) return null
  const ct = contentType(root.fields.get('content-type'))
  if (!ct) return null
  let text: string | null = null
  let html: string | null = null
  const attachments: ParsedAttachment[] = []

  if (ct.type === 'text/plain' || ct.type === 'text/html') {
    if (!inlineText(root, ct)) return null
    const content = textOf(root, ct)
    if (content === null) return null
    if (ct.type === 'text/plain') text = content
    else {
      html = content
      text = '' // what mailparser gives with skipHtmlToText for an HTML-only message
    }
  } else if (ct.type === 'multipart/alternative') {
    const alt = alternative(root.body, ct)
    if (!alt) return null
    ;({ text, html } = alt)
  } else if (ct.type === 'multipart/mixed') {
    const boundary = ct.params.get('boundary')
    const parts = boundary ? splitMultipart(root.body, boundary) : null
    if (!parts || parts.length === 0) return null
    const first = parts[0]!
    const fct = contentType(first.fields.get('content-type'))
    if (!fct) return null
    if (fct.type === 'text/plain' && inlineText(first, fct)) {
      text = textOf(first, fct)
      if (text === null) return null
    } else if (fct.type === 'multipart/alternative') {
      const alt = alternative(first.body, fct)
      if (!alt) return null
      ;({ text, html } = alt)
    } else return null
    for (const p of parts.slice(1)) {
      const a = attachment(p)
      if (!a) return null
      attachments.push(a)
    }
  } else return null

  const headers = headerList(root.lines)
  const all = (name: string) => headers.filter(([n]) => n === name).map(([, v]) => v)
  const one = (name: string) => all(name).at(-1)
  const rawOne = (name: string) => root.fields.get(name)
  const date = parseDateHeader(rawOne('date'))
  const addressList = (name: string): ParsedAddress[] => {
    const raw = rawAll(root.lines, name)
    if (raw.length === 1) {
      const plain = plainAddresses(raw[0]!)
      if (plain) return plain
    }
    return raw.length ? addrs(parseAddressHeader(raw.length === 1 ? raw[0] : raw)) : []
  }
  return {
    messageId: msgId(one('message-id')),
    inReplyTo: msgId(one('in-reply-to')),
    references: refs(all('references').join(' ')),
    subject: (one('subject') ?? '').slice(0, 2000),
    date: Number.isFinite(date) ? date : internalDate,
    from: addressList('from')[0] ?? null,
    to: addressList('to'),
    cc: addressList('cc'),
    replyTo: addressList('reply-to'),
    headers,
    text,
    html,
    attachments,
    dsn: null,
    parseError: null,
    raw: null,
  }
}

// ------------------------------------------------------------------ structure

/** Header block and body of a part (or the message). Null for 8-bit or oversized headers. */
function splitPart(buf: Buffer, root: boolean): Part | null {
  let end = buf.indexOf('\r\n\r\n')
  let sep = 4
  const lf = buf.indexOf('\n\n')
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf
    sep = 2
  }
  if (end < 0) {
    if (root) return null
    end = buf.length
    sep = 0
  }
  if (end > MAX_HEAD) return null
  const head = buf.subarray(0, end)
  for (let i = 0; i < head.length; i++) if (head[i]! >= 0x80 || head[i] === 0) return null
  const lines: string[] = []
  for (const l of head.toString('latin1').split(/\r?\n/)) {
    if (!l) continue
    if ((l[0] === ' ' || l[0] === '\t') && lines.length) lines[lines.length - 1] += '\r\n' + l
    else if (l.includes(':')) lines.push(l)
    else return null // not a header line: leave it to mailparser
  }
  const fields = new Map<string, string>()
  for (const l of lines) {
    const i = l.indexOf(':')
    const name = l.slice(0, i).trim().toLowerCase()
    // content-* duplicates are ambiguous: mailparser's choice is not ours to guess
    if (fields.has(name) && name.startsWith('content-')) return null
    fields.set(name, l.slice(i + 1).replace(/\r?\n[ \t]+/g, ' ').trim())
  }
  return { lines, fields, body: buf.subarray(Math.min(buf.length, end + sep)) }
}

function splitMultipart(body: Buffer, boundary: string): Part[] | null {
  const delim = Buffer.from(`--${boundary}`)
  const parts: Part[] = []
  // Delimiter lines only count at the start of a line.
  let pos = body.indexOf(delim)
  while (pos > 0 && body[pos - 1] !== 0x0a) pos = body.indexOf(delim, pos + 1)
  if (pos < 0) return null
  for (;;) {
    const after = pos + delim.length
    if (body[after] === 0x2d && body[after + 1] === 0x2d) return parts // closing delimiter
    const lineEnd = body.indexOf(0x0a, after)
    if (lineEnd < 0) return null
    if (body.subarray(after, lineEnd).toString('latin1').trim() !== '') return null
    let next = body.indexOf(delim, lineEnd + 1)
    while (next > 0 && body[next - 1] !== 0x0a) next = body.indexOf(delim, next + 1)
    if (next < 0) return null // never closed
    // The line break before a delimiter belongs to the delimiter.
    let stop = next - 1
    if (stop > lineEnd && body[stop - 1] === 0x0d) stop--
    const part = splitPart(body.subarray(lineEnd + 1, Math.max(lineEnd + 1, stop)), false)
    if (!part) return null
    parts.push(part)
    if (parts.length > 50) return null
    pos = next
  }
}

function alternative(body: Buffer, ct: ContentType): { text: string; html: string } | null {
  const boundary = ct.params.get('boundary')
  const parts = boundary ? splitMultipart(body, boundary) : null
  if (!parts || parts.length !== 2) return null
  const [a, b] = parts as [Part, Part]
  const act = contentType(a.fields.get('content-type'))
  const bct = contentType(b.fields.get('content-type'))
  if (act?.type !== 'text/plain' || bct?.type !== 'text/html' || !inlineText(a, act) || !inlineText(b, bct)) return null
  const text = textOf(a, act)
  const html = textOf(b, bct)
  return text === null || html === null ? null : { text, html }
}

function inlineText(p: Part, ct: ContentType): boolean {
  const disp = p.fields.get('content-disposition')
  if (disp && disp.split(';')[0]!.trim().toLowerCase() !== 'inline') return false
  if ((ct.params.get('format') ?? '').toLowerCase() === 'flowed') return false
  return OK_CHARSETS.has((ct.params.get('charset') ?? 'utf-8').toLowerCase())
}

function textOf(p: Part, _ct: ContentType): string | null {
  const bytes = decodeBody(p)
  return bytes === null ? null : bytes.toString('utf8').replace(/\r?\n/g, '\n')
}

function attachment(p: Part): ParsedAttachment | null {
  const ct = contentType(p.fields.get('content-type'))
  if (!ct || ct.type.startsWith('multipart/') || ct.type.startsWith('message/') || ct.type === 'application/octet-stream') return null
  const dispRaw = p.fields.get('content-disposition')
  const disp = dispRaw ? params(dispRaw) : null
  const dispType = disp ? disp.value.toLowerCase() : null
  if (dispType && dispType !== 'attachment' && dispType !== 'inline') return null
  // Inline text would be body text for mailparser, not an attachment.
  if ((ct.type === 'text/plain' || ct.type === 'text/html') && dispType !== 'attachment') return null
  if (dispType === 'inline') return null
  const names = [disp?.params, ct.params]
  if (names.some((m) => m && [...m.keys()].some((k) => k.endsWith('*') || /\*\d/.test(k)))) return null
  const filename = disp?.params.get('filename') ?? ct.params.get('name') ?? ''
  if (!filename || filename.includes('=?')) return null
  const content = decodeBody(p)
  if (!content) return null
  const cid = p.fields.get('content-id')
  return {
    filename: displayFilename(filename.slice(0, 1000)),
    contentType: ct.type.slice(0, 255),
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    contentId: cid ? (/<[^>]*>/.exec(cid)?.[0] ?? `<${cid.trim()}>`) : null,
    inline: false,
    content,
  }
}

function decodeBody(p: Part): Buffer | null {
  const enc = (p.fields.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  if (!OK_ENCODINGS.has(enc)) return null
  if (enc === 'base64') return Buffer.from(p.body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
  if (enc === 'quoted-printable') return decodeQp(p.body.toString('latin1'))
  return p.body
}

function decodeQp(s: string): Buffer {
  const str = s.replace(/[\t ]+$/gm, '').replace(/=(?:\r?\n|$)/g, '')
  const out = Buffer.alloc(str.length)
  let n = 0
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i)
    if (c === 0x3d && i + 2 < str.length + 0 && /^[0-9A-Fa-f]{2}$/.test(str.slice(i + 1, i + 3))) {
      out[n++] = parseInt(str.slice(i + 1, i + 3), 16)
      i += 2
    } else out[n++] = c & 0xff
  }
  return out.subarray(0, n)
}

// ------------------------------------------------------------------ header values

interface ContentType {
  type: string
  params: Map<string, string>
}

function contentType(v: string | undefined): ContentType | null {
  if (v === undefined) return { type: 'text/plain', params: new Map() }
  const p = params(v)
  const type = p.value.toLowerCase()
  if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type)) return null
  return { type, params: p.params }
}

/** `value; key=v; key="quoted; v"` → value and lower-cased keys. */
function params(v: string): { value: string; params: Map<string, string> } {
  const out = new Map<string, string>()
  const semi = v.indexOf(';')
  const value = (semi < 0 ? v : v.slice(0, semi)).trim()
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g
  for (const m of v.matchAll(re)) out.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim())
  return { value, params: out }
}

/** Every raw value of a header (unfolded, not decoded): addresses are decoded by mailparser's own parser. */
// "Ann Lee <ann@x.test>, bob@y.test": plain names and addresses, as most mail has. mailparser's address
// parser (tokenizer, groups, comments, quoting) cost a third of the parse thread's time on them. Anything
// else returns null and goes to it (test/inboxParse.test.ts checks both agree on what this accepts).
const PLAIN_EMAIL = '[A-Za-z0-9_+-]+(?:\\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+'
const PLAIN_ADDRESS = new RegExp(`^(?:([A-Za-z][A-Za-z0-9]*(?: [A-Za-z][A-Za-z0-9]*)*) <(${PLAIN_EMAIL})>|(${PLAIN_EMAIL}))$`)

export function plainAddresses(raw: string): ParsedAddress[] | null {
  const out: ParsedAddress[] = []
  for (const part of raw.split(',')) {
    const m = PLAIN_ADDRESS.exec(part.trim())
    if (!m) return null
    out.push({ name: (m[1] ?? '').slice(0, 200), email: (m[2] ?? m[3]!).toLowerCase().slice(0, 320) })
  }
  return out.length > PARSE_LIMITS.maxAddresses ? null : out
}

function rawAll(lines: string[], name: string): string[] {
  const out: string[] = []
  for (const l of lines) {
    const i = l.indexOf(':')
    if (l.slice(0, i).trim().toLowerCase() === name) out.push(l.slice(i + 1).replace(/\r?\n[ \t]+/g, ' ').trim())
  }
  return out
}

export const _forTests = { decodeQp, params, decodeWords }
