// Settings offered from an address (issue 20, capability 4): known providers, a guess for any domain, IMAP from SMTP.
import { describe, expect, it } from 'vitest'
import { COMMON_PORTS, imapHostFor, knownProvider, suggestSettings } from '../src/shared/providers'

describe('suggestSettings', () => {
  it('knows the big providers, their TLS modes and app-password needs', () => {
    expect(suggestSettings('ann@gmail.com')).toMatchObject({ name: 'Gmail', smtp: { host: 'smtp.gmail.com', port: 465, secure: 'tls' }, imap: { host: 'imap.gmail.com', port: 993, secure: 'tls' }, sentCopy: 'server', passwordHint: expect.stringMatching(/app password/) })
    expect(suggestSettings('Bob@Hotmail.com')).toMatchObject({ name: 'Outlook.com', smtp: { host: 'smtp-mail.outlook.com', port: 587, secure: 'starttls' } })
    expect(suggestSettings('x@contoso.onmicrosoft.com')).toMatchObject({ name: 'Office 365' })
    expect(suggestSettings('x@onmicrosoft.com')).toMatchObject({ name: 'Office 365', smtp: { host: 'smtp.office365.com' } })
    expect(suggestSettings('c@me.com')).toMatchObject({ name: 'iCloud', smtp: { host: 'smtp.mail.me.com', port: 587, secure: 'starttls' }, passwordHint: expect.stringMatching(/app-specific/) })
    expect(suggestSettings('d@fastmail.com')).toMatchObject({ name: 'Fastmail', smtp: { port: 465 } })
    expect(suggestSettings('e@yahoo.co.uk')).toMatchObject({ name: 'Yahoo', imap: { host: 'imap.mail.yahoo.com' } })
    expect(suggestSettings('f@zoho.com')).toMatchObject({ name: 'Zoho Mail', smtp: { host: 'smtp.zoho.com' } })
    expect(suggestSettings('f@zoho.eu')).toMatchObject({ name: 'Zoho Mail (EU)', smtp: { host: 'smtp.zoho.eu' } })
  })

  it('guesses the usual hosts and ports for any other domain', () => {
    expect(suggestSettings('hello@eve-beauty.com')).toEqual({ name: null, smtp: { host: 'smtp.eve-beauty.com', port: 587, secure: 'starttls' }, imap: { host: 'imap.eve-beauty.com', port: 993, secure: 'tls' }, sentCopy: 'append', passwordHint: null })
    expect(knownProvider('hello@eve-beauty.com')).toBeNull()
  })

  it('offers nothing until the address has a domain', () => {
    for (const e of ['', 'ann', 'ann@', 'ann@gmail', 'ann@@x']) expect(suggestSettings(e)).toBeNull()
  })

  it('prefills IMAP from SMTP', () => {
    expect(imapHostFor('smtp.example.com')).toBe('imap.example.com')
    expect(imapHostFor('smtp-mail.outlook.com')).toBe('outlook.office365.com')
    expect(imapHostFor('smtp.mail.me.com')).toBe('imap.mail.me.com')
    expect(imapHostFor('mail.example.com')).toBe('mail.example.com')
    expect(COMMON_PORTS.smtp).toEqual({ tls: 465, starttls: 587, none: 25 })
  })
})
