// The set-up test: logs in to an SMTP server (nodemailer `verify`) and an IMAP server (LOGIN and LIST via
// imapflow) with settings the user has not saved yet, and asks Mailgun about the sending domain. Each try
// runs within a time budget and only awaits sockets, so the engine's thread stays free meanwhile; every
// connection is closed whatever happens. Errors are said through the one mapping (shared/serverErrors).
import { ImapFlow } from 'imapflow'
import nodemailer from 'nodemailer'
import { describeServerError, type ServerRef } from '../../../shared/serverErrors'
import type { MailgunTestResult, ServerCheck } from '../../../shared/setupTest'
import { imapOptions, smtpOptions, type ImapServer } from '../imapOptions'
import { MAILGUN_BASE, mailgunDomain, type MailgunConfig } from './mailgun'

export interface TestOptions {
  /** The whole budget of one server's try, in ms. */
  timeoutMs: number
  /** Accept self-signed certificates (tests against the loopback servers only). */
  insecureTls?: boolean
}

const OK = (message: string): ServerCheck => ({ ok: true, code: 'OK', message })
const failed = (err: unknown, ref: ServerRef): ServerCheck => ({ ok: false, ...describeServerError(err, ref) })

/** Rejects with a TimeoutError once the budget is spent; `onTimeout` tears the attempt down. */
function within<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout()
      reject(Object.assign(new Error('The test ran out of time'), { name: 'TimeoutError', code: 'ETIMEDOUT' }))
    }, ms)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

export async function testSmtp(s: ImapServer, opts: TestOptions): Promise<ServerCheck> {
  const ref: ServerRef = { service: 'SMTP', host: s.host, port: s.port, security: s.security }
  // Socket timeouts a little inside the budget, so nodemailer's own (more precise) error usually wins.
  const inner = Math.max(500, opts.timeoutMs - 500)
  const transport = nodemailer.createTransport({ ...smtpOptions(s, opts.insecureTls), connectionTimeout: inner, greetingTimeout: inner, socketTimeout: inner })
  try {
    await within(transport.verify(), opts.timeoutMs, () => transport.close())
    return OK(`Signed in to ${s.host}:${s.port}.`)
  } catch (err) {
    return failed(err, ref)
  } finally {
    transport.close()
  }
}

export async function testImap(s: ImapServer, opts: TestOptions): Promise<ServerCheck> {
  const ref: ServerRef = { service: 'IMAP', host: s.host, port: s.port, security: s.security }
  const client = new ImapFlow({ ...imapOptions(s, { timeoutMs: Math.max(500, opts.timeoutMs - 500), insecureTls: opts.insecureTls }), disableAutoIdle: true })
  // imapflow also emits errors as events; the awaited call below is what reports them.
  client.on('error', () => {})
  try {
    const folders = await within(
      (async () => {
        await client.connect()
        return client.list()
      })(),
      opts.timeoutMs,
      () => client.close(),
    )
    return OK(`Signed in to ${s.host}:${s.port} and found ${folders.length} folder${folders.length === 1 ? '' : 's'}.`)
  } catch (err) {
    return failed(err, ref)
  } finally {
    if (client.usable) await client.logout().catch(() => client.close())
    else client.close()
  }
}

export async function testMailgun(cfg: MailgunConfig, opts: TestOptions): Promise<MailgunTestResult> {
  const host = new URL(cfg.apiBaseUrl ?? MAILGUN_BASE[cfg.region]).host
  const ac = new AbortController()
  try {
    const { state } = await within(mailgunDomain(cfg, { timeoutMs: opts.timeoutMs, signal: ac.signal }), opts.timeoutMs + 100, () => ac.abort())
    if (state && state !== 'active')
      return { ok: true, code: 'OK', state, message: `The key works and Mailgun knows ${cfg.sendingDomain}, but the domain is ${state}: add its DNS records in Mailgun, or mail goes only to authorised recipients.` }
    return { ...OK(`The key works and ${cfg.sendingDomain} is ready to send.`), state }
  } catch (err) {
    return { ...failed(err, { service: 'Mailgun', host, domain: cfg.sendingDomain }), state: null }
  }
}
