// What the parse threads work out once per message so the engine's thread never does: the sanitised HTML
// (or which budget it broke), the text of an HTML-only body and the snippet. Pure: no database, no engine.
import { htmlText, prepareHtml } from './sanitize'

export interface PreparedBody {
  /** Sanitised HTML for finishHtml (sanitize.ts), or null (no HTML, or over budget). */
  safeHtml: string | null
  /** null when there is no HTML; else 'ok' or the budget it broke. */
  htmlState: 'ok' | 'size' | 'depth' | null
  /** The HTML refers to remote images (blocked until the user allows them). */
  htmlRemote: boolean
  /** Text of the HTML when the message has no text part, or when the HTML is over budget; capped. */
  htmlText: string | null
  snippet: string
}

/** A stored body to sanitise (one stored before migration 0010). */
export interface PrepareItem {
  text: string | null
  html: string | null
}

/** A body the sanitiser threw on (or whose thread died) is shown as text: never its unsanitised HTML. */
export const unprepared = (it: { html: string | null }): PreparedBody => ({ safeHtml: null, htmlState: it.html ? 'size' : null, htmlRemote: false, htmlText: null, snippet: '' })

/** HTML beyond this is not read for its text (a 32 MB body gives its first 2 MB of words). */
const HTML_TEXT_INPUT_MAX = 2_000_000
/** Text kept for search and the over-budget view. */
export const HTML_TEXT_MAX = 200_000

/** What \s matches (and trim() strips). */
const isSpace = (c: number) =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff

/** The first 200 characters with whitespace collapsed and trimmed; reads only as far as it needs (bodies run to 100 kB). */
export function snippetOf(text: string): string {
  let out = ''
  let space = false
  for (let i = 0; i < text.length && out.length < 200; i++) {
    const c = text.charCodeAt(i)
    if (isSpace(c)) {
      space = out.length > 0
      continue
    }
    if (space) {
      out += ' '
      space = false
      if (out.length === 200) break
    }
    out += text[i]
  }
  return out
}

/**
 * `deferHtml`: leave the HTML unsanitised (htmlState null) for the background pass (sync/backfill.ts) and
 * work out only what the list and search need now: the snippet, and the words of an HTML-only body. A big
 * first sync does this (sanitising was a quarter of the parse thread's time, and the parse thread was the
 * sync's bottleneck); until the pass reaches a row, messages.get sanitises it in a parse thread for the read.
 */
export function prepareBody(m: { text: string | null; html: string | null; raw: Buffer | null }, opts: { deferHtml?: boolean } = {}): PreparedBody {
  const hasText = !!m.text?.trim()
  let safeHtml: string | null = null
  let htmlState: PreparedBody['htmlState'] = null
  let htmlRemote = false
  let words: string | null = null
  if (m.html && opts.deferHtml) {
    if (!hasText) words = htmlText(m.html.slice(0, HTML_TEXT_INPUT_MAX)).slice(0, HTML_TEXT_MAX)
  } else if (m.html) {
    const p = prepareHtml(m.html)
    safeHtml = p.html
    htmlState = p.state
    htmlRemote = p.remote
    if (!hasText || p.state !== 'ok') words = htmlText(m.html.slice(0, HTML_TEXT_INPUT_MAX)).slice(0, HTML_TEXT_MAX)
  }
  const text = hasText ? m.text! : (words ?? (m.raw ? m.raw.subarray(0, 4096).toString('latin1') : ''))
  return { safeHtml, htmlState, htmlRemote, htmlText: words, snippet: snippetOf(text) }
}
