// SMTP through nodemailer, one pool per mailbox. The MIME is a pure function of the row (mailOf), so the
// bytes sent, the bytes kept in Sent and the Message-ID looked for after a crash are the same.
import { createHash } from 'node:crypto'
import nodemailer, { type Transporter } from 'nodemailer'
import MailComposer from 'nodemailer/lib/mail-composer'
import type { Ctx } from '../context'
import { recipientsOf, type OutboxRow } from '../repos/outbox'
import { describeServerError, type ServerRef } from '../../../shared/serverErrors'
import { failureOfProblem, SendFailure } from './failure'
import { filesToSend, type FileToSend } from './attachments'
import { inlineDataImages } from './outgoingHtml'
import { sentSessions } from './sentSessions'
import type { Endpoint, Sender } from './transport'
import { stmt } from '../db/stmt'
import { smtpOptions } from '../imapOptions'

interface MailboxConfig {
  id: number
  updatedAt: number
  smtp: { host: string; port: number; security: 'tls' | 'starttls' | 'none'; user: string; password: string }
  imap: { host: string; port: number; security: 'tls' | 'starttls' | 'none'; user: string; password: string } | null
  sentCopy: 'append' | 'server' | 'none'
}

export interface SmtpOptions {
  /** Connections per mailbox pool. */
  poolSize?: number
  /** Accept self-signed certificates (tests against the loopback servers only). */
  insecureTls?: boolean
  log?: (msg: string) => void
}

export function smtpSender(ctx: Ctx, opts: SmtpOptions = {}): Sender & { config(mailboxId: number): MailboxConfig } {
  const pools = new Map<number, { updatedAt: number; transporter: Transporter }>()
  const log = opts.log ?? (() => {})

  // Decrypted settings per mailbox, reused until the row's updated_at changes (one cheap lookup per send).
  const configs = new Map<number, MailboxConfig>()
  function config(mailboxId: number): MailboxConfig {
    const stamp = stmt(ctx.sqlite, 'SELECT updated_at AS u FROM mailboxes WHERE id = ?').get(mailboxId) as { u: number } | undefined
    const have = configs.get(mailboxId)
    if (stamp && have && have.updatedAt === stamp.u) return have
    const fresh = loadConfig(mailboxId)
    configs.set(mailboxId, fresh)
    return fresh
  }

  function loadConfig(mailboxId: number): MailboxConfig {
    const r = stmt(ctx.sqlite, 
        `SELECT id, updated_at AS updatedAt, smtp_host, smtp_port, smtp_security, smtp_user, smtp_password_sealed,
                imap_host, imap_port, imap_security, imap_user, imap_password_sealed, sent_copy FROM mailboxes WHERE id = ?`,
      )
      .get(mailboxId) as Record<string, never> | undefined
    if (!r) throw new SendFailure('permanent', 'The mailbox was deleted')
    const imap =
      r.imap_host && r.imap_port && r.imap_user && r.imap_password_sealed
        ? { host: r.imap_host, port: r.imap_port, security: r.imap_security, user: r.imap_user, password: ctx.secrets.open(r.imap_password_sealed) }
        : null
    return {
      id: r.id,
      updatedAt: r.updatedAt,
      smtp: { host: r.smtp_host, port: r.smtp_port, security: r.smtp_security, user: r.smtp_user, password: ctx.secrets.open(r.smtp_password_sealed) },
      imap,
      sentCopy: r.sent_copy,
    }
  }

  function pool(cfg: MailboxConfig): Transporter {
    const have = pools.get(cfg.id)
    if (have && have.updatedAt === cfg.updatedAt) return have.transporter
    have?.transporter.close()
    const { smtp } = cfg
    const transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: opts.poolSize ?? 3,
      maxMessages: 500,
      ...smtpOptions(smtp, opts.insecureTls),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    })
    pools.set(cfg.id, { updatedAt: cfg.updatedAt, transporter })
    return transporter
  }

  async function send(row: OutboxRow): Promise<{ providerId: string | null }> {
    const cfg = config(row.mailboxId!)
    try {
      const mail = mailOf(row, filesToSend(ctx, row.id))
      // nodemailer streams the MIME straight into the SMTP DATA (no second copy built here); mailOf() makes
      // it the same bytes afterSent() appends to Sent. Bcc is in the envelope only (nodemailer drops the header).
      const info = await pool(cfg).sendMail({ ...mail, envelope: { from: row.fromEmail, to: [...mail.to, ...mail.cc, ...mail.bcc] } })
      // nodemailer resolves when at least one recipient was accepted; a partial rejection is recorded, not retried.
      if ((info.rejected?.length ?? 0) > 0 && (info.accepted?.length ?? 0) === 0) throw new SendFailure('permanent', `Rejected: ${info.response}`)
      return { providerId: null }
    } catch (err) {
      throw classifySmtp(err, { service: 'SMTP', host: cfg.smtp.host, port: cfg.smtp.port, security: cfg.smtp.security })
    }
  }

  // Copies and searches share one IMAP session per mailbox (sentSessions.ts).
  const sent = sentSessions({ insecureTls: opts.insecureTls })
  const imapOf = (mailboxId: number) => () => config(mailboxId).imap!

  async function afterSent(row: OutboxRow): Promise<void> {
    try {
      const cfg = config(row.mailboxId!)
      if (cfg.sentCopy !== 'append' || !cfg.imap) return
      // The sender's own copy keeps the Bcc line, as Thunderbird's does.
      const mime = await buildMime(row, filesToSend(ctx, row.id), { keepBcc: true })
      await sent.inSent(cfg.id, imapOf(cfg.id), async (client, path) => void (await client.append(path, mime, ['\\Seen'])))
    } catch (err) {
      log(`[smtp] could not keep a copy of ${row.messageId} in Sent: ${(err as Error).message}`)
    }
  }

  async function wasSent(row: OutboxRow): Promise<boolean | 'unknown' | 'no-evidence'> {
    const cfg = config(row.mailboxId!)
    if (!cfg.imap || cfg.sentCopy === 'none') return 'no-evidence'
    try {
      return await sent.inSent(cfg.id, imapOf(cfg.id), async (client, path) => {
        const lock = await client.getMailboxLock(path)
        try {
          const found = await client.search({ header: { 'message-id': row.messageId } }, { uid: true })
          return Array.isArray(found) && found.length > 0
        } finally {
          lock.release()
        }
      })
    } catch (err) {
      log(`[smtp] could not search Sent for ${row.messageId}: ${(err as Error).message}`)
      return 'unknown'
    }
  }

  const endpoint = (row: Pick<OutboxRow, 'transport' | 'mailboxId' | 'objectId'>): Endpoint => {
    const r = stmt(ctx.sqlite, 'SELECT smtp_host AS host, smtp_port AS port, email FROM mailboxes WHERE id = ?').get(row.mailboxId) as
      | { host: string; port: number; email: string }
      | undefined
    if (!r) return { key: `smtp:mailbox:${row.mailboxId}`, label: 'deleted mailbox', host: '127.0.0.1', port: 1 }
    return { key: `smtp:${r.host}:${r.port}`, label: `SMTP ${r.host}:${r.port}`, host: r.host, port: r.port }
  }

  return {
    config,
    endpoint,
    send,
    afterSent,
    wasSent,
    settleMs: 5_000,
    invalidate: ({ mailboxId }) => {
      if (mailboxId === undefined) return
      pools.get(mailboxId)?.transporter.close()
      pools.delete(mailboxId)
      configs.delete(mailboxId)
    },
    close: () => {
      for (const p of pools.values()) p.transporter.close()
      pools.clear()
    },
  }
}

/**
 * The message as nodemailer takes it. Date, Message-ID and the MIME boundary are fixed by the row, so
 * building it twice (the send, then the Sent copy) gives the same bytes.
 */
export function mailOf(row: OutboxRow, files: readonly FileToSend[] = []) {
  const inline = inlineDataImages(row.html)
  return {
    from: { name: row.fromName, address: row.fromEmail },
    replyTo: row.replyTo ?? undefined,
    ...recipientsOf(row),
    subject: row.subject,
    html: inline.html,
    text: row.text,
    // Files first, then the pictures the text shows inline (cid: parts).
    attachments: [...files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.content })), ...inline.attachments],
    messageId: row.messageId,
    date: new Date(row.createdAt),
    headers: JSON.parse(row.headersJson) as Record<string, string>,
    baseBoundary: createHash('sha256').update(row.messageId).digest('hex').slice(0, 16),
  }
}

export function buildMime(row: OutboxRow, files: readonly FileToSend[] = [], opts: { keepBcc?: boolean } = {}): Promise<Buffer> {
  const node = new MailComposer(mailOf(row, files)).compile()
  if (opts.keepBcc) node.keepBcc = true
  return node.build()
}

/**
 * nodemailer's errors → the five kinds the outbox acts on. Connection and sign-in problems are said in
 * words by the shared mapping (serverErrors.ts); a server's reply to the message itself keeps its reply line.
 */
export function classifySmtp(err: unknown, ref: ServerRef = { service: 'SMTP', host: 'the server' }): SendFailure {
  if (err instanceof SendFailure) return err
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string; command?: string }
  const connectionLevel = failureOfProblem(describeServerError(err, ref))
  if (connectionLevel) return connectionLevel
  const text = (e.response || e.message || 'SMTP error').replace(/\s+/g, ' ').slice(0, 300)
  const code = e.responseCode
  if (code && code >= 500) return new SendFailure('permanent', text)
  if (code === 421 || code === 450 || code === 451 || code === 452) {
    if (/rate|too many|throttl|try again later/i.test(text)) return new SendFailure('rate_limit', text)
    return new SendFailure('transient', text)
  }
  if (code && code >= 400) return new SendFailure('transient', text)
  if (['ECONNECTION', 'ESOCKET'].includes(e.code ?? '')) return new SendFailure('offline', describeServerError(err, ref).message, undefined, 'NETWORK')
  return new SendFailure('transient', text)
}
