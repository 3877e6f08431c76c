// A sequence's settings: name, business, the steps with their waits (with a live preview), the
// mailboxes it rotates across and its sending window. Used to create one and to edit it.
import { useRef, useState, type JSX } from 'react'
import type { Sequence } from '../../../../shared/automation'
import { Field, FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { BusinessOptions } from '../../components/BusinessOptions'
import { PageHeader } from '../../components/PageHeader'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'
import { firstMessageWithError, htmlOf, routeSaveError } from '../automation/messageDraft'
import { focusFirstInvalid } from '../../lib/errors'
import { StepsEditor, type Focus } from '../automation/StepsEditor'
import { TemplatePreview, type PreviewError } from '../automation/TemplatePreview'
import { insertAtFocus, VariablesHelp } from '../automation/VariablesHelp'
import { createInput, draftOf, emptyDraft, localErrors, patchInput, type SequenceDraft } from './sequenceDraft'
import { MailboxPicker, WindowPicker } from './SendingFields'

const KNOWN = ['name', 'objectId', 'mailboxIds', 'window', 'window.days', 'window.endHour', 'steps']

/** With `heading`, the form draws the page header with its save button (a new sequence); else a bar above the form. */
export function SequenceForm({ saved, onSaved, heading }: { saved: Sequence | null; onSaved?: (s: Sequence) => void; heading?: { title: string; subtitle: string } }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const [draft, setDraft] = useState<SequenceDraft>(() => (saved ? draftOf(saved) : emptyDraft(objects?.length === 1 ? String(objects[0].id) : '')))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [previewError, setPreviewError] = useState<PreviewError | null>(null)
  const [active, setActive] = useState(0)
  const [saving, setSaving] = useState(false)
  const focus = useRef<Focus | null>(null)
  // An edit clears the last save's complaints; the preview keeps checking the template as it changes.
  const set = (patch: Partial<SequenceDraft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    setErrors((e) => (Object.keys(e).length ? {} : e))
  }
  const mailboxes = useQuery('mailboxes.list', draft.objectId ? { objectId: Number(draft.objectId) } : null, { events: ['objects.changed'], delayMs: 1000, keepPrevious: false })
  const index = Math.min(active, draft.steps.length - 1)
  const current = draft.steps[index]

  const shown = { ...errors }
  if (previewError) shown[`${index}.${previewError.field === 'html' ? 'body' : 'subject'}`] ??= previewError.message

  // Every complaint at once: the first message with one is brought into view and its field focused.
  const showErrors = (e: Record<string, string>) => {
    setErrors(e)
    const i = firstMessageWithError(e)
    if (i !== null) setActive(i)
    focusFirstInvalid()
  }

  const save = async () => {
    setFormError(null)
    const local = localErrors(draft)
    setErrors(local)
    if (Object.keys(local).length) return showErrors(local)
    setSaving(true)
    try {
      if (saved) {
        const result = await rpc('sequences.update', patchInput(saved.id, draft))
        toastOk('Sequence saved')
        onSaved?.(result)
      } else {
        const result = await rpc('sequences.create', createInput(draft))
        toastOk(`${result.name} created. Enrol contacts to start it.`)
        navigate({ name: 'sequences', id: result.id })
      }
    } catch (err) {
      routeSaveError(err, 'steps', KNOWN, showErrors, setFormError)
    }
    setSaving(false)
  }

  const saveButton = (
    <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={saving}>
      <Icon name="check" /> {saving ? 'Saving…' : saved ? 'Save changes' : 'Create sequence'}
    </button>
  )
  return (
    <>
      {heading ? (
        <>
          <PageHeader
            title={heading.title}
            subtitle={heading.subtitle}
            actions={saveButton}
          />
          <FormError message={formError} />
        </>
      ) : (
        <div className="form-bar">
          {formError ? <FormError message={formError} /> : <span className="form-bar-note">Changes apply to steps not sent yet; contacts keep their place.</span>}
          <span className="spacer" />
          {saveButton}
        </div>
      )}
      <div className="editor-layout">
        <div className="editor-main">
          <section className="card" aria-labelledby="sq-basics">
            <div className="card-header">
              <h3 id="sq-basics">Basics</h3>
            </div>
            <div className="card-body form-grid">
              <Field label="Name" error={errors.name}>
                {(p) => <input className="input" {...p} value={draft.name} placeholder="Spring re-booking" onChange={(e) => set({ name: e.target.value })} />}
              </Field>
              <Field label="Business" error={errors.objectId} hint={saved ? 'A sequence stays with its business' : undefined}>
                {(p) => (
                  <select className="input select" {...p} value={draft.objectId} disabled={Boolean(saved)} onChange={(e) => set({ objectId: e.target.value, mailboxIds: [] })}>
                    <BusinessOptions empty="Choose a business…" />
                  </select>
                )}
              </Field>
            </div>
          </section>
          <section aria-labelledby="sq-steps" className="editor-section">
            <div className="section-head">
              <h3 id="sq-steps">Steps</h3>
              <span className="card-help">Follow-ups thread under the first message and stop when the contact replies or bounces</span>
            </div>
            <FormError message={errors.steps ?? null} />
            <StepsEditor noun="Step" messages={draft.steps} onChange={(steps) => set({ steps })} errors={shown} active={active} onActive={setActive} focus={focus} />
          </section>
          <section className="card" aria-labelledby="sq-sending">
            <div className="card-header">
              <div>
                <h3 id="sq-sending">Sending</h3>
                <p className="card-help">Each mailbox keeps to its own daily cap</p>
              </div>
            </div>
            <div className="card-body sending-body">
              <div>
                <span className="label-text">Mailboxes</span>
                <MailboxPicker mailboxes={mailboxes.data} objectId={draft.objectId} value={draft.mailboxIds} onChange={(mailboxIds) => set({ mailboxIds })} error={errors.mailboxIds} />
              </div>
              <WindowPicker on={draft.windowOn} window={draft.window} onToggle={(windowOn) => set({ windowOn })} onChange={(window) => set({ window })} errors={errors} />
            </div>
          </section>
        </div>
        <aside className="editor-side" aria-label="Preview and variables">
          {current && <TemplatePreview label={`Step ${index + 1}`} subject={current.subject} html={htmlOf(current)} objectId={draft.objectId ? Number(draft.objectId) : null} onError={setPreviewError} />}
          <VariablesHelp
            onInsert={(token) =>
              insertAtFocus(
                focus.current,
                token,
                (i, field, value) => set({ steps: draft.steps.map((m, j) => (j === i ? { ...m, [field]: value } : m)) }),
                () => set({ steps: draft.steps.map((m, j) => (j === index ? { ...m, body: m.body + token } : m)) }),
              )
            }
          />
        </aside>
      </div>
    </>
  )
}
