// Twilio's error codes on the outbox's failure kinds (seed 003): what retries, what waits for new settings,
// what fails at once. Words say what happened and what fixes it; the code travels as TWILIO_<code>.
import { SendFailure } from '../outbound/failure'

/** Twilio codes the engine acts on, with their kind and words. */
const KNOWN: Record<number, [SendFailure['kind'], string]> = {
  20003: ['auth', 'Twilio refused the account SID and auth token. Copy them again from the Twilio Console; texts wait until then.'],
  20429: ['rate_limit', 'Twilio asks to slow down (too many requests). The text waits and is retried later.'],
  21211: ['permanent', 'The phone number is not a valid number. Check it on the contact.'],
  21614: ['permanent', 'The phone number cannot receive texts (it is not a mobile number).'],
  21610: ['permanent', 'The contact replied STOP to this number: Twilio will not deliver texts to them until they reply START.'],
  30001: ['transient', 'Twilio’s queue for this sender overflowed. The text is retried later.'],
  30003: ['permanent', 'The phone is unreachable (switched off or out of coverage).'],
  30005: ['permanent', 'The phone number is unknown to its carrier.'],
  63016: ['permanent', 'Outside WhatsApp’s 24-hour window: only an approved template can be sent now.'],
}

/** The code behind a refused opt-out (the contact's consent for that channel is withdrawn). */
export const OPTED_OUT = 21610

export function twilioFailure(code: number | null, httpStatus: number | null, message: string, retryAfterMs?: number): SendFailure {
  const known = code !== null ? KNOWN[code] : undefined
  const tag = code !== null ? (`TWILIO_${code}` as const) : undefined
  if (known) return new SendFailure(known[0], `${known[1]} (Twilio ${code})`, retryAfterMs, code === 20003 ? 'AUTH' : tag)
  if (httpStatus === 401 || httpStatus === 403) return new SendFailure('auth', 'Twilio refused the account SID and auth token. Copy them again from the Twilio Console.', undefined, 'AUTH')
  if (httpStatus === 429) return new SendFailure('rate_limit', 'Twilio asks to slow down. The text waits and is retried later.', retryAfterMs, tag)
  if (httpStatus === null || httpStatus >= 500) return new SendFailure('transient', `Twilio had a problem${code ? ` (${code})` : ''}. The text is retried later.`, undefined, tag)
  return new SendFailure('permanent', `Twilio refused the text${code ? ` (${code})` : ''}${message ? `: ${message}` : ''}`, undefined, tag)
}
