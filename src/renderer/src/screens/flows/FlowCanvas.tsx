// The canvas (React Flow): a palette of node types dragged onto it (or double-clicked to add in view),
// handles to connect, zoom and pan, a minimap and controls, Delete/Backspace to remove what is selected.
import { Background, BackgroundVariant, Controls, MiniMap, Panel, ReactFlow, useReactFlow, type DefaultEdgeOptions, type FitViewOptions } from '@xyflow/react'
import '@xyflow/react/dist/base.css'
import '../../styles/flowCanvas.css'
import { useState, type DragEvent, type JSX } from 'react'
import type { NodeType } from '../../../../shared/flows'
import { Icon } from '../../components/Icons'
import { NODE_TYPES, TYPE_HELP, TYPE_LABEL } from './flowGraph'
import { NODE_TYPES_VIEW, TYPE_ICON } from './FlowNodeView'
import type { FlowEditing } from './useFlowEditing'

const DRAG_TYPE = 'application/x-switchboard-flow-node'
const EDGE_OPTIONS: DefaultEdgeOptions = { type: 'smoothstep' }
const DELETE_KEYS = ['Delete', 'Backspace']
const MINIMAP_SIZE = { width: 150, height: 96 }
// Fitting the flow in view leaves the palette's strip on the left free.
const FIT: FitViewOptions = { padding: { top: '32px', right: '32px', bottom: '32px', left: '176px' }, maxZoom: 1 }

export function FlowCanvas({ editing, readOnly, onSelect }: { editing: FlowEditing; readOnly: boolean; onSelect: (nodeId: string | null) => void }): JSX.Element {
  const rf = useReactFlow()
  // A new flow (its start step alone) opens with the start at the top, room below to build; else all in view.
  const [fresh] = useState(() => editing.nodes.length <= 1)
  const hasStart = editing.nodes.some((n) => n.type === 'start')

  const add = (type: NodeType, at: { x: number; y: number }) => {
    const id = editing.addNode(type, { x: Math.round(at.x / 8) * 8, y: Math.round(at.y / 8) * 8 })
    onSelect(id)
  }
  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType
    if (!NODE_TYPES.includes(type)) return
    e.preventDefault()
    // The node's middle lands under the pointer (nodes are 220 wide).
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY })
    add(type, { x: p.x - 110, y: p.y - 24 })
  }
  const addInView = (type: NodeType) => {
    const box = document.querySelector('.flow-canvas')?.getBoundingClientRect()
    const p = rf.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 600) / 2, y: (box?.top ?? 0) + (box?.height ?? 400) / 2 })
    add(type, { x: p.x - 110, y: p.y - 24 })
  }

  return (
    <div
      className="flow-canvas"
      onDragOver={(e) => {
        if (readOnly || !e.dataTransfer.types.includes(DRAG_TYPE)) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'move'
      }}
      onDrop={readOnly ? undefined : onDrop}
    >
      <ReactFlow
        nodes={editing.nodes}
        edges={editing.edges}
        nodeTypes={NODE_TYPES_VIEW}
        defaultEdgeOptions={EDGE_OPTIONS}
        onNodesChange={editing.onNodesChange}
        onEdgesChange={editing.onEdgesChange}
        onConnect={editing.onConnect}
        onNodeDragStart={editing.onNodeDragStart}
        isValidConnection={editing.isValidConnection}
        onSelectionChange={({ nodes }) => onSelect(nodes.length === 1 ? nodes[0]!.id : null)}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        snapToGrid
        snapGrid={[8, 8]}
        fitView={!fresh}
        onInit={(inst) => {
          if (!fresh) return
          const box = document.querySelector('.flow-canvas')?.getBoundingClientRect()
          const start = editing.nodes[0]?.position ?? { x: 0, y: 0 }
          void inst.setViewport({ x: (box?.width ?? 800) / 2 - (start.x + 110) * 0.85, y: 48 - start.y * 0.85, zoom: 0.85 })
        }}
        fitViewOptions={FIT}
        minZoom={0.25}
        maxZoom={1.75}
        proOptions={{ hideAttribution: true }}
        aria-label="Flow canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1.2} className="flow-bg" />
        <Controls showInteractive={false} className="flow-controls" fitViewOptions={FIT} />
        <MiniMap pannable zoomable className="flow-minimap" style={MINIMAP_SIZE} nodeClassName={(n) => `flow-mini flow-mini-${n.type}`} ariaLabel="Overview of the flow" />
        {!readOnly && (
          <Panel position="top-left" className="flow-palette" aria-label="Add a step">
            <span className="flow-palette-title">Drag onto the canvas</span>
            {NODE_TYPES.filter((t) => t !== 'start' || !hasStart).map((t) => (
              <div
                key={t}
                className={`flow-palette-item flow-node-${t}`}
                role="button"
                tabIndex={0}
                draggable
                title={`${TYPE_HELP[t]}. Drag onto the canvas, or double-click to add it in view.`}
                aria-label={`Add ${TYPE_LABEL[t]}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, t)
                  e.dataTransfer.effectAllowed = 'move'
                }}
                onDoubleClick={() => addInView(t)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') (e.preventDefault(), addInView(t))
                }}
              >
                <span className={`flow-node-icon flow-icon-${t}`} aria-hidden="true">
                  <Icon name={TYPE_ICON[t]} size={13} />
                </span>
                <span className="flow-palette-label">{TYPE_LABEL[t]}</span>
              </div>
            ))}
          </Panel>
        )}
      </ReactFlow>
    </div>
  )
}
