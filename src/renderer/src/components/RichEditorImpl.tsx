// TipTap bound to a value/onChange HTML interface. TipTap (on ProseMirror) was chosen over Lexical because
// its schema parses arbitrary pasted HTML into a strict document (what a mail body needs), its HTML
// serialiser is the document's own (no DOM scraping), and atom nodes give variable chips for free.
// The HTML source view edits the same value; switching back parses it into the document again.
import { EditorContent, useEditor, type Editor } from '@tiptap/react'
import { useEffect, useMemo, useRef, useState, type JSX } from 'react'
import { chipHtml, chipsIn } from '../lib/templateChips'
import type { RichEditorHandle, RichEditorProps } from './RichEditor'
import { readImage, richExtensions } from './richExtensions'
import { RichToolbar } from './RichToolbar'
import { pretty, valueOf } from './richValue'
import '../styles/richEditor.css'

export default function RichEditorImpl(props: RichEditorProps): JSX.Element {
  const { value, onChange, label, id, placeholder = '', disabled, invalid, describedBy, variables, variant = 'boxed', autoFocus, className, onFocus } = props
  const [source, setSource] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // The last value this editor emitted: a `value` equal to it is our own echo, not a change from outside.
  const emitted = useRef(value)
  // Chips only where templates are written (a variables list is given); elsewhere {{…}} is plain text.
  const chips = !!variables
  const load = (html: string) => (chips ? chipsIn(html) : html)
  const latest = useRef({ onChange, onFocus })
  latest.current = { onChange, onFocus }

  const addImages = (editor: Editor, files: File[], at?: number): boolean => {
    const images = files.filter((f) => f.type.startsWith('image/'))
    if (!images.length) return false
    for (const file of images)
      readImage(file).then(
        (src) => {
          setError(null)
          const chain = editor.chain().focus()
          ;(at === undefined ? chain : chain.setTextSelection(at)).setImage({ src, alt: file.name.replace(/\.[a-z0-9]+$/i, '') }).run()
        },
        (err: Error) => setError(err.message),
      )
    return true
  }

  const editor = useEditor(
    {
      extensions: richExtensions(placeholder, chips),
      content: load(value),
      editable: !disabled,
      // 'start' for a new message or reply (what is already there is a signature); a draft taken up again, at its end.
      autofocus: autoFocus === 'start' ? 'start' : autoFocus ? 'end' : false,
      editorProps: {
        attributes: attributesOf(props),
        handlePaste: (view, event) => {
          const files = Array.from(event.clipboardData?.files ?? [])
          // Screenshots arrive as files; text copied with an image arrives as HTML and is cleaned above.
          return files.length > 0 && !event.clipboardData?.getData('text/html') && addImages(editorRef.current!, files)
        },
        handleDrop: (view, event, _slice, moved) => {
          if (moved) return false
          const files = Array.from((event as DragEvent).dataTransfer?.files ?? [])
          const at = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos
          if (!files.length) return false
          event.preventDefault()
          return addImages(editorRef.current!, files, at)
        },
        // Esc belongs to the window around the editor (it closes compose, keeping the draft): ProseMirror
        // would otherwise take it (to select a parent node) and stop the dialog from hearing it.
        handleDOMEvents: { keydown: (_view, event) => event.key === 'Escape' },
      },
      onUpdate: ({ editor }) => {
        const next = valueOf(editor)
        if (next === emitted.current) return
        emitted.current = next
        latest.current.onChange(next)
      },
      onFocus: ({ editor }) => latest.current.onFocus?.(handleOf(editor)),
    },
    [],
  )
  const editorRef = useRef<Editor | null>(null)
  editorRef.current = editor

  // A value from outside (a draft loaded, a variable inserted by the side panel, the source view) replaces the text.
  useEffect(() => {
    if (!editor || source || value === emitted.current) return
    emitted.current = value
    editor.commands.setContent(load(value), { emitUpdate: false })
  }, [editor, value, source])

  useEffect(() => {
    editor?.setEditable(!disabled)
  }, [editor, disabled])

  // The text area carries the field's label, error state and description (what getByLabel and screen readers see).
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: attributesOf({ label, id, invalid, describedBy }) } })
  }, [editor, label, id, invalid, describedBy])

  const toggleSource = () => {
    if (!editor) return
    if (source) {
      // Back to the editor: the typed HTML is parsed (and normalised) into the document.
      editor.commands.setContent(load(emitted.current), { emitUpdate: false })
      const next = valueOf(editor)
      if (next !== emitted.current) {
        emitted.current = next
        onChange(next)
      }
    }
    setSource(!source)
  }

  const rootClass = `rich rich-${variant}${invalid ? ' is-invalid' : ''}${disabled ? ' is-disabled' : ''}${className ? ` ${className}` : ''}`
  const sourceText = useMemo(() => (source ? pretty(emitted.current) : ''), [source])
  return (
    <div className={rootClass}>
      {editor && <RichToolbar editor={editor} variables={variables} source={source} onToggleSource={toggleSource} onImages={(files) => addImages(editor, files)} disabled={disabled} />}
      <div hidden={source}>
        <EditorContent editor={editor} className="rich-surface" />
      </div>
      {source && (
        <textarea
          className="rich-source"
          aria-label={`${label} (HTML source)`}
          spellCheck={false}
          defaultValue={sourceText}
          disabled={disabled}
          autoFocus
          onChange={(e) => {
            emitted.current = e.target.value
            onChange(e.target.value)
          }}
        />
      )}
      {error && (
        <p className="rich-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

function attributesOf(p: Pick<RichEditorProps, 'label' | 'id' | 'invalid' | 'describedBy'>): Record<string, string> {
  const a: Record<string, string> = { role: 'textbox', 'aria-multiline': 'true', 'aria-label': p.label, class: 'rich-content' }
  if (p.id) a.id = p.id
  if (p.invalid) a['aria-invalid'] = 'true'
  if (p.describedBy) a['aria-describedby'] = p.describedBy
  return a
}

function handleOf(editor: Editor): RichEditorHandle {
  return {
    insertVariable: (source) => void editor.chain().focus().insertContent(chipHtml(source)).run(),
    focus: () => void editor.commands.focus(),
    alive: () => !editor.isDestroyed,
  }
}
