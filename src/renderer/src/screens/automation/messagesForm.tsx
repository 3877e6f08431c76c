// What the autoresponder editor and the sequence form share: a draft holding a list of messages (actions or
// steps), every complaint at once (the first message with one brought into view and its field focused), the
// live preview's complaint beside the field it is about, and the side panel with the preview and variables.
import { useRef, useState, type JSX, type ReactNode } from 'react'
import { Card } from '../../components/Card'
import { FormError } from '../../components/Field'
import { SaveButton } from '../../components/Form'
import { PageHeader } from '../../components/PageHeader'
import { focusFirstInvalid } from '../../lib/errors'
import { firstMessageWithError, htmlOf, routeSaveError, type MessageDraft } from './messageDraft'
import { StepsEditor, type Focus } from './StepsEditor'
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

export function useMessagesForm<D extends { [K in List]?: MessageDraft[] } & { objectId: string }>(o: MessagesFormOptions<D>) {
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

  // The business the messages are previewed as (none picked: the preview says so).
  const objectId = draft.objectId ? Number(draft.objectId) : null

  return { draft, set, setMessages, messages, index, active, setActive, errors, shown, formError, saving, save, focus, setPreviewError, objectId }
}

/** What the message list and the side panel take from the form (useMessagesForm's result). */
type MessagesState = Pick<ReturnType<typeof useMessagesForm>, 'messages' | 'setMessages' | 'index' | 'active' | 'setActive' | 'shown' | 'focus' | 'setPreviewError' | 'objectId'>

/** The page both editors draw: the header or save bar, a Basics card, the editor's own sections, and the side panel. */
export function MessagesEditor({ form, heading, note, saveLabel, noun, basicsId, basics, children }: {
  form: MessagesState & Pick<ReturnType<typeof useMessagesForm>, 'formError' | 'saving' | 'save'>
  heading: { title: string; subtitle: string } | null
  /** What a save changes, said in the bar while editing. */
  note: string
  saveLabel: string
  noun: 'Action' | 'Step'
  basicsId: string
  /** The Basics card's fields (name, business, …). */
  basics: ReactNode
  children: ReactNode
}): JSX.Element {
  return (
    <>
      <FormTop heading={heading} note={note} formError={form.formError} saveButton={<SaveButton saving={form.saving} onSave={form.save} label={saveLabel} />} />
      <div className="editor-layout">
        <div className="editor-main">
          <Card id={basicsId} title="Basics">
            <div className="card-body form-grid">{basics}</div>
          </Card>
          {children}
        </div>
        <MessagesAside noun={noun} form={form} />
      </div>
    </>
  )
}

/** The ordered messages (actions or steps) under their heading, with the complaint about the list as a whole. */
export function MessagesSection({ id, title, help, noun, error, form }: {
  id: string
  title: string
  help: string
  noun: 'Action' | 'Step'
  error: string | undefined
  form: MessagesState
}): JSX.Element {
  return (
    <section aria-labelledby={id} className="editor-section">
      <div className="section-head">
        <h3 id={id}>{title}</h3>
        <span className="card-help">{help}</span>
      </div>
      <FormError message={error ?? null} />
      <StepsEditor noun={noun} messages={form.messages} onChange={form.setMessages} errors={form.shown} active={form.active} onActive={form.setActive} focus={form.focus} objectId={form.objectId} />
    </section>
  )
}

/** The side panel: the preview of the message being edited, and the variables that insert where the cursor is. */
export function MessagesAside({ noun, form }: { noun: 'Action' | 'Step'; form: MessagesState }): JSX.Element {
  const { messages, index, focus, setMessages: onMessages } = form
  const current = messages[index]
  return (
    <aside className="editor-side" aria-label="Preview and variables">
      {current && current.channel !== 'email' && <TextPreview label={`${noun} ${index + 1}`} message={current} />}
      {current && current.channel === 'email' && <TemplatePreview label={`${noun} ${index + 1}`} subject={current.subject} html={htmlOf(current)} objectId={form.objectId} onError={form.setPreviewError} />}
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
