// The editor's schema: TipTap's StarterKit (paragraphs, headings, bold, italic, underline, lists, links,
// quotes, undo), inline images, a placeholder, and the template variable chip. The chip is an atom (one
// caret step, deleted whole) that keeps its Handlebars source in data-hb; templateChips.chipsOut turns it
// back into that exact text. Any mustache that reaches the document as text (typed, pasted, dropped)
// becomes a chip in the same transaction.
import { Extension, mergeAttributes, Node, type Extensions } from '@tiptap/core'
import Image from '@tiptap/extension-image'
import { Placeholder } from '@tiptap/extensions'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import StarterKit from '@tiptap/starter-kit'
import { cleanPastedHtml } from '../lib/pasteClean'
import { chipLabel, MUSTACHE } from '../lib/templateChips'
import { sliceOfText } from './richValue'

export const Variable = Node.create<{ autoChips: boolean }>({
  name: 'variable',
  addOptions() {
    return { autoChips: true }
  },
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes() {
    return {
      source: {
        default: '',
        parseHTML: (el) => el.getAttribute('data-hb') ?? '',
        renderHTML: (attrs) => ({ 'data-hb': attrs.source as string }),
      },
    }
  },
  parseHTML() {
    return [{ tag: 'span[data-hb]' }]
  },
  renderHTML({ node, HTMLAttributes }) {
    const source = node.attrs.source as string
    return ['span', mergeAttributes(HTMLAttributes, { class: 'rich-chip', contenteditable: 'false', title: source }), chipLabel(source)]
  },
  renderText({ node }) {
    return node.attrs.source as string
  },
  addProseMirrorPlugins() {
    const type = this.type
    // Only where templates are written: in a plain message, {{…}} is just text the recipient reads.
    if (!this.options.autoChips) return []
    return [
      new Plugin({
        key: new PluginKey('variableChips'),
        appendTransaction(transactions, _old, state) {
          if (!transactions.some((t) => t.docChanged)) return null
          const found: Array<{ from: number; to: number; source: string; marks: readonly import('@tiptap/pm/model').Mark[] }> = []
          state.doc.descendants((n, pos, parent) => {
            if (!n.isText || !n.text || parent?.type.spec.code) return
            for (const m of n.text.matchAll(MUSTACHE)) found.push({ from: pos + m.index, to: pos + m.index + m[0].length, source: m[0], marks: n.marks })
          })
          if (!found.length) return null
          const tr = state.tr
          for (const f of found.reverse()) tr.replaceWith(f.from, f.to, type.create({ source: f.source }, null, f.marks))
          return tr
        },
      }),
    ]
  },
})

/**
 * What comes in from outside: clipboard HTML is cleaned (Word, Google Docs), plain text follows mail
 * writers' rule (blank line = paragraph, newline = line break), and text inserted in one go (dictation,
 * autofill, test drivers) follows the same rule as a paste.
 */
export const PasteRules = Extension.create({
  name: 'pasteRules',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('pasteRules'),
        props: {
          transformPastedHTML: (html) => cleanPastedHtml(html),
          clipboardTextParser: (text, _context, _plain, view) => sliceOfText(view, text),
          handleDOMEvents: {
            beforeinput: (view, event) => {
              const e = event as InputEvent
              if (e.inputType !== 'insertText' || !e.data?.includes('\n')) return false
              e.preventDefault()
              view.dispatch(view.state.tr.replaceSelection(sliceOfText(view, e.data)).scrollIntoView())
              return true
            },
          },
        },
      }),
    ]
  },
})

/** The editor's extensions; `chips` for template editors (mustaches become variable chips). */
export function richExtensions(placeholder: string, chips = true): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [1, 2, 3] },
      codeBlock: false,
      code: false,
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https', protocols: ['mailto', 'tel'], HTMLAttributes: { rel: 'noopener noreferrer', target: null } },
    }),
    Image.configure({ inline: true, allowBase64: true }),
    Placeholder.configure({ placeholder }),
    Variable.configure({ autoChips: chips }),
    PasteRules,
  ]
}

/** Largest image kept in a message (as a data: URL; the contract takes 2 MB of HTML in all). */
export const MAX_IMAGE_BYTES = 1_000_000

/** An image file as a data: URL, or an error a user understands. */
export function readImage(file: File): Promise<string> {
  if (!/^image\/(png|gif|jpeg|webp)$/.test(file.type)) return Promise.reject(new Error(`${file.name || 'That file'} is not a PNG, JPEG, GIF or WebP image`))
  if (file.size > MAX_IMAGE_BYTES) return Promise.reject(new Error(`${file.name || 'The image'} is ${(file.size / 1_000_000).toFixed(1)} MB; images in the text can be 1 MB at most`))
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(String(r.result))
    r.onerror = () => reject(new Error('The image could not be read'))
    r.readAsDataURL(file)
  })
}
