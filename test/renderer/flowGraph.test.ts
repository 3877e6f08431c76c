// The flow editor's pure side: the contract's graph to the canvas and back, fresh node ids, which
// connections may be drawn, when edits count as unsaved, undo/redo, and the lead path's chips.
import { describe, expect, it } from 'vitest'
import { LEAD_STATUSES as SHARED_LEAD_STATUSES, NODE_TYPES as SHARED_NODE_TYPES, type FlowGraph } from '../../src/shared/flows'
import { canConnect, edgeOf, emptyHistory, graphKey, LEAD_STATUSES, newNodeId, NODE_TYPES, record, redo, shortProblem, summary, toCanvas, toGraph, undo, visits, type Snapshot } from '../../src/renderer/src/screens/flows/flowGraph'

const example: FlowGraph = {
  nodes: [
    { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
    { id: 'offer', type: 'sendEmail', config: { subject: 'Offer for {{contact.first_name}}', html: '<p>Our offer</p>' }, position: { x: 0, y: 100 } },
    { id: 'replied', type: 'condition', config: { kind: 'replied', nodeId: 'offer', within: { value: 2, unit: 'days' } }, position: { x: 0, y: 200 } },
    { id: 'reminder', type: 'sendEmail', config: { subject: 'Reminder', html: '<p>Still interested?</p>' }, position: { x: 200, y: 300 } },
    { id: 'done', type: 'end', config: {}, position: { x: 0, y: 300 } },
  ],
  edges: [
    { from: 'start', to: 'offer' },
    { from: 'offer', to: 'replied' },
    { from: 'replied', to: 'done', branch: 'yes' },
    { from: 'replied', to: 'reminder', branch: 'no' },
  ],
}

describe('flow graph on the canvas', () => {
  it('keeps the lists the engine validates against', () => {
    expect([...NODE_TYPES]).toEqual([...SHARED_NODE_TYPES])
    expect([...LEAD_STATUSES]).toEqual([...SHARED_LEAD_STATUSES])
  })

  it('goes to the canvas and back unchanged, branches on the yes/no handles', () => {
    const c = toCanvas(example)
    expect(c.edges.find((e) => e.target === 'done')).toMatchObject({ source: 'replied', sourceHandle: 'yes', label: 'Yes' })
    expect(toGraph(c.nodes, c.edges)).toEqual(example)
  })

  it('tells unsaved edits from moves that change nothing saved', () => {
    const c = toCanvas(example)
    const base = graphKey(example, { type: 'manual' })
    // Order, selection and sub-pixel drag jitter are not edits.
    const shuffled = toGraph(
      [...c.nodes].reverse().map((n) => ({ ...n, selected: true, position: { x: n.position.x + 0.2, y: n.position.y } })),
      [...c.edges].reverse(),
    )
    expect(graphKey(shuffled, { type: 'manual' })).toBe(base)
    const moved = toGraph(
      c.nodes.map((n) => (n.id === 'done' ? { ...n, position: { x: 40, y: 300 } } : n)),
      c.edges,
    )
    expect(graphKey(moved, { type: 'manual' })).not.toBe(base)
    expect(graphKey(example, { type: 'contactCreated' })).not.toBe(base)
  })

  it('names new nodes by type without reusing a taken id', () => {
    expect(newNodeId('sendEmail', ['start', 'email-1', 'email-3'])).toBe('email-2')
    expect(newNodeId('start', [])).toBe('start')
    expect(newNodeId('start', ['start'])).toBe('start-1')
    expect(newNodeId('condition', [])).toBe('check-1')
  })

  it('draws one path out of a step, one per branch, none into a start or out of an end', () => {
    const { edges } = toCanvas(example)
    const typeOf = (id: string) => example.nodes.find((n) => n.id === id)?.type
    expect(canConnect(edges, { source: 'offer', target: 'done' }, typeOf)).toBe(false) // offer already leads on
    expect(canConnect(edges, { source: 'reminder', target: 'done' }, typeOf)).toBe(true)
    expect(canConnect(edges, { source: 'reminder', target: 'start' }, typeOf)).toBe(false)
    expect(canConnect(edges, { source: 'done', target: 'reminder' }, typeOf)).toBe(false)
    expect(canConnect(edges, { source: 'reminder', target: 'reminder' }, typeOf)).toBe(false)
    expect(canConnect(edges, { source: 'replied', target: 'reminder', sourceHandle: 'yes' }, typeOf)).toBe(false)
    const noYes = edges.filter((e) => e.sourceHandle !== 'yes')
    expect(canConnect(noYes, { source: 'replied', target: 'reminder', sourceHandle: 'yes' }, typeOf)).toBe(true)
  })

  it('undoes and redoes whole steps; typing in one field within a second is one step', () => {
    const a: Snapshot = toCanvas(example)
    const b: Snapshot = { ...a, edges: [...a.edges, edgeOf('reminder', 'done')] }
    const c: Snapshot = { ...b, nodes: b.nodes.slice(0, -1) }
    let h = record(emptyHistory(), a, null, 1000)
    h = record(h, b, 'offer:subject', 2000)
    h = record(h, { ...b }, 'offer:subject', 2500) // same field, half a second later: same step
    expect(h.past).toHaveLength(2)
    h = record(h, b, 'offer:subject', 4000) // a pause makes a new step
    expect(h.past).toHaveLength(3)
    const u = undo(h, c)!
    expect(u.snapshot).toBe(b)
    const r = redo(u.history, u.snapshot)!
    expect(r.snapshot).toBe(c)
    expect(undo(emptyHistory(), c)).toBeNull()
    expect(redo(emptyHistory(), c)).toBeNull()
    // A new edit after an undo drops what could be redone.
    expect(record(u.history, u.snapshot).future).toEqual([])
  })

  it('says what a node does in words', () => {
    const ctx = { trigger: { type: 'manual' } as const, tags: [{ id: 7, name: 'Cold' }] as never, subjectOf: (id: string) => (id === 'offer' ? 'Our offer' : null) }
    expect(summary('condition', { kind: 'replied', nodeId: 'offer', within: { value: 2, unit: 'days' } }, ctx)).toBe('Replied to “Our offer” within 2 days?')
    expect(summary('action', { kind: 'addTag', tagId: 7 }, ctx)).toBe('Add tag “Cold”')
    expect(summary('sendEmail', { subject: 'Hi {{contact.first_name}}' }, ctx)).toBe('“Hi [First name]”')
    expect(summary('wait', { until: { weekday: 1, hour: 9 } }, ctx)).toMatch(/^Until Mon 9/)
    expect(summary('start', {}, ctx)).toBe('When you enrol contacts')
    expect(summary('wait', { duration: { value: 1, unit: 'hours' } }, ctx)).toBe('For 1 hour')
  })

  it('shows a lead path as one chip per visit, with its outcome, and a problem without the node name', () => {
    const at = '2026-01-05T09:00:00.000Z'
    const path = [
      { nodeId: 'start', outcome: 'entered', detail: null, at },
      { nodeId: 'offer', outcome: 'entered', detail: null, at },
      { nodeId: 'offer', outcome: 'sent', detail: null, at },
      { nodeId: 'replied', outcome: 'entered', detail: null, at },
      { nodeId: 'replied', outcome: 'waiting', detail: null, at },
      { nodeId: 'replied', outcome: 'no', detail: 'timed out', at },
    ]
    expect(visits(path).map((v) => `${v.nodeId}:${v.outcome}`)).toEqual(['start:entered', 'offer:sent', 'replied:no'])
    expect(shortProblem('Email "email-1" has no subject', 'email-1')).toBe('Has no subject')
    expect(shortProblem('Condition "check-1": nodeId — Required', 'check-1')).toBe('Choose the email step it checks')
    expect(shortProblem('Action "action-1": tagId — Required', 'action-1')).toBe('Choose a tag')
    expect(shortProblem('Wait "wait-1": duration.value — At least 1', 'wait-1')).toBe('Duration.value — At least 1')
  })
})
