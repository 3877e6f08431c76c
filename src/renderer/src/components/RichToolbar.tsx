// The editor's toolbar: marks, lists, a link, an image, a template variable, and the HTML source switch.
// Buttons keep the editor's selection (mousedown does not steal focus) and show their state with aria-pressed.
import { useEditorState, type Editor } from '@tiptap/react'
import { useEffect, useRef, useState, type JSX, type ReactNode } from 'react'
import { chipHtml } from '../lib/templateChips'
import { Icon } from './Icons'
import { Popover } from './Popover'
import type { RichVariable } from './RichEditor'

interface Props {
  editor: Editor
  variables?: RichVariable[]
  source: boolean
  onToggleSource: () => void
  onImages: (files: File[]) => void
  disabled?: boolean
}

const glyph = (d: ReactNode) => (
  <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    {d}
  </svg>
)
const G = {
  bullets: glyph(<path d="M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01" strokeWidth="2.2" />),
  numbers: glyph(<path d="M10 6h10M10 12h10M10 18h10M4 4.5h1.5V9M4 9h3M4 14.5c.4-.6 1-1 1.7-1 .8 0 1.3.5 1.3 1.2 0 1.1-3 2.1-3 3.8h3" strokeWidth="1.6" />),
  link: glyph(<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />),
  code: glyph(<path d="m8 7-5 5 5 5M16 7l5 5-5 5M13.5 5l-3 14" />),
}

export function RichToolbar({ editor, variables, source, onToggleSource, onImages, disabled }: Props): JSX.Element {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      bullets: e.isActive('bulletList'),
      numbers: e.isActive('orderedList'),
      link: e.isActive('link'),
      href: (e.getAttributes('link').href as string | undefined) ?? '',
    }),
  })
  const [linking, setLinking] = useState(false)
  const file = useRef<HTMLInputElement>(null)
  // Ctrl+K (Cmd+K) in the text opens the link bar, as in Gmail and Outlook.
  // Listened for on the document, not on `editor.view.dom`: the view is not there while the editor mounts or
  // after it is destroyed, and reading it then throws (which took the whole app down on leaving an editor).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (editor.isDestroyed || !editor.isFocused) return
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') (e.preventDefault(), setLinking(true))
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [editor])
  const off = disabled || source
  const run = (f: (c: ReturnType<Editor['chain']>) => ReturnType<Editor['chain']>) => () => void f(editor.chain().focus()).run()
  const button = (label: string, pressed: boolean | undefined, onClick: () => void, body: ReactNode, shortcut?: string) => (
    <button
      type="button"
      className="rich-tool"
      aria-label={label}
      title={shortcut ? `${label} (${shortcut})` : label}
      aria-pressed={pressed}
      disabled={off}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
    >
      {body}
    </button>
  )
  return (
    <div className="rich-toolbar-wrap">
      <div className="rich-toolbar" role="toolbar" aria-label="Formatting">
        {button('Bold', state.bold, run((c) => c.toggleBold()), <b>B</b>, 'Ctrl+B')}
        {button('Italic', state.italic, run((c) => c.toggleItalic()), <i>I</i>, 'Ctrl+I')}
        {button('Underline', state.underline, run((c) => c.toggleUnderline()), <u>U</u>, 'Ctrl+U')}
        <span className="rich-sep" />
        {button('Bulleted list', state.bullets, run((c) => c.toggleBulletList()), G.bullets)}
        {button('Numbered list', state.numbers, run((c) => c.toggleOrderedList()), G.numbers)}
        <span className="rich-sep" />
        {button('Link', state.link || linking, () => setLinking((l) => !l), G.link, 'Ctrl+K')}
        {button('Insert image', undefined, () => file.current?.click(), <Icon name="image" size={16} />)}
        <input
          ref={file}
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          multiple
          hidden
          onChange={(e) => {
            onImages(Array.from(e.target.files ?? []))
            e.target.value = ''
          }}
        />
        {variables && !off && (
          <Popover
            className="rich-tool rich-tool-wide"
            label={
              <>
                <Icon name="braces" size={15} /> Variable
              </>
            }
          >
            {(close) => (
              <ul className="rich-var-menu" role="menu" aria-label="Insert a variable">
                {menuOf(variables).map((v) => (
                  <li key={v.source} role="none">
                    <button
                      type="button"
                      role="menuitem"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => {
                        editor.chain().focus().insertContent(chipHtml(v.source)).run()
                        close()
                      }}
                    >
                      <span>{v.help}</span>
                      <code>{v.source}</code>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Popover>
        )}
        <span className="spacer" />
        <button type="button" className="rich-tool rich-tool-wide" aria-pressed={source} disabled={disabled} title="Edit the HTML source" onClick={onToggleSource}>
          {G.code} {source ? 'Back to editor' : 'HTML'}
        </button>
      </div>
      {linking && !off && <LinkBar editor={editor} href={state.href} onDone={() => setLinking(false)} />}
    </div>
  )
}

/** The variables a menu offers: the fixed ones, and a first name with a fallback (the most used helper). */
function menuOf(variables: RichVariable[]): Array<{ source: string; help: string }> {
  const plain = variables.filter((v) => !v.name.includes('<')).map((v) => ({ source: `{{${v.name}}}`, help: v.help }))
  return [plain[0]!, { source: '{{default contact.first_name "there"}}', help: 'First name, or “there”' }, ...plain.slice(1)].filter(Boolean)
}

/** An address a link can point at: web, mail, phone, or a template variable; bare domains get https://. */
export function normaliseHref(raw: string): string | null {
  const v = raw.trim()
  if (!v) return null
  if (/^\{\{[^{}]+\}\}$/.test(v)) return v
  if (/^(https?:\/\/|mailto:|tel:)/i.test(v)) return v
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return `mailto:${v}`
  if (/^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(v)) return `https://${v}`
  return null
}

function LinkBar({ editor, href, onDone }: { editor: Editor; href: string; onDone: () => void }): JSX.Element {
  const [value, setValue] = useState(href)
  const [error, setError] = useState<string | null>(null)
  const apply = () => {
    const url = normaliseHref(value)
    if (!url) return setError('Type a web address (example.com), an email address or a {{variable}}')
    const chain = editor.chain().focus().extendMarkRange('link')
    if (editor.state.selection.empty && !editor.isActive('link')) chain.insertContent({ type: 'text', text: value.trim(), marks: [{ type: 'link', attrs: { href: url } }] }).run()
    else chain.setLink({ href: url }).run()
    onDone()
  }
  return (
    <div className="rich-linkbar">
      <input
        className="input"
        aria-label="Link address"
        placeholder="https://example.com"
        value={value}
        autoFocus
        aria-invalid={error ? true : undefined}
        onChange={(e) => (setValue(e.target.value), setError(null))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.preventDefault(), apply())
          if (e.key === 'Escape') (e.preventDefault(), e.stopPropagation(), onDone())
        }}
      />
      <button type="button" className="btn btn-sm btn-primary" onClick={apply}>
        Apply
      </button>
      {href && (
        <button type="button" className="btn btn-sm" onClick={() => (editor.chain().focus().extendMarkRange('link').unsetLink().run(), onDone())}>
          Remove link
        </button>
      )}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
