// Enrol contacts into a running flow: pick them by search, or everyone with a tag (what flows.enroll takes).
// Enrolment is idempotent; the answer says how many were new, already in, or skipped.
import { useState, type JSX } from 'react'
import type { Flow } from '../../../../shared/flows'
import type { Contact, Tag } from '../../../../shared/models'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { Segmented } from '../../components/Segmented'
import { TagChip } from '../../components/TagChip'
import { TagPicker } from '../../components/TagPicker'
import { messageOf } from '../../lib/errors'
import { displayName, formatCount, plural } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastOk, useApp } from '../../store'

export function FlowEnrollDialog({ flow, onClose }: { flow: Flow; onClose: () => void }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const [mode, setMode] = useState<'pick' | 'tag'>('pick')
  const [query, setQuery] = useState('')
  const [picked, setPicked] = useState<Map<number, Contact>>(new Map())
  const [tag, setTag] = useState<Tag | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const found = useQuery('contacts.list', { query: query.trim() || undefined, objectId: flow.objectId, limit: 50 }, { delayMs: 0 })

  const toggle = (c: Contact) =>
    setPicked((m) => {
      const next = new Map(m)
      if (next.has(c.id)) next.delete(c.id)
      else next.set(c.id, c)
      return next
    })

  const submit = async () => {
    setError(null)
    if (mode === 'pick' && picked.size === 0) return setError('Pick at least one contact')
    if (mode === 'tag' && !tag) return setError('Pick a tag')
    setBusy(true)
    try {
      const r = await rpc('flows.enroll', mode === 'pick' ? { flowId: flow.id, contactIds: [...picked.keys()] } : { flowId: flow.id, tagId: tag!.id })
      const extra = [r.alreadyIn ? `${formatCount(r.alreadyIn)} already in` : '', r.skipped ? `${formatCount(r.skipped)} skipped` : ''].filter(Boolean).join(', ')
      toastOk(`Enrolled ${plural(r.enrolled, 'contact')}${extra ? ` (${extra})` : ''}`)
      onClose()
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }

  return (
    <Dialog
      title="Enrol contacts"
      description={`Into “${flow.name}”, from ${objectName(objects, flow.objectId)}. Anyone already in the flow is left where they are.`}
      size="md"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={<DialogActions onCancel={onClose} busy={busy} busyLabel="Enrolling…" label={mode === 'pick' ? `Enrol ${picked.size ? plural(picked.size, 'contact') : 'contacts'}` : tag ? `Enrol everyone tagged “${tag.name}”` : 'Enrol'} />}
    >
      <Segmented
        label="How to pick"
        value={mode}
        onChange={setMode}
        options={[
          { value: 'pick', label: 'Pick contacts' },
          { value: 'tag', label: 'By tag' },
        ]}
      />
      {mode === 'pick' ? (
        <div className="enroll-pick">
          <div className="search-box">
            <Icon name="search" size={14} />
            <input className="input input-bare" aria-label="Search contacts" placeholder="Search by name, email or company" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
          </div>
          <ul className="check-list enroll-results" aria-label="Contacts">
            {found.data?.items.map((c) => (
              <li key={c.id}>
                <label className={`check-row${picked.has(c.id) ? ' is-checked' : ''}${c.email ? '' : ' is-disabled'}`}>
                  <input type="checkbox" className="checkbox" checked={picked.has(c.id)} disabled={!c.email} onChange={() => toggle(c)} />
                  <span className="check-main">
                    <span className="check-title">{displayName(c)}</span>
                    <span className="check-sub">{c.email ?? 'No email address'}</span>
                  </span>
                </label>
              </li>
            ))}
            {found.data && found.data.items.length === 0 && <li className="check-empty">No contacts match “{query}” in this business.</li>}
          </ul>
        </div>
      ) : (
        <div className="enroll-tag">
          {tag ? (
            <div className="tag-chosen-row">
              <TagChip name={tag.name} color={tag.color} onRemove={() => setTag(null)} />
              <span className="muted">{plural(tag.contactCount, 'contact')} have this tag</span>
            </div>
          ) : (
            <TagPicker label="Tag" allowCreate={false} placeholder="Search tags…" onPick={(c) => 'tag' in c && setTag(c.tag)} />
          )}
          <p className="field-hint">Contacts of this business with the tag are enrolled; those without an email or who unsubscribed are skipped.</p>
        </div>
      )}
      <FormError message={error} />
    </Dialog>
  )
}
