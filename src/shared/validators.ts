// Pure checks shared by the contract (zod) and the CSV import, so both accept exactly the same values.

// Pragmatic address check: one @, no spaces, a dotted domain. RFC 5322 allows more, mail servers accept less.
const EMAIL_RE = /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase()
}

export function isEmail(raw: string): boolean {
  return raw.length <= 254 && EMAIL_RE.test(raw)
}

const zoneCache = new Map<string, boolean>()
export function isTimeZone(zone: string): boolean {
  let ok = zoneCache.get(zone)
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone })
      ok = true
    } catch {
      ok = false
    }
    zoneCache.set(zone, ok)
  }
  return ok
}

export const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

// Digits with the usual separators, optionally an extension ("x12", "ext. 12").
const PHONE_RE = /^[0-9+()./ -]*(?:(?:x|ext\.?) ?[0-9]+)?$/i
export const isPhone = (raw: string): boolean => raw.length <= 40 && PHONE_RE.test(raw)
