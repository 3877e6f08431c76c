// Running flows: a lead is advanced node by node in one transaction per lead, until it must wait (a wait
// node, an event condition before its timeout) or ends. A send is written into the one outbox inside
// that same transaction, so a crash between nodes neither repeats nor skips a send. Opens, clicks and
// replies make a waiting condition due at once; timeouts are its wait_until. No cron: the automation
// runner sleeps until nextLeadDueAt.
import { ActionConfig, ConditionConfig, SendEmailConfig, WaitConfig, type FlowGraph, type FlowNode } from '../../../shared/flows'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { cancelWaiting } from '../outbound/cancel'
import { addLeadEvent, arrivedAt, dueLeads, flowRow, leadRow, messageHad, readGraph, sentAt, setLead, liveLeadsOf, waitingSendsOf, type LeadRow } from '../repos/flows'
import { toContact, type queueMessage } from '../outbound/queue'
import { activeProfile, profileById } from './sender'
import { delayMs } from './sendWindow'
import { nextAllowed } from './sendWindow'
import { contactRow, objectRow } from '../repos/templates'
import { renderFor } from './templates'

/** A lead passes at most this many nodes in one go: a loop without a wait is refused at activation, this is the fuse. */
const MAX_HOPS = 100
const STOPPED: Record<string, string> = { unsubscribed: 'The contact unsubscribed', complained: 'The contact complained', bounced: 'The contact’s address bounced' }

/** The rules of other domains a node uses, handed down by services/automation.ts (machinery never calls up). */
export interface FlowDeps {
  queue: typeof queueMessage
  enrollInSequence(ctx: Ctx, sequenceId: number, contactId: number): void
  /** The `inSegment` condition (segments' one compiled query); absent where segments do not exist. */
  inSegment?(ctx: Ctx, segmentId: number, contactId: number): boolean
}

interface Graphs {
  get(flowId: number, version: number): Map<string, { node: FlowNode; out: FlowGraph['edges'] }>
}
function graphCache(ctx: Ctx): Graphs {
  const cache = new Map<string, Map<string, { node: FlowNode; out: FlowGraph['edges'] }>>()
  return {
    get(flowId, version) {
      const key = `${flowId}:${version}`
      let g = cache.get(key)
      if (!g) {
        const graph = readGraph(ctx, flowId, version)
        g = new Map(graph.nodes.map((n) => [n.id, { node: n, out: graph.edges.filter((e) => e.from === n.id) }]))
        cache.set(key, g)
      }
      return g
    },
  }
}

/**
 * Advances up to `limit` due leads in one transaction (a commit per lead cost more than the work), each
 * lead in its own savepoint: a lead that fails unexpectedly is rolled back alone and stopped with the
 * reason, never retried in a loop, and never takes the others' sends with it.
 */
export function advanceDueLeads(ctx: Ctx, limit: number, deps: FlowDeps, log: (m: string) => void = () => {}): { handled: number; flowIds: Set<number> } {
  // Read first: a runner turn with nothing due takes no write lock.
  const due = dueLeads(ctx, ctx.clock.now(), limit)
  const flowIds = new Set<number>()
  if (!due.length) return { handled: 0, flowIds }
  const graphs = graphCache(ctx)
  const one = ctx.sqlite.transaction((id: number) => {
    // Re-read inside the write: a hook may have moved the lead since the batch was read.
    const lead = leadRow(ctx, id)
    if (lead && (lead.status === 'pending' || lead.status === 'waiting') && (lead.waitUntil ?? 0) <= ctx.clock.now()) advanceLead(ctx, lead, graphs, deps)
  })
  ctx.sqlite
    .transaction(() => {
      for (const lead of due) {
        try {
          one(lead.id)
        } catch (err) {
          log(`[flows] lead ${lead.id} failed: ${(err as Error).stack}`)
          finish(ctx, lead, lead.currentNode ?? 'start', 'failed', 'Something went wrong at this step; the error has been logged')
        }
        flowIds.add(lead.flowId)
      }
    })
    .immediate()
  return { handled: due.length, flowIds }
}

function advanceLead(ctx: Ctx, lead: LeadRow, graphs: Graphs, deps: FlowDeps): void {
  const graph = graphs.get(lead.flowId, lead.version)
  const contact = stmt(ctx.sqlite, 'SELECT status FROM contacts WHERE id = ?').get(lead.contactId) as { status: string } | undefined
  if (!contact) return finish(ctx, lead, lead.currentNode ?? 'start', 'failed', 'The contact was deleted')
  if (STOPPED[contact.status]) return exitLead(ctx, lead, STOPPED[contact.status]!)
  let nodeKey = lead.currentNode
  let resumed = lead.status === 'waiting'
  for (let hop = 0; hop < MAX_HOPS && nodeKey; hop++) {
    const entry = graph.get(nodeKey)
    if (!entry) return finish(ctx, lead, nodeKey, 'failed', `The node "${nodeKey}" is no longer in the flow`)
    if (!resumed) addLeadEvent(ctx, lead.id, nodeKey, 'entered')
    const step = runNode(ctx, lead, entry.node, resumed, deps)
    resumed = false
    if (step.kind === 'wait') {
      setLead(ctx, lead.id, { status: 'waiting', current_node: nodeKey, wait_until: step.until })
      return
    }
    if (step.kind === 'end') return finish(ctx, lead, nodeKey, step.status, step.detail)
    const next = entry.out.find((e) => (step.branch ? e.branch === step.branch : true))
    if (!next) return finish(ctx, lead, nodeKey, 'completed', null)
    nodeKey = next.to
    setLead(ctx, lead.id, { status: 'running', current_node: nodeKey, wait_until: null })
  }
  // Only a graph changed under a running lead can get here (activation refuses loops without a wait).
  finish(ctx, lead, nodeKey ?? 'start', 'failed', 'The flow kept going without a wait; the lead was stopped')
}

type Step = { kind: 'next'; branch?: 'yes' | 'no' } | { kind: 'wait'; until: number } | { kind: 'end'; status: 'completed' | 'failed'; detail: string | null }

function runNode(ctx: Ctx, lead: LeadRow, node: FlowNode, resumed: boolean, deps: FlowDeps): Step {
  const now = ctx.clock.now()
  switch (node.type) {
    case 'start':
      return { kind: 'next' }
    case 'end':
      return { kind: 'end', status: 'completed', detail: null }
    case 'sendEmail':
      return send(ctx, lead, node, deps)
    case 'wait': {
      if (resumed) return addLeadEvent(ctx, lead.id, node.id, 'done'), { kind: 'next' }
      const c = WaitConfig.parse(node.config)
      const until = 'duration' in c ? now + delayMs(c.duration) : nextAllowed(now + 1, { days: [c.until.weekday], startHour: c.until.hour, endHour: c.until.hour + 1 }, timezoneOf(ctx, lead))
      addLeadEvent(ctx, lead.id, node.id, 'waiting', new Date(until).toISOString())
      return { kind: 'wait', until }
    }
    case 'condition': {
      const c = ConditionConfig.parse(node.config)
      const verdict = evaluate(ctx, lead, c, deps)
      if (verdict === null) {
        // An event condition whose event has not happened: wait for it until the timeout.
        const within = 'within' in c && c.within ? delayMs(c.within) : 0
        const since = arrivedAt(ctx, lead.id, node.id) ?? now
        if (within && now < since + within) {
          if (!resumed) addLeadEvent(ctx, lead.id, node.id, 'waiting', new Date(since + within).toISOString())
          return { kind: 'wait', until: since + within }
        }
      }
      const branch = verdict ? 'yes' : 'no'
      addLeadEvent(ctx, lead.id, node.id, branch)
      return { kind: 'next', branch }
    }
    case 'action':
      return act(ctx, lead, node, deps)
  }
}

/** true/false, or null for an event that has not happened (yet). */
function evaluate(ctx: Ctx, lead: LeadRow, c: ConditionConfig, deps: FlowDeps): boolean | null {
  switch (c.kind) {
    case 'replied':
    case 'opened':
    case 'clicked': {
      const outboundId = sentAt(ctx, lead.id, c.nodeId)
      return outboundId !== null && messageHad(ctx, outboundId, c.kind) ? true : null
    }
    case 'hasTag':
      return !!stmt(ctx.sqlite, 'SELECT 1 FROM contact_tags WHERE contact_id = ? AND tag_id = ?').get(lead.contactId, c.tagId)
    case 'field': {
      const v = fieldOf(ctx, lead.contactId, c.field)
      const want = c.value.trim().toLowerCase()
      const have = (v ?? '').trim().toLowerCase()
      if (c.op === 'isEmpty') return have === ''
      if (c.op === 'isNotEmpty') return have !== ''
      if (c.op === 'equals') return have === want
      if (c.op === 'notEquals') return have !== want
      return have.includes(want)
    }
    case 'inSegment':
      if (!deps.inSegment) throw new AppError('UNAVAILABLE', 'Segments are not available in this version')
      return deps.inSegment(ctx, c.segmentId, lead.contactId)
  }
}

const STANDARD_FIELDS: Record<string, string> = { email: 'email', firstName: 'first_name', lastName: 'last_name', company: 'company', phone: 'phone', status: 'status' }

function fieldOf(ctx: Ctx, contactId: number, field: string): string | null {
  const col = STANDARD_FIELDS[field]
  const r = col
    ? (stmt(ctx.sqlite, `SELECT ${col} AS v FROM contacts WHERE id = ?`).get(contactId) as { v: unknown } | undefined)
    : (stmt(ctx.sqlite, "SELECT json_extract(fields_json, '$.' || json_quote(?)) AS v FROM contacts WHERE id = ?").get(field, contactId) as { v: unknown } | undefined)
  return r?.v === null || r?.v === undefined ? null : String(r.v)
}

function timezoneOf(ctx: Ctx, lead: LeadRow): string {
  const r = stmt(ctx.sqlite, 'SELECT c.timezone AS c, o.timezone AS o FROM flow_leads l JOIN flows f ON f.id = l.flow_id JOIN objects o ON o.id = f.object_id JOIN contacts c ON c.id = l.contact_id WHERE l.id = ?').get(lead.id) as
    | { c: string | null; o: string }
    | undefined
  return r?.c ?? r?.o ?? 'UTC'
}

function send(ctx: Ctx, lead: LeadRow, node: FlowNode, deps: FlowDeps): Step {
  const c = SendEmailConfig.parse(node.config)
  const flow = flowRow(ctx, lead.flowId)!
  const contact = contactRow(ctx, lead.contactId)
  if (!contact?.email) return { kind: 'end', status: 'failed', detail: 'The contact has no email address' }
  const object = objectRow(ctx, flow.objectId)!
  const profile = c.profileId ? profileById(ctx, c.profileId) : activeProfile(ctx, flow.objectId)
  if (!profile) return { kind: 'end', status: 'failed', detail: 'The business has no active sender profile' }
  let row
  try {
    const r = renderFor(ctx, { subject: c.subject, html: c.html, subjectField: `${node.id}.subject`, htmlField: `${node.id}.html` }, contact, object, profile)
    const now = ctx.clock.now()
    const sendAt = c.window ? nextAllowed(now, c.window, contact.timezone ?? object.timezone) : now
    // The key makes the send once-only even if this node were ever run twice for the lead.
    row = deps.queue(ctx, toContact(profile.id, { id: contact.id, email: contact.email }, r, { sendAt, source: 'flow', idempotencyKey: `flow:${lead.id}:${node.id}:${lead.version}` }))
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    // Never a blank or broken send: the lead stops here with the reason.
    return { kind: 'end', status: 'failed', detail: `${node.id}: ${err.message}` }
  }
  addLeadEvent(ctx, lead.id, node.id, 'sent', null, row.id)
  return { kind: 'next' }
}

function act(ctx: Ctx, lead: LeadRow, node: FlowNode, deps: FlowDeps): Step {
  const c = ActionConfig.parse(node.config)
  const now = ctx.clock.now()
  if (c.kind === 'addTag') {
    if (stmt(ctx.sqlite, 'INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, created_at) VALUES (?, ?, ?)').run(c.tagId, lead.contactId, now).changes)
      ctx.hooks.emit('contacts.tagged', { contactIds: [lead.contactId], tagId: c.tagId })
  } else if (c.kind === 'removeTag') stmt(ctx.sqlite, 'DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?').run(c.tagId, lead.contactId)
  else if (c.kind === 'setField') {
    const col = STANDARD_FIELDS[c.field]
    if (col && col !== 'email' && col !== 'status') stmt(ctx.sqlite, `UPDATE contacts SET ${col} = ?, updated_at = ? WHERE id = ?`).run(c.value, now, lead.contactId)
    else if (!col) stmt(ctx.sqlite, "UPDATE contacts SET fields_json = json_set(fields_json, '$.' || json_quote(?), ?), updated_at = ? WHERE id = ?").run(c.field, c.value, now, lead.contactId)
    else return { kind: 'end', status: 'failed', detail: `A flow cannot change the contact's ${c.field}` }
  } else if (c.kind === 'enrollSequence') {
    try {
      deps.enrollInSequence(ctx, c.sequenceId, lead.contactId)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return { kind: 'end', status: 'failed', detail: `${node.id}: ${err.message}` }
    }
  }
  addLeadEvent(ctx, lead.id, node.id, 'done', c.kind)
  ctx.emit('contacts.changed', { ids: [lead.contactId] })
  return { kind: 'next' }
}

function finish(ctx: Ctx, lead: LeadRow, nodeKey: string, status: 'completed' | 'failed', detail: string | null): void {
  addLeadEvent(ctx, lead.id, nodeKey, status === 'completed' ? 'done' : 'failed', detail)
  setLead(ctx, lead.id, { status, current_node: nodeKey, wait_until: null, last_error: status === 'failed' ? detail : null })
}

/** A lead leaves the flow wherever it is (unsubscribe, bounce, complaint); its unsent mail is withdrawn. */
export function exitLead(ctx: Ctx, lead: LeadRow, reason: string): void {
  for (const id of waitingSendsOf(ctx, lead.id)) cancelWaiting(ctx, id, reason)
  addLeadEvent(ctx, lead.id, lead.currentNode ?? 'start', 'exited', reason)
  setLead(ctx, lead.id, { status: 'exited', wait_until: null, last_error: reason })
}

/** Every lead of the contact still under way, or with mail not yet sent, exits (inside the hook's transaction). */
export function exitContact(ctx: Ctx, contactId: number, reason: string): number[] {
  const leads = liveLeadsOf(ctx, contactId)
  for (const l of leads) exitLead(ctx, l, reason)
  return [...new Set(leads.map((l) => l.flowId))]
}
