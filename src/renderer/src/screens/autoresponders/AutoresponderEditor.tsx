// One autoresponder: its settings (name, business, trigger, ordered messages) beside a live preview
// against a real contact, and its activity log. New ones start here too (#/autoresponders/new).
import { useState, type JSX } from 'react'
import type { Autoresponder } from '../../../../shared/automation'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { Field, FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { BusinessOptions } from '../../components/BusinessOptions'
import { PageHeader } from '../../components/PageHeader'
import { formatCount, relativeTime } from '../../lib/format'
import { hrefFor, navigate } from '../../lib/router'
import { useLoad } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import { LoadError } from '../automation/LoadState'
import { FormTop, MessagesAside, useMessagesForm } from '../automation/messagesForm'
import { StepsEditor } from '../automation/StepsEditor'
import { createInput, draftOf, emptyDraft, localErrors, type AutoresponderDraft } from './autoresponderDraft'
import { ExecutionsLog } from './ExecutionsLog'
import { TriggerPicker } from './TriggerPicker'

/** Fields of the form itself that the engine may name in a refusal. */
const FORM_FIELDS = ['name', 'objectId', 'trigger', 'trigger.tagId', 'trigger.field', 'trigger.offsetDays']

export function AutoresponderEditor({ id }: { id: number | 'new' }): JSX.Element {
  // Kept live, so the header's counts move as messages go out.
  const remote = useLoad(() => rpc('autoresponders.list', {}).then((all) => all.find((a) => a.id === id) ?? null), id, {
    events: ['automation.changed', 'outbox.changed'],
    delayMs: 500,
    enabled: id !== 'new',
    keepPrevious: false,
  })
  const [tab, setTab] = useState<'settings' | 'activity'>('settings')
  const [deleting, setDeleting] = useState(false)
  const saved = remote.data

  if (id !== 'new' && !remote.loading && !saved)
    return (
      <div className="page">
        {remote.error ? (
          <LoadError message={remote.error} onRetry={remote.reload} />
        ) : (
          <EmptyState icon="zap" title="This autoresponder no longer exists" actions={<a className="btn" href={hrefFor({ name: 'autoresponders' })}>Back to autoresponders</a>}>
            It may have been deleted.
          </EmptyState>
        )}
      </div>
    )
  if (id !== 'new' && !saved) return <div className="page page-loading" aria-busy="true" />

  return (
    <div className="page editor-page">
      <a className="back-link" href={hrefFor({ name: 'autoresponders' })}>
        <Icon name="chevronLeft" size={14} /> Autoresponders
      </a>
      {saved && (
        <>
          <PageHeader
            title={saved.name}
            subtitle={
              <>
                <span className={`badge ${saved.isActive ? 'badge-green' : 'badge-slate'}`}>{saved.isActive ? 'On' : 'Off'}</span>
                {formatCount(saved.totalSent)} sent · {formatCount(saved.totalFailed)} failed · {formatCount(saved.totalSkipped)} skipped · {saved.lastFiredAt ? `last fired ${relativeTime(saved.lastFiredAt)}` : 'not fired yet'}
              </>
            }
            actions={
              <>
                <button type="button" className="btn btn-danger-outline" onClick={() => setDeleting(true)}>
                  <Icon name="trash" /> Delete
                </button>
              </>
            }
          />
          <div className="tabs" role="tablist" aria-label="Autoresponder">
            <button type="button" role="tab" aria-selected={tab === 'settings'} className="tab" onClick={() => setTab('settings')}>
              Settings
            </button>
            <button type="button" role="tab" aria-selected={tab === 'activity'} className="tab" onClick={() => setTab('activity')}>
              Activity
              <span className="count-pill">{formatCount(saved.totalSent + saved.totalFailed + saved.totalSkipped)}</span>
            </button>
          </div>
        </>
      )}
      {tab === 'activity' && saved ? <ExecutionsLog autoresponder={saved} /> : <Form key={saved?.id ?? 'new'} saved={saved} onSaved={remote.reload} />}
      {deleting && saved && (
        <ConfirmDialog
          title="Delete this autoresponder?"
          message={
            <>
              <strong>{saved.name}</strong> stops at once. Messages it already queued stay in the outbox; its activity log is removed.
            </>
          }
          confirmLabel="Delete autoresponder"
          onConfirm={async () => {
            await rpc('autoresponders.delete', { id: saved.id })
            toastOk('Autoresponder deleted')
            navigate({ name: 'autoresponders' })
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </div>
  )
}

function Form({ saved, onSaved }: { saved: Autoresponder | null; onSaved: (a: Autoresponder) => void }): JSX.Element {
  const f = useMessagesForm<AutoresponderDraft>({
    initial: () => (saved ? draftOf(saved) : emptyDraft()),
    list: 'actions',
    fields: FORM_FIELDS,
    localErrors,
    submit: async (draft) => {
      const input = createInput(draft)
      const result = saved ? await rpc('autoresponders.update', { id: saved.id, ...input }) : await rpc('autoresponders.create', input)
      toastOk(saved ? 'Autoresponder saved' : `${result.name} is ${result.isActive ? 'on' : 'saved (off)'}`)
      if (saved) onSaved(result)
      else navigate({ name: 'autoresponders', id: result.id })
    },
  })
  const { draft, set, errors, formError, saving, save } = f

  const saveButton = (
    <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={saving}>
      <Icon name="check" /> {saving ? 'Saving…' : saved ? 'Save changes' : 'Create autoresponder'}
    </button>
  )
  return (
    <>
      <FormTop
        heading={saved ? null : { title: 'New autoresponder', subtitle: 'Pick what starts it and write the messages it sends' }}
        note="Changes apply to what fires from now on."
        formError={formError}
        saveButton={saveButton}
      />
      <div className="editor-layout">
        <div className="editor-main">
          <section className="card" aria-labelledby="ar-basics">
            <div className="card-header">
              <h3 id="ar-basics">Basics</h3>
            </div>
            <div className="card-body form-grid">
              <Field label="Name" error={errors.name}>
                {(p) => <input className="input" {...p} value={draft.name} placeholder="Holiday greeting" onChange={(e) => set({ name: e.target.value })} />}
              </Field>
              <Field label="Business" error={errors.objectId} hint="Each contact gets it from their own business’s sender">
                {(p) => (
                  <select className="input select" {...p} value={draft.objectId} onChange={(e) => set({ objectId: e.target.value })}>
                    <BusinessOptions empty="All businesses" />
                  </select>
                )}
              </Field>
              <div className="span-2">
                <label className="toggle-row">
                  <input type="checkbox" role="switch" className="toggle" checked={draft.isActive} onChange={(e) => set({ isActive: e.target.checked })} />
                  <span className="toggle-text">
                    <span className="label-text">Active</span>
                    <span className="toggle-hint">When off, nothing fires and nothing new is queued.</span>
                  </span>
                </label>
              </div>
            </div>
          </section>
          <section className="card" aria-labelledby="ar-trigger">
            <div className="card-header">
              <div>
                <h3 id="ar-trigger">Trigger</h3>
                <p className="card-help">What starts this autoresponder for a contact</p>
              </div>
            </div>
            <div className="card-body">
              <TriggerPicker value={draft.trigger} onChange={(trigger) => set({ trigger })} errors={errors} />
            </div>
          </section>
          <section aria-labelledby="ar-actions" className="editor-section">
            <div className="section-head">
              <h3 id="ar-actions">Messages</h3>
              <span className="card-help">Sent in order; each delay counts from the trigger</span>
            </div>
            <FormError message={errors.actions ?? null} />
            <StepsEditor noun="Action" messages={draft.actions} onChange={f.setMessages} errors={f.shown} active={f.active} onActive={f.setActive} focus={f.focus} objectId={draft.objectId ? Number(draft.objectId) : null} />
          </section>
        </div>
        <MessagesAside noun="Action" messages={draft.actions} index={f.index} objectId={draft.objectId ? Number(draft.objectId) : null} focus={f.focus} onPreviewError={f.setPreviewError} onMessages={f.setMessages} />
      </div>
    </>
  )
}
