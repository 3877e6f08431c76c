// Phone numbers as people type them → E.164, with errors in words (issue 17).
import { describe, expect, it } from 'vitest'
import { countryFromTimezone, countryName, formatPhone, isPhoneCountry, toE164 } from '../src/shared/phones'

const ok = (input: string, country?: string | null) => {
  const r = toE164(input, country)
  if (!r.ok) throw new Error(`${input}: ${r.message}`)
  return r.e164
}
const error = (input: string, country?: string | null) => {
  const r = toE164(input, country)
  if (r.ok) throw new Error(`${input} parsed as ${r.e164}`)
  return r.message
}

describe('toE164', () => {
  it('reads the common ways of writing a number', () => {
    expect(ok('+1 (555) 555-0123', 'US')).toBe('+15555550123')
    expect(ok('555-555-0123', 'US')).toBe('+15555550123')
    expect(ok('(212) 555.0100', 'US')).toBe('+12125550100')
    expect(ok('  +1 555 555 0123  ', null)).toBe('+15555550123')
    expect(ok('020 7946 0958', 'GB')).toBe('+442079460958')
    expect(ok('0044 20 7946 0958', 'US')).toBe('+442079460958')
    expect(ok('+33 6 12 34 56 78', 'US')).toBe('+33612345678')
    expect(ok('06 12 34 56 78', 'FR')).toBe('+33612345678')
  })

  it('says what is wrong in words, naming the country', () => {
    expect(error('555-0123', 'US')).toBe('That phone number has too few digits for the United States.')
    expect(error('5555550123999', 'US')).toBe('That phone number has too many digits for the United States.')
    expect(error('0612', 'FR')).toBe('That phone number has too few digits for France.')
    expect(error('call me', 'US')).toBe('Not a valid phone number: use digits only, like +1 555 555 0123.')
    expect(error('', 'US')).toBe('Enter a phone number.')
    expect(error('+999 123456', 'US')).toMatch(/country code that does not exist/)
    expect(error('555-555-0123', null)).toMatch(/country code, like \+1 or \+44, or set the business's country/)
    expect(error('555 555 0123 ext 12', 'US')).toMatch(/ext\. 12/)
    expect(error('--', 'US')).toMatch(/does not look like a phone number/)
    expect(error('1'.repeat(80), 'US')).toMatch(/too long/)
  })

  it('never shows a library code', () => {
    for (const bad of ['+', '+1', '0', '()', '+44', '12', '+1 2', '99999999999999999', 'x1']) {
      const message = error(bad, 'US')
      expect(message).not.toMatch(/[A-Z]{2,}_[A-Z]+|TOO_|INVALID|NOT_A/)
      expect(message).toMatch(/\.$/)
    }
  })

  it('ignores a default country it does not know', () => {
    expect(isPhoneCountry('US')).toBe(true)
    expect(isPhoneCountry('ZZ')).toBe(false)
    expect(isPhoneCountry('us')).toBe(false)
    expect(error('555-555-0123', 'ZZ')).toMatch(/country code/)
  })
})

describe('formatPhone', () => {
  it('shows E.164 the international way and anything else as stored', () => {
    expect(formatPhone('+15555550123')).toBe('+1 555 555 0123')
    expect(formatPhone('+442079460958')).toBe('+44 20 7946 0958')
    expect(formatPhone('call reception')).toBe('call reception')
    expect(formatPhone('')).toBe('')
    // a number kept as typed before E.164 is shown exactly as typed, so saving it back changes nothing
    expect(formatPhone('+1 555 0199')).toBe('+1 555 0199')
    expect(formatPhone('+15550199')).toBe('+15550199')
  })
})

describe('countryFromTimezone', () => {
  it('maps a zone to its country and a non-place to null', () => {
    expect(countryFromTimezone('America/Chicago')).toBe('US')
    expect(countryFromTimezone('Europe/Paris')).toBe('FR')
    expect(countryFromTimezone('Europe/London')).toBe('GB')
    expect(countryFromTimezone('UTC')).toBeNull()
    expect(countryFromTimezone(null)).toBeNull()
  })
  it('names countries for sentences', () => {
    expect(countryName('US')).toBe('the United States')
    expect(countryName('DE')).toBe('Germany')
  })
})
