// The sendEmail node: who sends (the business's profile, a chosen profile, or a rotation of mailboxes
// with a sticky mailbox per lead, as sequences do), the template prepared once per node, and the row
// written into the one outbox inside the lead's transaction.
import { SendEmailConfig, type FlowNode } from '../../../shared/flows'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { cleanTemplateHtml, mustacheInTag } from '../outbound/outgoingHtml'
import { toContact, usableProfile, type ProfileRow, type queueMessageId } from '../outbound/queue'
import { flowRow, setLead, type FlowRow, type LeadRow } from '../repos/flows'
import { contactRow, objectRow, type ContactRow } from '../repos/templates'
import { activeProfile, profileById, profileOfMailbox, type SenderProfile } from './sender'
import { nextAllowed } from './sendWindow'
import { renderFor } from './templates'

/** A sendEmail node's template, sanitised once (not once per lead). */
export interface PreparedSend {
  config: SendEmailConfig
  /** The body cleaned like any outgoing HTML, its Handlebars kept; {{{x}}} became {{x}}. */
  html: string
  /**
   * True when every {{…}} of the cleaned body stands in text, where Handlebars' escaping makes any value
   * plain text: the rendered body needs no second sanitising. A {{…}} inside a tag (an href, a style) could
   * still carry a javascript: link, so such a body is sanitised again for every lead (the outbox does it).
   */
  clean: boolean
}
type SendEmailConfig = ReturnType<typeof SendEmailConfig.parse>

const prepared = new Map<string, PreparedSend>()
const PREPARED_MAX = 500


/** Keyed by the node's settings themselves, so an edited node (a new version) can never hit an old entry. */
export function prepareSend(node: FlowNode): PreparedSend {
  const key = JSON.stringify(node.config)
  let p = prepared.get(key)
  if (!p) {
    const config = SendEmailConfig.parse(node.config)
    const html = cleanTemplateHtml(config.html)
    p = { config, html, clean: !mustacheInTag(html) }
    if (prepared.size >= PREPARED_MAX) prepared.delete(prepared.keys().next().value!)
    prepared.set(key, p)
  }
  return p
}

/** What one slice of the runner reads once and shares between its leads. */
export class SliceCache {
  private flows = new Map<number, FlowRow>()
  private objects = new Map<number, ReturnType<typeof objectRow>>()
  private profiles = new Map<string, SenderProfile | undefined>()
  private sends = new WeakMap<FlowNode, PreparedSend>()
  private usable = new Map<number, ProfileRow>()
  private contacts = new Map<number, ContactRow | undefined>()
  constructor(private ctx: Ctx) {}
  flow(id: number): FlowRow {
    let f = this.flows.get(id)
    if (!f) this.flows.set(id, (f = flowRow(this.ctx, id)!))
    return f
  }
  object(id: number) {
    if (!this.objects.has(id)) this.objects.set(id, objectRow(this.ctx, id))
    return this.objects.get(id)
  }
  profile(kind: 'object' | 'id' | 'mailbox', id: number): SenderProfile | undefined {
    const key = `${kind}:${id}`
    if (!this.profiles.has(key)) this.profiles.set(key, kind === 'object' ? activeProfile(this.ctx, id) : kind === 'id' ? profileById(this.ctx, id) : profileOfMailbox(this.ctx, id))
    return this.profiles.get(key)
  }
  /**
   * The lead's contact, read once per lead's advance rather than by every node. The runner forgets it when
   * a lead starts and after every action (an action or its hooks may change the contact).
   */
  contact(id: number): ContactRow | undefined {
    if (!this.contacts.has(id)) this.contacts.set(id, contactRow(this.ctx, id))
    return this.contacts.get(id)
  }
  forgetContact(id: number): void {
    this.contacts.delete(id)
  }
  /** The profile checked for queueing once per slice (one transaction: it cannot change under the slice). */
  usableProfile(id: number): ProfileRow {
    let p = this.usable.get(id)
    if (!p) this.usable.set(id, (p = usableProfile(this.ctx, id)))
    return p
  }
  send(node: FlowNode): PreparedSend {
    let p = this.sends.get(node)
    if (!p) this.sends.set(node, (p = prepareSend(node)))
    return p
  }
}

export type SendOutcome = { ok: true; outboundId: number } | { ok: false; detail: string }

/**
 * The sender of a node: a rotation keeps the lead's mailbox once it has one (replies and reputation stay
 * with one address), else takes the lead's turn in the rotation, skipping mailboxes with no active profile.
 */
function senderOf(ctx: Ctx, s: SliceCache, lead: LeadRow, c: SendEmailConfig, flow: FlowRow): SenderProfile | string {
  if (c.mailboxIds?.length) {
    const sticky = lead.mailboxId !== null ? s.profile('mailbox', lead.mailboxId) : undefined
    if (sticky) return sticky
    for (let k = 0; k < c.mailboxIds.length; k++) {
      const box = c.mailboxIds[(lead.id + k) % c.mailboxIds.length]!
      const p = s.profile('mailbox', box)
      if (p && p.objectId === flow.objectId) {
        setLead(ctx, lead.id, { mailbox_id: box })
        lead.mailboxId = box
        return p
      }
    }
    return 'None of the rotation’s mailboxes has an active sender profile'
  }
  const p = c.profileId ? s.profile('id', c.profileId) : s.profile('object', flow.objectId)
  return p ?? 'The business has no active sender profile'
}

/** Renders the node for the lead and writes the outbox row (`pass`: how many times the lead was sent this node before). */
export function sendNode(ctx: Ctx, s: SliceCache, lead: LeadRow, node: FlowNode, pass: number, queue: typeof queueMessageId): SendOutcome {
  const { config: c, html, clean } = s.send(node)
  const flow = s.flow(lead.flowId)
  const contact = s.contact(lead.contactId)
  if (!contact?.email) return { ok: false, detail: 'The contact has no email address' }
  const object = s.object(flow.objectId)!
  const profile = senderOf(ctx, s, lead, c, flow)
  if (typeof profile === 'string') return { ok: false, detail: `${node.id}: ${profile}` }
  try {
    const r = renderFor(ctx, { subject: c.subject, html, subjectField: `${node.id}.subject`, htmlField: `${node.id}.html` }, contact, object, profile)
    const now = ctx.clock.now()
    const sendAt = c.window ? nextAllowed(now, c.window, contact.timezone ?? object.timezone) : now
    // Once-only per pass, even if this node were ever run twice for it.
    const idempotencyKey = `flow:${lead.id}:${node.id}:${lead.version}${pass ? `:${pass}` : ''}`
    const input = toContact(profile.id, { id: contact.id, email: contact.email }, r, { sendAt, source: 'flow', idempotencyKey })
    const known = { profile: s.usableProfile(profile.id), ...(contact.status ? { contactStatus: contact.status } : {}) }
    return { ok: true, outboundId: queue(ctx, { ...input, clean, known }).id }
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    // Never a blank or broken send: the lead stops here with the reason.
    return { ok: false, detail: `${node.id}: ${err.message}` }
  }
}
