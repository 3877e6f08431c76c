// Signatures in the body being written, as Thunderbird does them: "--" on a line of its own, then the
// profile's signature, under what is typed and above the quote (the engine adds the quote when it sends).
// Switching From swaps the signature block and nothing else. The body is plain text here; the block is
// found by its exact text, so a signature the user edited by hand is left alone.
import type { Profile } from '../../../../shared/models'
import { htmlToPlain } from '../../lib/mailText'

// Thunderbird writes "-- " with a trailing space; the HTML round trip of the body drops trailing spaces, so
// the block would no longer be found after a reload. "--" survives it.
const SEP = '--'

/** The profile's signature as the text the body holds, or '' when it has none. */
export const signatureOf = (p: Pick<Profile, 'signatureHtml'> | null | undefined): string => (p?.signatureHtml ? htmlToPlain(p.signatureHtml).trim() : '')

const blockOf = (sig: string): string => (sig ? `\n\n${SEP}\n${sig}` : '')

/** A new message's body: room to type, then the signature. */
export const withSignature = (body: string, sig: string): string => `${body}${blockOf(sig)}`

/** Replaces the old signature's block with the new one's; typed text is never touched. */
export function swapSignature(body: string, oldSig: string, newSig: string): string {
  if (oldSig === newSig) return body
  const old = blockOf(oldSig)
  const at = old ? body.lastIndexOf(old) : -1
  if (at >= 0) return `${body.slice(0, at)}${blockOf(newSig)}${body.slice(at + old.length)}`
  // No signature there (a new profile with none before, or the user removed it): add one at the end only
  // when the body had no block at all, so a signature deleted on purpose stays deleted.
  if (oldSig === '' && !body.includes(`\n${SEP}\n`)) return withSignature(body, newSig)
  return body
}

/** The body without its signature block: what the user wrote, for "has anything been written?". */
export function withoutSignature(body: string, sig: string): string {
  const block = blockOf(sig)
  return block && body.endsWith(block) ? body.slice(0, -block.length) : body
}
