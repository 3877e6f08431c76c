// Mail settings offered from an address (issue 20, capability 4), as Thunderbird's account set-up does:
// the well-known providers' hosts, ports and TLS modes, whether they need an app password, and where their
// Sent copy comes from; for any other domain, the usual host names and ports to try.

export type Security = 'tls' | 'starttls' | 'none'
export interface ServerPreset {
  host: string
  port: number
  secure: Security
}
export interface ProviderPreset {
  /** Null for a guess from the domain (not a known provider). */
  name: string | null
  smtp: ServerPreset
  imap: ServerPreset
  /** Providers that file sent mail themselves (appending a copy would make two). */
  sentCopy: 'append' | 'server'
  /** What the password must be, when the account password will not do. */
  passwordHint: string | null
}

interface Known extends Omit<ProviderPreset, 'name'> {
  name: string
  domains: string[]
}

const KNOWN: Known[] = [
  {
    name: 'Gmail',
    domains: ['gmail.com', 'googlemail.com'],
    smtp: { host: 'smtp.gmail.com', port: 465, secure: 'tls' },
    imap: { host: 'imap.gmail.com', port: 993, secure: 'tls' },
    sentCopy: 'server',
    passwordHint: 'Gmail needs an app password: turn on 2-Step Verification, then create one at myaccount.google.com/apppasswords.',
  },
  {
    name: 'Outlook.com',
    domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'outlook.co.uk', 'hotmail.co.uk', 'live.co.uk', 'outlook.fr', 'hotmail.fr'],
    smtp: { host: 'smtp-mail.outlook.com', port: 587, secure: 'starttls' },
    imap: { host: 'outlook.office365.com', port: 993, secure: 'tls' },
    sentCopy: 'server',
    passwordHint: 'With two-step verification on, use an app password (account.microsoft.com > Security > Advanced security options).',
  },
  {
    name: 'Office 365',
    domains: ['office365.com', 'onmicrosoft.com'],
    smtp: { host: 'smtp.office365.com', port: 587, secure: 'starttls' },
    imap: { host: 'outlook.office365.com', port: 993, secure: 'tls' },
    sentCopy: 'server',
    passwordHint: 'Your administrator must allow SMTP sign-in (SMTP AUTH) for this mailbox; with multi-factor sign-in, use an app password.',
  },
  {
    name: 'iCloud',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    smtp: { host: 'smtp.mail.me.com', port: 587, secure: 'starttls' },
    imap: { host: 'imap.mail.me.com', port: 993, secure: 'tls' },
    sentCopy: 'append',
    passwordHint: 'iCloud needs an app-specific password: create one at account.apple.com > Sign-In and Security.',
  },
  {
    name: 'Fastmail',
    domains: ['fastmail.com', 'fastmail.fm', 'fastmail.net', 'fastmail.org', 'messagingengine.com'],
    smtp: { host: 'smtp.fastmail.com', port: 465, secure: 'tls' },
    imap: { host: 'imap.fastmail.com', port: 993, secure: 'tls' },
    sentCopy: 'append',
    passwordHint: 'Fastmail needs an app password: Settings > Privacy & Security > Manage app passwords.',
  },
  {
    name: 'Yahoo',
    domains: ['yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.es', 'yahoo.it', 'yahoo.ca', 'yahoo.com.au'],
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, secure: 'tls' },
    imap: { host: 'imap.mail.yahoo.com', port: 993, secure: 'tls' },
    sentCopy: 'server',
    passwordHint: 'Yahoo needs an app password: Account security > Generate app password.',
  },
  {
    name: 'Zoho Mail',
    domains: ['zoho.com', 'zohomail.com'],
    smtp: { host: 'smtp.zoho.com', port: 465, secure: 'tls' },
    imap: { host: 'imap.zoho.com', port: 993, secure: 'tls' },
    sentCopy: 'append',
    passwordHint: 'With two-factor sign-in on, use an application-specific password (Zoho accounts > Security > App passwords).',
  },
]

const ZOHO_EU = { smtp: { host: 'smtp.zoho.eu', port: 465, secure: 'tls' as const }, imap: { host: 'imap.zoho.eu', port: 993, secure: 'tls' as const } }

/** The domain part of an address, lower case, or '' when there is none yet. */
export const domainOf = (email: string): string => {
  const at = email.trim().lastIndexOf('@')
  const d = at >= 0 ? email.trim().slice(at + 1).toLowerCase() : ''
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d) ? d : ''
}

/** The known provider of this address, or null. */
export function knownProvider(email: string): ProviderPreset | null {
  const d = domainOf(email)
  if (!d) return null
  if (d === 'zoho.eu' || d === 'zohomail.eu') return { ...KNOWN.find((k) => k.name === 'Zoho Mail')!, ...ZOHO_EU, name: 'Zoho Mail (EU)' }
  // A Microsoft 365 tenant's own domain (contoso.onmicrosoft.com) is Office 365 too.
  const k = KNOWN.find((p) => p.domains.includes(d) || (p.domains.includes('onmicrosoft.com') && d.endsWith('.onmicrosoft.com')))
  if (!k) return null
  const { domains: _d, ...preset } = k
  return preset
}

/**
 * Settings to offer for an address: the known provider's, or for any other domain the usual guess
 * (smtp.<domain> on 587 with STARTTLS, imap.<domain> on 993 with TLS). Null until the address has a domain.
 */
export function suggestSettings(email: string): ProviderPreset | null {
  const known = knownProvider(email)
  if (known) return known
  const d = domainOf(email)
  if (!d) return null
  return { name: null, smtp: { host: `smtp.${d}`, port: 587, secure: 'starttls' }, imap: { host: `imap.${d}`, port: 993, secure: 'tls' }, sentCopy: 'append', passwordHint: null }
}

/** The standard ports, by protocol and security (what a security choice switches the port to). */
export const COMMON_PORTS: Record<'smtp' | 'imap', Record<Security, number>> = {
  smtp: { tls: 465, starttls: 587, none: 25 },
  imap: { tls: 993, starttls: 143, none: 143 },
}

/** The IMAP host that usually goes with an SMTP host: smtp.x → imap.x, smtp-mail.x → imap-mail.x, mail.x stays. */
export function imapHostFor(smtpHost: string): string {
  const h = smtpHost.trim().toLowerCase()
  const known = KNOWN.find((k) => k.smtp.host === h)
  if (known) return known.imap.host
  if (/^smtp[.-]/.test(h)) return h.replace(/^smtp/, 'imap')
  return h
}
