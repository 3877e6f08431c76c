// Communications (seed 003): one message to one contact over the best channel, with fallback. The plan is the
// caller's channels or email → WhatsApp → SMS, less what the contact cannot get (no address, no consent, no
// sender, WhatsApp outside its window without a template). The first attempt is queued at once for its send
// time (urgency, business and quiet hours); when an attempt fails permanently or runs out of retries, the
// next channel's attempt is queued in the same transaction (an outbound.status hook). Each attempt is its own
// outbox row linked by communication_id; the next only starts after the previous failed, so no two channels
// deliver one communication.
import type { ParsedInput } from '../../../shared/contract'
import { planFor, type ChannelPreference, type Communication, type OutboxChannel, type TemplateRef } from '../../../shared/channels'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { optOutReason } from '../channels/consent'
import { cannotText, queueText, textContact } from '../channels/queueText'
import { sendTime, type QuietHours } from '../channels/timing'
import { queueMessage } from '../outbound/queue'
import { isRevoked } from '../repos/consent'
import {
  attemptsOf,
  communicationOfOutbound,
  communicationRow,
  communicationsOf,
  contactForComms,
  defaultProfileOf,
  insertCommunication,
  linkAttempt,
  quietHoursKey,
  setCommunicationStatus,
  setPreferredChannel,
  type CommunicationRow,
  type ContactForComms,
} from '../repos/communications'
import { getSetting, setSetting, deleteSetting } from '../repos/settings'
import { requireObject } from './objects'
import { assertMaySendFrom, maySendFrom } from './permissions'
// issue 22 item 5: who did what
import { actorEmail } from '../repos/authors'

interface Payload {
  email?: { subject: string; html: string; profileId?: number }
  text?: { body: string }
  template?: TemplateRef
}

const NAMES: Record<OutboxChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' }

export function quietHoursOf(ctx: Ctx, objectId: number): QuietHours | null {
  const v = getSetting(ctx, quietHoursKey(objectId))
  return v ? (JSON.parse(v) as QuietHours) : null
}

export function setQuietHours(ctx: Ctx, input: ParsedInput<'communications.setQuietHours'>) {
  requireObject(ctx, input.objectId)
  if (input.quietHours) setSetting(ctx, quietHoursKey(input.objectId), JSON.stringify(input.quietHours))
  else deleteSetting(ctx, quietHoursKey(input.objectId))
  return { objectId: input.objectId, quietHours: input.quietHours }
}

/** Why this channel cannot carry this communication to the contact now, or null when it can. */
function unavailable(ctx: Ctx, c: ContactForComms, channel: OutboxChannel, p: Payload): string | null {
  if (channel === 'email') {
    if (!p.email) return 'no email was written'
    if (!c.email) return 'the contact has no email address'
    if (isRevoked(ctx, c.id, 'email')) return 'the contact opted out of email'
    if (c.status !== 'active') return `the contact is ${c.status}`
    const profileId = p.email.profileId ?? defaultProfileOf(ctx, c.objectId!)
    if (!profileId) return 'the business has no sender profile'
    // The business's default sender when none was chosen: a staff member not assigned to it goes on to the next channel.
    if (!maySendFrom(ctx, profileId)) return 'you may not send from the business’s sender profile'
    return null
  }
  if (channel === 'sms' && !p.text) return 'no text was written'
  if (channel === 'whatsapp' && !p.text && !p.template) return 'no text or template was given'
  const out = optOutReason(ctx, c.id, channel)
  if (out) return out.replace(/^The contact/, 'the contact')
  const refused = cannotText(ctx, textContact(ctx, c.id), channel, channel === 'whatsapp' && Boolean(p.template))
  return refused ? refused.message.replace(/^./, (x) => x.toLowerCase()) : null
}

/** Queues the attempt on `channel`; returns its outbox row id and whether it was skipped at once. */
function queueAttempt(ctx: Ctx, comm: CommunicationRow, c: ContactForComms, channel: OutboxChannel, p: Payload, sendAt: number): { id: number; skipped: string | null } {
  const key = `communication:${comm.id}:${channel}`
  if (channel === 'email') {
    const row = queueMessage(ctx, { profileId: p.email!.profileId ?? defaultProfileOf(ctx, c.objectId!)!, to: [c.email!], subject: p.email!.subject, html: p.email!.html, contactId: c.id, sendAt, idempotencyKey: key })
    linkAttempt(ctx, row.id, comm.id)
    return { id: row.id, skipped: row.status === 'skipped' ? row.statusReason : null }
  }
  const useTemplate = channel === 'whatsapp' && p.template !== undefined
  const row = queueText(ctx, { contactId: c.id, channel, body: useTemplate ? undefined : p.text!.body, template: useTemplate ? p.template : undefined, sendAt, idempotencyKey: key, communicationId: comm.id })
  return { id: row.id, skipped: row.status === 'skipped' ? row.statusReason : null }
}

/**
 * Starts the next channel of the plan after `afterChannel` (or the first), skipping what cannot go and why.
 * Inside a transaction. Returns the outbox rows it wrote.
 */
function startNext(ctx: Ctx, comm: CommunicationRow, afterChannel: OutboxChannel | null, why: string[]): number[] {
  const plan = JSON.parse(comm.planJson) as OutboxChannel[]
  const p = JSON.parse(comm.payloadJson) as Payload
  const c = contactForComms(ctx, comm.contactId)!
  const tried = new Set(attemptsOf(ctx, comm.id).map((a) => a.channel))
  const now = ctx.clock.now()
  const written: number[] = []
  for (const channel of plan.slice(afterChannel === null ? 0 : plan.indexOf(afterChannel) + 1)) {
    if (tried.has(channel)) continue
    const no = unavailable(ctx, c, channel, p)
    if (no) {
      why.push(`${NAMES[channel]}: ${no}`)
      continue
    }
    const a = queueAttempt(ctx, comm, c, channel, p, Math.max(comm.sendAt, now))
    written.push(a.id)
    if (a.skipped) {
      why.push(`${NAMES[channel]}: ${a.skipped}`)
      continue
    }
    setCommunicationStatus(ctx, comm.id, comm.sendAt > now ? 'scheduled' : 'sending', null, now)
    return written
  }
  setCommunicationStatus(ctx, comm.id, afterChannel === null && !written.length ? 'skipped' : 'failed', why.join(' · ') || 'No channel could carry it', now)
  return written
}

export function sendCommunication(ctx: Ctx, input: ParsedInput<'communications.send'>): Communication {
  const c = contactForComms(ctx, input.contactId)
  if (!c) throw new AppError('NOT_FOUND', `Contact ${input.contactId} does not exist`, 'contactId')
  if (c.objectId === null) throw new AppError('VALIDATION', 'Contact not assigned to any object', 'contactId')
  // No channels named: the contact's preferred channel first, then email → WhatsApp → SMS (consent and addresses still decide).
  const plan = [...new Set(input.channels ?? planFor(c.preferredChannel))]
  if (plan.includes('email') && input.email?.profileId !== undefined) assertMaySendFrom(ctx, input.email.profileId, 'email.profileId')
  const tz = c.timezone || c.objectTimezone || 'UTC'
  const now = ctx.clock.now()
  const sendAt = sendTime(input.urgency, now, tz, quietHoursOf(ctx, c.objectId))
  const payload: Payload = { email: input.email, text: input.text, template: input.template }
  const id = ctx.sqlite.transaction(() => {
    const id = insertCommunication(ctx, { objectId: c.objectId!, contactId: c.id, urgency: input.urgency, planJson: JSON.stringify(plan), payloadJson: JSON.stringify(payload), status: 'scheduled', statusReason: null, sendAt, createdAt: now })
    startNext(ctx, communicationRow(ctx, id)!, null, [])
    return id
  }).immediate()
  ctx.outbound.scheduler.wake()
  ctx.emit('outbox.changed', { ids: attemptsOf(ctx, id).map((a) => a.outboundId) })
  return getCommunication(ctx, id)
}

export function getCommunication(ctx: Ctx, id: number): Communication {
  const r = communicationRow(ctx, id)
  if (!r) throw new AppError('NOT_FOUND', `Communication ${id} does not exist`, 'id')
  return {
    id: r.id,
    objectId: r.objectId,
    contactId: r.contactId,
    urgency: r.urgency as Communication['urgency'],
    plan: JSON.parse(r.planJson) as OutboxChannel[],
    status: r.status as Communication['status'],
    statusReason: r.statusReason,
    sendAt: iso(r.sendAt),
    attempts: attemptsOf(ctx, r.id),
    createdAt: iso(r.createdAt),
  }
}

export const listCommunications = (ctx: Ctx, input: ParsedInput<'communications.list'>): Communication[] =>
  communicationsOf(ctx, input.contactId, input.limit).map((r) => getCommunication(ctx, r.id))

const ENDED = new Set(['failed', 'bounced', 'cancelled'])

/** Follows each attempt's outcome: delivered ends the communication, a failure starts the next channel. */
export function wireCommunications(ctx: Ctx): void {
  ctx.hooks.on('outbound.status', ({ id, status, detail }) => {
    if (!ENDED.has(status) && status !== 'sent' && status !== 'delivered') return
    const link = communicationOfOutbound(ctx, id)
    if (!link?.communicationId) return
    const comm = communicationRow(ctx, link.communicationId)
    if (!comm) return
    const attempts = attemptsOf(ctx, comm.id)
    // Only the latest attempt moves the chain: a late event about an earlier one changes nothing.
    if (attempts.at(-1)?.outboundId !== id) return
    const now = ctx.clock.now()
    const channel = link.channel as OutboxChannel
    // Mail accepted by the server counts as delivered (a later bounce reopens the chain); a text when Twilio says so.
    if ((status === 'sent' && channel === 'email') || status === 'delivered') {
      setCommunicationStatus(ctx, comm.id, 'delivered', `${NAMES[channel]} delivered`, now)
      return
    }
    if (!ENDED.has(status)) return
    if (status === 'cancelled' && !(detail ?? '').startsWith('The contact opted out')) {
      setCommunicationStatus(ctx, comm.id, 'skipped', 'Cancelled', now)
      return
    }
    const why = attempts.slice(0, -1).filter((a) => a.statusReason).map((a) => `${NAMES[a.channel]}: ${a.statusReason}`)
    why.push(`${NAMES[channel]}: ${detail ?? status}`)
    if (startNext(ctx, comm, channel, why).length) ctx.outbound.scheduler.wake()
  })
}

// ---------- a contact's preferred channel ----------
export function preferenceOf(ctx: Ctx, contactId: number): ChannelPreference {
  const c = contactForComms(ctx, contactId)
  if (!c) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
  return { contactId, channel: c.preferredChannel }
}

export function setPreference(ctx: Ctx, input: ChannelPreference): ChannelPreference {
  if (!ctx.sqlite.transaction(() => setPreferredChannel(ctx, input.contactId, input.channel, ctx.clock.now(), actorEmail(ctx))).immediate())
    throw new AppError('NOT_FOUND', `Contact ${input.contactId} does not exist`, 'contactId')
  ctx.emit('contacts.changed', { ids: [input.contactId] })
  return preferenceOf(ctx, input.contactId)
}
