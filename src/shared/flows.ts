// zod models of flows (issue 16, seed 001): a campaign graph of start, sendEmail, wait, condition, action
// and end nodes, the leads moving through it and their execution path. Graph rules a schema cannot say
// (one start, reachable, both branches, no cycle without a wait) live in validateGraph below, shared by
// the engine (activation) and the editor (markers on the nodes).
import { z } from 'zod'
import { BusinessRecord, Id, IsoTime, Page } from './models'
import { DELAY_UNITS, Delay, SendWindow } from './automation'
import { TEXT_MAX, TemplateRef, TextChannel } from './channels'

const Name = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters')
const NodeKey = z.string().trim().min(1, 'A node needs an id').max(64, 'At most 64 characters').regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _ only')
const Position = z.object({ x: z.number().finite(), y: z.number().finite() }).strict()

export const FLOW_STATUSES = ['draft', 'active', 'paused'] as const
export const LEAD_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'exited'] as const
export const NODE_TYPES = ['start', 'sendEmail', 'sendText', 'wait', 'condition', 'action', 'end'] as const
export type NodeType = (typeof NODE_TYPES)[number]

export const FlowTrigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('manual') }).strict(),
  z.object({ type: z.literal('tagAdded'), tagId: Id }).strict(),
  z.object({ type: z.literal('contactCreated') }).strict(),
])
export type FlowTrigger = z.infer<typeof FlowTrigger>

const Within = z.object({ value: z.number().int().min(1, 'At least 1').max(3650), unit: z.enum(DELAY_UNITS) }).strict()

export const SendEmailConfig = z
  .object({
    subject: z.string().max(998).default(''),
    html: z.string().max(2_000_000).default(''),
    /** The sender profile; default: the business's first active profile. */
    profileId: Id.optional(),
    /** Local sending window in the contact's (else the business's) time zone, e.g. weekdays 9–17. */
    window: SendWindow.optional(),
    /** Rotate through these mailboxes (each sends with its own active profile); a lead keeps the first one it got. */
    mailboxIds: z.array(Id).min(1, 'Choose at least one mailbox').max(50).optional(),
  })
  .strict()
/**
 * A text through Twilio (issue 17 item 7): the body with the same {{contact.*}} variables as email. WhatsApp
 * allows free text only within 24 hours of the contact's last message; outside it the approved template is
 * sent instead (its {{1}}, {{2}} … values may use the variables too), and without one the step is recorded
 * as failed with the reason and the lead goes on.
 */
export const SendTextConfig = z
  .object({
    channel: TextChannel,
    body: z.string().max(TEXT_MAX, `A text can be ${TEXT_MAX} characters at most`).default(''),
    template: TemplateRef.optional(),
  })
  .strict()
export type SendTextConfig = z.infer<typeof SendTextConfig>
export const WaitConfig = z.union([
  z.object({ duration: Delay }).strict(),
  /** Until the next weekday (0 = Sunday) at hour:00 in the contact's time zone. */
  z.object({ until: z.object({ weekday: z.number().int().min(0).max(6), hour: z.number().int().min(0).max(23) }).strict() }).strict(),
  /** Until the date in a contact field (YYYY-MM-DD, e.g. a renewal) at hour:00 in the contact's time zone; at once if it has passed. */
  z.object({ untilField: z.object({ field: z.string().trim().min(1).max(64), hour: z.number().int().min(0).max(23).default(9) }).strict() }).strict(),
])
export const ConditionConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('replied'), nodeId: NodeKey, within: Within.optional() }).strict(),
  z.object({ kind: z.literal('opened'), nodeId: NodeKey, within: Within.optional() }).strict(),
  z.object({ kind: z.literal('clicked'), nodeId: NodeKey, within: Within.optional() }).strict(),
  z.object({ kind: z.literal('hasTag'), tagId: Id }).strict(),
  z.object({ kind: z.literal('field'), field: z.string().trim().min(1).max(64), op: z.enum(['equals', 'notEquals', 'contains', 'isEmpty', 'isNotEmpty']), value: z.string().max(500).default('') }).strict(),
  z.object({ kind: z.literal('inSegment'), segmentId: Id }).strict(),
])
export type ConditionConfig = z.infer<typeof ConditionConfig>
export const ActionConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('addTag'), tagId: Id }).strict(),
  z.object({ kind: z.literal('removeTag'), tagId: Id }).strict(),
  z.object({ kind: z.literal('setField'), field: z.string().trim().min(1).max(64), value: z.string().max(500) }).strict(),
  z.object({ kind: z.literal('enrollSequence'), sequenceId: Id }).strict(),
  /** A task due now for a staff user (default: whoever is at the keyboard), which pops up as a reminder. */
  z.object({ kind: z.literal('notify'), title: z.string().trim().min(1, 'Required').max(200), assigneeId: Id.optional() }).strict(),
])

export const FlowNode = z.object({ id: NodeKey, type: z.enum(NODE_TYPES), config: z.record(z.string(), z.unknown()).default({}), position: Position.default({ x: 0, y: 0 }) }).strict()
export type FlowNode = z.infer<typeof FlowNode>
export const FlowEdge = z.object({ from: NodeKey, to: NodeKey, branch: z.enum(['yes', 'no']).optional() }).strict()
export type FlowEdge = z.infer<typeof FlowEdge>
export const FlowGraph = z.object({ nodes: z.array(FlowNode).max(500, 'At most 500 nodes'), edges: z.array(FlowEdge).max(2000) }).strict()
export type FlowGraph = z.infer<typeof FlowGraph>

/** The config schema of each node type (start and end take none). */
export const CONFIG_OF: Record<NodeType, z.ZodType> = {
  start: z.object({}).strict(),
  sendEmail: SendEmailConfig,
  sendText: SendTextConfig,
  wait: WaitConfig,
  condition: ConditionConfig,
  action: ActionConfig,
  end: z.object({}).strict(),
}

export interface GraphProblem {
  /** The node the problem is on; null for the graph as a whole. */
  nodeId: string | null
  message: string
}

/** Every problem that keeps a graph from running, each naming its node, in words. Empty = runnable. */
export function validateGraph(g: FlowGraph): GraphProblem[] {
  const problems: GraphProblem[] = []
  const byId = new Map<string, FlowNode>()
  for (const n of g.nodes) {
    if (byId.has(n.id)) problems.push({ nodeId: n.id, message: `Two nodes are called "${n.id}"` })
    byId.set(n.id, n)
    const parsed = CONFIG_OF[n.type].safeParse(n.config)
    if (!parsed.success) problems.push({ nodeId: n.id, message: `${label(n)}: ${parsed.error.issues[0]?.path.join('.') || 'settings'} — ${parsed.error.issues[0]?.message ?? 'not valid'}` })
    else if (n.type === 'sendEmail') {
      const c = parsed.data as z.infer<typeof SendEmailConfig>
      if (!c.subject.trim()) problems.push({ nodeId: n.id, message: `${label(n)} has no subject` })
      if (!c.html.trim()) problems.push({ nodeId: n.id, message: `${label(n)} has no message` })
    } else if (n.type === 'sendText') {
      const c = parsed.data as SendTextConfig
      if (c.template && c.channel !== 'whatsapp') problems.push({ nodeId: n.id, message: `${label(n)}: templates are for WhatsApp; an SMS sends its message` })
      else if (!c.body.trim() && !c.template) problems.push({ nodeId: n.id, message: `${label(n)} has no message` })
    }
  }
  const starts = g.nodes.filter((n) => n.type === 'start')
  if (starts.length === 0) problems.push({ nodeId: null, message: 'The flow needs a start node' })
  if (starts.length > 1) for (const s of starts.slice(1)) problems.push({ nodeId: s.id, message: 'A flow has one start node' })
  const out = new Map<string, FlowEdge[]>()
  for (const e of g.edges) {
    if (!byId.has(e.from)) problems.push({ nodeId: null, message: `A connection leaves "${e.from}", which does not exist` })
    if (!byId.has(e.to)) problems.push({ nodeId: e.from, message: `A connection goes to "${e.to}", which does not exist` })
    if (e.from === e.to) problems.push({ nodeId: e.from, message: 'A node cannot connect to itself' })
    out.set(e.from, [...(out.get(e.from) ?? []), e])
  }
  for (const n of g.nodes) {
    const edges = out.get(n.id) ?? []
    if (n.type === 'end') {
      if (edges.length) problems.push({ nodeId: n.id, message: 'An end node has no way out' })
    } else if (n.type === 'condition') {
      const yes = edges.filter((e) => e.branch === 'yes').length
      const no = edges.filter((e) => e.branch === 'no').length
      if (yes !== 1) problems.push({ nodeId: n.id, message: `${label(n)} needs one "yes" path` })
      if (no !== 1) problems.push({ nodeId: n.id, message: `${label(n)} needs one "no" path` })
      if (edges.some((e) => !e.branch)) problems.push({ nodeId: n.id, message: `${label(n)}: every path out says yes or no` })
      const c = n.config as { kind?: string; nodeId?: string }
      if ((c.kind === 'replied' || c.kind === 'opened' || c.kind === 'clicked') && c.nodeId) {
        const ref = byId.get(c.nodeId)
        if (!ref || ref.type !== 'sendEmail') problems.push({ nodeId: n.id, message: `${label(n)} refers to "${c.nodeId}", which is not an email node` })
      }
    } else {
      if (edges.length === 0) problems.push({ nodeId: n.id, message: `${label(n)} leads nowhere: connect it, or end the flow there` })
      if (edges.length > 1) problems.push({ nodeId: n.id, message: `${label(n)} has ${edges.length} paths out; only conditions branch` })
      if (edges.some((e) => e.branch)) problems.push({ nodeId: n.id, message: `${label(n)} is not a condition: its path has no yes/no` })
    }
  }
  for (const n of g.nodes) if (n.type !== 'start' && !g.edges.some((e) => e.to === n.id)) problems.push({ nodeId: n.id, message: `${label(n)} cannot be reached` })
  // A cycle must pass a wait (or an event condition with a timeout), or a lead would spin forever.
  const pauses = (n: FlowNode | undefined) => n?.type === 'wait' || (n?.type === 'condition' && !!(n.config as { within?: unknown }).within)
  const state = new Map<string, 1 | 2>()
  const visit = (id: string): string | null => {
    state.set(id, 1)
    for (const e of out.get(id) ?? []) {
      if (pauses(byId.get(e.to))) continue
      const s = state.get(e.to)
      if (s === 1) return e.to
      if (!s) {
        const hit = visit(e.to)
        if (hit) return hit
      }
    }
    state.set(id, 2)
    return null
  }
  for (const n of g.nodes)
    if (!state.has(n.id) && !pauses(n)) {
      const hit = visit(n.id)
      if (hit) {
        problems.push({ nodeId: hit, message: `${label(byId.get(hit)!)} is in a loop without a wait` })
        break
      }
    }
  return problems
}

const TYPE_WORDS: Record<NodeType, string> = { start: 'Start', sendEmail: 'Email', sendText: 'Text', wait: 'Wait', condition: 'Condition', action: 'Action', end: 'End' }
const label = (n: FlowNode) => `${TYPE_WORDS[n.type]} "${n.id}"`

// ---------- contract ----------
export const Flow = z.object({
  ...BusinessRecord,
  name: z.string(),
  trigger: FlowTrigger,
  status: z.enum(FLOW_STATUSES),
  version: z.number().int(),
  graph: FlowGraph,
  /** Leads not yet finished (pending, running, waiting). */
  activeLeads: z.number().int(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
})
export type Flow = z.infer<typeof Flow>
export const NewFlow = z.object({ name: Name, objectId: Id, trigger: FlowTrigger.default({ type: 'manual' }), graph: FlowGraph.default({ nodes: [], edges: [] }) }).strict()
export const FlowPatch = z.object({ id: Id, name: Name.optional(), trigger: FlowTrigger.optional(), graph: FlowGraph.optional() }).strict()
export const FlowEnroll = z
  .object({ flowId: Id, contactIds: z.array(Id).max(100_000).optional(), tagId: Id.optional(), segmentId: Id.optional() })
  .strict()
  .refine((v) => (v.contactIds?.length ?? 0) > 0 || v.tagId !== undefined || v.segmentId !== undefined, { message: 'Choose contacts, a tag or a segment to enrol', path: ['contactIds'] })
export const FlowEnrollResult = z.object({ enrolled: z.number().int(), alreadyIn: z.number().int(), skipped: z.number().int() })
export const FlowValidation = z.object({ ok: z.boolean(), problems: z.array(z.object({ nodeId: z.string().nullable(), message: z.string() })) })
export const FlowValidateInput = z.union([z.object({ id: Id }).strict(), z.object({ graph: FlowGraph }).strict()])

export const PathStep = z.object({ nodeId: z.string(), outcome: z.string(), detail: z.string().nullable(), at: IsoTime })
export const FlowLead = z.object({
  id: Id,
  contactId: Id,
  email: z.string().nullable(),
  name: z.string(),
  status: z.enum(LEAD_STATUSES),
  currentNodeId: z.string().nullable(),
  waitUntil: IsoTime.nullable(),
  version: z.number().int(),
  lastError: z.string().nullable(),
  enteredAt: IsoTime,
  path: z.array(PathStep),
})
export type FlowLead = z.infer<typeof FlowLead>
export const ListFlowLeads = z
  .object({
    flowId: Id,
    status: z.enum(LEAD_STATUSES).optional(),
    nodeId: NodeKey.optional(),
    /** With nodeId: every lead whose path passed through the node, not only those on it now. */
    passed: z.boolean().optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict()
export const FlowLeadPage = Page(FlowLead)
export const NodeStats = z.object({
  entered: z.number(),
  waiting: z.number(),
  yes: z.number(),
  no: z.number(),
  sent: z.number(),
  failed: z.number(),
  here: z.number(),
  /** Texts not sent for a reason that is the contact's (opted out, no phone); the lead went on. */
  skipped: z.number(),
})
export const FlowStats = z.object({ flowId: Id, leads: z.record(z.enum(LEAD_STATUSES), z.number()), nodes: z.record(z.string(), NodeStats) })
export type FlowStats = z.infer<typeof FlowStats>

/** The editor's preview of a text step for a real contact, rendered by the engine as it will be sent. */
export const FlowTextPreviewInput = z.object({ objectId: Id, contactId: Id, body: z.string().max(TEXT_MAX, `A text can be ${TEXT_MAX} characters at most`) }).strict()
export const FlowTextPreview = z.object({ body: z.string() })
