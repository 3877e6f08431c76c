// How a configured IMAP server becomes imapflow's options, for the sync workers and the outbox's Sent
// folder alike: the security setting maps onto imapflow's two TLS switches in one place.
import type { ImapFlowOptions } from 'imapflow'

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
