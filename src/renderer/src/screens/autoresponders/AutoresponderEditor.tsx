// One autoresponder: its settings (name, business, trigger, ordered messages) beside a live preview
// against a real contact, and its activity log. New ones start here too (#/autoresponders/new).
import { useState, type JSX } from 'react'
import type { Autoresponder } from '../../../../shared/automation'
import { useConfirm } from '../../components/ConfirmDialog'
import { deleteAutomation } from '../automation/deleteAutomation'
import { EmptyState } from '../../components/EmptyState'
import { SwitchRow, TextField } from '../../components/Field'
import { Card } from '../../components/Card'
import { Icon } from '../../components/Icons'
import { BusinessField } from '../../components/BusinessOptions'
import { BackLink, PageHeader } from '../../components/PageHeader'
import { formatCount, relativeTime } from '../../lib/format'
import { hrefFor, navigate } from '../../lib/router'
import { useLoad } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import { LoadError } from '../automation/LoadState'
import { MessagesEditor, MessagesSection, useMessagesForm } from '../automation/messagesForm'
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
  const deleting = useConfirm((ar: Autoresponder) => deleteAutomation('autoresponders', ar, 'stops at once. Messages it already queued stay in the outbox; its activity log is removed.'))
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
      <BackLink to={{ name: 'autoresponders' }}>Autoresponders</BackLink>
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
                <button type="button" className="btn btn-danger-outline" onClick={() => deleting.ask(saved)}>
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
      {deleting.dialog}
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
  const { draft, set, errors } = f
  return (
    <MessagesEditor
      form={f}
      heading={saved ? null : { title: 'New autoresponder', subtitle: 'Pick what starts it and write the messages it sends' }}
      note="Changes apply to what fires from now on."
      saveLabel={saved ? 'Save changes' : 'Create autoresponder'}
      noun="Action"
      basicsId="ar-basics"
      basics={
        <>
          <TextField label="Name" error={errors.name} value={draft.name} placeholder="Holiday greeting" onChange={(name) => set({ name })} />
          <BusinessField value={draft.objectId} onChange={(objectId) => set({ objectId })} empty="All businesses" error={errors.objectId} hint="Each contact gets it from their own business’s sender" />
          <div className="span-2">
            <SwitchRow label="Active" hint="When off, nothing fires and nothing new is queued." checked={draft.isActive} onChange={(isActive) => set({ isActive })} />
          </div>
        </>
      }
    >
      <Card id="ar-trigger" title="Trigger" help="What starts this autoresponder for a contact">
        <div className="card-body">
          <TriggerPicker value={draft.trigger} onChange={(trigger) => set({ trigger })} errors={errors} />
        </div>
      </Card>
      <MessagesSection id="ar-actions" title="Messages" help="Sent in order; each delay counts from the trigger" noun="Action" error={errors.actions} form={f} />
    </MessagesEditor>
  )
}
