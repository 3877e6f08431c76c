// What went wrong talking to a mail server, in words a user can act on. One mapping for every place that
// meets these errors: a send (SMTP, Mailgun), the IMAP sign-in of the inbox sync, and the set-up test
// (`mailboxes.test`, `mailgun.test`); the UI's status labels use the same codes and titles. It reads only
// plain properties of the error (code, responseCode, reason, message), so it runs anywhere (no Node).

export const SERVER_ERROR_CODES = [
  'AUTH',
  'CONNECTION_REFUSED',
  'TLS_MISMATCH',
  'DNS',
  'TIMEOUT',
  'CERTIFICATE',
  'NETWORK',
  'NOT_FOUND',
  'RATE_LIMIT',
  'REJECTED',
  'SERVER',
  'UNKNOWN',
] as const
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number]

export type Service = 'SMTP' | 'IMAP' | 'Mailgun'
export interface ServerRef {
  service: Service
  host: string
  port?: number
  security?: 'tls' | 'starttls' | 'none'
  /** Mailgun: the sending domain asked about. */
  domain?: string
}
export interface ServerProblem {
  code: ServerErrorCode
  /** One or two sentences: what happened, and what fixes it. Never a raw library message. */
  message: string
}

/** Short labels (badges, status lines). */
export const PROBLEM_TITLE: Record<ServerErrorCode, string> = {
  AUTH: 'Sign-in failed',
  CONNECTION_REFUSED: 'Connection refused',
  TLS_MISMATCH: 'Wrong security setting',
  DNS: 'Server name not found',
  TIMEOUT: 'Server did not answer',
  CERTIFICATE: 'Certificate problem',
  NETWORK: 'No network',
  NOT_FOUND: 'Domain not found',
  RATE_LIMIT: 'Rate limited',
  REJECTED: 'Rejected by the server',
  SERVER: 'Server error',
  UNKNOWN: 'Connection failed',
}

/** The fix in a few words (banners and badges, where the full message does not fit). */
export const PROBLEM_ACTION: Partial<Record<ServerErrorCode, string>> = {
  AUTH: 'check the username and password',
  CONNECTION_REFUSED: 'check the host and port',
  TLS_MISMATCH: 'check the security setting and port',
  DNS: 'check the host name',
  TIMEOUT: 'check the host, port and firewall',
  CERTIFICATE: 'check the host name',
  NETWORK: 'check the internet connection',
  NOT_FOUND: 'check the domain and region',
}

/** Problems the user's settings cause: they do not go away by waiting, only by changing the settings. */
export const SETTINGS_PROBLEMS: readonly ServerErrorCode[] = ['AUTH', 'TLS_MISMATCH', 'CERTIFICATE', 'NOT_FOUND']
/** The server could not be reached (the network, or the host and port): waiting may help, and so may the settings. */
export const UNREACHABLE_PROBLEMS: readonly ServerErrorCode[] = ['CONNECTION_REFUSED', 'DNS', 'TIMEOUT', 'NETWORK']

interface RawError {
  name?: unknown
  code?: unknown
  errno?: unknown
  responseCode?: unknown
  response?: unknown
  responseText?: unknown
  message?: unknown
  reason?: unknown
  command?: unknown
  authenticationFailed?: unknown
  serverResponseCode?: unknown
  status?: unknown
  cause?: unknown
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const NETWORK_DOWN = ['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']
const CERT_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/

/** Every code, message and response along the error's cause chain (fetch and nodemailer wrap them). */
function facts(err: unknown): { codes: string[]; text: string; responseCode: number | null; authFailed: boolean; status: number | null } {
  const codes: string[] = []
  const texts: string[] = []
  let responseCode: number | null = null
  let status: number | null = null
  let authFailed = false
  for (let e = err as RawError | undefined, i = 0; e && typeof e === 'object' && i < 6; e = e.cause as RawError | undefined, i++) {
    if (str(e.code)) codes.push(str(e.code))
    if (str(e.serverResponseCode)) codes.push(str(e.serverResponseCode))
    if (typeof e.responseCode === 'number' && responseCode === null) responseCode = e.responseCode
    if (typeof e.status === 'number' && status === null) status = e.status
    if (e.authenticationFailed === true) authFailed = true
    texts.push(str(e.reason), str(e.response), str(e.responseText), str(e.message), str(e.name))
  }
  if (typeof err === 'string') texts.push(err)
  return { codes, text: texts.filter(Boolean).join(' | '), responseCode, authFailed, status }
}

const where = (r: ServerRef): string => (r.port ? `${r.host}:${r.port}` : r.host)
const name = (r: ServerRef): string => (r.service === 'Mailgun' ? 'Mailgun' : `the ${r.service} server`)

/** The port usually means this security: 465/993 implicit TLS, 587/143 STARTTLS, 25 plain or STARTTLS. */
export function usualSecurity(service: 'SMTP' | 'IMAP', port: number): 'tls' | 'starttls' | null {
  if (service === 'SMTP') return port === 465 ? 'tls' : port === 587 || port === 25 ? 'starttls' : null
  return port === 993 ? 'tls' : port === 143 ? 'starttls' : null
}

function tlsAdvice(r: ServerRef, serverSpeaksTls: boolean): string {
  const port = r.port ? `Port ${r.port}` : 'This port'
  if (serverSpeaksTls) return `${port} expects TLS: set security to TLS (SSL), or use the STARTTLS port (${r.service === 'IMAP' ? '143' : '587'}).`
  return `${port} does not use TLS from the start: set security to STARTTLS or None, or use the TLS port (${r.service === 'IMAP' ? '993' : '465'}).`
}

/** Classifies an error met while connecting, signing in or sending, and says it in words. */
export function describeServerError(err: unknown, r: ServerRef): ServerProblem {
  const f = facts(err)
  const has = (...cs: string[]) => f.codes.some((c) => cs.includes(c))
  const text = f.text
  const at = where(r)

  // The server answered and refused the credentials.
  if (f.authFailed || has('EAUTH', 'AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED') || f.responseCode === 535 || f.responseCode === 534 || (r.service === 'Mailgun' && (f.status === 401 || f.status === 403)))
    return {
      code: 'AUTH',
      message:
        r.service === 'Mailgun'
          ? 'Mailgun refused the API key. Copy the private API key from Mailgun (Settings > API Keys) and paste it again.'
          : `${cap(name(r))} refused the login: check the username and type the password again (some providers need an app password).`,
    }
  if (r.service === 'Mailgun' && f.status === 404)
    return { code: 'NOT_FOUND', message: `Mailgun has no sending domain ${r.domain ? `"${r.domain}"` : 'by that name'} for this key. Check the domain (as listed in Mailgun) and the region (US or EU).` }

  // TLS spoken to a plain port, or plain text to a TLS port.
  if (/wrong version number|ERR_SSL_WRONG_VERSION_NUMBER|unknown protocol|packet length too long|http request/i.test(text) || has('ERR_SSL_WRONG_VERSION_NUMBER'))
    return { code: 'TLS_MISMATCH', message: `${cap(name(r))} at ${at} does not speak TLS on this port. ${tlsAdvice(r, false)}` }
  if (/STARTTLS/i.test(text) && /not (supported|implemented)|does not support|502|500/i.test(text))
    return { code: 'TLS_MISMATCH', message: `${cap(name(r))} at ${at} does not offer STARTTLS. Set security to None if you trust the network, or use the TLS port.` }
  if (/greeting never received|failed to receive greeting|maybe should use TLS/i.test(text) && r.security !== 'tls')
    return { code: 'TLS_MISMATCH', message: `${cap(name(r))} at ${at} did not greet us: the port probably expects TLS. ${tlsAdvice(r, true)}` }

  // Certificate trouble: the connection is encrypted but the server cannot be trusted.
  if (f.codes.some((c) => CERT_CODES.test(c)) || /certificate|self[- ]signed|unable to verify|altname/i.test(text)) {
    const why = /expired/i.test(text) ? 'has expired' : /self[- ]signed/i.test(text) ? 'is self-signed' : /altname|hostname/i.test(text) ? `is not for ${r.host}` : 'cannot be verified'
    return { code: 'CERTIFICATE', message: `The security certificate of ${at} ${why}. Check the host name is the one your provider gives (not an alias), or ask your provider.` }
  }

  // EAI_AGAIN is a DNS lookup that could not be made (no network), unlike ENOTFOUND (no such name).
  if (has(...NETWORK_DOWN) || /ENETUNREACH|EHOSTUNREACH|EAI_AGAIN|network is unreachable/i.test(text))
    return { code: 'NETWORK', message: `${cap(name(r))} could not be reached: the network seems to be down. Check the internet connection; waiting messages go out when it is back.` }
  if ((has('ENOTFOUND', 'EDNS') || /ENOTFOUND|getaddrinfo/i.test(text)) && r.service === 'Mailgun')
    // Mailgun's host is not typed by the user: not finding it means no working internet (or a wrong API address).
    return { code: 'DNS', message: `${r.host} could not be looked up. Check the internet connection (and the API address, if you set one).` }
  if (has('ENOTFOUND', 'EDNS') || /ENOTFOUND|getaddrinfo/i.test(text))
    return { code: 'DNS', message: `No server called "${r.host}" was found. Check the host name for typos (for example smtp.example.com).` }
  if (has('ECONNREFUSED') || /ECONNREFUSED|connection refused/i.test(text))
    return { code: 'CONNECTION_REFUSED', message: `${at} refused the connection: nothing answers on that port. Check the host and port (SMTP is usually 587 or 465, IMAP 993).` }
  if (has('ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'TimeoutError', 'AbortError') || /timed? ?out|TimeoutError/i.test(text))
    return { code: 'TIMEOUT', message: `${at} did not answer in time. Check the host and port, and that a firewall does not block it.` }

  const status = f.status ?? f.responseCode
  if (status === 429 || /rate limit|too many/i.test(text) || (f.responseCode !== null && [421, 450, 451, 452].includes(f.responseCode) && /rate|too many|throttl/i.test(text)))
    return { code: 'RATE_LIMIT', message: `${cap(name(r))} asks to slow down. Messages wait and are retried later.` }
  if (status !== null && status >= 500 && r.service !== 'Mailgun') return { code: 'REJECTED', message: `${cap(name(r))} refused: ${serverWords(text)}` }
  if (status !== null && status >= 500) return { code: 'SERVER', message: 'Mailgun had a server error. It is retried later.' }
  return { code: 'UNKNOWN', message: `Could not talk to ${name(r)} at ${at}${serverWords(text) ? `: ${serverWords(text)}` : '.'}` }
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** A server's own reply line (e.g. "550 5.1.1 No such user"), trimmed; library stack noise dropped. */
function serverWords(text: string): string {
  const line = text.split(' | ').find((t) => /^\d{3}[ -]/.test(t)) ?? ''
  return line.replace(/\s+/g, ' ').slice(0, 200)
}
