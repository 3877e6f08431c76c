// What people write goes through the same sanitiser as the mail they receive (inbound/sanitize.ts) before
// it is stored or sent: the rich editor's HTML source view, a pasted document or a client other than ours
// can put anything in `html`. Remote images stay (the writer chose them); data: images stay (that is how
// the editor embeds pictures; nodemailer turns them into cid parts); scripts, handlers, forms, frames,
// <style> and javascript: links do not. Handlebars text in templates passes through unchanged (quotes in
// text are not escaped), so a template saved here still compiles to what was written.
import { createHash } from 'node:crypto'
import { sanitizeEmailHtml } from '../inbound/sanitize'

export function cleanOutgoingHtml(html: string): string {
  if (!html.trim()) return html
  return sanitizeEmailHtml(html, { allowRemote: true, inline: new Map() }).html
}

const MUSTACHE = /\{\{\{?[^{}]+\}?\}\}/g
const TOKEN = /\uE000(\d+)\uE001/g
// The sanitiser keeps only absolute links and percent-encodes what a URL may not hold, so a mustache that
// is a whole href/src (`href="{{unsubscribe_url}}"`) is set aside as a URL of its own, and one inside a URL
// (`https://shop.test/{{id}}`) is looked for percent-encoded too.
const WHOLE_URL = /(\s(?:href|src)\s*=\s*)(["'])\s*(\{\{\{?[^{}]+\}?\}\})\s*\2/gi
const URL_TOKEN = /https:\/\/template\.invalid\/(\d+)\/?/g
const ENCODED_TOKEN = /%EE%80%80(\d+)%EE%80%81/gi
const ENTITY: Record<string, string> = { quot: '"', '#34': '"', '#39': "'", apos: "'", amp: '&', lt: '<', gt: '>' }

/**
 * A template body cleaned like any outgoing HTML, its Handlebars kept exactly: each mustache is set aside
 * (as a private-use token the sanitiser leaves alone) and put back after, so `{{default x "Tom & Jerry"}}`
 * does not come back with `&amp;` in its string. Entities inside a mustache are decoded on the way: a
 * body written as escaped text (`{{default x &quot;there&quot;}}`) means the quotes Handlebars needs.
 * A triple-stash {{{x}}} (raw HTML from a contact's data) is stored as {{x}}: values are always escaped,
 * so what a saved template renders to needs no second sanitising per contact (queueMessage relies on it).
 */
export function cleanTemplateHtml(html: string): string {
  const kept: string[] = []
  const keep = (m: string) => {
    const decoded = m.replace(/&(quot|#34|#39|apos|amp|lt|gt);/g, (_, e: string) => ENTITY[e]!)
    return /^\{\{\{[\s\S]*\}\}\}$/.test(decoded) ? decoded.slice(1, -1) : decoded
  }
  const masked = html
    .replace(WHOLE_URL, (_, pre: string, q: string, m: string) => `${pre}${q}https://template.invalid/${kept.push(keep(m)) - 1}${q}`)
    .replace(MUSTACHE, (m) => `\uE000${kept.push(keep(m)) - 1}\uE001`)
  const back = (_: string, i: string) => kept[Number(i)] ?? ''
  return cleanOutgoingHtml(masked).replace(URL_TOKEN, back).replace(ENCODED_TOKEN, back).replace(TOKEN, back)
}

/** Templates (autoresponder actions, sequence steps) with their bodies cleaned; everything else as given. */
export function cleanTemplates<T extends { bodyHtml: string }>(list: T[] | undefined): T[] | undefined {
  return list?.map((t) => ({ ...t, bodyHtml: cleanTemplateHtml(t.bodyHtml) }))
}

export interface InlineImage {
  cid: string
  filename: string
  contentType: string
  content: Buffer
  contentDisposition: 'inline'
}

/**
 * data: images (how the editor embeds pictures) as cid parts, which every mail client shows (Gmail and
 * Outlook do not show data: URLs). The cid is the content's hash, so building the same row twice (the
 * send, then the Sent copy) gives the same bytes, and one picture used twice is attached once.
 */
export function inlineDataImages(html: string): { html: string; attachments: InlineImage[] } {
  if (!html.includes('data:image/')) return { html, attachments: [] }
  const seen = new Map<string, InlineImage>()
  const out = html.replace(/(<img\b[^>]*?\ssrc=")data:(image\/(?:png|gif|jpeg|webp));base64,([A-Za-z0-9+/=\s]+)"/gi, (_m, head: string, type: string, b64: string) => {
    const content = Buffer.from(b64.replace(/\s+/g, ''), 'base64')
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 24)
    const cid = `${hash}@switchboard`
    if (!seen.has(cid)) seen.set(cid, { cid, filename: `image-${hash.slice(0, 8)}.${type.split('/')[1]!.replace('jpeg', 'jpg')}`, contentType: type, content, contentDisposition: 'inline' })
    return `${head}cid:${cid}"`
  })
  return { html: out, attachments: [...seen.values()] }
}

/**
 * True when some {{ of the (sanitised, so well-formed) HTML is inside a tag rather than in text, where a
 * contact's value could make a javascript: link. {{unsubscribe_url}} is not counted: the engine makes that
 * URL itself (https or mailto), so the usual footer link does not cost every recipient a sanitiser pass.
 */
export function mustacheInTag(html: string): boolean {
  for (let i = html.indexOf('{{'); i !== -1; i = html.indexOf('{{', i + 2))
    if (html.lastIndexOf('<', i) > html.lastIndexOf('>', i) && !html.startsWith('{{unsubscribe_url}}', i)) return true
  return false
}
