// The editor's value in and out: the document as HTML with chips as Handlebars text, plain text as mail
// writers mean it, and the source view's layout. No React here, so unit tests drive a real Editor with it.
import { DOMParser as PMDOMParser, Slice } from '@tiptap/pm/model'
import type { EditorView } from '@tiptap/pm/view'
import type { Editor } from '@tiptap/core'
import { textToHtml } from '../lib/mailText'
import { chipsOut, tidyLists } from '../lib/templateChips'

/** The value of the document: '' when there is nothing in it, else its HTML with chips as Handlebars. */
export function valueOf(editor: Editor): string {
  // The empty paragraph TipTap keeps after a list or a link (so there is somewhere to click) is not text.
  return editor.isEmpty ? '' : tidyLists(chipsOut(editor.getHTML())).replace(/(<p><\/p>)+$/, '')
}

/**
 * Plain text as mail writers mean it (and as Gmail pastes it): a blank line starts a paragraph, a single
 * newline is a line break. Open at both ends, so it joins the paragraph the cursor is in.
 */
export function sliceOfText(view: EditorView, text: string): Slice {
  const div = document.createElement('div')
  div.innerHTML = textToHtml(text) // escaped text: no element of the pasted text is ever made
  return Slice.maxOpen(PMDOMParser.fromSchema(view.state.schema).parseSlice(div).content)
}

/** Block ends on their own line, so the source view reads like hand-written HTML. */
export const pretty = (html: string) => html.replace(/(<\/(p|h[1-6]|ul|ol|li|blockquote|table|tr|div)>|<br>)(?!\n)/g, '$1\n').replace(/(<(ul|ol)>)(?!\n)/g, '$1\n').trim()
