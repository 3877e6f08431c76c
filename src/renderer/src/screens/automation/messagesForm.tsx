// What the autoresponder editor and the sequence form share: a draft holding a list of messages (actions or
// steps), every complaint at once (the first message with one brought into view and its field focused), the
// live preview's complaint beside the field it is about, and the side panel with the preview and variables.
import { useRef, useState, type JSX, type MutableRefObject, type ReactNode } from 'react'
import { FormError } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { focusFirstInvalid } from '../../lib/errors'
import { firstMessageWithError, htmlOf, routeSaveError, type MessageDraft } from './messageDraft'
import type { Focus } from './StepsEditor'
import { TemplatePreview, type PreviewError } from './TemplatePreview'
import { TextPreview } from './TextStepFields'
import { insertAtFocus, VariablesHelp } from './VariablesHelp'

type List = 'actions' | 'steps'

export interface MessagesFormOptions<D> {
  initial: () => D
  /** Which of the draft's lists holds the messages (and the engine's field path for them). */
  list: List
  /** The form's own fields the engine may name (anything else goes above the form). */
  fields: readonly string[]
  localErrors: (draft: D) => Record<string, string>
  /** Saves; throws the engine's refusal, which lands next to the fields it names. */
  submit: (draft: D) => Promise<void>
}

export function useMessagesForm<D extends { [K in List]?: MessageDraft[] }>(o: MessagesFormOptions<D>) {
  const [draft, setDraft] = useState<D>(o.initial)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [previewError, setPreviewError] = useState<PreviewError | null>(null)
  const [active, setActive] = useState(0)
  const [saving, setSaving] = useState(false)
  const focus = useRef<Focus | null>(null)
  const messages = draft[o.list] ?? []
  const index = Math.min(active, messages.length - 1)

  // An edit clears the last save's complaints; the preview keeps checking the template as it changes.
  const set = (patch: Partial<D>) => {
    setDraft((d) => ({ ...d, ...patch }))
    setErrors((e) => (Object.keys(e).length ? {} : e))
  }
  const shown = { ...errors }
  if (previewError) shown[`${index}.${previewError.field === 'html' ? 'body' : 'subject'}`] ??= previewError.message

  const showErrors = (e: Record<string, string>) => {
    setErrors(e)
    const i = firstMessageWithError(e)
    if (i !== null) setActive(i)
    focusFirstInvalid()
  }

  const save = async () => {
    setFormError(null)
    const local = o.localErrors(draft)
    setErrors(local)
    if (Object.keys(local).length) return showErrors(local)
    setSaving(true)
    try {
      await o.submit(draft)
    } catch (err) {
      routeSaveError(err, o.list, o.fields, showErrors, setFormError)
    }
    setSaving(false)
  }
  const setMessages = (list: MessageDraft[]) => set({ [o.list]: list } as Partial<D>)

  return { draft, set, setMessages, messages, index, active, setActive, errors, shown, formError, saving, save, focus, setPreviewError }
}

/** The side panel: the preview of the message being edited, and the variables that insert where the cursor is. */
export function MessagesAside({ noun, messages, index, objectId, focus, onPreviewError, onMessages }: {
  noun: string
  messages: MessageDraft[]
  index: number
  objectId: number | null
  focus: MutableRefObject<Focus | null>
  onPreviewError: (e: PreviewError | null) => void
  onMessages: (list: MessageDraft[]) => void
}): JSX.Element {
  const current = messages[index]
  return (
    <aside className="editor-side" aria-label="Preview and variables">
      {current && current.channel !== 'email' && <TextPreview label={`${noun} ${index + 1}`} message={current} />}
      {current && current.channel === 'email' && <TemplatePreview label={`${noun} ${index + 1}`} subject={current.subject} html={htmlOf(current)} objectId={objectId} onError={onPreviewError} />}
      <VariablesHelp
        onInsert={(token) =>
          insertAtFocus(
            focus.current,
            token,
            (i, field, value) => onMessages(messages.map((m, j) => (j === i ? { ...m, [field]: value } : m))),
            () => onMessages(messages.map((m, j) => (j === index ? (m.channel === 'email' ? { ...m, body: m.body + token } : { ...m, text: m.text + token }) : m))),
          )
        }
      />
    </aside>
  )
}

/** A new item's page header with its Create button, or, when editing, a bar saying what a save changes. */
export function FormTop({ heading, note, formError, saveButton }: { heading: { title: string; subtitle: string } | null; note: string; formError: string | null; saveButton: ReactNode }): JSX.Element {
  if (heading)
    return (
      <>
        <PageHeader title={heading.title} subtitle={heading.subtitle} actions={saveButton} />
        <FormError message={formError} />
      </>
    )
  return (
    <div className="form-bar">
      {formError ? <FormError message={formError} /> : <span className="form-bar-note">{note}</span>}
      <span className="spacer" />
      {saveButton}
    </div>
  )
}
