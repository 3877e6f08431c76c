// The Mailgun transport: the HTTP client (mailgun.ts) bound to an object's settings, plus the events
// poller that turns Mailgun's delivered/failed/opened/clicked/complained/unsubscribed into outbox state.
import type { Ctx } from '../context'
import { addEvent, recipientsOf, rowsWhere, transition, type OutboxRow } from '../repos/outbox'
import { filesToSend } from './attachments'
import { SendFailure } from './failure'
import { MAILGUN_BASE, mailgunEvents, mailgunSend, type MailgunConfig, type MailgunEvent } from './mailgun'
import { httpEndpoint, type Endpoint, type Sender } from './transport'
import { inlineDataImages } from './outgoingHtml'
import { stmt } from '../db/stmt'
import { getSetting, setSetting, settingKeys } from '../repos/settings'
import { suppress } from './suppression'

export function mailgunConfig(ctx: Ctx, objectId: number): MailgunConfig {
  const r = stmt(ctx.sqlite, 'SELECT sending_domain AS d, api_key_sealed AS k, region, api_base_url AS base FROM object_mailgun_settings WHERE object_id = ?')
    .get(objectId) as { d: string; k: string | null; region: 'us' | 'eu'; base: string | null } | undefined
  if (!r?.k) throw new SendFailure('auth', 'Business Mailgun not configured')
  return { sendingDomain: r.d, apiKey: ctx.secrets.open(r.k), region: r.region, apiBaseUrl: r.base }
}

const baseOf = (cfg: { region: 'us' | 'eu'; apiBaseUrl: string | null }) => cfg.apiBaseUrl ?? MAILGUN_BASE[cfg.region]

export function mailgunSender(ctx: Ctx): Sender {
  const endpoint = (row: Pick<OutboxRow, 'transport' | 'mailboxId' | 'objectId'>): Endpoint => {
    const r = stmt(ctx.sqlite, 'SELECT region, api_base_url AS base FROM object_mailgun_settings WHERE object_id = ?').get(row.objectId) as
      | { region: 'us' | 'eu'; base: string | null }
      | undefined
    return httpEndpoint('mailgun', 'Mailgun', r ? baseOf({ region: r.region, apiBaseUrl: r.base }) : MAILGUN_BASE.us)
  }
  return {
    endpoint,
    settleMs: 10_000,
    async send(row) {
      const cfg = mailgunConfig(ctx, row.objectId)
      // data: pictures travel as inline files; Mailgun gives each the Content-ID of its filename.
      const inline = inlineDataImages(row.html)
      const html = inline.attachments.reduce((h, a) => h.split(`cid:${a.cid}`).join(`cid:${a.filename}`), inline.html)
      const { providerId } = await mailgunSend(cfg, {
        messageId: row.messageId,
        from: row.fromName ? `${JSON.stringify(row.fromName)} <${row.fromEmail}>` : row.fromEmail,
        replyTo: row.replyTo,
        ...recipientsOf(row),
        attachments: filesToSend(ctx, row.id),
        subject: row.subject,
        html,
        text: row.text,
        inline: inline.attachments,
        tracking: row.tracking,
        headers: JSON.parse(row.headersJson) as Record<string, string>,
      })
      return { providerId }
    },
    async wasSent(row) {
      try {
        const cfg = mailgunConfig(ctx, row.objectId)
        const page = await mailgunEvents(cfg, { messageId: row.messageId, beginMs: (row.leaseUntil ?? ctx.clock.now()) - 86_400_000, limit: 10 })
        return page.items.length > 0
      } catch {
        return 'unknown'
      }
    },
    close() {},
  }
}

// Later statuses never move back: a message that was clicked was also delivered and opened.
const RANK: Record<string, number> = { sent: 0, delivered: 1, opened: 2, clicked: 3 }

/** Polls the events of every object that has sent through Mailgun; returns how many events were applied. */
export async function pollMailgunEvents(ctx: Ctx, log: (msg: string) => void = () => {}): Promise<number> {
  const objects = stmt(ctx.sqlite, "SELECT DISTINCT object_id AS id FROM outbound_messages WHERE transport = 'mailgun' AND sent_at IS NOT NULL")
    .all() as Array<{ id: number }>
  let applied = 0
  for (const { id } of objects) {
    try {
      applied += await pollObject(ctx, id)
    } catch (err) {
      log(`[mailgun] events for object ${id}: ${(err as Error).message}`)
    }
  }
  return applied
}

async function pollObject(ctx: Ctx, objectId: number): Promise<number> {
  const cfg = mailgunConfig(ctx, objectId)
  const key = settingKeys.mailgunEventsCursor(objectId)
  const cursor = getSetting(ctx, key)
  const first = stmt(ctx.sqlite, "SELECT min(sent_at) AS t FROM outbound_messages WHERE object_id = ? AND transport = 'mailgun'").get(objectId) as { t: number }
  // Re-read a few minutes of overlap: Mailgun may store events late. Provider event ids dedupe them.
  let page = await mailgunEvents(cfg, { beginMs: Math.max(cursor ? Number(cursor) - 5 * 60_000 : first.t - 60_000, 0), limit: 300 })
  let applied = 0
  let newest = cursor ? Number(cursor) : 0
  for (let guard = 0; guard < 100; guard++) {
    ctx.sqlite.transaction(() => {
      for (const e of page.items) {
        if (applyEvent(ctx, e)) applied++
        newest = Math.max(newest, e.timestamp)
      }
      if (newest) setSetting(ctx, key, String(newest))
    }).immediate()
    if (!page.nextPageUrl || page.items.length === 0) break
    page = await mailgunEvents(cfg, { pageUrl: page.nextPageUrl })
  }
  return applied
}

function applyEvent(ctx: Ctx, e: MailgunEvent): boolean {
  const [row] = rowsWhere(ctx, 'message_id = ? OR provider_id = ? LIMIT 1', e.messageId, e.messageId)
  if (!row) return false
  const type = e.event === 'failed' ? (e.severity === 'permanent' ? 'bounced' : 'deferred') : e.event
  const detail = [e.recipient, e.reason, e.description, e.url].filter(Boolean).join(' · ') || null
  if (!addEvent(ctx, row.id, type, detail, e.timestamp, e.id)) return false
  const now = ctx.clock.now()
  const upgrade = (status: 'delivered' | 'opened' | 'clicked') => {
    if ((RANK[row.status] ?? -1) >= 0 && RANK[status]! > RANK[row.status]!) {
      stmt(ctx.sqlite, 'UPDATE outbound_messages SET status = ?, updated_at = ? WHERE id = ?').run(status, now, row.id)
      // An open or a click wakes what waits on it (a flow's opened/clicked condition), in this transaction.
      if (status !== 'delivered') ctx.hooks.emit('outbound.status', { id: row.id, status, event: type, detail, source: row.source })
    }
  }
  switch (type) {
    case 'delivered':
    case 'opened':
    case 'clicked':
      upgrade(type)
      break
    case 'bounced':
      transition(ctx, row.id, null, { status: 'bounced', statusReason: e.reason ?? 'bounced', lastError: e.description ?? null }, 'status', 'Bounced')
      suppress(ctx, { objectId: row.objectId, outboundId: row.id, contactId: row.contactId }, e.recipient, 'bounced')
      break
    case 'complained':
    case 'unsubscribed':
      suppress(ctx, { objectId: row.objectId, outboundId: row.id, contactId: row.contactId }, e.recipient, type === 'complained' ? 'complained' : 'unsubscribed')
      break
  }
  return true
}
