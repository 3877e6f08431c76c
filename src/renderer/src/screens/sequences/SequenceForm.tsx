// A sequence's settings: name, business, the steps with their waits (with a live preview), the
// mailboxes it rotates across and its sending window. Used to create one and to edit it.
import type { JSX } from 'react'
import type { Sequence } from '../../../../shared/automation'
import { Card } from '../../components/Card'
import { TextField } from '../../components/Field'
import { BusinessField } from '../../components/BusinessOptions'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'
import { MessagesEditor, MessagesSection, useMessagesForm } from '../automation/messagesForm'
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
  const { draft, set, errors } = f
  const mailboxes = useQuery('mailboxes.list', draft.objectId ? { objectId: Number(draft.objectId) } : null, { events: ['objects.changed'], delayMs: 1000, keepPrevious: false })

  return (
    <MessagesEditor
      form={f}
      heading={heading ?? null}
      note="Changes apply to steps not sent yet; contacts keep their place."
      saveLabel={saved ? 'Save changes' : 'Create sequence'}
      noun="Step"
      basicsId="sq-basics"
      basics={
        <>
          <TextField label="Name" error={errors.name} value={draft.name} placeholder="Spring re-booking" onChange={(name) => set({ name })} />
          <BusinessField value={draft.objectId} onChange={(objectId) => set({ objectId, mailboxIds: [] })} empty="Choose a business…" error={errors.objectId} hint={saved ? 'A sequence stays with its business' : undefined} disabled={Boolean(saved)} />
        </>
      }
    >
      <MessagesSection id="sq-steps" title="Steps" help="Follow-ups thread under the first message and stop when the contact replies or bounces" noun="Step" error={errors.steps} form={f} />
      <Card id="sq-sending" title="Sending" help="Each mailbox keeps to its own daily cap">
        <div className="card-body sending-body">
          <div>
            <span className="label-text">Mailboxes</span>
            <MailboxPicker mailboxes={mailboxes.data} objectId={draft.objectId} value={draft.mailboxIds} onChange={(mailboxIds) => set({ mailboxIds })} error={errors.mailboxIds} />
          </div>
          <WindowPicker on={draft.windowOn} window={draft.window} onToggle={(windowOn) => set({ windowOn })} onChange={(window) => set({ window })} errors={errors} />
        </div>
      </Card>
    </MessagesEditor>
  )
}
