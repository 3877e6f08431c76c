// The rich text editor for everything people write (compose, replies, templates). Its value is HTML;
// template variables are Handlebars text in that HTML, shown as chips. The editor itself (TipTap and
// ProseMirror, ~100 kB gzipped) is loaded on demand and fetched when the app is idle, so the first screen
// does not wait for it; until it arrives a placeholder of the same size is shown.
import { lazy, Suspense, type JSX, type ReactNode } from 'react'
import { Field } from './Field'

export interface RichVariable {
  name: string
  help: string
}

export interface RichEditorHandle {
  /** Inserts a variable chip (its exact Handlebars source) where the cursor is, or was. */
  insertVariable: (source: string) => void
  focus: () => void
  /** False once the editor is gone (its step removed, its dialog closed). */
  alive: () => boolean
}

export interface RichEditorProps {
  /** HTML. Template variables are their Handlebars text ({{contact.first_name}}). '' when empty. */
  value: string
  onChange: (html: string) => void
  /** Accessible name of the text area (the field's label). */
  label: string
  id?: string
  placeholder?: string
  disabled?: boolean
  invalid?: boolean
  describedBy?: string
  /** Offers these in a Variables menu and shows them as chips; without it the editor has no variable menu. */
  variables?: RichVariable[]
  /** 'boxed' looks like a form input; 'flush' fills a compose window. */
  variant?: 'boxed' | 'flush'
  /** true puts the cursor at the end (a draft carried on); 'start' above everything (a new reply above its signature). */
  autoFocus?: boolean | 'start'
  className?: string
  /** Called when the text gets focus, with a handle to insert at its cursor. */
  onFocus?: (handle: RichEditorHandle) => void
}

const load = () => import('./RichEditorImpl')
const Impl = lazy(load)

// Fetch the editor once the app has settled, so opening compose never waits for the network or the disk.
if (typeof window !== 'undefined') {
  const idle = (window as unknown as { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback
  if (idle) idle(() => void load())
  else setTimeout(() => void load(), 1500)
}

export function RichEditor(props: RichEditorProps): JSX.Element {
  const variant = props.variant ?? 'boxed'
  return (
    <Suspense fallback={<div className={`rich rich-${variant} rich-loading${props.className ? ` ${props.className}` : ''}`} aria-busy="true" />}>
      <Impl {...props} variant={variant} />
    </Suspense>
  )
}

type RichFieldProps = Omit<RichEditorProps, 'id' | 'invalid' | 'describedBy'> & { error?: string; hint?: ReactNode; optional?: boolean; fieldClassName?: string }

/** The editor as a labelled form field: its label, error and hint tied to the text area like any input's. */
export function RichField({ error, hint, optional, fieldClassName, ...editor }: RichFieldProps): JSX.Element {
  return (
    <Field label={editor.label} error={error} hint={hint} optional={optional} className={fieldClassName}>
      {(p) => <RichEditor {...editor} id={p.id} invalid={p['aria-invalid']} describedBy={p['aria-describedby']} />}
    </Field>
  )
}
