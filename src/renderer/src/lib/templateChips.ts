// Template variables in the rich editor: every Handlebars mustache in the text ({{contact.first_name}},
// {{default contact.first_name "there"}}, {{#if …}}) is shown as a chip that cannot be half-edited, and
// serialises back to exactly the text it came from. Plain string work (no DOM), so the engine's strict
// Handlebars sees byte for byte what the user inserted, and it runs in unit tests without a browser.

/** One mustache: {{…}} or {{{…}}}, no braces inside. */
export const MUSTACHE = /\{\{\{?[^{}]+\}?\}\}/g

const decode = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' })[e]!)
const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The chip element the editor parses (and renders) for one mustache's source text. */
export const chipHtml = (source: string): string => `<span data-hb="${escapeAttr(source)}">${escapeText(chipLabel(source))}</span>`

/**
 * Text runs of HTML (outside tags, comments and raw-text elements) with their mustaches replaced by chips.
 * Mustaches inside attributes (href="{{unsubscribe_url}}") stay as they are: they are not text a user edits.
 */
export function chipsIn(html: string): string {
  let out = ''
  let i = 0
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    const end = lt < 0 ? html.length : lt
    if (end > i) out += html.slice(i, end).replace(MUSTACHE, (m) => chipHtml(decode(m)))
    if (lt < 0) break
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4)
      i = close < 0 ? html.length : close + 3
      out += html.slice(lt, i)
      continue
    }
    // An existing chip is kept whole (its label may itself look like a mustache).
    if (/^<span[^>]*\sdata-hb=/i.test(html.slice(lt, lt + 200))) {
      const close = html.indexOf('</span>', lt)
      i = close < 0 ? html.length : close + 7
      out += html.slice(lt, i)
      continue
    }
    const gt = tagEnd(html, lt)
    const tag = html.slice(lt, gt)
    out += tag
    i = gt
    const raw = /^<(script|style|textarea|title)\b/i.exec(tag)
    if (raw) {
      const close = html.toLowerCase().indexOf(`</${raw[1]!.toLowerCase()}`, i)
      const stop = close < 0 ? html.length : close
      out += html.slice(i, stop)
      i = stop
    }
  }
  return out
}

/** Index just past the '>' that closes the tag opened at `lt`, skipping quoted attribute values. */
function tagEnd(html: string, lt: number): number {
  let quote = ''
  for (let j = lt + 1; j < html.length; j++) {
    const c = html[j]
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '>') return j + 1
  }
  return html.length
}

const CHIP = /<span\b[^>]*?\sdata-hb="([^"]*)"[^>]*>[\s\S]*?<\/span>/g

/** The editor's HTML with every chip turned back into its exact Handlebars text. */
export const chipsOut = (html: string): string => html.replace(CHIP, (_, src: string) => decode(src))

/** What a chip shows: "First name", "First name · there", "#if contact.company" for anything else. */
export function chipLabel(source: string): string {
  const inner = source.replace(/^\{\{\{?~?\s*|\s*~?\}?\}\}$/g, '')
  const simple = /^[a-z_][\w.]*$/i.test(inner) ? inner : null
  if (simple) return labelOf(simple)
  const fallback = /^default\s+([\w.]+)\s+(?:"([^"]*)"|'([^']*)')$/.exec(inner)
  if (fallback) return `${labelOf(fallback[1]!)} · ${fallback[2] ?? fallback[3]}`
  return inner
}

const LABELS: Record<string, string> = {
  'contact.first_name': 'First name',
  'contact.last_name': 'Last name',
  'contact.full_name': 'Full name',
  'contact.email': 'Contact email',
  'contact.company': 'Company',
  'contact.phone': 'Phone',
  'contact.timezone': 'Time zone',
  'object.name': 'Business name',
  'object.postal_address': 'Business address',
  'business.name': 'Business name',
  'business.postal_address': 'Business address',
  'profile.display_name': 'Sender name',
  'profile.email': 'Sender email',
  unsubscribe_url: 'Unsubscribe link',
}

function labelOf(path: string): string {
  if (LABELS[path]) return LABELS[path]
  const field = /^contact\.fields\.(.+)$/.exec(path)
  return field ? `Field: ${field[1]}` : path
}

/** Email clients space <li><p> like paragraphs; the editor reads <li>text</li> back the same. */
export const tidyLists = (html: string): string => html.replace(/<li>\s*<p>([\s\S]*?)<\/p>/g, '<li>$1')

/** True when HTML has nothing a reader would see (no words, no image). */
export function isBlankHtml(html: string): boolean {
  if (/<img\b/i.test(html)) return false
  return (
    html
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;|&#(?:160|xa0);/gi, ' ')
      .trim() === ''
  )
}
