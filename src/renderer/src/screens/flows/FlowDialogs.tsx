// Small dialogs of the flows screens: a new flow (name and business; it starts with its start step) and
// renaming one. Status words and badge tones live here too, shared by the list and the editor.
import { useState, type JSX } from 'react'
import type { Flow } from '../../../../shared/flows'
import { BusinessField } from '../../components/BusinessOptions'
import { Dialog, DialogActions } from '../../components/Dialog'
import { Field, FormError, TextField } from '../../components/Field'
import { messageOf } from '../../lib/errors'
import { navigate } from '../../lib/router'
import { rpc, RpcError } from '../../rpc'
import { toastOk, useApp } from '../../store'

export const FLOW_STATUS: Record<Flow['status'], { label: string; tone: string }> = {
  draft: { label: 'Draft', tone: 'slate' },
  active: { label: 'Active', tone: 'green' },
  paused: { label: 'Paused', tone: 'amber' },
}

export function NewFlowDialog({ objectId, onClose }: { objectId: number | null; onClose: () => void }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const [name, setName] = useState('')
  const [object, setObject] = useState(String(objectId ?? (objects?.length === 1 ? objects[0]!.id : '')))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    const e: Record<string, string> = {}
    if (!name.trim()) e.name = 'Give the flow a name'
    if (!object) e.objectId = 'Choose the business it sends for'
    setErrors(e)
    if (Object.keys(e).length) return
    setBusy(true)
    try {
      const flow = await rpc('flows.create', {
        name: name.trim(),
        objectId: Number(object),
        trigger: { type: 'manual' },
        graph: { nodes: [{ id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } }], edges: [] },
      })
      toastOk(`${flow.name} created. Drag steps from the palette to build it.`)
      navigate({ name: 'flows', id: flow.id })
    } catch (err) {
      if (err instanceof RpcError && err.field && (err.field === 'name' || err.field === 'objectId')) setErrors({ [err.field]: err.message })
      else setError(messageOf(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title="New flow" description="A campaign drawn as steps: send, wait, check, act. It starts as a draft; nothing is sent until you activate it." size="sm" onClose={onClose} onSubmit={() => void submit()} footer={<DialogActions onCancel={onClose} busy={busy} busyLabel="Creating…" label="Create flow" />}>
      <TextField label="Name" error={errors.name} value={name} placeholder="Spring offer follow-up" autoFocus onChange={setName} />
      <BusinessField value={object} onChange={setObject} empty="Choose a business…" error={errors.objectId} />
      <FormError message={error} />
    </Dialog>
  )
}

export function RenameFlowDialog({ flow, onClose, onDone }: { flow: Pick<Flow, 'id' | 'name'>; onClose: () => void; onDone?: (f: Flow) => void }): JSX.Element {
  const [name, setName] = useState(flow.name)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    if (!name.trim()) return setError('Give the flow a name')
    setBusy(true)
    try {
      const f = await rpc('flows.update', { id: flow.id, name: name.trim() })
      toastOk('Flow renamed')
      onDone?.(f)
      onClose()
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title="Rename flow" size="sm" onClose={onClose} onSubmit={() => void submit()} footer={<DialogActions onCancel={onClose} busy={busy} label="Rename" />}>
      <Field label="Name" error={error ?? undefined}>
        {(p) => <input className="input" {...p} value={name} autoFocus onChange={(e) => setName(e.target.value)} />}
      </Field>
    </Dialog>
  )
}
