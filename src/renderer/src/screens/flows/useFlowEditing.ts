// The canvas's state while editing: React Flow's nodes and edges, every change that matters recorded for
// undo/redo (a drag, a connection, a deletion, a settings edit), and the unsaved state against what the
// engine holds. Selection and measuring are not edits: they change nothing saved and are not undone.
import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react'
import { useCallback, useMemo, useRef, useState } from 'react'
import type { Flow, FlowGraph, FlowTrigger, NodeType } from '../../../../shared/flows'
import { canConnect, defaultConfig, edgeOf, emptyHistory, graphKey, newNodeId, record, redo, toCanvas, toGraph, undo, type Config, type FEdge, type FNode, type History, type Snapshot } from './flowGraph'

export function useFlowEditing(saved: Flow) {
  const [nodes, setNodes] = useState<FNode[]>(() => toCanvas(saved.graph).nodes)
  const [edges, setEdges] = useState<FEdge[]>(() => toCanvas(saved.graph).edges)
  const [trigger, setTrigger] = useState<FlowTrigger>(saved.trigger)
  const [history, setHistory] = useState<History>(emptyHistory)
  const [baseKey, setBaseKey] = useState(() => graphKey(saved.graph, saved.trigger))
  // The newest state for callbacks React Flow holds on to.
  const now = useRef<Snapshot>({ nodes, edges })
  now.current = { nodes, edges }

  const graph = useMemo(() => toGraph(nodes, edges), [nodes, edges])
  const dirty = graphKey(graph, trigger) !== baseKey

  const remember = useCallback((key: string | null = null) => setHistory((h) => record(h, now.current, key)), [])

  const onNodesChange = useCallback(
    (changes: NodeChange<FNode>[]) => {
      if (changes.some((c) => c.type === 'remove')) remember()
      setNodes((ns) => applyNodeChanges(changes, ns))
    },
    [remember],
  )
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FEdge>[]) => {
      if (changes.some((c) => c.type === 'remove')) remember()
      setEdges((es) => applyEdgeChanges(changes, es))
    },
    [remember],
  )
  const typeOf = useCallback((id: string) => now.current.nodes.find((n) => n.id === id)?.type, [])
  const isValidConnection = useCallback((c: Connection | FEdge) => canConnect(now.current.edges, c, typeOf), [typeOf])
  const onConnect = useCallback(
    (c: Connection) => {
      if (!canConnect(now.current.edges, c, typeOf)) return
      remember()
      const branch = c.sourceHandle === 'yes' || c.sourceHandle === 'no' ? c.sourceHandle : undefined
      setEdges((es) => addEdge(edgeOf(c.source, c.target, branch), es))
    },
    [remember, typeOf],
  )
  // A drag is one undo step: the position before it starts.
  const onNodeDragStart = useCallback(() => remember(), [remember])

  const addNode = useCallback(
    (type: NodeType, position: XYPosition): string => {
      remember()
      const id = newNodeId(
        type,
        now.current.nodes.map((n) => n.id),
      )
      const node: FNode = { id, type, position, data: { config: defaultConfig(type, now.current.nodes) }, selected: true }
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node])
      setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)))
      return id
    },
    [remember],
  )

  /** A settings edit; edits of the same node and field within a second are one undo step. */
  const setConfig = useCallback(
    (id: string, config: Config, field = '') => {
      remember(`${id}:${field}`)
      setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, config } } : n)))
    },
    [remember],
  )
  const changeTrigger = useCallback(
    (t: FlowTrigger) => {
      remember()
      setTrigger(t)
    },
    [remember],
  )

  const restore = (s: Snapshot) => {
    setNodes(s.nodes)
    setEdges(s.edges)
  }
  const doUndo = useCallback(() => {
    const r = undo(history, now.current)
    if (r) (setHistory(r.history), restore(r.snapshot))
  }, [history])
  const doRedo = useCallback(() => {
    const r = redo(history, now.current)
    if (r) (setHistory(r.history), restore(r.snapshot))
  }, [history])

  /** The engine now holds this graph and trigger (saved): they become what edits are compared with. */
  const saved_ = useCallback((g: FlowGraph, t: FlowTrigger) => setBaseKey(graphKey(g, t)), [])
  const discard = useCallback(() => {
    const c = toCanvas(saved.graph)
    setNodes(c.nodes)
    setEdges(c.edges)
    setTrigger(saved.trigger)
    setHistory(emptyHistory())
    setBaseKey(graphKey(saved.graph, saved.trigger))
  }, [saved])

  return {
    nodes,
    edges,
    graph,
    trigger,
    dirty,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    onNodesChange,
    onEdgesChange,
    onConnect,
    onNodeDragStart,
    isValidConnection,
    addNode,
    setConfig,
    changeTrigger,
    undo: doUndo,
    redo: doRedo,
    markSaved: saved_,
    discard,
  }
}

export type FlowEditing = ReturnType<typeof useFlowEditing>
