// A flow's graph as a slice of the runner reads it (flowRun.ts): nodes with their edges out, cached per flow
// version for the slice, each node's settings parsed once, and whether a node sits on a loop.
import type { FlowGraph, FlowNode } from '../../../shared/flows'
import type { Ctx } from '../context'
import { readGraph } from '../repos/flows'

export interface GraphNode {
  node: FlowNode
  out: FlowGraph['edges']
  /** Whether a lead can come back to this node (a loop through a wait); found when first asked. */
  loops?: boolean
}
export type Graph = Map<string, GraphNode>
export interface Graphs {
  get(flowId: number, version: number): Graph
}
export function graphCache(ctx: Ctx): Graphs {
  const cache = new Map<string, Graph>()
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

const configs = new WeakMap<FlowNode, unknown>()
/** A node's settings parsed once per slice's graph, not once per lead. */
export function configOf<T>(node: FlowNode, schema: { parse(v: unknown): T }): T {
  if (!configs.has(node)) configs.set(node, schema.parse(node.config))
  return configs.get(node) as T
}

export function loops(graph: Graph, key: string): boolean {
  const entry = graph.get(key)!
  if (entry.loops === undefined) {
    const seen = new Set<string>()
    const stack = entry.out.map((e) => e.to)
    while (stack.length && !seen.has(key)) {
      const k = stack.pop()!
      if (seen.has(k)) continue
      seen.add(k)
      for (const e of graph.get(k)?.out ?? []) stack.push(e.to)
    }
    entry.loops = seen.has(key)
  }
  return entry.loops
}
