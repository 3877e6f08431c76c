// The one mapping from server errors to words (issue 20, defect 5): each error class a user can meet,
// as nodemailer, imapflow and fetch really raise them (shapes captured against the local Postfix and Dovecot).
import { describe, expect, it } from 'vitest'
import { describeServerError, PROBLEM_TITLE, SERVER_ERROR_CODES, type ServerRef } from '../src/shared/serverErrors'

const smtp: ServerRef = { service: 'SMTP', host: 'smtp.example.com', port: 2525, security: 'none' }
const imap: ServerRef = { service: 'IMAP', host: 'imap.example.com', port: 1143, security: 'none' }
const mailgun: ServerRef = { service: 'Mailgun', host: 'api.mailgun.net', domain: 'mg.example.com' }
const err = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'x')), props)
/** No raw library text: no OpenSSL paths, no errno names, no "Error:" prefixes. */
const wordsOnly = (m: string) => expect(m).not.toMatch(/ssl3_|openssl|ECONN|ENOTFOUND|ESOCKET|EAUTH|errno|getaddrinfo|\.c:\d+/i)

describe('describeServerError', () => {
  it('535 and IMAP AUTHENTICATIONFAILED: the password', () => {
    const s = describeServerError(err({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', message: 'Invalid login: 535 5.7.8 Error: authentication failed' }), smtp)
    expect(s.code).toBe('AUTH')
    expect(s.message).toMatch(/password/)
    const i = describeServerError(err({ message: 'Command failed', authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' }), imap)
    expect(i).toMatchObject({ code: 'AUTH' })
    expect(i.message).toMatch(/IMAP server refused the login/)
  })

  it('connection refused: check host and port', () => {
    // nodemailer hides the errno code inside its message (code ESOCKET); imapflow keeps it.
    for (const e of [err({ code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:9', errno: -111 }), err({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })]) {
      const s = describeServerError(e, { ...smtp, port: 9 })
      expect(s.code).toBe('CONNECTION_REFUSED')
      expect(s.message).toMatch(/Check the host and port/)
      wordsOnly(s.message)
    }
  })

  it('wrong version number: the port does not speak TLS', () => {
    const raw = '808CCA05B57F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n'
    const s = describeServerError(err({ code: 'ESOCKET', command: 'CONN', message: raw, reason: 'wrong version number', library: 'SSL routines' }), { ...smtp, security: 'tls' })
    expect(s.code).toBe('TLS_MISMATCH')
    expect(s.message).toMatch(/STARTTLS or None/)
    wordsOnly(s.message)
    expect(describeServerError(err({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: raw }), { ...imap, security: 'tls' })).toMatchObject({ code: 'TLS_MISMATCH' })
  })

  it('no greeting on a TLS port, or no STARTTLS: the port expects TLS / no TLS', () => {
    const s = describeServerError(err({ code: 'ETIMEDOUT', command: 'CONN', message: 'Greeting never received' }), { ...smtp, port: 465 })
    expect(s).toMatchObject({ code: 'TLS_MISMATCH' })
    expect(s.message).toMatch(/expects TLS/)
    expect(describeServerError(err({ code: 'GREETING_TIMEOUT', message: 'Failed to receive greeting from server in required time. Maybe should use TLS?' }), imap).code).toBe('TLS_MISMATCH')
    expect(describeServerError(err({ code: 'ETLS', responseCode: 502, message: 'Error upgrading connection with STARTTLS: 502 5.5.1 Error: command not implemented' }), { ...smtp, security: 'starttls' }).code).toBe('TLS_MISMATCH')
    expect(describeServerError(err({ message: 'Server does not support STARTTLS' }), { ...imap, security: 'starttls' }).code).toBe('TLS_MISMATCH')
  })

  it('DNS not found: check the host name', () => {
    const s = describeServerError(err({ code: 'EDNS', command: 'CONN', message: 'getaddrinfo ENOTFOUND no-such-host.invalid', errno: -3008 }), { ...smtp, host: 'no-such-host.invalid' })
    expect(s).toMatchObject({ code: 'DNS' })
    expect(s.message).toMatch(/"no-such-host.invalid".*Check the host name/)
    wordsOnly(s.message)
  })

  it('Mailgun\'s own host not found is the internet connection, not a typo', () => {
    const s = describeServerError(Object.assign(new TypeError('fetch failed'), { cause: err({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.mailgun.net' }) }), mailgun)
    expect(s).toMatchObject({ code: 'DNS', message: expect.stringMatching(/api.mailgun.net could not be looked up. Check the internet connection/) })
  })

  it('timeouts', () => {
    expect(describeServerError(err({ code: 'ETIMEDOUT', message: 'Connection timeout' }), smtp).code).toBe('TIMEOUT')
    expect(describeServerError(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), mailgun).code).toBe('TIMEOUT')
  })

  it('certificate problems', () => {
    const s = describeServerError(err({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }), { ...imap, security: 'tls' })
    expect(s).toMatchObject({ code: 'CERTIFICATE' })
    expect(s.message).toMatch(/self-signed/)
    expect(describeServerError(err({ code: 'ESOCKET', message: 'certificate has expired' }), smtp).message).toMatch(/has expired/)
    expect(describeServerError(err({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }), smtp).message).toMatch(/is not for smtp.example.com/)
  })

  it('the network is down (fetch wraps the code in a cause)', () => {
    const s = describeServerError(Object.assign(new TypeError('fetch failed'), { cause: err({ code: 'ENETUNREACH', message: 'connect ENETUNREACH' }) }), mailgun)
    expect(s.code).toBe('NETWORK')
    expect(describeServerError(err({ code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN smtp.example.com' }), smtp).code).toBe('NETWORK')
  })

  it('Mailgun: 401 is the key, 404 the domain', () => {
    expect(describeServerError({ status: 401, message: 'Forbidden' }, mailgun)).toMatchObject({ code: 'AUTH', message: expect.stringMatching(/API key/) })
    expect(describeServerError({ status: 404, message: 'Domain not found' }, mailgun)).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/"mg.example.com"/) })
  })

  it('a server refusal keeps the server\'s own reply line; anything else says what it could', () => {
    expect(describeServerError(err({ responseCode: 550, response: '550 5.1.1 No such user', message: 'Message failed' }), smtp)).toMatchObject({ code: 'REJECTED', message: expect.stringMatching(/550 5.1.1 No such user/) })
    expect(describeServerError(err({ message: 'something odd' }), smtp).code).toBe('UNKNOWN')
  })

  it('every code has a title', () => {
    for (const c of SERVER_ERROR_CODES) expect(PROBLEM_TITLE[c]).toBeTruthy()
  })
})
