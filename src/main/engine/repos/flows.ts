// Queries of flows: the flow rows, their versioned graphs, the leads and their execution path.
import type { FlowEdge, FlowGraph, FlowNode, FlowTrigger } from '../../../shared/flows'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'

export interface FlowRow {
  id: number
  objectId: number
  name: string
  triggerJson: string
  status: 'draft' | 'active' | 'paused'
  version: number
  createdAt: number
  updatedAt: number
}
export interface LeadRow {
  id: number
  flowId: number
  version: number
  contactId: number
  status: 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'exited'
  currentNode: string | null
  waitUntil: number | null
  lastError: string | null
  enteredAt: number
  /** The mailbox of the lead's first rotated email (sticky), or null. */
  mailboxId: number | null
  /** How many steps the lead took (each advance, and its exit): with its id, the step a team claim is for. */
  stepNo: number
}

const FLOW_COLS = 'id, object_id AS objectId, name, trigger_json AS triggerJson, status, version, created_at AS createdAt, updated_at AS updatedAt'
const LEAD_COLS = 'id, flow_id AS flowId, version, contact_id AS contactId, status, current_node AS currentNode, wait_until AS waitUntil, last_error AS lastError, entered_at AS enteredAt, mailbox_id AS mailboxId, step_no AS stepNo'

export const flowRow = (ctx: Ctx, id: number) => stmt(ctx.sqlite, `SELECT ${FLOW_COLS} FROM flows WHERE id = ?`).get(id) as FlowRow | undefined

export function flowRows(ctx: Ctx, objectId?: number): FlowRow[] {
  return objectId === undefined
    ? (stmt(ctx.sqlite, `SELECT ${FLOW_COLS} FROM flows ORDER BY name COLLATE NOCASE, id`).all() as FlowRow[])
    : (stmt(ctx.sqlite, `SELECT ${FLOW_COLS} FROM flows WHERE object_id = ? ORDER BY name COLLATE NOCASE, id`).all(objectId) as FlowRow[])
}

export function insertFlow(ctx: Ctx, f: { objectId: number; name: string; trigger: FlowTrigger }): number {
  const now = ctx.clock.now()
  return Number(
    stmt(ctx.sqlite, 'INSERT INTO flows (object_id, name, trigger_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(f.objectId, f.name, JSON.stringify(f.trigger), now, now).lastInsertRowid,
  )
}

export function setFlow(ctx: Ctx, id: number, sets: Partial<{ name: string; trigger_json: string; status: FlowRow['status']; version: number }>): void {
  const cols = Object.keys(sets) as Array<keyof typeof sets>
  stmt(ctx.sqlite, `UPDATE flows SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...cols.map((c) => sets[c]), ctx.clock.now(), id)
}

export const deleteFlowRow = (ctx: Ctx, id: number) => stmt(ctx.sqlite, 'DELETE FROM flows WHERE id = ?').run(id).changes

export function writeGraph(ctx: Ctx, flowId: number, version: number, g: FlowGraph): void {
  stmt(ctx.sqlite, 'DELETE FROM flow_nodes WHERE flow_id = ? AND version = ?').run(flowId, version)
  stmt(ctx.sqlite, 'DELETE FROM flow_edges WHERE flow_id = ? AND version = ?').run(flowId, version)
  const node = stmt(ctx.sqlite, 'INSERT INTO flow_nodes (flow_id, version, node_key, type, config_json, x, y, ord) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  g.nodes.forEach((n, i) => node.run(flowId, version, n.id, n.type, JSON.stringify(n.config ?? {}), n.position.x, n.position.y, i))
  const edge = stmt(ctx.sqlite, 'INSERT OR IGNORE INTO flow_edges (flow_id, version, from_key, to_key, branch) VALUES (?, ?, ?, ?, ?)')
  for (const e of g.edges) edge.run(flowId, version, e.from, e.to, e.branch ?? null)
}

export function readGraph(ctx: Ctx, flowId: number, version: number): FlowGraph {
  const nodes = (
    stmt(ctx.sqlite, 'SELECT node_key AS id, type, config_json AS config, x, y FROM flow_nodes WHERE flow_id = ? AND version = ? ORDER BY ord').all(flowId, version) as Array<{
      id: string
      type: FlowNode['type']
      config: string
      x: number
      y: number
    }>
  ).map((n): FlowNode => ({ id: n.id, type: n.type, config: JSON.parse(n.config) as Record<string, unknown>, position: { x: n.x, y: n.y } }))
  const edges = (
    stmt(ctx.sqlite, 'SELECT from_key AS "from", to_key AS "to", branch FROM flow_edges WHERE flow_id = ? AND version = ?').all(flowId, version) as Array<{ from: string; to: string; branch: 'yes' | 'no' | null }>
  ).map((e): FlowEdge => (e.branch ? { from: e.from, to: e.to, branch: e.branch } : { from: e.from, to: e.to }))
  return { nodes, edges }
}

/** Graph versions no lead runs on any more and that are not the current one: safe to drop. */
export function dropUnusedVersions(ctx: Ctx, flowId: number, current: number): void {
  const keep = 'version = ? OR version IN (SELECT DISTINCT version FROM flow_leads WHERE flow_id = ?)'
  stmt(ctx.sqlite, `DELETE FROM flow_nodes WHERE flow_id = ? AND NOT (${keep})`).run(flowId, current, flowId)
  stmt(ctx.sqlite, `DELETE FROM flow_edges WHERE flow_id = ? AND NOT (${keep})`).run(flowId, current, flowId)
}

export function activeLeadCount(ctx: Ctx, flowId: number): number {
  return (stmt(ctx.sqlite, "SELECT count(*) AS n FROM flow_leads WHERE flow_id = ? AND status IN ('pending', 'running', 'waiting')").get(flowId) as { n: number }).n
}

// ---------- leads ----------

/** Inserts the leads that are not in the flow yet (enrolment is idempotent); returns how many were new. */
export function insertLeads(ctx: Ctx, flowId: number, version: number, startNode: string, contactIds: readonly number[]): number {
  const now = ctx.clock.now()
  return stmt(
    ctx.sqlite,
    `INSERT OR IGNORE INTO flow_leads (flow_id, version, contact_id, status, current_node, wait_until, entered_at, updated_at)
     SELECT ?, ?, j.value, 'pending', ?, ?, ?, ? FROM json_each(?) j`,
  ).run(flowId, version, startNode, now, now, now, JSON.stringify(contactIds)).changes
}

export const leadRow = (ctx: Ctx, id: number) => stmt(ctx.sqlite, `SELECT ${LEAD_COLS} FROM flow_leads WHERE id = ?`).get(id) as LeadRow | undefined

const DUE = "status IN ('pending', 'waiting')"

/** A due lead as the due index alone knows it (no table read: the runner re-reads each lead in its write). */
export interface DueLead {
  id: number
  flowId: number
  waitUntil: number
}

/**
 * Leads of active flows whose wait is over, oldest first: the oldest `limit` of each active flow (one
 * index range each, answered from the index alone), merged. Leads of paused flows are never walked past.
 */
export function dueLeads(ctx: Ctx, now: number, limit: number): DueLead[] {
  const flows = stmt(ctx.sqlite, "SELECT id FROM flows WHERE status = 'active'").all() as Array<{ id: number }>
  const q = stmt(ctx.sqlite, `SELECT id, flow_id AS flowId, wait_until AS waitUntil FROM flow_leads INDEXED BY flow_leads_flow_due_idx WHERE flow_id = ? AND ${DUE} AND wait_until <= ? ORDER BY wait_until, id LIMIT ?`)
  const rows = flows.flatMap((f) => q.all(f.id, now, limit) as DueLead[])
  if (flows.length > 1) rows.sort((a, b) => a.waitUntil - b.waitUntil || a.id - b.id)
  return rows.length > limit ? rows.slice(0, limit) : rows
}

export function nextLeadDueAt(ctx: Ctx): number {
  const r = stmt(
    ctx.sqlite,
    `SELECT min((SELECT wait_until FROM flow_leads INDEXED BY flow_leads_flow_due_idx WHERE flow_id = f.id AND ${DUE} AND wait_until IS NOT NULL ORDER BY wait_until LIMIT 1)) AS t
     FROM flows f WHERE f.status = 'active'`,
  ).get() as { t: number | null }
  return r.t ?? Infinity
}

export function setLead(
  ctx: Ctx,
  id: number,
  sets: Partial<{ status: LeadRow['status']; current_node: string | null; wait_until: number | null; last_error: string | null; mailbox_id: number | null; step_no: number }>,
): void {
  const cols = Object.keys(sets) as Array<keyof typeof sets>
  stmt(ctx.sqlite, `UPDATE flow_leads SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...cols.map((c) => sets[c]), ctx.clock.now(), id)
}

const COUNT_UPSERT = 'INSERT INTO flow_node_counts (flow_id, node_key, outcome, n) VALUES (?, ?, ?, ?) ON CONFLICT (flow_id, node_key, outcome) DO UPDATE SET n = n + excluded.n'

/** One path entry, and its node's count, at once (hooks, failures: the runner's slices use addLeadEvents). */
export function addLeadEvent(ctx: Ctx, leadId: number, nodeKey: string, outcome: string, detail: string | null = null, outboundId: number | null = null): void {
  stmt(ctx.sqlite, 'INSERT INTO flow_lead_events (lead_id, node_key, outcome, detail, outbound_id, at) VALUES (?, ?, ?, ?, ?, ?)').run(leadId, nodeKey, outcome, detail, outboundId, ctx.clock.now())
  stmt(
    ctx.sqlite,
    'INSERT INTO flow_node_counts (flow_id, node_key, outcome, n) SELECT flow_id, ?, ?, 1 FROM flow_leads WHERE id = ? ON CONFLICT (flow_id, node_key, outcome) DO UPDATE SET n = n + 1',
  ).run(nodeKey, outcome, leadId)
}

export type PathRow = [leadId: number, nodeKey: string, outcome: string, detail: string | null, outboundId: number | null, at: number]
const PATH_CHUNK = 64
const pathInsert = (n: number) => `INSERT INTO flow_lead_events (lead_id, node_key, outcome, detail, outbound_id, at) VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`

/**
 * Several path entries in as few statements as possible (a statement per entry cost most of a step): full
 * chunks through one prepared statement, the rest through one of its size. Their counts are the caller's
 * to add (addNodeCounts), once per slice.
 */
export function addLeadEvents(ctx: Ctx, rows: readonly PathRow[]): void {
  let i = 0
  if (rows.length >= PATH_CHUNK) {
    const full = stmt(ctx.sqlite, pathInsert(PATH_CHUNK))
    for (; i + PATH_CHUNK <= rows.length; i += PATH_CHUNK) full.run(...rows.slice(i, i + PATH_CHUNK).flat())
  }
  // The rest, in statements of 8, 4, 2, 1 rows: a handful of cached shapes rather than one per size.
  for (let n = 8; i < rows.length; n >>= 1) for (; n && i + n <= rows.length; i += n) stmt(ctx.sqlite, pathInsert(n)).run(...rows.slice(i, i + n).flat())
}

/** Adds to the per-node counts: key `flowId \u0000 nodeKey \u0000 outcome`, value how many more. */
export function addNodeCounts(ctx: Ctx, counts: ReadonlyMap<string, number>): void {
  const up = stmt(ctx.sqlite, COUNT_UPSERT)
  for (const [key, n] of counts) {
    const [flowId, nodeKey, outcome] = key.split('\u0000')
    up.run(Number(flowId), nodeKey, outcome, n)
  }
}

/** The message a lead was sent at a node (the latest, if the node was passed more than once). */
export function sentAt(ctx: Ctx, leadId: number, nodeKey: string): number | null {
  const r = stmt(ctx.sqlite, "SELECT outbound_id AS id FROM flow_lead_events WHERE lead_id = ? AND node_key = ? AND outcome = 'sent' ORDER BY id DESC LIMIT 1").get(leadId, nodeKey) as
    | { id: number | null }
    | undefined
  return r?.id ?? null
}

/** How many times the lead was sent this node's email (a loop through a wait passes it again). */
export function sendsAt(ctx: Ctx, leadId: number, nodeKey: string): number {
  return (stmt(ctx.sqlite, "SELECT count(*) AS n FROM flow_lead_events WHERE lead_id = ? AND node_key = ? AND outcome = 'sent'").get(leadId, nodeKey) as { n: number }).n
}

/**
 * When the lead arrived at the node it is on now (its timeouts count from there): its latest "entered", or
 * the "waiting" written in the same step when the entered row was folded into it (flowRun's Path).
 */
export function arrivedAt(ctx: Ctx, leadId: number, nodeKey: string): number | null {
  const r = stmt(ctx.sqlite, "SELECT at FROM flow_lead_events WHERE lead_id = ? AND node_key = ? AND outcome IN ('entered', 'waiting') ORDER BY id DESC LIMIT 1").get(leadId, nodeKey) as
    | { at: number }
    | undefined
  return r?.at ?? null
}

/** Whether the outbox recorded this event (opened, clicked, replied) for the message. */
export function messageHad(ctx: Ctx, outboundId: number, type: 'opened' | 'clicked' | 'replied'): boolean {
  const types = type === 'opened' ? ['opened', 'clicked'] : [type]
  return !!stmt(ctx.sqlite, `SELECT 1 FROM message_events WHERE outbound_id = ? AND type IN (${types.map(() => '?').join(',')}) LIMIT 1`).get(outboundId, ...types)
}

/** Unfinished leads that were sent this message (an open, click or reply may move them on). */
export function leadsSent(ctx: Ctx, outboundId: number): LeadRow[] {
  return stmt(
    ctx.sqlite,
    `SELECT ${LEAD_COLS.replace(/(^|, )(\w)/g, '$1l.$2')} FROM flow_lead_events e INDEXED BY flow_lead_events_outbound_idx JOIN flow_leads l ON l.id = e.lead_id
     WHERE e.outbound_id = ? AND l.status IN ('pending', 'running', 'waiting')`,
  ).all(outboundId) as LeadRow[]
}

/** The contact's leads still under way, or finished with mail that has not left yet. */
export function liveLeadsOf(ctx: Ctx, contactId: number): LeadRow[] {
  return stmt(
    ctx.sqlite,
    `SELECT ${LEAD_COLS} FROM flow_leads l WHERE contact_id = ? AND (status IN ('pending', 'running', 'waiting') OR EXISTS (
       SELECT 1 FROM flow_lead_events e JOIN outbound_messages o ON o.id = e.outbound_id WHERE e.lead_id = l.id AND o.status IN ('queued', 'retry_wait', 'held')))`,
  ).all(contactId) as LeadRow[]
}

/** Outbox rows a lead queued that have not left yet (withdrawn when the lead exits). */
export function waitingSendsOf(ctx: Ctx, leadId: number): number[] {
  return (
    stmt(
      ctx.sqlite,
      `SELECT e.outbound_id AS id FROM flow_lead_events e JOIN outbound_messages o ON o.id = e.outbound_id
       WHERE e.lead_id = ? AND e.outcome = 'sent' AND o.status IN ('queued', 'retry_wait', 'held')`,
    ).all(leadId) as Array<{ id: number }>
  ).map((r) => r.id)
}

/** Leads still under way (pending or waiting), any flow. */
export const liveLeadIds = (ctx: Ctx): number[] => stmtPluck(ctx.sqlite, "SELECT id FROM flow_leads WHERE status IN ('pending', 'running', 'waiting')").all() as number[]

/**
 * A lead stops here without its mail being withdrawn (leaving a team workspace: the workspace's other desktops move
 * it on; a message one of its steps queued here and never pushed still goes from here, as nobody else has it).
 * Returns the lead's flow.
 */
export function stopLead(ctx: Ctx, id: number, reason: string): number | undefined {
  const lead = leadRow(ctx, id)
  if (!lead) return undefined
  addLeadEvent(ctx, id, lead.currentNode ?? 'start', 'exited', reason)
  setLead(ctx, id, { status: 'exited', wait_until: null, last_error: reason })
  return lead.flowId
}

export interface LeadPageRow extends LeadRow {
  email: string | null
  firstName: string | null
  lastName: string | null
}

export function leadsPage(ctx: Ctx, q: { flowId: number; status?: string; nodeId?: string; passed?: boolean; afterId: number; limit: number }): LeadPageRow[] {
  const where = ['l.flow_id = ?', 'l.id > ?']
  const params: unknown[] = [q.flowId, q.afterId]
  if (q.status) where.push('l.status = ?'), params.push(q.status)
  // Passed through: the lead's own path entries (its index), so a page stops as soon as it is full.
  if (q.nodeId && q.passed) where.push('EXISTS (SELECT 1 FROM flow_lead_events e WHERE e.lead_id = l.id AND e.node_key = ?)'), params.push(q.nodeId)
  else if (q.nodeId) where.push('l.current_node = ?'), params.push(q.nodeId)
  return stmt(
    ctx.sqlite,
    `SELECT ${LEAD_COLS.replace(/(^|, )(\w)/g, '$1l.$2')}, c.email, c.first_name AS firstName, c.last_name AS lastName
     FROM flow_leads l JOIN contacts c ON c.id = l.contact_id WHERE ${where.join(' AND ')} ORDER BY l.id LIMIT ?`,
  ).all(...params, q.limit + 1) as LeadPageRow[]
}

export function pathsOf(ctx: Ctx, leadIds: readonly number[]): Map<number, Array<{ nodeId: string; outcome: string; detail: string | null; at: number }>> {
  const rows = stmt(
    ctx.sqlite,
    'SELECT e.lead_id AS leadId, e.node_key AS nodeId, e.outcome, e.detail, e.at FROM json_each(?) j CROSS JOIN flow_lead_events e ON e.lead_id = j.value ORDER BY e.lead_id, e.id',
  ).all(JSON.stringify(leadIds)) as Array<{ leadId: number; nodeId: string; outcome: string; detail: string | null; at: number }>
  const out = new Map<number, Array<{ nodeId: string; outcome: string; detail: string | null; at: number }>>()
  for (const r of rows) {
    const list = out.get(r.leadId) ?? []
    list.push({ nodeId: r.nodeId, outcome: r.outcome, detail: r.detail, at: r.at })
    out.set(r.leadId, list)
  }
  return out
}

/** Per node: how many leads passed each outcome there, and how many are on it now. */
export function statsOf(ctx: Ctx, flowId: number) {
  const outcomes = stmt(
    ctx.sqlite,
    'SELECT node_key AS nodeId, outcome, n FROM flow_node_counts WHERE flow_id = ?',
  ).all(flowId) as Array<{ nodeId: string; outcome: string; n: number }>
  const here = stmt(
    ctx.sqlite,
    `SELECT current_node AS nodeId, status, count(*) AS n FROM flow_leads INDEXED BY flow_leads_node_idx WHERE flow_id = ? GROUP BY current_node, status`,
  ).all(flowId) as Array<{ nodeId: string | null; status: LeadRow['status']; n: number }>
  return { outcomes, here }
}
