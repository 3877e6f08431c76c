// What the scheduler needs from a way of sending. SMTP and Mailgun implement it; tests may wrap one.
import type { OutboxRow } from '../repos/outbox'
import { SendFailure } from './failure'

export interface Endpoint {
  /** Stable key of the server the row depends on, e.g. "smtp:127.0.0.1:2525"; offline state is kept per key. */
  key: string
  label: string
  host: string
  port: number
}

/** The endpoint of an HTTP API (Mailgun, Twilio): offline state is kept per host, named for people as "Name (host)". */
export function httpEndpoint(kind: string, name: string, baseUrl: string): Endpoint {
  const url = new URL(baseUrl)
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
  return { key: `${kind}:${url.host}`, label: `${name} (${url.host})`, host: url.hostname, port }
}

export interface Sender {
  endpoint(row: Pick<OutboxRow, 'transport' | 'mailboxId' | 'objectId'>): Endpoint
  /** Resolves when the server accepted the message; throws SendFailure otherwise. */
  send(row: OutboxRow): Promise<{ providerId: string | null }>
  /** After the row is recorded as sent: keep a copy (the SMTP Sent folder). Never throws. */
  afterSent?(row: OutboxRow): Promise<void>
  /**
   * Reconciliation after a crash mid-send: did the message leave? 'unknown' means the evidence could not be
   * read (the server is down); `false` means it was looked for and is not there.
   */
  wasSent(row: OutboxRow): Promise<boolean | 'unknown' | 'no-evidence'>
  /** How long after a send its evidence can be trusted to show up (server-side Sent copies, provider events). */
  settleMs: number
  /** Settings changed: drop pooled connections. */
  invalidate?(key: { mailboxId?: number; objectId?: number }): void
  close(): Promise<void> | void
}

/** The senders by transport. Texts (twilio) are optional so a bench or tool can build a mail-only scheduler. */
export type Senders = { smtp: Sender; mailgun: Sender; twilio?: Sender }

const noSender: Sender = {
  endpoint: () => ({ key: 'none', label: 'No sender', host: '', port: 0 }),
  send: () => Promise.reject(new SendFailure('permanent', 'Texts cannot be sent here: no Twilio sender')),
  wasSent: () => Promise.resolve(false),
  settleMs: 0,
  close() {},
}
/** The sender of a transport (a missing one fails its rows permanently rather than throwing in the loop). */
export const senderOf = (senders: Senders, transport: OutboxRow['transport']): Sender => senders[transport] ?? noSender
