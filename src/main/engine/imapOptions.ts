// How a configured IMAP server becomes imapflow's options (sync workers, the outbox's Sent folder, the set-up
// check) and an SMTP server nodemailer's (the sender's pools, the set-up check): the security setting maps
// onto each library's TLS switches in one place.
import type { ImapFlowOptions } from 'imapflow'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'

export interface ImapServer {
  host: string
  port: number
  security: 'tls' | 'starttls' | 'none'
  user: string
  password: string
}

export function imapOptions(server: ImapServer, opts: { timeoutMs: number; insecureTls?: boolean }): ImapFlowOptions {
  return {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    doSTARTTLS: server.security === 'starttls' ? true : server.security === 'none' ? false : undefined,
    auth: { user: server.user, pass: server.password },
    logger: false,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    tls: opts.insecureTls ? { rejectUnauthorized: false } : undefined,
  }
}

/** nodemailer's connection options for an SMTP server; callers add pooling and their timeouts. */
export function smtpOptions(server: ImapServer, insecureTls?: boolean): SMTPTransport.Options {
  return {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    requireTLS: server.security === 'starttls',
    ignoreTLS: server.security === 'none',
    auth: { user: server.user, pass: server.password },
    tls: insecureTls ? { rejectUnauthorized: false } : undefined,
  }
}
