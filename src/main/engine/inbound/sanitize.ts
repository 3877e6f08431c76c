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

export function sanitizeEmailHtml(html: string, opts: SanitizeOptions): Sanitized {
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
    onCloseTag: undefined,
    exclusiveFilter: undefined,
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
