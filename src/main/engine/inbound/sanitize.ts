// Incoming HTML is hostile until proven otherwise. Whitelist with sanitize-html: no scripts, event handlers,
// forms, frames, objects, meta refresh, <style> (it can @import and url() remote content) or javascript: URLs.
// Inline cid: images become data: URLs from stored attachments; remote images are dropped (src kept aside in
// data-blocked-src for nothing but the count) unless the user allowed them for the message or its sender.
import sanitizeHtml from 'sanitize-html'

export interface SanitizeOptions {
  allowRemote: boolean
  /** Content-ID (no angle brackets) → data: URL. */
  inline: Map<string, string>
}

export interface Sanitized {
  html: string
  remoteImagesBlocked: boolean
}

const REMOTE = /^(https?:)?\/\//i
const CSS_REMOTE = /url\s*\(|expression\s*\(|@import|behavior\s*:|-moz-binding/i

/** sanitize-html slows down with the square of the nesting depth; deeper mail is shown as its text. */
const MAX_DEPTH = 256
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr'])
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'noscript', 'xmp', 'template'])

/** Walks the tags once (indexOf, no backtracking regex): calls `tag` per tag, `text` per text run. */
function scanTags(html: string, tag: (name: string, closing: boolean, selfClosing: boolean) => void, text: (s: string) => void): void {
  const lower = html.toLowerCase()
  let i = 0
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    if (lt < 0) {
      text(html.slice(i))
      return
    }
    if (lt > i) text(html.slice(i, lt))
    const gt = html.indexOf('>', lt + 1)
    if (gt < 0) {
      text(html.slice(lt))
      return
    }
    const m = /^<(\/?)([a-z][a-z0-9-]*)/.exec(lower.slice(lt, Math.min(gt + 1, lt + 40)))
    i = gt + 1
    if (!m) continue // comment, doctype, stray '<'
    const name = m[2]!
    const closing = m[1] === '/'
    tag(name, closing, html[gt - 1] === '/' || VOID.has(name))
    if (!closing && RAW_TEXT.has(name)) {
      const end = lower.indexOf(`</${name}`, i)
      i = end < 0 ? html.length : end
    }
  }
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }
function decode(s: string): string {
  return s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITY[e.toLowerCase()] ?? m
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m
  })
}

/** The words of an HTML body, for snippets and the search index. Linear in the input, whatever it holds. */
export function htmlText(html: string): string {
  const out: string[] = []
  scanTags(html, () => out.push(' '), (t) => out.push(t))
  return decode(out.join('')).replace(/[ \t\r\n]+/g, ' ').trim()
}

export function nestingDepth(html: string): number {
  let depth = 0
  let max = 0
  scanTags(
    html,
    (_name, closing, selfClosing) => {
      if (closing) depth = Math.max(0, depth - 1)
      else if (!selfClosing) max = Math.max(max, ++depth)
    },
    () => {},
  )
  return max
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

export function sanitizeEmailHtml(html: string, opts: SanitizeOptions): Sanitized {
  if (nestingDepth(html) > MAX_DEPTH) return { html: `<div style="white-space:pre-wrap">${escapeHtml(htmlText(html))}</div>`, remoteImagesBlocked: false }
  let blocked = false
  const out = sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'style'),
      'img', 'font', 'center', 'span', 'div', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup', 'col', 'hr', 'br',
    ],
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      '*': ['style', 'align', 'valign', 'width', 'height', 'dir', 'lang', 'title', 'bgcolor', 'color', 'border', 'cellpadding', 'cellspacing', 'colspan', 'rowspan'],
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height', 'data-blocked-src'],
      font: ['face', 'size', 'color'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data', 'http', 'https', 'cid'] },
    allowProtocolRelative: true,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer' } }),
      img: (tagName, attribs) => {
        const a = { ...attribs }
        const src = (a.src ?? '').trim()
        if (/^cid:/i.test(src)) {
          const data = opts.inline.get(src.slice(4).replace(/^<|>$/g, '').trim())
          if (data) a.src = data
          else delete a.src
        } else if (REMOTE.test(src) && !opts.allowRemote) {
          blocked = true
          delete a.src
          a['data-blocked-src'] = 'remote'
        } else if (/^data:/i.test(src) && !/^data:image\/(png|gif|jpe?g|webp|bmp);/i.test(src)) {
          delete a.src // data:text/html and friends are not images
        }
        return { tagName, attribs: a }
      },
    },
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head', 'xml', 'template'],
  })
  // Inline styles may load remote content (tracking pixels as backgrounds); drop such declarations' attribute.
  const html2 = out.replace(/\sstyle="([^"]*)"/gi, (m, css: string) => {
    if (!CSS_REMOTE.test(decodeEntities(css))) return m
    if (/url\s*\(/i.test(css)) blocked = blocked || !opts.allowRemote
    return ''
  })
  return { html: html2, remoteImagesBlocked: blocked }
}

function decodeEntities(s: string): string {
  return s.replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16) || 32)).replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d) || 32)).replace(/&quot;/g, '"').replace(/&amp;/g, '&')
}
