// Time zones offered in pickers: a short list most small businesses need, then every zone the
// browser knows. Anything else can still be typed (the engine validates it).

export const COMMON_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'America/Vancouver',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Amsterdam',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
]

let all: string[] | null = null
export function allZones(): string[] {
  if (!all) {
    try {
      all = Intl.supportedValuesOf('timeZone')
    } catch {
      all = []
    }
  }
  return all
}

export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

/** "America/New_York" → "New York (America)". */
export function zoneLabel(zone: string): string {
  const parts = zone.split('/')
  if (parts.length < 2) return zone
  const city = parts[parts.length - 1].replace(/_/g, ' ')
  return `${city} (${parts.slice(0, -1).join('/').replace(/_/g, ' ')})`
}
