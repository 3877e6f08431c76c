// Running flows: a lead is advanced node by node in one transaction per lead, until it must wait (a wait
// node, an event condition before its timeout) or ends. A send is written into the one outbox inside
// that same transaction, so a crash between nodes neither repeats nor skips a send. Opens, clicks and
// replies make a waiting condition due at once; timeouts are its wait_until. No cron: the automation
// runner sleeps until nextLeadDueAt.
import { ActionConfig, ConditionConfig, WaitConfig, type FlowNode } from '../../../shared/flows'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { inTransaction, stmt } from '../db/stmt'
import { cancelWaiting } from '../outbound/cancel'
import { addLeadEvent, addNodeCounts, arrivedAt, dueLeads, leadRow, messageHad, sendsAt, sentAt, setLead, liveLeadsOf, waitingSendsOf, type DueLead, type LeadRow } from '../repos/flows'
import { gateLeads, noteHeld, waitEndsLater } from './flowClaims'
import type { queueMessageId } from '../outbound/queue'
import { delayMs, nextAllowed } from './sendWindow'
import { wallToInstant } from '../../../shared/zoneTime'
import { SliceCache, sendNode } from './flowSend'
import { configOf, graphCache, loops, type Graph, type Graphs } from './flowGraph'
import { Path, PathBuffer } from './flowPath'
import { textNode } from './flowText'

/** A lead passes at most this many nodes in one go: a loop without a wait is refused at activation, this is the fuse. */
const MAX_HOPS = 100
/** Due leads read at first in a slice; each next read doubles, so a slice cut short by its budget read at most twice what it used. */
const FETCH = 16
const STOPPED: Record<string, string> = { unsubscribed: 'The contact unsubscribed', complained: 'The contact complained', bounced: 'The contact’s address bounced' }

/** The rules of other domains a node uses, handed down by services/automation.ts (machinery never calls up). */
export interface FlowDeps {
  queue: typeof queueMessageId
  enrollInSequence(ctx: Ctx, sequenceId: number, contactId: number): void
  /** The `inSegment` condition (segments' one compiled query); absent where segments do not exist. */
  inSegment?(ctx: Ctx, segmentId: number, contactId: number): boolean
  /** The `notify` action: a task due now for a staff user (the tasks domain); absent where tasks do not exist. */
  notifyStaff?(ctx: Ctx, task: { title: string; contactId: number; assigneeId?: number }): void
}

/** How much one slice may do: at most `limit` leads, and it stops early once `budgetMs` of wall time passed. */
export interface SliceLimits {
  limit: number
  budgetMs?: number
}

/** A lead the team claims did not let this desktop move (see gateLeads). */
const HELD = 'held' as const

/** Thrown out of a slice's one transaction when a lead fails unexpectedly: the slice is replayed lead by lead. */
class LeadFailed extends Error {
  constructor(
    readonly index: number,
    readonly failure: unknown,
  ) {
    super('A lead failed')
  }
}

/** Path rows buffered in a slice before they are written (they are also written before any path read). */
const PATH_BATCH = 256

/**
 * Advances due leads in one transaction (a commit per lead cost more than the work). Each lead's steps and
 * its outbox row commit together. The slice runs with no savepoint per lead (a SAVEPOINT and RELEASE per lead
 * cost a tenth of the work); should a lead fail unexpectedly, the whole slice rolls back and is replayed up to
 * that lead with a savepoint each, so the lead is stopped alone with the reason, never retried in a loop, and
 * never takes the others' sends with it. The slice stops after `limit` leads or `budgetMs` of real time,
 * whichever comes first, so an RPC never waits long behind it; `more` says whether due leads are left.
 */
export function advanceDueLeads(
  ctx: Ctx,
  limits: number | SliceLimits,
  deps: FlowDeps,
  log: (m: string) => void = () => {},
): { handled: number; flowIds: Set<number>; more: boolean } {
  const { limit, budgetMs = Infinity } = typeof limits === 'number' ? { limit: limits } : limits
  const started = performance.now()
  // Read first: a runner turn with nothing due takes no write lock.
  const first = dueLeads(ctx, ctx.clock.now(), Math.min(limit, FETCH))
  if (!first.length) return { handled: 0, flowIds: new Set(), more: false }
  const graphs = graphCache(ctx)
  const slice = new SliceCache(ctx)
  // Leads the team claims let through in this call: a replay moves them without asking again (a claim is used once).
  const passed = new Set<number>()
  try {
    return runSlice(ctx, { first, limit, budgetMs, started, passed }, graphs, slice, deps, null)
  } catch (err) {
    if (!(err instanceof LeadFailed)) throw err
    // Rolled back whole: the same leads again up to the one that failed, each in its own savepoint.
    log(`[flows] a lead failed; replaying its slice lead by lead: ${(err.failure as Error)?.stack ?? String(err.failure)}`)
    return runSlice(ctx, { first, limit: err.index + 1, budgetMs: Infinity, started, passed }, graphs, slice, deps, log)
  }
}

/** One slice in one transaction; `log` set = the careful replay, a savepoint per lead. */
function runSlice(
  ctx: Ctx,
  s: { first: DueLead[]; limit: number; budgetMs: number; started: number; passed: Set<number> },
  graphs: Graphs,
  slice: SliceCache,
  deps: FlowDeps,
  log: ((m: string) => void) | null,
): { handled: number; flowIds: Set<number>; more: boolean } {
  const { limit, budgetMs, started } = s
  let due = s.first
  const flowIds = new Set<number>()
  const counts = new Map<string, number>()
  const buffer = new PathBuffer(ctx)
  let heldCount = 0
  /** The leads of the batch being walked that the team claims let through (null: not in a workspace, all go). */
  let allowed: Set<number> | null = null
  const step = (id: number): Map<string, number> | null | typeof HELD => {
    // Re-read inside the write: a hook may have moved the lead since the batch was read.
    const lead = leadRow(ctx, id)
    if (!lead || (lead.status !== 'pending' && lead.status !== 'waiting') || (lead.waitUntil ?? 0) > ctx.clock.now()) return null
    if (!s.passed.has(lead.id)) {
      if (allowed && !allowed.has(lead.id)) return HELD
      s.passed.add(lead.id)
    }
    const path = new Path(ctx, lead.id, lead.flowId, buffer)
    advanceLead(ctx, lead, graphs, slice, path, deps)
    path.end()
    if (log || buffer.rows.length >= PATH_BATCH) buffer.write()
    return path.counts
  }
  const careful = log ? ctx.sqlite.transaction(step) : null
  let handled = 0
  let more = true
  const seen = new Set<number>()
  inTransaction(
    ctx.sqlite,
    () => {
      walk()
      buffer.write()
      addNodeCounts(ctx, counts)
    },
    'immediate',
  )
  noteHeld(ctx, heldCount > 0)
  return { handled, flowIds, more }

  function walk(): void {
    // Due leads are read a few at a time (16, then doubling), so a slice cut short by its budget read little more than it used.
    while (due.length) {
      // One claim gate for the batch (a round asks PostgreSQL for all the leads it does not hold yet).
      allowed = gateLeads(ctx, due.filter((l) => !s.passed.has(l.id)).map((l) => l.id))
      for (const lead of due) {
        if ((handled && performance.now() - started >= budgetMs) || handled >= limit) return
        seen.add(lead.id)
        let added: Map<string, number> | null | typeof HELD = null
        if (!careful) {
          try {
            added = step(lead.id)
          } catch (err) {
            throw new LeadFailed(handled, err)
          }
        } else {
          try {
            added = careful(lead.id)
          } catch (err) {
            log!(`[flows] lead ${lead.id} failed: ${(err as Error).stack}`)
            buffer.rows = []
            // Its savepoint rolled back: the row is as it was before this step.
            const before = leadRow(ctx, lead.id)
            if (before) finish(ctx, before, before.currentNode ?? 'start', 'failed', 'Something went wrong at this step; the error has been logged')
          }
        }
        // Another desktop's to move (or not yet ours): not handled here.
        if (added === HELD) {
          heldCount++
          continue
        }
        // Counted only once the lead got through (a lead rolled back counts nothing).
        for (const [k, n] of added ?? []) counts.set(k, (counts.get(k) ?? 0) + n)
        handled++
        flowIds.add(lead.flowId)
      }
      if (handled >= limit) return
      // Every lead handled left the due list (it waits, ended, or failed); one seen again means stop.
      // Leads held back for their claims are still due: read past them, or they would hide the rest.
      due = dueLeads(ctx, ctx.clock.now(), Math.min(limit - handled, Math.max(FETCH, handled)) + heldCount).filter((l) => !seen.has(l.id))
    }
    more = false
  }
}

/**
 * Moves one lead from node to node until it must wait or ends. Its row is written once, with where it
 * stopped (the hops between are inside the same transaction, so nobody can see them).
 */
function advanceLead(ctx: Ctx, lead: LeadRow, graphs: Graphs, slice: SliceCache, path: Path, deps: FlowDeps): void {
  const graph = graphs.get(lead.flowId, lead.version)
  slice.forgetContact(lead.contactId)
  const contact = slice.contact(lead.contactId)
  if (!contact) return finish(ctx, lead, lead.currentNode ?? 'start', 'failed', 'The contact was deleted', path)
  const status = contact.status ?? 'active'
  if (STOPPED[status]) return (path.flush(), exitLead(ctx, lead, STOPPED[status]!))
  let nodeKey = lead.currentNode
  let resumed = lead.status === 'waiting'
  for (let hop = 0; hop < MAX_HOPS && nodeKey; hop++) {
    const entry = graph.get(nodeKey)
    if (!entry) return finish(ctx, lead, nodeKey, 'failed', `The node "${nodeKey}" is no longer in the flow`, path)
    if (!resumed) path.add(nodeKey, 'entered')
    const step = runNode(ctx, lead, graph, entry.node, resumed, slice, path, deps)
    resumed = false
    if (step.kind === 'wait') {
      setLead(ctx, lead.id, { status: 'waiting', current_node: nodeKey, wait_until: step.until, step_no: lead.stepNo + 1 })
      return
    }
    if (step.kind === 'end') return finish(ctx, lead, nodeKey, step.status, step.detail, path)
    const next = entry.out.find((e) => (step.branch ? e.branch === step.branch : true))
    if (!next) return finish(ctx, lead, nodeKey, 'completed', null, path)
    nodeKey = next.to
  }
  // Only a graph changed under a running lead can get here (activation refuses loops without a wait).
  finish(ctx, lead, nodeKey ?? 'start', 'failed', 'The flow kept going without a wait; the lead was stopped', path)
}

type Step = { kind: 'next'; branch?: 'yes' | 'no' } | { kind: 'wait'; until: number } | { kind: 'end'; status: 'completed' | 'failed'; detail: string | null }

function runNode(ctx: Ctx, lead: LeadRow, graph: Graph, node: FlowNode, resumed: boolean, slice: SliceCache, path: Path, deps: FlowDeps): Step {
  const now = ctx.clock.now()
  switch (node.type) {
    case 'start':
      return { kind: 'next' }
    case 'end':
      return { kind: 'end', status: 'completed', detail: null }
    case 'sendEmail': {
      // A loop through a wait passes the node again: each pass is its own once-only send.
      const pass = loops(graph, node.id) ? sendsAt(ctx, lead.id, node.id) + path.pending(node.id, 'sent') : 0
      const sent = sendNode(ctx, slice, lead, node, pass, deps.queue)
      if (!sent.ok) return { kind: 'end', status: 'failed', detail: sent.detail }
      path.add(node.id, 'sent', null, sent.outboundId)
      return { kind: 'next' }
    }
    case 'sendText': {
      const pass = loops(graph, node.id) ? sendsAt(ctx, lead.id, node.id) + path.pending(node.id, 'sent') : 0
      const r = textNode(ctx, slice, lead, node, pass)
      // Whatever the text's fate, the lead goes on: the step records it (sent, skipped or failed) with the reason.
      path.add(node.id, r.outcome, r.outcome === 'sent' ? null : r.detail, r.outcome === 'failed' ? null : r.outboundId)
      return { kind: 'next' }
    }
    case 'wait': {
      if (resumed) {
        // Team workspace: a wait ends when it said it would, even if a wake meant for the step before won the field.
        const until = waitEndsLater(ctx, lead.id, node.id, now)
        if (until !== null) return { kind: 'wait', until }
        return path.add(node.id, 'done'), { kind: 'next' }
      }
      const c = configOf(node, WaitConfig)
      let until: number
      if ('duration' in c) until = now + delayMs(c.duration)
      else if ('until' in c) until = nextAllowed(now + 1, { days: [c.until.weekday], startHour: c.until.hour, endHour: c.until.hour + 1 }, timezoneOf(ctx, lead))
      else {
        const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(fieldOf(ctx, lead.contactId, c.untilField.field) ?? '')
        if (!date) return { kind: 'end', status: 'failed', detail: `${node.id}: the contact has no date in "${c.untilField.field}"` }
        until = wallToInstant(+date[1]!, +date[2]!, +date[3]!, c.untilField.hour, 0, timezoneOf(ctx, lead))
        // A date already past lets the lead through at once (n8n's Wait does the same).
        if (until <= now) return path.add(node.id, 'done', 'The date had passed'), { kind: 'next' }
      }
      path.add(node.id, 'waiting', new Date(until).toISOString())
      return { kind: 'wait', until }
    }
    case 'condition': {
      const c = configOf(node, ConditionConfig)
      // An event condition reads the path (what was sent, when the lead arrived).
      if (c.kind === 'replied' || c.kind === 'opened' || c.kind === 'clicked') path.flush()
      const verdict = evaluate(ctx, lead, c, deps, slice)
      if (verdict === null) {
        // An event condition whose event has not happened: wait for it until the timeout.
        const within = 'within' in c && c.within ? delayMs(c.within) : 0
        const since = arrivedAt(ctx, lead.id, node.id) ?? now
        if (within && now < since + within) {
          if (!resumed) path.add(node.id, 'waiting', new Date(since + within).toISOString())
          return { kind: 'wait', until: since + within }
        }
      }
      const branch = verdict ? 'yes' : 'no'
      path.add(node.id, branch)
      return { kind: 'next', branch }
    }
    case 'action':
      try {
        return act(ctx, lead, node, path, deps)
      } finally {
        slice.forgetContact(lead.contactId)
      }
  }
}

/** true/false, or null for an event that has not happened (yet). */
function evaluate(ctx: Ctx, lead: LeadRow, c: ConditionConfig, deps: FlowDeps, slice: SliceCache): boolean | null {
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
      const v = fieldOf(ctx, lead.contactId, c.field, slice)
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

function fieldOf(ctx: Ctx, contactId: number, field: string, slice?: SliceCache): string | null {
  const col = STANDARD_FIELDS[field]
  // A standard field comes from the lead's contact as already read (the same columns, by the same names).
  const known = col && slice?.contact(contactId)
  if (known) {
    const v = known[field as keyof typeof known]
    if (v !== undefined) return v === null ? null : String(v)
  }
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

function act(ctx: Ctx, lead: LeadRow, node: FlowNode, path: Path, deps: FlowDeps): Step {
  const c = configOf(node, ActionConfig)
  const now = ctx.clock.now()
  if (c.kind === 'addTag') {
    if (stmt(ctx.sqlite, 'INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, created_at) VALUES (?, ?, ?)').run(c.tagId, lead.contactId, now).changes)
      ctx.hooks.emit('contacts.tagged', { contactIds: [lead.contactId], tagId: c.tagId })
  } else if (c.kind === 'removeTag') stmt(ctx.sqlite, 'DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?').run(c.tagId, lead.contactId)
  else if (c.kind === 'setField') {
    const col = STANDARD_FIELDS[c.field]
    if (col && col !== 'email' && col !== 'status') stmt(ctx.sqlite, `UPDATE contacts SET ${col} = ?, updated_at = ?, updated_by = NULL WHERE id = ?`).run(c.value, now, lead.contactId)
    else if (!col) stmt(ctx.sqlite, "UPDATE contacts SET fields_json = json_set(fields_json, '$.' || json_quote(?), ?), updated_at = ?, updated_by = NULL WHERE id = ?").run(c.field, c.value, now, lead.contactId)
    else return { kind: 'end', status: 'failed', detail: `A flow cannot change the contact's ${c.field}` }
  } else {
    try {
      if (c.kind === 'enrollSequence') deps.enrollInSequence(ctx, c.sequenceId, lead.contactId)
      else if (!deps.notifyStaff) throw new AppError('UNAVAILABLE', 'Tasks are not available in this version')
      else deps.notifyStaff(ctx, { title: c.title, contactId: lead.contactId, ...(c.assigneeId ? { assigneeId: c.assigneeId } : {}) })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return { kind: 'end', status: 'failed', detail: `${node.id}: ${err.message}` }
    }
  }
  path.add(node.id, 'done', c.kind)
  ctx.emit('contacts.changed', { ids: [lead.contactId] })
  return { kind: 'next' }
}

function finish(ctx: Ctx, lead: LeadRow, nodeKey: string, status: 'completed' | 'failed', detail: string | null, path?: Path): void {
  if (path) path.add(nodeKey, status === 'completed' ? 'done' : 'failed', detail)
  else addLeadEvent(ctx, lead.id, nodeKey, status === 'completed' ? 'done' : 'failed', detail)
  setLead(ctx, lead.id, { status, current_node: nodeKey, wait_until: null, last_error: status === 'failed' ? detail : null, step_no: lead.stepNo + 1 })
}

/** A lead leaves the flow wherever it is (unsubscribe, bounce, complaint); its unsent mail is withdrawn. */
export function exitLead(ctx: Ctx, lead: LeadRow, reason: string): void {
  for (const id of waitingSendsOf(ctx, lead.id)) cancelWaiting(ctx, id, reason)
  addLeadEvent(ctx, lead.id, lead.currentNode ?? 'start', 'exited', reason)
  setLead(ctx, lead.id, { status: 'exited', wait_until: null, last_error: reason, step_no: lead.stepNo + 1 })
}

/** Every lead of the contact still under way, or with mail not yet sent, exits (inside the hook's transaction). */
export function exitContact(ctx: Ctx, contactId: number, reason: string): number[] {
  const leads = liveLeadsOf(ctx, contactId)
  for (const l of leads) exitLead(ctx, l, reason)
  return [...new Set(leads.map((l) => l.flowId))]
}
