// Edit one intake rule, with a live preview against a recent message of the business: whether the rule
// takes it (and why), the fields it reads, the contact it would create or fill in, the tags it would add.
// The preview is a read: nothing is written until "Save rule".
import { useState, type JSX } from 'react'
import type { IntakePreview, IntakeRule } from '../../../../shared/intake'
import type { BizObject } from '../../../../shared/models'
import { useConfirm, useGuardedClose } from '../../components/ConfirmDialog'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError, SelectField, TextField, Toggle } from '../../components/Field'
import { Segmented } from '../../components/Segmented'
import { TagChip } from '../../components/TagChip'
import { resolveTag, TagPicker } from '../../components/TagPicker'
import { useFormAction } from '../../lib/useAction'
import { formatWhen } from '../../lib/format'
import { useLoad, useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'

interface Draft {
  name: string
  enabled: boolean
  fromMatch: string
  toMatch: string
  subjectMatch: string
  subjectMode: 'contains' | 'regex'
  tagIds: number[]
  sequenceId: number | null
  /** Form label → where it goes, over the built-in names (set from the preview's "Goes to" column). */
  fieldMap: Record<string, string>
}

const draftOf = (r: IntakeRule | null): Draft => ({
  name: r?.name ?? '',
  enabled: r?.enabled ?? true,
  fromMatch: r?.fromMatch ?? '',
  toMatch: r?.toMatch ?? '',
  subjectMatch: r?.subjectMatch ?? '',
  subjectMode: r?.subjectMode ?? 'contains',
  tagIds: r?.tagIds ?? [],
  sequenceId: r?.sequenceId ?? null,
  fieldMap: r?.fieldMap ?? {},
})

const FIELDS = ['name', 'fromMatch', 'toMatch', 'subjectMatch', 'subjectMode', 'tagIds', 'sequenceId', 'fieldMap']
const TARGET_WORDS: Record<string, string> = { name: 'Name', firstName: 'First name', lastName: 'Last name', email: 'Email', phone: 'Phone', company: 'Company', ignore: 'Ignored' }
/** Where a form field can go: the contact's own fields, a custom field of its label (or the one it has), or nowhere. */
const targetOptions = (label: string, current: string): string[] => {
  const custom = `custom:${label.replace(/[^A-Za-z0-9 _-]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60) || 'field'}`
  return [...new Set(['name', 'firstName', 'lastName', 'email', 'phone', 'company', current.startsWith('custom:') ? current : custom, custom, 'ignore'])]
}
const targetWords = (t: string): string => TARGET_WORDS[t] ?? (t.startsWith('custom:') ? `Custom: ${t.slice(7)}` : t)

interface Props {
  object: BizObject
  rule: IntakeRule | null
  onClose: () => void
}

export function IntakeRuleDialog({ object, rule, onClose }: Props): JSX.Element {
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule))
  const initial = JSON.stringify(draftOf(rule))
  const dirty = JSON.stringify(draft) !== initial
  const { busy, errors, run } = useFormAction((f) => FIELDS.includes(f))
  const deleting = useConfirm((rule: IntakeRule) => ({
    title: `Delete “${rule.name}”?`,
    message: 'New form e-mails are no longer turned into contacts by this rule. Contacts it made stay.',
    confirmLabel: 'Delete rule',
    onConfirm: () => rpc('intake.rules.delete', { id: rule.id }).then(() => onClose()),
    done: 'Intake rule deleted',
  }))
  const allTags = useApp((s) => s.tags) ?? []
  const sequences = useQuery('sequences.list', { objectId: object.id })
  const samples = useQuery('intake.samples', { objectId: object.id, limit: 30 }, { events: ['inbox.changed'] })
  const [messageId, setMessageId] = useState<number | null>(null)
  const chosen = messageId ?? samples.data?.[0]?.id ?? null
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }))

  const input = () => ({
    objectId: object.id,
    name: draft.name.trim() || 'Untitled rule',
    enabled: draft.enabled,
    fromMatch: draft.fromMatch.trim() || null,
    toMatch: draft.toMatch.trim() || null,
    subjectMatch: draft.subjectMatch,
    subjectMode: draft.subjectMode,
    tagIds: draft.tagIds,
    sequenceId: draft.sequenceId,
    fieldMap: draft.fieldMap,
  })
  // The unsaved rule as it stands, tried on the chosen message (coalesced while typing).
  const hasCondition = Boolean(draft.fromMatch.trim() || draft.toMatch.trim() || draft.subjectMatch.trim())
  const preview = useLoad<IntakePreview | null>(() => (chosen === null || !hasCondition ? Promise.resolve(null) : rpc('intake.rules.preview', { messageId: chosen, rule: input() })), [chosen, draft], {
    events: ['contacts.changed', 'intake.changed'],
  })

  const save = () =>
    run(async () => {
      const { objectId, ...fields } = input()
      if (rule) await rpc('intake.rules.update', { id: rule.id, ...fields, name: draft.name })
      else await rpc('intake.rules.create', { objectId, ...fields, name: draft.name })
      toastOk(rule ? 'Intake rule saved' : 'Intake rule added')
      onClose()
    })
  const leaving = useGuardedClose(dirty, onClose, { title: 'Discard changes?', message: "This rule's changes are not saved.", confirmLabel: 'Discard changes' })

  const sequenceOptions = [{ value: '', label: 'No sequence' }, ...(sequences.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))]
  const sampleOptions = (samples.data ?? []).map((m) => ({ value: String(m.id), label: `${m.subject || '(no subject)'} — ${m.fromEmail ?? m.fromName} · ${formatWhen(m.date)}` }))

  return (
    <Dialog
      title={rule ? `Edit intake rule` : 'New intake rule'}
      description={`Mail to ${object.name} that matches is read as a form submission.`}
      size="xl"
      className="intake-dialog"
      onClose={leaving.close}
      onSubmit={save}
      footer={
        <DialogActions onCancel={leaving.close} label={rule ? 'Save rule' : 'Add rule'} busy={busy}>
          {rule && (
            <button type="button" className="btn btn-danger-outline intake-delete" onClick={() => deleting.ask(rule)}>
              Delete rule
            </button>
          )}
        </DialogActions>
      }
    >
      <div className="intake-editor">
        <div className="intake-form">
          <TextField label="Rule name" value={draft.name} onChange={(v) => set('name', v)} error={errors.fields.name} placeholder="Website contact form" autoFocus />
          <div className="form-grid">
            <TextField label="From" optional value={draft.fromMatch} onChange={(v) => set('fromMatch', v)} error={errors.fields.fromMatch} placeholder="forms@site.com or @site.com" />
            <TextField label="Sent to" optional type="email" value={draft.toMatch} onChange={(v) => set('toMatch', v)} error={errors.fields.toMatch} placeholder="hello@yourbusiness.com" />
          </div>
          <div className="intake-subject">
            <TextField
              label="Subject"
              optional
              className="intake-subject-field"
              value={draft.subjectMatch}
              onChange={(v) => set('subjectMatch', v)}
              error={errors.fields.subjectMatch}
              placeholder={draft.subjectMode === 'regex' ? '^New (enquiry|booking)' : 'New form submission'}
              hint={draft.subjectMode === 'regex' ? 'A regular expression, any case. Repeated groups and back-references are not allowed.' : 'Contains this text, any case.'}
            />
            <Segmented<Draft['subjectMode']>
              label="How the subject is matched"
              value={draft.subjectMode}
              onChange={(v) => set('subjectMode', v)}
              options={[
                { value: 'contains', label: 'Contains' },
                { value: 'regex', label: 'Pattern' },
              ]}
            />
          </div>
          <div className="intake-tags">
            <span className="field-label">Add tags</span>
            <div className="intake-tag-list">
              {draft.tagIds.length === 0 && <span className="muted">No tags: the contact is only created or updated.</span>}
              {draft.tagIds.map((id) => {
                const t = allTags.find((x) => x.id === id)
                return t ? <TagChip key={id} name={t.name} color={t.color} onRemove={() => set('tagIds', draft.tagIds.filter((x) => x !== id))} /> : null
              })}
            </div>
            <TagPicker
              label="Add a tag"
              collapsible
              exclude={draft.tagIds}
              onPick={async (c) => {
                const t = await resolveTag(c)
                setDraft((d) => ({ ...d, tagIds: [...d.tagIds.filter((x) => x !== t.id), t.id] }))
              }}
            />
            {errors.fields.tagIds && <p className="field-error">{errors.fields.tagIds}</p>}
            <p className="field-hint">Autoresponders and flows that start on these tags fire for the contact.</p>
          </div>
          <SelectField
            label="Also enrol in sequence"
            optional
            value={draft.sequenceId === null ? '' : String(draft.sequenceId)}
            onChange={(v) => set('sequenceId', v ? Number(v) : null)}
            options={sequenceOptions}
            error={errors.fields.sequenceId}
          />
          <Toggle label="Rule is on" checked={draft.enabled} onChange={(v) => set('enabled', v)} hint="Off: new mail is left alone" />
          <FormError message={errors.form} />
        </div>
        <aside className="intake-preview" aria-label="Preview">
          <h3 className="intake-preview-title">Try it on a recent message</h3>
          {samples.data && samples.data.length === 0 ? (
            <p className="muted">No mail has come in for {object.name} yet. Once a form e-mail arrives you can try the rule on it here.</p>
          ) : (
            <SelectField label="Message" value={chosen === null ? '' : String(chosen)} onChange={(v) => setMessageId(Number(v))} options={sampleOptions} />
          )}
          {!hasCondition && chosen !== null && <p className="muted">Fill in a sender, an address or a subject to see what the rule does with this message.</p>}
          {preview.error && <p className="intake-preview-error">Fix the rule to preview it: {preview.error}</p>}
          {preview.data && !preview.error && <PreviewBody p={preview.data} onMap={(label, target) => set('fieldMap', { ...draft.fieldMap, [label]: target })} />}
        </aside>
      </div>
      {leaving.dialog}
      {deleting.dialog}
    </Dialog>
  )
}

function PreviewBody({ p, onMap }: { p: IntakePreview; onMap: (label: string, target: string) => void }): JSX.Element {
  const allTags = useApp((s) => s.tags) ?? []
  const c = p.contact
  const who = [c.firstName, c.lastName].filter(Boolean).join(' ')
  return (
    <div className="intake-preview-body" data-testid="intake-preview">
      <div className={`intake-verdict ${p.matches ? 'is-match' : 'is-miss'}`} role="status">
        <strong>{p.matches ? 'This message is a form submission' : 'This rule does not take this message'}</strong>
        <ul className="intake-reasons">
          {p.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      </div>
      {p.handled && (
        <p className="intake-handled">
          Already handled when it arrived: {p.handled.outcome}
          {p.handled.detail ? ` (${p.handled.detail})` : ''}.
        </p>
      )}
      <h4 className="intake-preview-sub">Contact</h4>
      <p className="intake-contact">
        {c.action === 'create' && (
          <>
            Creates <strong>{who || c.email}</strong> {who && <span className="muted">&lt;{c.email}&gt;</span>}
          </>
        )}
        {c.action === 'update' && (
          <>
            Updates <strong>{c.email}</strong>
            {c.changes.length ? `: fills in ${c.changes.map((x) => targetWords(x.field)).join(', ')}` : ': nothing new to fill in'}
          </>
        )}
        {c.action === 'none' && <span className="muted">{c.reason}</span>}
      </p>
      {p.tags.length > 0 && c.action !== 'none' && (
        <div className="intake-preview-tags">
          {p.tags.map((t) => {
            const tag = allTags.find((x) => x.id === t.id)
            return (
              <span key={t.id} className="intake-preview-tag">
                <TagChip name={t.name} color={tag?.color ?? 'slate'} />
                <span className="muted">{t.added ? 'added' : 'already on the contact'}</span>
              </span>
            )
          })}
        </div>
      )}
      {p.sequence && c.action !== 'none' && <p className="intake-contact">Enrols in the sequence {p.sequence.name}.</p>}
      <h4 className="intake-preview-sub">Fields read</h4>
      {p.fields.length === 0 ? (
        <p className="muted intake-note">No “Label: value” lines or table rows were found.</p>
      ) : (
        <table className="intake-fields" aria-label="Fields read">
          <thead>
            <tr>
              <th>Form label</th>
              <th>Value</th>
              <th>Goes to</th>
            </tr>
          </thead>
          <tbody>
            {p.fields.map((f, i) => (
              <tr key={i}>
                <td>{f.label}</td>
                <td>
                  <span className="intake-value">{f.value}</span>
                </td>
                <td>
                  <select className="input select intake-target" aria-label={`Where “${f.label}” goes`} value={f.target} onChange={(e) => onMap(f.label, e.target.value)}>
                    {targetOptions(f.label, f.target).map((o) => (
                      <option key={o} value={o}>
                        {targetWords(o)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!p.matches && <p className="muted intake-note">Nothing is written by a preview.</p>}
    </div>
  )
}
