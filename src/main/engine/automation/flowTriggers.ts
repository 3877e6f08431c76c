// What moves flows from outside, inside the causing transaction (hooks.ts): a trigger enrols a contact
// (tag added, contact created); an open, click or reply makes the conditions waiting on it due now; an
// unsubscribe, complaint or bounce takes the contact out of every flow wherever it is.
import { FlowTrigger } from '../../../shared/flows'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { addEvent } from '../repos/outbox'
import { insertLeads, leadsSent, readGraph, setLead } from '../repos/flows'
import { exitContact } from './flowRun'

/** Enrols the contacts in every active flow of their business whose trigger matches. Returns the flows. */
function enrollByTrigger(ctx: Ctx, contactIds: number[], matches: (t: FlowTrigger) => boolean): number[] {
  const flows = stmt(ctx.sqlite, "SELECT id, object_id AS objectId, version, trigger_json AS t FROM flows WHERE status = 'active' AND trigger_json NOT LIKE '%\"manual\"%'").all() as Array<{
    id: number
    objectId: number
    version: number
    t: string
  }>
  const hit: number[] = []
  for (const f of flows) {
    if (!matches(FlowTrigger.parse(JSON.parse(f.t)))) continue
    const start = readGraph(ctx, f.id, f.version).nodes.find((n) => n.type === 'start')
    if (!start) continue
    const eligible = (
      stmt(
        ctx.sqlite,
        "SELECT c.id FROM json_each(?) j CROSS JOIN contacts c ON c.id = j.value WHERE c.status = 'active' AND (c.email <> '' OR c.phone <> '') AND (c.primary_object_id = ? OR c.primary_object_id IS NULL)",
      ).all(JSON.stringify(contactIds), f.objectId) as Array<{ id: number }>
    ).map((r) => r.id)
    if (eligible.length && insertLeads(ctx, f.id, f.version, start.id, eligible)) hit.push(f.id)
  }
  return hit
}

/** Leads that were sent this message and wait on a condition look again now. */
function wakeLeadsOf(ctx: Ctx, outboundId: number): number[] {
  const now = ctx.clock.now()
  const leads = leadsSent(ctx, outboundId).filter((l) => l.status === 'waiting')
  for (const l of leads) setLead(ctx, l.id, { wait_until: now })
  return [...new Set(leads.map((l) => l.flowId))]
}

const isFlowRow = (ctx: Ctx, id: number) => !!stmt(ctx.sqlite, "SELECT 1 FROM outbound_messages WHERE id = ? AND source = 'flow'").get(id)

/** Subscribes flows to the domain hooks; `moved(flowIds)` wakes the runner and tells the renderers. */
export function wireFlowHooks(ctx: Ctx, moved: (flowIds: number[]) => void): Array<() => void> {
  const report = (ids: number[]) => ids.length && moved(ids)
  return [
    ctx.hooks.on('contacts.created', ({ ids }) => report(enrollByTrigger(ctx, ids, (t) => t.type === 'contactCreated'))),
    ctx.hooks.on('contacts.tagged', ({ contactIds, tagId }) => report(enrollByTrigger(ctx, contactIds, (t) => t.type === 'tagAdded' && t.tagId === tagId))),
    ctx.hooks.on('outbound.status', ({ id, status, source }) => {
      if (source === 'flow' && (status === 'opened' || status === 'clicked')) report(wakeLeadsOf(ctx, id))
    }),
    ctx.hooks.on('outbound.replied', ({ outboundId }) => {
      if (!isFlowRow(ctx, outboundId)) return
      // The reply is recorded on the message (as sequences do) so conditions and analytics see it.
      if (!stmt(ctx.sqlite, "SELECT 1 FROM message_events WHERE outbound_id = ? AND type = 'replied'").get(outboundId)) addEvent(ctx, outboundId, 'replied', null)
      report(wakeLeadsOf(ctx, outboundId))
    }),
    ctx.hooks.on('outbound.bounced', ({ contactId, email }) => contactId !== null && report(exitContact(ctx, contactId, `${email} bounced`))),
    ctx.hooks.on('contacts.unsubscribed', ({ contactId, reason }) => report(exitContact(ctx, contactId, reason === 'complained' ? 'The contact complained' : 'The contact unsubscribed'))),
  ]
}
