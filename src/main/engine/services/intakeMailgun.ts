// Receiving through Mailgun (issue 18 item 3), the settings side: switch it on for a business on Mailgun
// with no IMAP mailbox (its addresses on the sending domain), off again, and its status for the settings
// screen. The polling itself is machinery (inbound/mailgunInbound.ts), woken through a hook.
import type { ParsedInput } from '../../../shared/contract'
import type { MailgunInboundStatus } from '../../../shared/intake'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import * as repo from '../repos/intake'
import { mailgunRowOf } from '../repos/mailgun'
import { requireObject } from './objects'

export function inboundStatus(ctx: Ctx, objectId: number): MailgunInboundStatus {
  requireObject(ctx, objectId)
  const r = repo.inboundRow(ctx, objectId)
  const t = (ms: number | null | undefined) => (ms == null ? null : iso(ms))
  return {
    objectId,
    enabled: r?.enabled === 1,
    addresses: r ? (JSON.parse(r.addressesJson) as string[]) : [],
    routeId: r?.routeId ?? null,
    routeExpression: r?.routeExpression ?? null,
    lastPollAt: t(r?.lastPollAt),
    lastReceivedAt: t(r?.lastReceivedAt),
    lastError: r?.lastError ?? null,
    received: r?.received ?? 0,
  }
}

export function enableInbound(ctx: Ctx, { objectId, addresses }: ParsedInput<'intake.mailgun.enable'>): MailgunInboundStatus {
  requireObject(ctx, objectId)
  const mg = mailgunRowOf(ctx, objectId)
  if (!mg?.apiKeySealed) throw new AppError('VALIDATION', 'Set up Mailgun for this business first (sending domain and API key)', 'objectId')
  if (repo.hasImapMailbox(ctx, objectId)) throw new AppError('CONFLICT', 'This business already receives its mail over IMAP; Mailgun receiving is for a business without a mailbox', 'objectId')
  const domain = mg.sendingDomain.toLowerCase()
  const off = addresses.find((a) => a.split('@')[1] !== domain)
  if (off) throw new AppError('VALIDATION', `Mailgun receives only at addresses on ${domain} (its sending domain); ${off} is not`, 'addresses')
  const unique = [...new Set(addresses)]
  ctx.sqlite.transaction(() => {
    const mailboxId = repo.receiveOnlyMailbox(ctx, objectId, unique[0]!, ctx.clock.now())
    repo.saveInbound(ctx, objectId, unique, mailboxId, ctx.clock.now())
  })()
  ctx.hooks.emit('intake.mailgunChanged', { objectId })
  ctx.emit('intake.changed', { objectId })
  return inboundStatus(ctx, objectId)
}

/** Stops polling; the route stays on Mailgun (other tools may use it) and the mail already received stays. */
export function disableInbound(ctx: Ctx, objectId: number): MailgunInboundStatus {
  requireObject(ctx, objectId)
  repo.disableInbound(ctx, objectId)
  ctx.hooks.emit('intake.mailgunChanged', { objectId })
  ctx.emit('intake.changed', { objectId })
  return inboundStatus(ctx, objectId)
}
