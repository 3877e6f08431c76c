// SMS segments (issue 17): how many parts a text is sent as and in which encoding, shown while typing.
// GSM-7 (3GPP TS 23.038 default alphabet): 160 septets in one part, 153 per part when split; characters of the
// extension table (^ { } \ [ ~ ] | € and form feed) take two septets and are never split across parts.
// Anything outside the alphabet makes the whole text UCS-2: 70 UTF-16 units in one part, 67 per part when
// split; a character outside the BMP (most emoji) is a surrogate pair, two units, never split across parts.

export type TextEncoding = 'GSM-7' | 'UCS-2'

export interface TextSegments {
  encoding: TextEncoding
  /** Parts the text is sent as (0 for an empty text). */
  segments: number
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) used. */
  units: number
  /** Units that fit in one part when the text is a single part (160 or 70). */
  singleLimit: number
  /** Units left in the last part before another one starts. */
  remaining: number
  /** The distinct characters that forced UCS-2, in order of first use (empty for GSM-7). */
  unicodeChars: string[]
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
const GSM_EXTENSION = '^{}\\[~]|€\f'
const BASIC = new Set(GSM_BASIC)
const EXTENSION = new Set(GSM_EXTENSION)

/** Septets a character takes in GSM-7, or 0 when it is not in the alphabet. */
function septets(ch: string): number {
  if (BASIC.has(ch)) return 1
  if (EXTENSION.has(ch)) return 2
  return 0
}

/** Parts when the text's characters (each `sizes[i]` units) are packed `per` units a part, none split. */
function pack(sizes: number[], per: number): { segments: number; remaining: number } {
  let segments = 1
  let used = 0
  for (const size of sizes) {
    if (used + size > per) {
      segments++
      used = 0
    }
    used += size
  }
  return { segments, remaining: per - used }
}

export function textSegments(body: string): TextSegments {
  const chars = Array.from(body) // code points: a surrogate pair stays one character
  const unicode: string[] = []
  for (const ch of chars) if (septets(ch) === 0 && !unicode.includes(ch)) unicode.push(ch)
  const gsm = unicode.length === 0
  const sizes = chars.map((ch) => (gsm ? septets(ch) : ch.length))
  const units = sizes.reduce((a, b) => a + b, 0)
  const single = gsm ? 160 : 70
  const multi = gsm ? 153 : 67
  const encoding: TextEncoding = gsm ? 'GSM-7' : 'UCS-2'
  if (units === 0) return { encoding, segments: 0, units, singleLimit: single, remaining: single, unicodeChars: unicode }
  if (units <= single) return { encoding, segments: 1, units, singleLimit: single, remaining: single - units, unicodeChars: unicode }
  const { segments, remaining } = pack(sizes, multi)
  return { encoding, segments, units, singleLimit: single, remaining, unicodeChars: unicode }
}

/** "1 of 70 · Unicode", "2 segments · GSM-7": the composer's counter. */
export function segmentLabel(s: TextSegments): string {
  const name = s.encoding === 'GSM-7' ? 'GSM-7' : 'Unicode'
  if (s.segments <= 1) return `${s.units} of ${s.singleLimit} · ${name}`
  return `${s.segments} segments · ${name}`
}

/** A text's {{variables}}: filled per contact, so their length is not known while the text is typed. */
const VARIABLE = /\{\{\{?[^{}]*\}?\}\}/g

/** The words of a text with its {{variables}} taken out, and whether it had any: what a counter can count for sure. */
export function fixedPart(body: string): { text: string; variables: number } {
  let variables = 0
  const text = body.replace(VARIABLE, () => (variables++, ''))
  return { text, variables }
}
