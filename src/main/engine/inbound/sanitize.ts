// Incoming HTML is hostile until proven otherwise. Whitelist with sanitize-html: no scripts, event handlers,
// forms, frames, objects, meta refresh, <style> (it can @import and url() remote content) or javascript: URLs.
//
// Two stages, so the expensive one runs once, in the parse threads, at sync time (prepareHtml), and opening a
// message only does a linear pass over stored output (finishHtml):
//   - prepareHtml: budget check (size, nesting depth), then sanitize-html. Images are left without `src`:
//     a cid: image keeps its Content-ID in data-cid, a remote one its normalised URL in data-remote-src.
//     Style attributes are parsed by postcss (through sanitize-html's allowedStyles) and keep only listed
//     properties whose values hold no escape and no image function, so no CSS can load anything.
//   - finishHtml: data-cid → a data: URL of the stored raster attachment; data-remote-src → src only when the
//     user allowed remote images for the message or its sender.
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

/** What the parse threads store per HTML body. */
export interface PreparedHtml {
  /** Sanitised HTML for finishHtml, or null when the body is over budget (show its text instead). */
  html: string | null
  /** 'ok', or which budget the body broke. */
  state: 'ok' | 'size' | 'depth'
  /** The body refers to remote images or CSS images (blocked unless the user allows them). */
  remote: boolean
}

/** Beyond these, sanitize-html is not run at all: the reading pane shows the text, with "Show original". */
export const HTML_BUDGET = {
  /** Characters of HTML. Gmail clips at 102 kB; real newsletters stay well under 1 MB. */
  maxChars: 1_000_000,
  /** sanitize-html's cost grows with the square of the nesting depth. */
  maxDepth: 256,
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr'])
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'noscript', 'xmp', 'template', 'iframe', 'noembed', 'noframes'])

/** Counts characters the scanner looked at (tests check it stays linear in the input). */
export const scanWork = { chars: 0 }

// A tag name right at a '<' (sticky: it never looks past the position it is given).
const TAG_OPEN = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/y

/**
 * Walks the tags once: calls `tag` per tag, `text` per text run; `tag` may return false to stop. Every search
 * starts where the last one ended, and a search that finds nothing ends the walk, so the whole walk is linear.
 */
function scanTags(html: string, tag: (name: string, closing: boolean, selfClosing: boolean) => boolean | void, text: (s: string) => void): void {
  let i = 0
  const n = html.length
  while (i < n) {
    const lt = html.indexOf('<', i)
    if (lt < 0) {
      scanWork.chars += n - i
      text(html.slice(i))
      return
    }
    if (lt > i) text(html.slice(i, lt))
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4)
      scanWork.chars += (end < 0 ? n : end + 3) - i
      if (end < 0) return // an unclosed comment runs to the end, as in a browser
      i = end + 3
      continue
    }
    const gt = html.indexOf('>', lt + 1)
    scanWork.chars += (gt < 0 ? n : gt + 1) - i
    if (gt < 0) {
      text(html.slice(lt))
      return
    }
    TAG_OPEN.lastIndex = lt
    const m = TAG_OPEN.exec(html)
    i = gt + 1
    if (!m || m.index !== lt) continue // doctype, processing instruction, stray '<'
    const name = m[2]!.toLowerCase()
    const closing = m[1] === '/'
    if (tag(name, closing, html[gt - 1] === '/' || VOID.has(name)) === false) return
    if (!closing && RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}`, 'gi')
      close.lastIndex = i
      const c = close.exec(html)
      scanWork.chars += (c ? c.index : n) - i
      if (!c) return
      i = c.index
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

/** The words of an HTML body, for snippets, the search index and over-budget bodies. Linear in the input. */
export function htmlText(html: string): string {
  const out: string[] = []
  const BLOCK = /^(p|div|br|tr|li|h[1-6]|table|blockquote|pre|hr|section|article|header|footer)$/
  scanTags(
    html,
    (name) => {
      out.push(BLOCK.test(name) ? '\n' : ' ')
    },
    (t) => out.push(t),
  )
  return decode(out.join(''))
    .replace(/[ \t\r\f\v]+/g, ' ')
    .replace(/ ?\n[ \n]*/g, '\n')
    .trim()
}

/** The deepest nesting of elements, counting no further than `stopAt`. */
export function nestingDepth(html: string, stopAt = Infinity): number {
  let depth = 0
  let max = 0
  scanTags(
    html,
    (_name, closing, selfClosing) => {
      if (closing) depth = Math.max(0, depth - 1)
      else if (!selfClosing) max = Math.max(max, ++depth)
      return max <= stopAt
    },
    () => {},
  )
  return max
}

// ------------------------------------------------------------------ URLs

const RASTER_DATA = /^data:image\/(png|gif|jpe?g|webp|bmp|x-icon|avif);base64,[a-z0-9+/=\s]*$/i
// Two bases of different schemes: `https:host` is relative only against an https base, `/\host` is a host
// only against a special scheme. A browser in the reading frame resolves against http or https.
const BASE_HOST = 'sanitizer.invalid'
const BASES = [`http://${BASE_HOST}/`, `https://${BASE_HOST}/`]

export type ImageSource = { kind: 'cid'; id: string } | { kind: 'data'; url: string } | { kind: 'remote'; url: string } | { kind: 'none' }

/**
 * What an <img src> would load, decided on the URL as a browser normalises it (control characters, tabs and
 * newlines removed, backslashes as slashes, scheme-relative and scheme-only forms resolved).
 */
export function classifyImageSource(src: string): ImageSource {
  // The URL parser strips leading/trailing C0 controls and spaces, and tabs/newlines anywhere.
  const s = src.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '')
  if (/^cid:/i.test(s)) {
    const id = s.slice(4).replace(/^<|>$/g, '').trim()
    return id ? { kind: 'cid', id } : { kind: 'none' }
  }
  if (/^data:/i.test(s)) return RASTER_DATA.test(s) ? { kind: 'data', url: s } : { kind: 'none' }
  for (const base of BASES) {
    let u: URL
    try {
      u = new URL(s, base)
    } catch {
      continue
    }
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== BASE_HOST) return { kind: 'remote', url: u.href }
  }
  // Relative paths would load from the app's own origin; other schemes are not images.
  return { kind: 'none' }
}

/**
 * A link a user may click: an absolute http(s) URL as a browser would resolve it, a mailto:/tel:, or an anchor
 * in the message. Relative paths (they would open the app's own origin) and every other scheme: null.
 */
export function normaliseHref(href: string): string | null {
  const s = href.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '')
  if (/^(mailto|tel):/i.test(s)) return s
  if (/^#[^\s]*$/.test(s)) return s
  for (const base of BASES) {
    try {
      const u = new URL(s, base)
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== BASE_HOST) return u.href
    } catch {
      // not a URL at all
    }
  }
  return null
}

// ------------------------------------------------------------------ CSS

/** Properties a style attribute may keep; none of them can be made to load anything once values are checked. */
const STYLE_PROPS = [
  'color', 'background', 'background-color', 'opacity', 'visibility', 'display', 'float', 'clear', 'overflow', 'overflow-x', 'overflow-y',
  'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height', 'box-sizing', 'vertical-align', 'direction', 'unicode-bidi',
  'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color', 'border-style', 'border-width', 'border-radius',
  'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color', 'border-top-style', 'border-right-style',
  'border-bottom-style', 'border-left-style', 'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
  'border-top-left-radius', 'border-top-right-radius', 'border-bottom-left-radius', 'border-bottom-right-radius', 'border-collapse', 'border-spacing',
  'font', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant', 'line-height', 'letter-spacing', 'word-spacing',
  'text-align', 'text-decoration', 'text-decoration-color', 'text-decoration-line', 'text-indent', 'text-transform', 'text-shadow',
  'white-space', 'word-break', 'word-wrap', 'overflow-wrap', 'list-style-type', 'list-style-position', 'table-layout', 'caption-side',
  'empty-cells', 'outline', 'box-shadow',
]
/**
 * A value with no escape (`u\72l(` is url(), a browser decodes escapes), no comment and no function that
 * can load a resource: url(), src(), image(), image-set(), -webkit-image-set(), cross-fade(), element(),
 * expression(), paint(). Colour functions (rgb(), hsl()…) and calc() stay.
 */
const SAFE_VALUE = /^(?![\s\S]*(\\|\/\*|url|src\s*\(|image|cross-fade|element\s*\(|expression|paint\s*\(|binding|behavior|@import|javascript))[\s\S]*$/i
const ALLOWED_STYLES = { '*': Object.fromEntries(STYLE_PROPS.map((p) => [p, [SAFE_VALUE]])) }
/** Would this style attribute have loaded something? (for remoteImagesBlocked; the filter above drops it) */
const CSS_LOADS = /url\s*\(|image-set\s*\(|image\s*\(|src\s*\(|@import/i
const cssUnescape = (s: string) =>
  s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\\([0-9a-f]{1,6})[ \t\n]?|\\([\s\S])/gi, (_m, hex?: string, ch?: string) => (hex ? String.fromCodePoint(parseInt(hex, 16) || 0xfffd) : ch!))

// ------------------------------------------------------------------ sanitising

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/** Sanitises for storage (in a parse thread): budgets first, then sanitize-html. */
export function prepareHtml(html: string): PreparedHtml {
  if (html.length > HTML_BUDGET.maxChars) return { html: null, state: 'size', remote: false }
  if (nestingDepth(html, HTML_BUDGET.maxDepth) > HTML_BUDGET.maxDepth) return { html: null, state: 'depth', remote: false }
  let remote = false
  const out = sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'style'),
      'img', 'font', 'center', 'span', 'div', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup', 'col', 'hr', 'br',
    ],
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      '*': ['style', 'align', 'valign', 'width', 'height', 'dir', 'lang', 'title', 'bgcolor', 'color', 'border', 'cellpadding', 'cellspacing', 'colspan', 'rowspan'],
      a: ['href', 'name', 'target', 'rel'],
      // data-cid and data-remote-src are only ever set by the transform below (it drops the sender's own).
      img: ['src', 'alt', 'width', 'height', 'data-cid', 'data-remote-src'],
      font: ['face', 'size', 'color'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    parseStyleAttributes: true,
    allowedStyles: ALLOWED_STYLES,
    transformTags: {
      '*': (tagName, attribs) => {
        const a = { ...attribs }
        if (a.style && CSS_LOADS.test(cssUnescape(a.style))) remote = true
        if (tagName === 'a') {
          const href = a.href === undefined ? null : normaliseHref(a.href)
          delete a.href
          if (href !== null) a.href = href
          return { tagName, attribs: { ...a, target: '_blank', rel: 'noopener noreferrer' } }
        }
        if (tagName !== 'img') return { tagName, attribs: a }
        const src = classifyImageSource(a.src ?? '')
        delete a.src
        delete a['data-cid']
        delete a['data-remote-src']
        if (src.kind === 'cid') a['data-cid'] = src.id
        else if (src.kind === 'data') a.src = src.url
        else if (src.kind === 'remote') {
          remote = true
          a['data-remote-src'] = src.url
        }
        return { tagName, attribs: a }
      },
    },
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head', 'xml', 'template', 'iframe', 'noembed', 'noframes'],
  })
  return { html: out, state: 'ok', remote }
}

const RASTER_INLINE = /^data:image\/(png|gif|jpe?g|webp|bmp|x-icon|avif);base64,/i
const IMG_TAG = /<img\b[^>]*>/gi
const CID_ATTR = / data-cid="([^"]*)"/
const REMOTE_ATTR = / data-remote-src="([^"]*)"/

const unescapeAttr = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** Stored sanitised HTML → what the reading pane shows. One linear pass over the <img> tags. */
export function finishHtml(prepared: string, opts: SanitizeOptions): string {
  return prepared.replace(IMG_TAG, (tag) => {
    let t = tag
    const cid = CID_ATTR.exec(t)
    if (cid) {
      const data = opts.inline.get(unescapeAttr(cid[1]!))
      t = t.replace(CID_ATTR, data && RASTER_INLINE.test(data) ? ` src="${escapeHtml(data)}"` : '')
    }
    const remote = REMOTE_ATTR.exec(t)
    if (remote) t = t.replace(REMOTE_ATTR, opts.allowRemote ? ` src="${remote[1]}"` : ' data-blocked-src="remote"')
    return t
  })
}

/** Over-budget bodies are shown as their text. */
export const textAsHtml = (text: string) => `<div style="white-space:pre-wrap">${escapeHtml(text)}</div>`

/** Both stages at once, for callers that have the HTML in hand (the quote in a reply). */
export function sanitizeEmailHtml(html: string, opts: SanitizeOptions): Sanitized {
  const p = prepareHtml(html)
  if (p.html === null) return { html: textAsHtml(htmlText(html)), remoteImagesBlocked: false }
  return { html: finishHtml(p.html, opts), remoteImagesBlocked: p.remote && !opts.allowRemote }
}
