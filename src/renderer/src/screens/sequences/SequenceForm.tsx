// A sequence's settings: name, business, the steps with their waits (with a live preview), the
// mailboxes it rotates across and its sending window. Used to create one and to edit it.
import type { JSX } from 'react'
import type { Sequence } from '../../../../shared/automation'
import { Field, FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { BusinessOptions } from '../../components/BusinessOptions'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'
import { FormTop, MessagesAside, useMessagesForm } from '../automation/messagesForm'
import { StepsEditor } from '../automation/StepsEditor'
import { createInput, draftOf, emptyDraft, localErrors, patchInput, type SequenceDraft } from './sequenceDraft'
import { MailboxPicker, WindowPicker } from './SendingFields'

const KNOWN = ['name', 'objectId', 'mailboxIds', 'window', 'window.days', 'window.endHour', 'steps']

/** With `heading`, the form draws the page header with its save button (a new sequence); else a bar above the form. */
export function SequenceForm({ saved, onSaved, heading }: { saved: Sequence | null; onSaved?: (s: Sequence) => void; heading?: { title: string; subtitle: string } }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const f = useMessagesForm<SequenceDraft>({
    initial: () => (saved ? draftOf(saved) : emptyDraft(objects?.length === 1 ? String(objects[0].id) : '')),
    list: 'steps',
    fields: KNOWN,
    localErrors,
    submit: async (draft) => {
      if (saved) {
        const result = await rpc('sequences.update', patchInput(saved.id, draft))
        toastOk('Sequence saved')
        onSaved?.(result)
      } else {
        const result = await rpc('sequences.create', createInput(draft))
        toastOk(`${result.name} created. Enrol contacts to start it.`)
        navigate({ name: 'sequences', id: result.id })
      }
    },
  })
  const { draft, set, errors, formError, saving, save } = f
  const mailboxes = useQuery('mailboxes.list', draft.objectId ? { objectId: Number(draft.objectId) } : null, { events: ['objects.changed'], delayMs: 1000, keepPrevious: false })

  const saveButton = (
    <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={saving}>
      <Icon name="check" /> {saving ? 'Saving…' : saved ? 'Save changes' : 'Create sequence'}
    </button>
  )
  return (
    <>
      <FormTop heading={heading ?? null} note="Changes apply to steps not sent yet; contacts keep their place." formError={formError} saveButton={saveButton} />
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
            <StepsEditor noun="Step" messages={draft.steps} onChange={f.setMessages} errors={f.shown} active={f.active} onActive={f.setActive} focus={f.focus} objectId={draft.objectId ? Number(draft.objectId) : null} />
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
        <MessagesAside noun="Step" messages={draft.steps} index={f.index} objectId={draft.objectId ? Number(draft.objectId) : null} focus={f.focus} onPreviewError={f.setPreviewError} onMessages={f.setMessages} />
      </div>
    </>
  )
}
