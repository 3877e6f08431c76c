// Enrol contacts into a sequence or a flow: pick them by search, everyone with a tag, or a segment as it
// matches now. Enrolment is idempotent; the result says how many were new, already in, or skipped (no
// email, unsubscribed).
import { useState, type JSX } from 'react'
import type { Contact, Tag } from '../../../../shared/models'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { TagChip } from '../../components/TagChip'
import { TagPicker } from '../../components/TagPicker'
import { useAction } from '../../lib/useAction'
import { displayName, formatCount, plural } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { objectName, toastOk, useApp } from '../../store'
import { EnrollSegment } from '../segments/EnrollSegment'

export type EnrollWho = { contactIds: number[] } | { tagId: number } | { segmentId: number }
export interface EnrollOutcome {
  enrolled: number
  alreadyIn: number
  skipped: number
}

interface Props {
  /** What the contacts join (a sequence, a flow): its name and business. */
  into: { name: string; objectId: number }
  enroll: (who: EnrollWho) => Promise<EnrollOutcome>
  onClose: () => void
  onDone?: () => void
}

export function EnrollContactsDialog({ into, enroll, onClose, onDone }: Props): JSX.Element {
  const objects = useApp((s) => s.objects)
  const [mode, setMode] = useState<'pick' | 'tag' | 'segment'>('pick')
  const [segmentId, setSegmentId] = useState<number | null>(null)
  const [query, setQuery] = useState('')
  const [picked, setPicked] = useState<Map<number, Contact>>(new Map())
  const [tag, setTag] = useState<Tag | null>(null)
  const { busy, error, setError, run } = useAction()
  const found = useQuery('contacts.list', { query: query.trim() || undefined, objectId: into.objectId, limit: 50 }, { delayMs: 0 })

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
    if (mode === 'segment' && segmentId === null) return setError('Pick a segment')
    await run(async () => {
      const r = await enroll(mode === 'pick' ? { contactIds: [...picked.keys()] } : mode === 'segment' ? { segmentId: segmentId! } : { tagId: tag!.id })
      const extra = [r.alreadyIn ? `${formatCount(r.alreadyIn)} already in` : '', r.skipped ? `${formatCount(r.skipped)} skipped` : ''].filter(Boolean).join(', ')
      toastOk(`Enrolled ${plural(r.enrolled, 'contact')}${extra ? ` (${extra})` : ''}`)
      onDone?.()
      onClose()
    })
  }

  return (
    <Dialog
      title="Enrol contacts"
      description={`Into “${into.name}”, from ${objectName(objects, into.objectId)}. Anyone already enrolled is left as they are.`}
      size="md"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <DialogActions
          onCancel={onClose}
          busy={busy}
          busyLabel="Enrolling…"
          label={
            mode === 'pick'
              ? `Enrol ${picked.size ? plural(picked.size, 'contact') : 'contacts'}`
              : mode === 'segment'
                ? segmentId !== null
                  ? 'Enrol the segment'
                  : 'Enrol'
                : tag
                  ? `Enrol everyone tagged “${tag.name}”`
                  : 'Enrol'
          }
        />
      }
    >
      <div className="segmented segmented-wide" role="tablist" aria-label="How to pick">
        <button type="button" role="tab" aria-selected={mode === 'pick'} className={`segment${mode === 'pick' ? ' is-on' : ''}`} onClick={() => setMode('pick')}>
          <Icon name="search" size={14} /> Pick contacts
        </button>
        <button type="button" role="tab" aria-selected={mode === 'tag'} className={`segment${mode === 'tag' ? ' is-on' : ''}`} onClick={() => setMode('tag')}>
          <Icon name="tag" size={14} /> By tag
        </button>
        <button type="button" role="tab" aria-selected={mode === 'segment'} className={`segment${mode === 'segment' ? ' is-on' : ''}`} onClick={() => setMode('segment')}>
          <Icon name="funnel" size={14} /> By segment
        </button>
      </div>
      {mode === 'pick' ? (
        <div className="enroll-pick">
          <div className="search-box">
            <Icon name="search" size={14} />
            <input className="input input-bare" aria-label="Search contacts" placeholder="Search by name, email or company" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
          </div>
          {picked.size > 0 && (
            <div className="chip-list picked-list" aria-label="Picked">
              {[...picked.values()].map((c) => (
                <span key={c.id} className="chip chip-blue">
                  <span className="chip-text">{displayName(c)}</span>
                  <button type="button" className="chip-remove" aria-label={`Remove ${displayName(c)}`} onClick={() => toggle(c)}>
                    <Icon name="x" size={12} />
                  </button>
                </span>
              ))}
            </div>
          )}
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
          {found.data && found.data.total > found.data.items.length && <p className="field-hint">Showing the first {formatCount(found.data.items.length)} of {formatCount(found.data.total)}; search to narrow it down, or enrol by tag.</p>}
        </div>
      ) : mode === 'segment' ? (
        <EnrollSegment objectId={into.objectId} value={segmentId} onChange={setSegmentId} />
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
