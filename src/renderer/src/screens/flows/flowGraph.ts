// The editor's side of a flow graph: the contract's {nodes, edges} to React Flow's nodes and edges and
// back, fresh node ids and default settings per type, the words a node shows on the canvas, and the
// undo/redo history. Pure, so it is tested without a canvas (test/flowGraph.test.ts).
import type { Edge, Node } from '@xyflow/react'
import type { FlowGraph, FlowLead, FlowTrigger, NodeType } from '../../../../shared/flows'
import type { Tag } from '../../../../shared/models'
import { hourLabel, WEEKDAYS } from '../../lib/automation'
import { plural } from '../../lib/format'
import { chipLabel, MUSTACHE } from '../../lib/templateChips'

export type Config = Record<string, unknown>
export interface NodeData extends Record<string, unknown> {
  config: Config
}
export type FNode = Node<NodeData, NodeType>
export type FEdge = Edge

export interface Snapshot {
  nodes: FNode[]
  edges: FEdge[]
}

// Repeated from shared/flows as plain data, so the renderer does not pull zod in for two lists.
export const NODE_TYPES: readonly NodeType[] = ['start', 'sendEmail', 'sendText', 'wait', 'condition', 'action', 'end']
export const LEAD_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'exited'] as const

export const TYPE_LABEL: Record<NodeType, string> = { start: 'Start', sendEmail: 'Send email', sendText: 'Send text', wait: 'Wait', condition: 'Condition', action: 'Action', end: 'End' }
export const TYPE_HELP: Record<NodeType, string> = {
  start: 'Where leads enter',
  sendEmail: 'Send a message',
  sendText: 'SMS or WhatsApp',
  wait: 'Pause for a time or until a day',
  condition: 'Branch on yes or no',
  action: 'Tag, set a field, enrol',
  end: 'The lead is done',
}
const PREFIX: Record<NodeType, string> = { start: 'start', sendEmail: 'email', sendText: 'text', wait: 'wait', condition: 'check', action: 'action', end: 'end' }

/** A fresh id for a node of `type`: `email-1`, `email-2`… (ids are the contract's node keys). */
export function newNodeId(type: NodeType, taken: Iterable<string>): string {
  const used = new Set(taken)
  if (type === 'start' && !used.has('start')) return 'start'
  for (let n = 1; ; n++) if (!used.has(`${PREFIX[type]}-${n}`)) return `${PREFIX[type]}-${n}`
}

/** What a node starts with when dropped; a condition on an email refers to the newest email node. */
export function defaultConfig(type: NodeType, nodes: FNode[]): Config {
  const lastEmail = [...nodes].reverse().find((n) => n.type === 'sendEmail')
  switch (type) {
    case 'sendEmail':
      return { subject: '', html: '' }
    case 'sendText':
      return { channel: 'sms', body: '' }
    case 'wait':
      return { duration: { value: 2, unit: 'days' } }
    case 'condition':
      return lastEmail ? { kind: 'replied', nodeId: lastEmail.id, within: { value: 2, unit: 'days' } } : { kind: 'hasTag' }
    case 'action':
      return { kind: 'addTag' }
    default:
      return {}
  }
}

export function edgeOf(from: string, to: string, branch?: 'yes' | 'no'): FEdge {
  return {
    id: `${from}->${to}${branch ? `:${branch}` : ''}`,
    source: from,
    target: to,
    sourceHandle: branch ?? null,
    label: branch === 'yes' ? 'Yes' : branch === 'no' ? 'No' : undefined,
    className: branch ? `flow-edge-${branch}` : undefined,
  }
}

export function toCanvas(graph: FlowGraph): Snapshot {
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, position: { ...n.position }, data: { config: { ...n.config } } })),
    edges: graph.edges.map((e) => edgeOf(e.from, e.to, e.branch)),
  }
}

export function toGraph(nodes: FNode[], edges: FEdge[]): FlowGraph {
  return {
    nodes: nodes.map((n) => ({ id: n.id, type: n.type as NodeType, config: n.data.config, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } })),
    edges: edges.map((e) => {
      const branch = e.sourceHandle === 'yes' || e.sourceHandle === 'no' ? e.sourceHandle : undefined
      return branch ? { from: e.source, to: e.target, branch } : { from: e.source, to: e.target }
    }),
  }
}

/** A stable text of what is saved (selection, sizes and drag state left out), to tell whether edits are unsaved. */
export const graphKey = (g: FlowGraph, trigger: FlowTrigger): string => JSON.stringify([g.nodes.map((n) => [n.id, n.type, n.config, Math.round(n.position.x), Math.round(n.position.y)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))), g.edges.map((e) => [e.from, e.to, e.branch ?? '']).sort(), trigger])

/** May this connection be drawn? One way out of a plain node, one per branch of a condition, none out of an end. */
export function canConnect(edges: FEdge[], c: { source: string | null; target: string | null; sourceHandle?: string | null }, typeOf: (id: string) => string | undefined): boolean {
  if (!c.source || !c.target || c.source === c.target) return false
  if (typeOf(c.target) === 'start' || typeOf(c.source) === 'end') return false
  const handle = c.sourceHandle ?? null
  return !edges.some((e) => e.source === c.source && (e.sourceHandle ?? null) === handle)
}

/** "2 days", "1 hour" (delayText says "after 2 days", for steps of a sequence). */
export const durationText = (d: { value: number; unit: string }): string => plural(d.value, d.unit.replace(/s$/, ''))

/** A subject as it reads on a node: variables by their names ("Offer for [First name]"). */
export const readable = (text: string): string => text.replace(MUSTACHE, (m) => `[${chipLabel(m)}]`)

const quote = (s: string) => `“${s.length > 28 ? `${s.slice(0, 27)}…` : s}”`

/** The line a node shows under its title: what it does, in words. */
export function summary(type: NodeType, config: Config, ctx: { trigger: FlowTrigger; tags: Tag[] | null; subjectOf: (id: string) => string | null }): string {
  const tag = (id: unknown) => ctx.tags?.find((t) => t.id === id)?.name
  switch (type) {
    case 'start':
      return ctx.trigger.type === 'manual' ? 'When you enrol contacts' : ctx.trigger.type === 'contactCreated' ? 'When a contact is added' : `When tagged ${quote(tag(ctx.trigger.tagId) ?? 'a tag')}`
    case 'sendEmail':
      return typeof config.subject === 'string' && config.subject.trim() ? quote(readable(config.subject)) : 'No subject yet'
    case 'sendText': {
      const channel = config.channel === 'whatsapp' ? 'WhatsApp' : 'SMS'
      const body = typeof config.body === 'string' ? config.body.trim() : ''
      const template = config.template as { contentSid?: string } | undefined
      return body ? `${channel}: ${quote(readable(body))}` : template?.contentSid ? `${channel}: an approved template` : `${channel}: no message yet`
    }
    case 'wait': {
      const d = config.duration as { value: number; unit: string } | undefined
      if (d) return `For ${durationText(d)}`
      const u = config.until as { weekday: number; hour: number } | undefined
      return u ? `Until ${WEEKDAYS[u.weekday]} ${hourLabel(u.hour)}` : 'Choose how long'
    }
    case 'condition': {
      const within = config.within as { value: number; unit: string } | undefined
      const w = within ? ` within ${durationText(within)}` : ''
      const ref = typeof config.nodeId === 'string' ? readable(ctx.subjectOf(config.nodeId) ?? config.nodeId) : 'an email'
      switch (config.kind) {
        case 'replied':
          return `Replied to ${quote(ref)}${w}?`
        case 'opened':
          return `Opened ${quote(ref)}${w}?`
        case 'clicked':
          return `Clicked in ${quote(ref)}${w}?`
        case 'hasTag':
          return config.tagId ? `Has tag ${quote(tag(config.tagId) ?? 'a tag')}?` : 'Choose a tag'
        case 'field':
          return config.field ? `${String(config.field)} ${String(config.op ?? 'equals').replace(/([A-Z])/g, ' $1').toLowerCase()} ${config.value ? quote(String(config.value)) : ''}`.trim() + '?' : 'Choose a field'
        case 'inSegment':
          return 'In the segment?'
        default:
          return 'Choose a condition'
      }
    }
    case 'action':
      switch (config.kind) {
        case 'addTag':
          return config.tagId ? `Add tag ${quote(tag(config.tagId) ?? 'a tag')}` : 'Choose a tag to add'
        case 'removeTag':
          return config.tagId ? `Remove tag ${quote(tag(config.tagId) ?? 'a tag')}` : 'Choose a tag to remove'
        case 'setField':
          return config.field ? `Set ${String(config.field)}` : 'Choose a field'
        case 'enrollSequence':
          return 'Enrol in a sequence'
        case 'notify':
          return config.title ? `Task: ${quote(String(config.title))}` : 'Write the task to create'
        default:
          return 'Choose an action'
      }
    case 'end':
      return 'The lead completes'
  }
}

// ---------- undo / redo ----------
export interface History {
  past: Snapshot[]
  future: Snapshot[]
  /** The last coalescing key and when it was pushed: typing in one field is one undo step. */
  lastKey: string | null
  lastAt: number
}
export const emptyHistory = (): History => ({ past: [], future: [], lastKey: null, lastAt: 0 })
const LIMIT = 100

/** Records `before` as an undo step (unless the same `key` was recorded within a second). */
export function record(h: History, before: Snapshot, key: string | null = null, now = Date.now()): History {
  if (key !== null && key === h.lastKey && now - h.lastAt < 1000) return { ...h, lastAt: now }
  return { past: [...h.past, before].slice(-LIMIT), future: [], lastKey: key, lastAt: now }
}
export function undo(h: History, current: Snapshot): { history: History; snapshot: Snapshot } | null {
  const prev = h.past[h.past.length - 1]
  if (!prev) return null
  return { history: { past: h.past.slice(0, -1), future: [current, ...h.future], lastKey: null, lastAt: 0 }, snapshot: prev }
}
export function redo(h: History, current: Snapshot): { history: History; snapshot: Snapshot } | null {
  const next = h.future[0]
  if (!next) return null
  return { history: { past: [...h.past, current], future: h.future.slice(1), lastKey: null, lastAt: 0 }, snapshot: next }
}

// ---------- words for problems and paths ----------
/** The validator names the node ("Email "email-1" has no subject"); on the node itself that is said already. */
export function shortProblem(message: string, id: string): string {
  const m = message.replace(new RegExp(`^\\w+ "${id.replace(/[-]/g, '\\-')}"(: | )`), '')
  // A setting the schema found missing reads as what to do ("tagId — Required" → "Choose a tag").
  const setting = /^([\w.]+) — (.*)$/.exec(m)
  if (setting && SETTING_WORDS[setting[1]!]) return SETTING_WORDS[setting[1]!]!
  return m.charAt(0).toUpperCase() + m.slice(1)
}
const SETTING_WORDS: Record<string, string> = {
  tagId: 'Choose a tag',
  nodeId: 'Choose the email step it checks',
  segmentId: 'Choose a segment',
  sequenceId: 'Choose a sequence',
  field: 'Name the field',
  kind: 'Choose what it does',
  value: 'Enter a value',
}

type Step = { nodeId: string; outcome: string; detail: string | null; at: string }

/** The path as one chip per visit of a step (a step logs "entered" then its outcome), with its last outcome. */
export function visits(path: FlowLead['path']): Step[] {
  const out: Step[] = []
  for (const p of path) {
    const last = out[out.length - 1]
    if (last && last.nodeId === p.nodeId && p.outcome !== 'entered') Object.assign(last, { outcome: p.outcome, detail: p.detail ?? last.detail, at: p.at })
    else out.push({ ...p })
  }
  return out
}

