// Build or edit a segment: a name, which business it covers, "all" or "any" of a list of conditions, and a
// live count with the first few people it matches (segments.preview, as the user edits). Errors from the
// engine are shown under the condition they belong to. Closing with changes asks first.
import { useEffect, useMemo, useState, type JSX } from 'react'
import type { Company, Group, Segment, SegmentPreview } from '../../../../shared/segments'
import { useConfirm, useGuardedClose } from '../../components/ConfirmDialog'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { fieldErrorsOf, messageOf } from '../../lib/errors'
import { formatCount, plural } from '../../lib/format'
import { rpc, RpcError } from '../../rpc'
import { toastOk, useApp } from '../../store'
import { RuleEditor } from './RuleEditor'
import { fromRules, newRow, toRules, type RuleRow } from './ruleModel'
import { BusinessOptions } from '../../components/BusinessOptions'

export interface SegmentStart {
  name?: string
  objectId?: number | null
  rules?: Group
}

export function SegmentDialog({
  segment,
  start,
  onClose,
  onSaved,
  onDeleted,
}: {
  segment?: Segment
  start?: SegmentStart
  onClose: () => void
  onSaved: (s: Segment) => void
  onDeleted?: () => void
}): JSX.Element {
  const tags = useApp((s) => s.tags) ?? []
  const initial = useMemo(() => {
    const rules = segment?.rules ?? start?.rules
    const parsed = rules ? fromRules(rules) : { match: 'all' as const, rows: [] as RuleRow[], nested: false }
    return { name: segment?.name ?? start?.name ?? '', objectId: segment?.objectId ?? start?.objectId ?? null, ...parsed }
  }, [segment, start])
  const [name, setName] = useState(initial.name)
  const [objectId, setObjectId] = useState<number | null>(initial.objectId)
  const [match, setMatch] = useState<'all' | 'any'>(initial.match)
  const [rows, setRows] = useState<RuleRow[]>(() => (initial.rows.length || initial.nested ? initial.rows : [newRow('tag', { tag: tags[0]?.id })]))
  const [companies, setCompanies] = useState<Company[]>([])
  const [preview, setPreview] = useState<SegmentPreview | null>(null)
  const [ruleErrors, setRuleErrors] = useState<Record<number, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [nameError, setNameError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const deleting = useConfirm((segment: Segment) => ({
    title: `Delete “${segment.name}”?`,
    message: 'The contacts stay as they are; only the saved filter goes. Sequences already enrolled from it keep their contacts.',
    confirmLabel: 'Delete segment',
    onConfirm: () => rpc('segments.delete', { id: segment.id }).then(() => onDeleted?.()),
    done: `Segment “${segment.name}” deleted`,
  }))
  // A segment with groups inside groups (made through the contract) keeps its rules: only its name changes here.
  const rules: Group = initial.nested && segment ? segment.rules : toRules(match, rows)
  const rulesKey = JSON.stringify(rules)
  const dirty = name !== initial.name || objectId !== initial.objectId || rulesKey !== JSON.stringify(initial.nested && segment ? segment.rules : toRules(initial.match, initial.rows))

  useEffect(() => {
    rpc('companies.list', {}).then(setCompanies, () => setCompanies([]))
  }, [])

  /** Errors at rules.all.3.value → condition 4. */
  const byRule = (err: unknown): { rules: Record<number, string>; rest: string[] } => {
    const out: Record<number, string> = {}
    const rest: string[] = []
    for (const f of fieldErrorsOf(err)) {
      const m = /^rules\.(?:all|any)\.(\d+)/.exec(f.field)
      if (m && !(Number(m[1]) in out)) out[Number(m[1])] = f.message
      else if (!m && f.field !== 'name') rest.push(f.message)
    }
    return { rules: out, rest }
  }

  // The live preview, a moment after the last change.
  useEffect(() => {
    let live = true
    const t = setTimeout(() => {
      rpc('segments.preview', { rules: JSON.parse(rulesKey) as Group, objectId, sampleSize: 5 }).then(
        (p) => live && (setPreview(p), setRuleErrors({})),
        (err) => {
          if (!live) return
          setPreview(null)
          setRuleErrors(byRule(err).rules)
        },
      )
    }, 250)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [rulesKey, objectId])

  const save = async () => {
    setError(null)
    setNameError(name.trim() ? undefined : 'Give the segment a name')
    if (!name.trim()) return
    setBusy(true)
    try {
      const saved = segment
        ? await rpc('segments.update', { id: segment.id, name: name.trim(), objectId, ...(initial.nested ? {} : { rules }) })
        : await rpc('segments.create', { name: name.trim(), objectId, rules })
      toastOk(`Segment “${saved.name}” saved: ${plural(saved.count, 'contact')}`)
      onSaved(saved)
    } catch (err) {
      const split = byRule(err)
      setRuleErrors(split.rules)
      if (err instanceof RpcError && err.field === 'name') setNameError(err.message)
      else setError(split.rest[0] ?? (Object.keys(split.rules).length ? 'Some conditions need fixing' : messageOf(err)))
      setBusy(false)
    }
  }
  const leaving = useGuardedClose(dirty, onClose, { title: 'Discard this segment?', message: 'Your changes to the segment have not been saved.', confirmLabel: 'Discard' })

  return (
    <>
      <Dialog
        title={segment ? `Edit “${segment.name}”` : 'New segment'}
        description="A saved filter over your contacts. Its count stays live; use it to filter the grid or to enrol a sequence."
        size="lg"
        className="segment-dialog"
        onClose={leaving.close}
        onSubmit={() => void save()}
        footer={
          <>
            {segment && (
              <button type="button" className="btn btn-danger-outline segment-delete" onClick={() => deleting.ask(segment)}>
                Delete segment
              </button>
            )}
            <DialogActions onCancel={leaving.close} label="Save segment" busy={busy} />
          </>
        }
      >
        <div className="segment-form">
          <div className="segment-head">
            <label className="field segment-name">
              <span className="field-label">Name</span>
              <input className={`input${nameError ? ' is-invalid' : ''}`} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. VIPs gone quiet" autoFocus aria-invalid={!!nameError} />
              {nameError && <span className="field-error">{nameError}</span>}
            </label>
            <label className="field segment-scope">
              <span className="field-label">Contacts of</span>
              <select className="input select" value={objectId === null ? '' : String(objectId)} onChange={(e) => setObjectId(e.target.value ? Number(e.target.value) : null)}>
                <BusinessOptions empty="Every business" />
              </select>
            </label>
          </div>
          {initial.nested && segment ? (
            <p className="segment-nested">This segment has groups of conditions inside each other, made outside this editor. Its conditions are kept as they are; you can rename it here.</p>
          ) : (
            <>
              <div className="segment-match">
                <span>Contacts matching</span>
                <div className="segmented" role="radiogroup" aria-label="Match">
                  {(['all', 'any'] as const).map((m) => (
                    <button key={m} type="button" role="radio" aria-checked={match === m} className={`segment${match === m ? ' is-on' : ''}`} onClick={() => setMatch(m)}>
                      {m === 'all' ? 'all' : 'any'}
                    </button>
                  ))}
                </div>
                <span>of these conditions</span>
              </div>
              <ol className="rule-list" aria-label="Conditions">
                {rows.map((row, i) => (
                  <RuleEditor
                    key={row.key}
                    row={row}
                    index={i}
                    companies={companies}
                    error={ruleErrors[i]}
                    onChange={(next) => setRows((rs) => rs.map((r) => (r.key === row.key ? next : r)))}
                    onRemove={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
                  />
                ))}
                {rows.length === 0 && <li className="rule-empty">No conditions: {match === 'all' ? 'every contact matches' : 'no contact matches'}.</li>}
              </ol>
              <button type="button" className="btn btn-sm" onClick={() => setRows((rs) => [...rs, newRow('lastInboundAt', {})])}>
                <Icon name="plus" size={14} /> Add condition
              </button>
            </>
          )}
          <section className="segment-preview" aria-live="polite" aria-label="Preview">
            {preview ? (
              <>
                <p className="segment-count">
                  <strong>{formatCount(preview.count)}</strong> {preview.count === 1 ? 'contact matches' : 'contacts match'}
                </p>
                {preview.sample.length > 0 && (
                  <ul className="segment-sample">
                    {preview.sample.map((c) => (
                      <li key={c.id}>
                        <span className="segment-sample-name">{c.name || c.email || `Contact ${c.id}`}</span>
                        {c.email && c.name && <span className="muted"> · {c.email}</span>}
                      </li>
                    ))}
                    {preview.count > preview.sample.length && <li className="muted">and {formatCount(preview.count - preview.sample.length)} more</li>}
                  </ul>
                )}
              </>
            ) : (
              <p className="muted">{Object.keys(ruleErrors).length ? 'Fix the conditions marked above to see who matches.' : 'Counting…'}</p>
            )}
          </section>
          <FormError message={error} />
        </div>
      </Dialog>
      {leaving.dialog}
      {deleting.dialog}
    </>
  )
}
