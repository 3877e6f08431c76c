// One library template: name, business, subject and body in the rich editor, declared variables, the plain-text
// part (made from the HTML unless the user writes it), every version, and a live preview with a sample contact.
// Saving a change makes a new version; mail already queued keeps the words it was written with.
import { useMemo, useState, type JSX } from 'react'
import type { Template } from '../../../../shared/templates'
import { BusinessField } from '../../components/BusinessOptions'
import { useConfirm } from '../../components/ConfirmDialog'
import { Field, FormError, SwitchRow, TextField } from '../../components/Field'
import { SaveButton } from '../../components/Form'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { RichEditor } from '../../components/RichEditor'
import { useUnsavedChanges } from '../../components/UnsavedChanges'
import { VARIABLES } from '../../lib/automation'
import { splitError } from '../../lib/errors'
import { formatWhen } from '../../lib/format'
import { hrefFor, navigate, navigateAnyway } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc, RpcError } from '../../rpc'
import { toastOk, useApp } from '../../store'
import { LoadError } from '../automation/LoadState'
import { BulkSendDialog } from './BulkSendDialog'
import { LibraryPreview } from './LibraryPreview'
import '../../styles/templates.css'
import { Card } from '../../components/Card'

interface Draft {
  name: string
  objectId: string
  description: string
  subject: string
  html: string
  variables: string
  ownText: boolean
  text: string
}
const empty = (objectId: string): Draft => ({ name: '', objectId, description: '', subject: '', html: '', variables: '', ownText: false, text: '' })
const fromTemplate = (t: Template): Draft => ({
  name: t.name,
  objectId: String(t.objectId),
  description: t.description,
  subject: t.version.subject,
  html: t.version.html,
  variables: t.version.variables.join(', '),
  ownText: !t.version.textAuto,
  text: t.version.textAuto ? '' : t.version.text,
})
export const parseVariables = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .map((v) => v.trim().replace(/^\{\{\s*|\s*\}\}$/g, ''))
    .filter(Boolean)

export function TemplateEditor({ id }: { id: number | 'new' }): JSX.Element {
  const existing = useQuery('templates.get', { id: id === 'new' ? 0 : id }, { enabled: id !== 'new', events: ['templates.changed'], keepPrevious: false })
  if (id === 'new') return <Editor template={null} />
  if (existing.error) return <div className="page"><LoadError message={existing.error} onRetry={existing.reload} /></div>
  if (!existing.data) return <div className="page page-loading" aria-busy="true" />
  return <Editor key={existing.data.currentVersion} template={existing.data} />
}

function Editor({ template }: { template: Template | null }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const initial = useMemo(() => (template ? fromTemplate(template) : empty(objects?.length === 1 ? String(objects[0]!.id) : '')), [template, objects])
  const [draft, setDraft] = useState<Draft>(initial)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [bulk, setBulk] = useState(false)
  const [shownVersion, setShownVersion] = useState<number | null>(null)
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial)
  const variables = parseVariables(draft.variables)
  const editorVariables = useMemo(() => [...variables.map((v) => ({ name: v, help: 'Your variable' })), ...VARIABLES], [draft.variables]) // eslint-disable-line react-hooks/exhaustive-deps

  const save = async (): Promise<boolean> => {
    setSaving(true)
    setFormError(null)
    try {
      const content = { subject: draft.subject, html: draft.html, variables, description: draft.description }
      if (!template) {
        if (!draft.objectId) {
          setErrors({ objectId: 'Pick the business this template is for' })
          setSaving(false)
          return false
        }
        const t = await rpc('templates.create', { ...content, name: draft.name, objectId: Number(draft.objectId), ...(draft.ownText ? { text: draft.text } : {}) })
        toastOk(`“${t.name}” saved`)
        setErrors({})
        // Saved: past the unsaved-changes guard (this editor's draft is the new template now).
        navigateAnyway(hrefFor({ name: 'templates', id: t.id }))
      } else {
        const t = await rpc('templates.update', { id: template.id, name: draft.name, ...content, text: draft.ownText ? draft.text : null })
        toastOk(t.currentVersion > template.currentVersion ? `Saved as version ${t.currentVersion}` : 'Saved')
        setErrors({})
      }
      setSaving(false)
      return true
    } catch (err) {
      const { fields, form } = splitError(err, (f) => ['name', 'objectId', 'subject', 'html', 'text', 'variables', 'description'].includes(f.split('.')[0]!), (f) => f.split('.')[0]!)
      setErrors(fields)
      setFormError(form)
      setSaving(false)
      return false
    }
  }
  const guard = useUnsavedChanges({ dirty, save, discard: () => setDraft(initial), what: 'this template' })

  // The engine asks (CONFLICT, in words) while mail from the template is waiting; the dialog shows that, and
  // pressing Delete again is the answer.
  const [asked, setAsked] = useState(false)
  const remove = async () => {
    try {
      await rpc('templates.delete', { id: template!.id, confirm: asked || template!.pending > 0 })
    } catch (err) {
      if (err instanceof RpcError && err.code === 'CONFLICT') setAsked(true)
      throw err
    }
    toastOk(`“${template!.name}” deleted`)
    navigate({ name: 'templates' })
  }
  const deleting = useConfirm((t: Template) => ({
    title: `Delete “${t.name}”?`,
    message: t.pending ? `${t.pending} messages from it are still waiting; they will still be sent as written.` : 'Mail already sent from it stays in the outbox and in the dashboard.',
    confirmLabel: 'Delete template',
    onConfirm: remove,
  }))

  const saveButton = <SaveButton saving={saving} onSave={save} label={template ? 'Save new version' : 'Create template'} disabled={!!template && !dirty} />
  return (
    <div className="page">
      <PageHeader
        title={template ? template.name : 'New template'}
        subtitle={template ? `Version ${template.currentVersion} · ${template.pending ? `${template.pending} waiting in the outbox` : 'nothing waiting'}` : 'Write it once; insert it in compose or send it to many'}
        actions={
          <>
            {template && (
              <>
                <button type="button" className="btn" onClick={() => deleting.ask(template)}>
                  <Icon name="trash" /> Delete
                </button>
                <button type="button" className="btn" onClick={() => setBulk(true)} disabled={dirty} title={dirty ? 'Save your changes first' : undefined}>
                  <Icon name="send" /> Bulk send
                </button>
              </>
            )}
            {saveButton}
          </>
        }
      />
      <FormError message={formError} />
      <div className="editor-layout">
        <div className="editor-main">
          <Card id="tpl-basics" title="Template">
            <div className="card-body form-grid">
              <TextField label="Name" error={errors.name} value={draft.name} placeholder="Spring offer" onChange={(name) => set({ name })} />
              <BusinessField value={draft.objectId} onChange={(objectId) => set({ objectId })} empty="Pick a business" error={errors.objectId} hint={template ? 'A template belongs to one business' : undefined} disabled={!!template} />
              <Field label="Subject" error={errors.subject} className="span-2">
                {(p) => <input className="input" {...p} value={draft.subject} placeholder="Spring is here, {{default contact.first_name &quot;friend&quot;}}" onChange={(e) => set({ subject: e.target.value })} />}
              </Field>
              <Field label="Your variables" error={errors.variables} optional className="span-2" hint="Names filled in per send, like order_id or code; use them as {{order_id}}. Anything not listed here or built in is refused.">
                {(p) => <input className="input" {...p} value={draft.variables} placeholder="code, region" onChange={(e) => set({ variables: e.target.value })} />}
              </Field>
            </div>
          </Card>
          <Card id="tpl-body" title="Message">
            <div className="card-body">
              <RichEditor label="Message" value={draft.html} onChange={(html) => set({ html })} variables={editorVariables} invalid={!!errors.html} />
              {errors.html && (
                <p className="field-error" role="alert">
                  {errors.html}
                </p>
              )}
              <SwitchRow
                className="tpl-text-toggle"
                label="Write the plain-text part myself"
                hint="Off: it is made from the message above, for mail apps that show no HTML."
                checked={draft.ownText}
                onChange={(ownText) => set({ ownText, text: ownText && !draft.text ? (template?.version.text ?? '') : draft.text })}
              />
              {draft.ownText && (
                <Field label="Plain text" error={errors.text}>
                  {(p) => <textarea className="input textarea tpl-text" {...p} rows={6} value={draft.text} onChange={(e) => set({ text: e.target.value })} />}
                </Field>
              )}
            </div>
          </Card>
        </div>
        <aside className="editor-side" aria-label="Preview and versions">
          <LibraryPreview
            objectId={draft.objectId ? Number(draft.objectId) : null}
            content={shownVersion && template ? { templateId: template.id, version: shownVersion } : { subject: draft.subject, html: draft.html, variables, text: draft.ownText ? draft.text : undefined }}
            variables={variables}
            label={shownVersion ? `Version ${shownVersion}` : dirty ? 'Unsaved changes' : template ? `Version ${template.currentVersion}` : 'This template'}
          />
          {template && (
            <Card id="tpl-versions" title="Versions" help="Each save keeps the one before; queued mail keeps its own">
              <ol className="tpl-versions">
                {template.versions.map((v) => (
                  <li key={v.version} className={shownVersion === v.version || (!shownVersion && v.version === template.currentVersion) ? 'is-current' : undefined}>
                    <button type="button" className="tpl-version" onClick={() => setShownVersion(v.version === template.currentVersion ? null : v.version)} aria-label={`Preview version ${v.version}`}>
                      <span className="tpl-version-no">v{v.version}</span>
                      <span className="tpl-version-subject">{v.subject}</span>
                      <span className="tpl-version-when">{formatWhen(v.createdAt)}</span>
                    </button>
                  </li>
                ))}
              </ol>
            </Card>
          )}
        </aside>
      </div>
      {deleting.dialog}
      {bulk && template && <BulkSendDialog templateId={template.id} onClose={() => setBulk(false)} />}
      {guard}
    </div>
  )
}

