// Flows' rules: versioned graphs (editing a running flow makes a new version; its leads finish on
// theirs), activation only of a graph that validates, idempotent enrolment, and the read models of the
// editor (leads with their path, per-node counts).
import { FlowTrigger, SendTextConfig, validateGraph, type Flow, type FlowGraph, type FlowLead, type FlowStats, type GraphProblem } from '../../../shared/flows'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { decodeIntCursor, encodeCursor } from '../repos/cursor'
import {
  activeLeadCount,
  deleteFlowRow,
  dropUnusedVersions,
  flowRow,
  flowRows,
  insertFlow,
  insertLeads,
  leadsPage,
  pathsOf,
  readGraph,
  setFlow,
  statsOf,
  writeGraph,
  type FlowRow,
} from '../repos/flows'
import { cancelWaiting } from '../outbound/cancel'
import { waitingSendsOf } from '../repos/flows'
import { segmentCondition } from './segments'
import { senderFor } from '../channels/queueText'
import { compile, renderOne } from '../automation/templates'
import { textVars } from '../automation/flowText'
import { contactRow, objectRow } from '../repos/templates'
import { profileOfMailbox } from '../automation/sender'
import { assertMaySendFrom } from './permissions'

function load(ctx: Ctx, id: number, field = 'id'): FlowRow {
  const f = flowRow(ctx, id)
  if (!f) throw new AppError('NOT_FOUND', `Flow ${id} does not exist`, field)
  return f
}

function toFlow(ctx: Ctx, f: FlowRow): Flow {
  return {
    id: f.id,
    objectId: f.objectId,
    name: f.name,
    trigger: FlowTrigger.parse(JSON.parse(f.triggerJson)),
    status: f.status,
    version: f.version,
    graph: readGraph(ctx, f.id, f.version),
    activeLeads: activeLeadCount(ctx, f.id),
    createdAt: iso(f.createdAt),
    updatedAt: iso(f.updatedAt),
  }
}

/** The editor reloads; the runner looks again now (new leads are due at once, a resumed flow's waits may be over). */
const changed = (ctx: Ctx, ids: number[]) => {
  ctx.emit('flows.changed', { flowIds: ids })
  ctx.automation.wake()
}

/** Every problem as a field error named after its node, so the editor marks the nodes. */
function refuse(problems: GraphProblem[]): never {
  const fields = problems.map((p) => ({ field: p.nodeId ? `graph.nodes.${p.nodeId}` : 'graph', message: p.message }))
  throw new AppError('VALIDATION', problems.length === 1 ? problems[0]!.message : `The flow has ${problems.length} problems: ${problems[0]!.message}, …`, fields[0]!.field, fields)
}

function checkReferences(ctx: Ctx, objectId: number, g: FlowGraph): GraphProblem[] {
  const problems: GraphProblem[] = []
  for (const n of g.nodes) {
    const c = n.config as { tagId?: unknown; profileId?: unknown; sequenceId?: unknown; segmentId?: unknown; mailboxIds?: unknown; assigneeId?: unknown }
    if (typeof c.tagId === 'number' && !stmt(ctx.sqlite, 'SELECT 1 FROM tags WHERE id = ?').get(c.tagId)) problems.push({ nodeId: n.id, message: `Tag ${c.tagId} does not exist` })
    if (typeof c.profileId === 'number' && !stmt(ctx.sqlite, 'SELECT 1 FROM email_sending_profiles WHERE id = ? AND object_id = ?').get(c.profileId, objectId))
      problems.push({ nodeId: n.id, message: 'That sender profile is not one of this business’s' })
    if (typeof c.sequenceId === 'number' && !stmt(ctx.sqlite, 'SELECT 1 FROM sequences WHERE id = ?').get(c.sequenceId)) problems.push({ nodeId: n.id, message: `Sequence ${c.sequenceId} does not exist` })
    if (typeof c.segmentId === 'number' && !stmt(ctx.sqlite, 'SELECT 1 FROM segments WHERE id = ?').get(c.segmentId)) problems.push({ nodeId: n.id, message: `Segment ${c.segmentId} does not exist` })
    if (Array.isArray(c.mailboxIds))
      for (const box of c.mailboxIds)
        if (!stmt(ctx.sqlite, "SELECT 1 FROM email_sending_profiles WHERE mailbox_id = ? AND object_id = ? AND transport = 'smtp' AND is_active = 1").get(box, objectId))
          problems.push({ nodeId: n.id, message: `Mailbox ${box} is not one of this business’s sending mailboxes` })
    if (typeof c.assigneeId === 'number' && !stmt(ctx.sqlite, 'SELECT 1 FROM users WHERE id = ?').get(c.assigneeId)) problems.push({ nodeId: n.id, message: `Staff user ${c.assigneeId} does not exist` })
    if (n.type === 'sendText') problems.push(...textProblems(ctx, objectId, n))
  }
  return problems
}

/** A text step needs the business's Twilio sender for its channel, and a message whose variables exist. */
function textProblems(ctx: Ctx, objectId: number, n: FlowGraph['nodes'][number]): GraphProblem[] {
  const parsed = SendTextConfig.safeParse(n.config)
  if (!parsed.success) return []
  const c = parsed.data
  const problems: GraphProblem[] = []
  const channel = c.channel === 'whatsapp' ? 'WhatsApp' : 'SMS'
  if (!senderFor(ctx, objectId, c.channel)) problems.push({ nodeId: n.id, message: `Text "${n.id}": the business has no ${channel} sender; add one in its Twilio settings` })
  const sources: Array<[string, string]> = [[c.body, `${n.id}.body`], ...Object.entries(c.template?.variables ?? {}).map(([k, v]): [string, string] => [v, `${n.id}.template.variables.${k}`])]
  for (const [source, field] of sources) {
    try {
      compile(source, field, false)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      problems.push({ nodeId: n.id, message: `Text "${n.id}": ${err.message}` })
    }
  }
  return problems
}

/**
 * A staff member starts a flow only with senders assigned to them: the explicit profile of each email step, and
 * the profile of each mailbox it rotates through. Checked when a flow starts running (activate, resume, or a new
 * version of a running one); a flow an admin started keeps sending whoever's desktop runs it.
 */
function assertFlowSenders(ctx: Ctx, g: FlowGraph): void {
  for (const n of g.nodes) {
    const c = n.config as { profileId?: unknown; mailboxIds?: unknown }
    if (typeof c.profileId === 'number') assertMaySendFrom(ctx, c.profileId, `graph.nodes.${n.id}`)
    if (Array.isArray(c.mailboxIds))
      for (const box of c.mailboxIds) {
        const p = typeof box === 'number' ? profileOfMailbox(ctx, box) : undefined
        if (p) assertMaySendFrom(ctx, p.id, `graph.nodes.${n.id}`)
      }
  }
}

export const listFlows = (ctx: Ctx, objectId?: number): Flow[] => flowRows(ctx, objectId).map((f) => toFlow(ctx, f))
export const getFlow = (ctx: Ctx, id: number): Flow => toFlow(ctx, load(ctx, id))

export function createFlow(ctx: Ctx, input: { name: string; objectId: number; trigger: FlowTrigger; graph: FlowGraph }): Flow {
  if (!stmt(ctx.sqlite, 'SELECT 1 FROM objects WHERE id = ?').get(input.objectId)) throw new AppError('NOT_FOUND', `Business ${input.objectId} does not exist`, 'objectId')
  if (input.trigger.type === 'tagAdded' && !stmt(ctx.sqlite, 'SELECT 1 FROM tags WHERE id = ?').get(input.trigger.tagId)) throw new AppError('NOT_FOUND', `Tag ${input.trigger.tagId} does not exist`, 'trigger.tagId')
  const id = ctx.sqlite.transaction(() => {
    const id = insertFlow(ctx, input)
    writeGraph(ctx, id, 1, input.graph)
    return id
  })()
  changed(ctx, [id])
  return getFlow(ctx, id)
}

export function updateFlow(ctx: Ctx, input: { id: number; name?: string; trigger?: FlowTrigger; graph?: FlowGraph }): Flow {
  const f = load(ctx, input.id)
  ctx.sqlite.transaction(() => {
    if (input.name !== undefined) setFlow(ctx, f.id, { name: input.name })
    if (input.trigger !== undefined) setFlow(ctx, f.id, { trigger_json: JSON.stringify(input.trigger) })
    if (input.graph) {
      if (f.status === 'draft') writeGraph(ctx, f.id, f.version, input.graph)
      else {
        // A running flow only ever takes a graph that can run; its leads keep the version they started on.
        const problems = [...validateGraph(input.graph), ...checkReferences(ctx, f.objectId, input.graph)]
        if (problems.length) refuse(problems)
        assertFlowSenders(ctx, input.graph)
        writeGraph(ctx, f.id, f.version + 1, input.graph)
        setFlow(ctx, f.id, { version: f.version + 1 })
        dropUnusedVersions(ctx, f.id, f.version + 1)
      }
    }
  })()
  changed(ctx, [f.id])
  return getFlow(ctx, f.id)
}

export function deleteFlow(ctx: Ctx, id: number): { id: number; deleted: true } {
  load(ctx, id)
  ctx.sqlite.transaction(() => {
    // Mail a lead queued but that has not left goes with the flow.
    const leads = stmt(ctx.sqlite, "SELECT id FROM flow_leads WHERE flow_id = ? AND status IN ('pending', 'running', 'waiting')").all(id) as Array<{ id: number }>
    for (const l of leads) for (const o of waitingSendsOf(ctx, l.id)) cancelWaiting(ctx, o, 'The flow was deleted')
    deleteFlowRow(ctx, id)
  })()
  changed(ctx, [id])
  return { id, deleted: true }
}

export function validateFlow(ctx: Ctx, input: { id: number } | { graph: FlowGraph }): { ok: boolean; problems: GraphProblem[] } {
  let problems: GraphProblem[]
  if ('id' in input) {
    const f = load(ctx, input.id)
    const g = readGraph(ctx, f.id, f.version)
    problems = [...validateGraph(g), ...checkReferences(ctx, f.objectId, g)]
  } else problems = validateGraph(input.graph)
  return { ok: problems.length === 0, problems }
}

export function activateFlow(ctx: Ctx, id: number): Flow {
  const f = load(ctx, id)
  if (f.status === 'active') return getFlow(ctx, id)
  const g = readGraph(ctx, f.id, f.version)
  const problems = [...validateGraph(g), ...checkReferences(ctx, f.objectId, g)]
  if (problems.length) refuse(problems)
  assertFlowSenders(ctx, g)
  return setStatus(ctx, id, 'active')
}

export function pauseFlow(ctx: Ctx, id: number): Flow {
  return setRunning(ctx, id, 'paused')
}

/** Resuming: leads whose wait ended while paused move on now, none is skipped or sent twice. */
export function resumeFlow(ctx: Ctx, id: number): Flow {
  const f = load(ctx, id)
  // Resuming starts its sends again, as activating does: a staff member resumes only a flow sending as their senders.
  if (f.status === 'paused') assertFlowSenders(ctx, readGraph(ctx, f.id, f.version))
  return setRunning(ctx, id, 'active')
}

/** Pausing and resuming are for a flow that has been activated: a draft is not running. */
function setRunning(ctx: Ctx, id: number, status: 'active' | 'paused'): Flow {
  if (load(ctx, id).status === 'draft') throw new AppError('CONFLICT', 'A draft flow is not running; activate it first', 'id')
  return setStatus(ctx, id, status)
}

/** A status change saved and announced; the flow comes back as it now is. */
function setStatus(ctx: Ctx, id: number, status: 'active' | 'paused'): Flow {
  setFlow(ctx, id, { status })
  changed(ctx, [id])
  return getFlow(ctx, id)
}

/** Someone a flow can reach: active, with an address or (for text steps) a phone. */
const ENROLLABLE = "c.status = 'active' AND ((c.email IS NOT NULL AND c.email <> '') OR (c.phone IS NOT NULL AND c.phone <> ''))"

export function enrollInFlow(ctx: Ctx, input: { flowId: number; contactIds?: number[]; tagId?: number; segmentId?: number }): { enrolled: number; alreadyIn: number; skipped: number } {
  const f = load(ctx, input.flowId, 'flowId')
  if (f.status === 'draft') throw new AppError('CONFLICT', 'Activate the flow before enrolling contacts', 'flowId')
  const start = readGraph(ctx, f.id, f.version).nodes.find((n) => n.type === 'start')
  if (!start) throw new AppError('CONFLICT', 'The flow has no start node', 'flowId')
  let candidates: number[]
  let eligible: number[]
  if (input.contactIds?.length) {
    const ids = [...new Set(input.contactIds)]
    const known = (stmt(ctx.sqlite, `SELECT c.id, (${ENROLLABLE}) AS ok FROM json_each(?) j CROSS JOIN contacts c ON c.id = j.value`).all(JSON.stringify(ids)) as Array<{ id: number; ok: number }>)
    if (known.length !== ids.length) {
      const have = new Set(known.map((k) => k.id))
      throw new AppError('NOT_FOUND', `Contact ${ids.find((id) => !have.has(id))} does not exist`, 'contactIds')
    }
    candidates = ids
    eligible = known.filter((k) => k.ok).map((k) => k.id)
  } else if (input.segmentId !== undefined) {
    // A segment's contacts as it matches now (segments feed flows), of the flow's business.
    const seg = segmentCondition(ctx, input.segmentId)
    const rows = stmt(ctx.sqlite, `SELECT c.id, (${ENROLLABLE}) AS ok FROM contacts c WHERE (${seg.sql}) AND (c.primary_object_id = ? OR c.primary_object_id IS NULL)`).all(
      ...seg.params,
      f.objectId,
    ) as Array<{ id: number; ok: number }>
    candidates = rows.map((r) => r.id)
    eligible = rows.filter((r) => r.ok).map((r) => r.id)
  } else {
    if (!stmt(ctx.sqlite, 'SELECT 1 FROM tags WHERE id = ?').get(input.tagId)) throw new AppError('NOT_FOUND', `Tag ${input.tagId} does not exist`, 'tagId')
    const rows = stmt(ctx.sqlite, `SELECT c.id, (${ENROLLABLE}) AS ok FROM contact_tags t CROSS JOIN contacts c ON c.id = t.contact_id WHERE t.tag_id = ? AND (c.primary_object_id = ? OR c.primary_object_id IS NULL)`).all(
      input.tagId,
      f.objectId,
    ) as Array<{ id: number; ok: number }>
    candidates = rows.map((r) => r.id)
    eligible = rows.filter((r) => r.ok).map((r) => r.id)
  }
  const enrolled = ctx.sqlite.transaction(() => insertLeads(ctx, f.id, f.version, start.id, eligible)).immediate()
  if (enrolled) changed(ctx, [f.id])
  return { enrolled, alreadyIn: eligible.length - enrolled, skipped: candidates.length - eligible.length }
}

export function listLeads(ctx: Ctx, input: { flowId: number; status?: FlowLead['status']; nodeId?: string; passed?: boolean; cursor?: string; limit: number }): { items: FlowLead[]; nextCursor: string | null } {
  load(ctx, input.flowId, 'flowId')
  if (input.passed && !input.nodeId) throw new AppError('VALIDATION', 'Choose the step the leads passed through', 'nodeId')
  const afterId = input.cursor ? decodeIntCursor(input.cursor, 1)[0]! : 0
  const rows = leadsPage(ctx, { ...input, afterId })
  const page = rows.slice(0, input.limit)
  const paths = pathsOf(ctx, page.map((r) => r.id))
  return {
    items: page.map((r) => ({
      id: r.id,
      contactId: r.contactId,
      email: r.email,
      name: [r.firstName, r.lastName].filter(Boolean).join(' ') || r.email || `Contact ${r.contactId}`,
      status: r.status,
      currentNodeId: r.currentNode,
      waitUntil: r.waitUntil !== null && r.status === 'waiting' ? iso(r.waitUntil) : null,
      version: r.version,
      lastError: r.lastError,
      enteredAt: iso(r.enteredAt),
      path: (paths.get(r.id) ?? []).map((p) => ({ nodeId: p.nodeId, outcome: p.outcome, detail: p.detail, at: iso(p.at) })),
    })),
    nextCursor: rows.length > input.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
  }
}

export function flowStats(ctx: Ctx, id: number): FlowStats {
  load(ctx, id)
  const { outcomes, here } = statsOf(ctx, id)
  const nodes: FlowStats['nodes'] = {}
  const of = (k: string) => (nodes[k] ??= { entered: 0, waiting: 0, yes: 0, no: 0, sent: 0, failed: 0, here: 0, skipped: 0 })
  for (const o of outcomes) {
    const s = of(o.nodeId)
    if (o.outcome === 'entered' || o.outcome === 'waiting' || o.outcome === 'yes' || o.outcome === 'no' || o.outcome === 'sent' || o.outcome === 'failed' || o.outcome === 'skipped') s[o.outcome] += o.n
  }
  const leads = { pending: 0, running: 0, waiting: 0, completed: 0, failed: 0, exited: 0 }
  for (const h of here) {
    leads[h.status] += h.n
    if (h.nodeId && (h.status === 'pending' || h.status === 'running' || h.status === 'waiting')) of(h.nodeId).here += h.n
  }
  return { flowId: id, leads, nodes }
}

/** A text step's message as this contact would get it (a missing variable is a VALIDATION error on `body`). */
export function previewText(ctx: Ctx, input: { objectId: number; contactId: number; body: string }): { body: string } {
  const object = objectRow(ctx, input.objectId)
  if (!object) throw new AppError('NOT_FOUND', `Business ${input.objectId} does not exist`, 'objectId')
  const contact = contactRow(ctx, input.contactId)
  if (!contact) throw new AppError('NOT_FOUND', `Contact ${input.contactId} does not exist`, 'contactId')
  return { body: renderOne(input.body, 'body', textVars(contact, object), { now: ctx.clock.now(), tz: contact.timezone ?? object.timezone }, false).trim() }
}
