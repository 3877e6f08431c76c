// The compose editor is plain text; the engine stores and sends HTML. These two keep the round trip
// lossless for what the editor can produce (paragraphs and line breaks).
import { htmlToText } from '../../../shared/htmlText'

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Blank lines separate paragraphs; single newlines become <br>. */
export function textToHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, '\n').trim().split(/\n{2,}/)
  return paragraphs
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n')
}

export const htmlToPlain = (html: string): string => htmlToText(html)
