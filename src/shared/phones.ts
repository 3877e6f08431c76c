// Phone numbers (issue 17): parsed and validated with libphonenumber-js against the business's country, stored
// E.164, shown formatted. Every error is a sentence a user understands, never the library's code.
// Shared by the engine (contacts, import, channels) and the renderer (contact form, composer).
import { AsYouType, getCountries, getCountryCallingCode, parsePhoneNumberWithError, validatePhoneNumberLength, isSupportedCountry, ParseError } from 'libphonenumber-js'
import type { CountryCode } from 'libphonenumber-js'
import { z } from 'zod'

export const PHONE_LABELS = ['mobile', 'work', 'home', 'other'] as const
export const PhoneLabel = z.enum(PHONE_LABELS, { error: 'Choose mobile, work, home or other' })
export type PhoneLabel = z.infer<typeof PhoneLabel>

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string }

/** True for a two-letter ISO country code libphonenumber knows ('US', 'GB', …). */
export function isPhoneCountry(code: string | null | undefined): code is string {
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) && isSupportedCountry(code)
}

const THE = new Set(['US', 'GB', 'NL', 'PH', 'AE', 'BS', 'CZ', 'DO', 'GM', 'CF', 'KM', 'MV', 'MH', 'SB', 'VA', 'CD', 'CG', 'KY', 'FK', 'TC', 'VG', 'VI'])

/** Every country numbers can be read by, by English name, with its calling code: the business settings' list. */
export function phoneCountries(): Array<{ code: string; name: string; callingCode: string }> {
  return getCountries()
    .map((code) => ({ code, name: countryName(code).replace(/^the /, ''), callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** "the United States", "France", "the Netherlands": the country's English name, for sentences. */
export function countryName(code: string): string {
  let name = code
  try {
    name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code
  } catch {
    /* an engine without region names: the code reads well enough */
  }
  return THE.has(code) ? `the ${name}` : name
}

const LETTERS = 'Not a valid phone number: use digits only, like +1 555 555 0123.'

/**
 * What is wrong with a number whatever the country (letters, far too long), or null. The contract checks this
 * with the other fields, so a form hears about it together with them; toE164 checks the rest by country.
 */
export function phoneShapeProblem(input: string): string | null {
  const text = input.trim()
  if (text === '') return null
  if (text.length > 64) return 'That phone number is too long: enter only the number.'
  if (/[^\d\s()+./-]/.test(text.replace(/\s*(ext\.?|extn\.?|x)\s*\d+$/i, ''))) return LETTERS
  return null
}

/**
 * Parses a phone number as people type it ('+1 (555) 555-0123', '555-555-0123', '0044 20 7946 0958',
 * '020 7946 0958' with country 'GB') into E.164 ('+15555550123'). `defaultCountry` is the business's
 * country; numbers written with a leading + or international prefix need none.
 */
export function toE164(input: string, defaultCountry?: string | null): PhoneResult {
  // A leading 00 is the international prefix nearly everywhere people write it (0044 …): read it as +.
  const text = input.trim().replace(/^00(?=[1-9])/, '+')
  if (text === '') return { ok: false, message: 'Enter a phone number.' }
  const shape = phoneShapeProblem(text)
  if (shape) return { ok: false, message: shape }
  const country = isPhoneCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined
  const where = country ? countryName(country) : 'its country'
  const international = /^\s*(\+|00)/.test(text)
  if (!country && !international) {
    return { ok: false, message: "Start that phone number with its country code, like +1 or +44, or set the business's country." }
  }
  let parsed
  try {
    parsed = parsePhoneNumberWithError(text, { defaultCountry: country, extract: false })
  } catch (e) {
    const code = e instanceof ParseError ? e.message : ''
    if (code === 'INVALID_COUNTRY') return { ok: false, message: 'That phone number starts with a country code that does not exist.' }
    if (code === 'TOO_SHORT') return { ok: false, message: `That phone number has too few digits for ${where}.` }
    if (code === 'TOO_LONG') return { ok: false, message: `That phone number has too many digits for ${where}.` }
    return { ok: false, message: 'That does not look like a phone number: use digits, like +1 555 555 0123.' }
  }
  const target = parsed.country ? countryName(parsed.country) : international ? `country code +${parsed.countryCallingCode}` : where
  if (parsed.ext) {
    return { ok: false, message: `Phone extensions cannot be saved with a number: remove "ext. ${parsed.ext}".` }
  }
  const length = validatePhoneNumberLength(text, { defaultCountry: country })
  if (length === 'TOO_SHORT') return { ok: false, message: `That phone number has too few digits for ${target}.` }
  if (length === 'TOO_LONG') return { ok: false, message: `That phone number has too many digits for ${target}.` }
  if (length === 'INVALID_COUNTRY') return { ok: false, message: 'That phone number starts with a country code that does not exist.' }
  if (length === 'NOT_A_NUMBER') return { ok: false, message: 'That does not look like a phone number: use digits, like +1 555 555 0123.' }
  // Possible (right length for the country), not "valid": the digit patterns reject the 555 numbers people
  // use as examples and lag behind new ranges; a number that does not exist is Twilio's 21211, shown on send.
  if (length === 'INVALID_LENGTH' || !parsed.isPossible()) {
    return { ok: false, message: `That is not a valid phone number for ${target}: check the digits.` }
  }
  return { ok: true, e164: parsed.number }
}

/** E.164 for display: '+15555550123' → '+1 555 555 0123'; anything unparseable is shown as stored. */
export function formatPhone(e164: string): string {
  if (!/^\+[1-9]\d{3,14}$/.test(e164)) return e164
  try {
    const p = parsePhoneNumberWithError(e164)
    return p.isPossible() ? p.formatInternational() : e164
  } catch {
    return e164
  }
}

/** Formats as the user types, for input hints ('+1 555 5' → '+1 555 5'). */
export function formatAsTyped(input: string, defaultCountry?: string | null): string {
  const country = isPhoneCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined
  return new AsYouType(country).input(input)
}

// The IANA zones people pick most often → their country. A business's country defaults from its time zone;
// anything not here (and 'UTC') gives null, and the user picks the country in the business settings.
const ZONE_COUNTRY: Record<string, string> = {
  'America/New_York': 'US', 'America/Chicago': 'US', 'America/Denver': 'US', 'America/Phoenix': 'US',
  'America/Los_Angeles': 'US', 'America/Anchorage': 'US', 'Pacific/Honolulu': 'US', 'America/Detroit': 'US',
  'America/Indiana/Indianapolis': 'US', 'America/Boise': 'US', 'America/Juneau': 'US', 'America/Puerto_Rico': 'PR',
  'America/Toronto': 'CA', 'America/Vancouver': 'CA', 'America/Edmonton': 'CA', 'America/Winnipeg': 'CA',
  'America/Halifax': 'CA', 'America/St_Johns': 'CA', 'America/Regina': 'CA', 'America/Montreal': 'CA',
  'America/Mexico_City': 'MX', 'America/Tijuana': 'MX', 'America/Monterrey': 'MX', 'America/Cancun': 'MX',
  'America/Sao_Paulo': 'BR', 'America/Argentina/Buenos_Aires': 'AR', 'America/Santiago': 'CL',
  'America/Bogota': 'CO', 'America/Lima': 'PE', 'America/Caracas': 'VE', 'America/Montevideo': 'UY',
  'Europe/London': 'GB', 'Europe/Dublin': 'IE', 'Europe/Lisbon': 'PT', 'Europe/Madrid': 'ES', 'Europe/Paris': 'FR',
  'Europe/Brussels': 'BE', 'Europe/Amsterdam': 'NL', 'Europe/Luxembourg': 'LU', 'Europe/Berlin': 'DE',
  'Europe/Zurich': 'CH', 'Europe/Vienna': 'AT', 'Europe/Rome': 'IT', 'Europe/Copenhagen': 'DK', 'Europe/Oslo': 'NO',
  'Europe/Stockholm': 'SE', 'Europe/Helsinki': 'FI', 'Europe/Warsaw': 'PL', 'Europe/Prague': 'CZ',
  'Europe/Budapest': 'HU', 'Europe/Athens': 'GR', 'Europe/Bucharest': 'RO', 'Europe/Sofia': 'BG',
  'Europe/Istanbul': 'TR', 'Europe/Kiev': 'UA', 'Europe/Kyiv': 'UA', 'Europe/Moscow': 'RU', 'Europe/Tallinn': 'EE',
  'Europe/Riga': 'LV', 'Europe/Vilnius': 'LT', 'Europe/Belgrade': 'RS', 'Europe/Zagreb': 'HR', 'Europe/Ljubljana': 'SI',
  'Europe/Bratislava': 'SK', 'Atlantic/Reykjavik': 'IS', 'Europe/Malta': 'MT', 'Asia/Nicosia': 'CY',
  'Africa/Johannesburg': 'ZA', 'Africa/Lagos': 'NG', 'Africa/Nairobi': 'KE', 'Africa/Cairo': 'EG',
  'Africa/Casablanca': 'MA', 'Africa/Accra': 'GH', 'Asia/Jerusalem': 'IL', 'Asia/Dubai': 'AE', 'Asia/Riyadh': 'SA',
  'Asia/Qatar': 'QA', 'Asia/Karachi': 'PK', 'Asia/Kolkata': 'IN', 'Asia/Calcutta': 'IN', 'Asia/Dhaka': 'BD',
  'Asia/Bangkok': 'TH', 'Asia/Jakarta': 'ID', 'Asia/Ho_Chi_Minh': 'VN', 'Asia/Kuala_Lumpur': 'MY',
  'Asia/Singapore': 'SG', 'Asia/Manila': 'PH', 'Asia/Hong_Kong': 'HK', 'Asia/Shanghai': 'CN', 'Asia/Taipei': 'TW',
  'Asia/Seoul': 'KR', 'Asia/Tokyo': 'JP', 'Australia/Sydney': 'AU', 'Australia/Melbourne': 'AU',
  'Australia/Brisbane': 'AU', 'Australia/Perth': 'AU', 'Australia/Adelaide': 'AU', 'Australia/Hobart': 'AU',
  'Australia/Darwin': 'AU', 'Pacific/Auckland': 'NZ',
}

/** The country a time zone is in ('Europe/Paris' → 'FR'), or null when it is not one place ('UTC'). */
export function countryFromTimezone(timezone: string | null | undefined): string | null {
  if (!timezone) return null
  return ZONE_COUNTRY[timezone] ?? null
}

/** A contact's number as the contract returns it: E.164 (or, migrated from before, as typed), label, primary. */
export const ContactPhone = z.object({ number: z.string(), label: PhoneLabel, primary: z.boolean() })
export type ContactPhone = z.infer<typeof ContactPhone>

/** A number as contacts.create|update take it: any common form; the engine reads it by the business's country. */
export const PhoneInput = z
  .object({
    number: z
      .string()
      .trim()
      .min(1, 'Enter a phone number')
      .superRefine((v, c) => {
        const problem = phoneShapeProblem(v)
        if (problem) c.addIssue({ code: 'custom', message: problem })
      }),
    label: PhoneLabel.default('mobile'),
    primary: z.boolean().optional(),
  })
  .strict()
export type PhoneInput = z.input<typeof PhoneInput>

/** A phone field: '' or any common form, checked for shape here and by country in the engine. */
export const PhoneText = z
  .string()
  .trim()
  .superRefine((v, c) => {
    const problem = phoneShapeProblem(v)
    if (problem) c.addIssue({ code: 'custom', message: problem })
  })

/** A business's country: ISO 3166 alpha-2, upper-cased ('us' → 'US'). */
export const PhoneCountry = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => isPhoneCountry(c), 'Choose a country from the list')

/**
 * The text the contact search indexes for a contact's numbers: each in the forms people type when they look
 * one up ('+15555550123', '5555550123', '(555) 555-0123', '+1 555 555 0123'), so any of them finds it.
 */
export function phoneSearchText(numbers: readonly string[]): string {
  const forms: string[] = []
  for (const n of numbers) {
    forms.push(n)
    if (!n.startsWith('+')) continue
    try {
      const p = parsePhoneNumberWithError(n)
      const national = p.formatNational()
      forms.push(p.nationalNumber, national.replace(/\D/g, ''), national, p.formatInternational())
    } catch {
      /* kept as typed: the number itself is indexed */
    }
  }
  return [...new Set(forms)].join(' ')
}
