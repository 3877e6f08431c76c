// Signatures in the body being written, as Thunderbird does them: "--" on a line of its own, then the
// profile's signature, under what is typed and above the quote (the engine adds the quote when it sends).
// Switching From swaps the signature block and nothing else. The body is the rich editor's HTML, which the
// editor normalises as it likes, so the block is found by the separator paragraph and recognised by its
// words: a signature the user edited by hand is left alone.
import type { Profile } from '../../../../shared/models'
import { htmlToPlain } from '../../lib/mailText'

// Thunderbird writes "-- " with a trailing space; the editor drops trailing spaces, so "--" is used.
const SEP = '<p>--</p>'

/** The profile's signature as HTML, or '' when it has none. */
export const signatureOf = (p: Pick<Profile, 'signatureHtml'> | null | undefined): string => (p?.signatureHtml && htmlToPlain(p.signatureHtml).trim() ? p.signatureHtml : '')

const words = (html: string): string => htmlToPlain(html).replace(/\s+/g, ' ').trim()
const blockOf = (sig: string): string => (sig ? `${SEP}${/^\s*<(p|div|ul|ol|table|blockquote|h\d)\b/i.test(sig) ? sig : `<p>${sig}</p>`}` : '')

/** Where the signature block `sig` starts in `body`, or -1 when it is not there as written. */
function blockAt(body: string, sig: string): number {
  const at = body.lastIndexOf(SEP)
  return at >= 0 && words(body.slice(at + SEP.length)) === words(sig) ? at : -1
}

/** A new message's body: room to type, then the signature. */
export const withSignature = (body: string, sig: string): string => (sig ? `${body || '<p></p>'}${blockOf(sig)}` : body)

/** Replaces the old signature's block with the new one's; typed text is never touched. */
export function swapSignature(body: string, oldSig: string, newSig: string): string {
  if (oldSig === newSig) return body
  const at = oldSig ? blockAt(body, oldSig) : -1
  if (at >= 0) return `${body.slice(0, at)}${blockOf(newSig)}`
  // No signature there (a profile with none before, or the user removed it): add one at the end only when
  // the body has no block at all, so a signature deleted on purpose stays deleted.
  if (oldSig === '' && !body.includes(SEP)) return withSignature(body, newSig)
  return body
}

/** The body without its signature block: what the user wrote, for "has anything been written?". */
export function withoutSignature(body: string, sig: string): string {
  const at = sig ? blockAt(body, sig) : -1
  return at >= 0 ? body.slice(0, at) : body
}
