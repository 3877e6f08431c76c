// @vitest-environment jsdom
/// <reference types="vite/client" />
// The rich editor's data paths, with the real TipTap editor in a DOM: Word and Google Docs clipboard HTML
// cleaned, template chips round-tripping to the exact Handlebars text, plain text pasted as mail writers
// mean it, and the text alternative generated from what the editor writes.
import { Editor } from '@tiptap/core'
import { afterEach, describe, expect, it } from 'vitest'
import { richExtensions } from '../../src/renderer/src/components/richExtensions'
import { sliceOfText, valueOf } from '../../src/renderer/src/components/richValue'
import { cleanPastedHtml } from '../../src/renderer/src/lib/pasteClean'
import { chipLabel, chipsIn, chipsOut, isBlankHtml } from '../../src/renderer/src/lib/templateChips'
import { htmlToText } from '../../src/shared/htmlText'
// Clipboard HTML as Word 2016 (Windows) and Google Docs (Chrome) put it on the clipboard.
import gdocs from './clipboard/gdocs.html?raw'
import word2016 from './clipboard/word2016.html?raw'

const samples: Record<string, string> = { 'word2016.html': word2016, 'gdocs.html': gdocs }
const sample = (name: string) => samples[name]!

let editors: Editor[] = []
afterEach(() => {
  for (const e of editors) e.destroy()
  editors = []
})
/** A real editor, as the app makes it, loaded the way RichEditor loads a value. */
function editorWith(html: string): Editor {
  const e = new Editor({ element: document.createElement('div'), extensions: richExtensions(''), content: chipsIn(html) })
  editors.push(e)
  return e
}
/** What the editor makes of a paste of this clipboard HTML (ProseMirror's own paste path, our cleaner in it). */
function pasted(html: string): string {
  const e = editorWith('')
  e.view.pasteHTML(html, new Event('paste') as ClipboardEvent) // jsdom has no ClipboardEvent
  return valueOf(e)
}

describe('paste from Word', () => {
  const html = cleanPastedHtml(sample('word2016.html'))

  it('drops mso styles, classes, conditional comments, <o:p>, VML and images on local disk', () => {
    expect(html).not.toMatch(/mso-|class=|style=|<!--|<o:p|<v:|<w:|file:|supportLists|StartFragment|Ignore|<span/i)
  })

  it('keeps the structure: paragraphs, bold, italic, a link, the line break, and Word’s text markers as real nested and numbered lists', () => {
    expect(html).toContain('<p>Thank you for booking with <b>Bloom Hair Studio</b>. Your appointment is on <i>Friday at 10:00</i> and lasts about an hour.</p>')
    expect(html).toContain('<ul><li>Arrive ten minutes early<ul><li>the door code is 4711</li></ul></li><li>Bring your loyalty card</li></ul>')
    expect(html).toContain('<ol><li>Reply to this email, or</li><li>visit <a href="https://bloom.example/book">bloom.example/book</a></li></ol>')
    expect(html).toContain('<p>Maria Lopez<br>Bloom Hair Studio</p>')
    expect(html).not.toMatch(/·|&nbsp;&nbsp;|>o</) // the typed bullets are gone
  })

  it('reaches the editor as clean HTML with the variable as a chip and no blank paragraphs', () => {
    expect(pasted(sample('word2016.html'))).toBe(
      '<p>Dear {{contact.first_name}},</p>' +
        '<p>Thank you for booking with <strong>Bloom Hair Studio</strong>. Your appointment is on <em>Friday at 10:00</em> and lasts about an hour.</p>' +
        '<ul><li>Arrive ten minutes early<ul><li>the door code is 4711</li></ul></li><li>Bring your loyalty card</li></ul>' +
        '<p>To change it:</p>' +
        '<ol><li>Reply to this email, or</li><li>visit <a rel="noopener noreferrer" href="https://bloom.example/book">bloom.example/book</a></li></ol>' +
        '<p>Maria Lopez<br>Bloom Hair Studio</p>',
    )
    const e = editorWith('')
    e.view.pasteHTML(sample('word2016.html'), new Event('paste') as ClipboardEvent)
    expect(e.view.dom.querySelector('.rich-chip')?.getAttribute('data-hb')).toBe('{{contact.first_name}}')
  })
})

describe('paste from Google Docs', () => {
  const html = cleanPastedHtml(sample('gdocs.html'))

  it('unwraps the <b style="font-weight:normal"> wrapper and turns styled spans into bold, italic and underline', () => {
    expect(html).not.toMatch(/docs-internal-guid|font-weight:normal|style=|dir=|role=|aria-level|<span|Apple-interchange/)
    expect(html).toContain('<p>Our <strong>spring offers</strong> start on <em>Monday</em>:</p>')
    expect(html).toContain('<u>Colour</u> at 20% off')
    expect(html).toMatch(/^<p>Hi \{\{default contact\.first_name "there"\}\},<\/p>/)
  })

  it('puts the sub-list Google writes beside the items inside the item it belongs to', () => {
    expect(html).toContain('<ul><li><p>Cut and blow-dry</p><ul><li><p>with a free treatment</p></li></ul></li><li><p><u>Colour</u> at 20% off</p></li></ul>')
  })

  it('keeps links and web images, and drops the <br> Google puts between paragraphs', () => {
    expect(html).toContain('<a href="https://bloom.example/book">bloom.example/book</a>')
    expect(html).toContain('<img src="https://lh7-rt.googleusercontent.com/docsz/AD_4nXc1bloomlogo?key=abc" width="24" height="24">')
    expect(html).not.toMatch(/<\/p><br>|<\/ul><br>/)
  })

  it('reaches the editor with the fallback helper as one chip whose text is exact', () => {
    const out = pasted(sample('gdocs.html'))
    expect(out).toMatch(/^<p>Hi \{\{default contact\.first_name "there"\}\},<\/p><p>Our <strong>spring offers<\/strong> start on <em>Monday<\/em>:<\/p>/)
    expect(out).toContain('<ul><li>Cut and blow-dry<ul><li>with a free treatment</li></ul></li><li><u>Colour</u> at 20% off</li></ul>')
    const e = editorWith(out)
    const chips: string[] = []
    e.state.doc.descendants((n) => void (n.type.name === 'variable' && chips.push(n.attrs.source as string)))
    expect(chips).toEqual(['{{default contact.first_name "there"}}'])
  })
})

describe('pasted HTML from elsewhere', () => {
  it('keeps nothing that could run or load from the page', () => {
    const out = cleanPastedHtml('<p onclick="x()">Hi <a href="javascript:alert(1)">there</a><script>bad()</script><iframe src="https://evil.example"></iframe><img src="x" onerror="y()"></p><style>p{}</style>')
    expect(out).toBe('<p>Hi <a>there</a></p>')
  })
})

describe('template chips', () => {
  const templates = [
    '<p>Hi {{contact.first_name}},</p><p>Thanks for visiting {{object.name}}.</p>',
    '<p>Hi {{default contact.first_name "there"}}, our <strong>spring offers</strong>:</p><ul><li>Cut for {{contact.full_name}}</li><li>Colour</li></ul>',
    '<p>{{#if contact.company}}At {{contact.company}}?{{/if}} See {{date contact.fields.renewal "short"}}.</p>',
    '<p>{{default contact.first_name "Tom & Jerry"}} and {{upper contact.last_name}}</p>',
    '<p><a target="_blank" rel="noopener noreferrer" href="{{unsubscribe_url}}">Unsubscribe</a> · <em>{{profile.display_name}}</em></p>',
    '<p>Line one<br>{{contact.fields.loyalty_tier}}</p><ol><li>{{profile.email}}</li></ol>',
  ]

  it.each(templates)('HTML → template text → editor → the same text: %s', (template) => {
    const e = editorWith(template)
    expect(valueOf(e)).toBe(template)
    // And once more through the editor (what a reopened, unchanged template saves).
    expect(valueOf(editorWith(valueOf(e)))).toBe(template)
  })

  it('shows each mustache as one atom chip, labelled for people, with the source kept', () => {
    const e = editorWith(templates[1]!)
    const chips: Array<{ source: string; label: string }> = []
    e.state.doc.descendants((n) => void (n.type.name === 'variable' && chips.push({ source: n.attrs.source as string, label: chipLabel(n.attrs.source as string) })))
    expect(chips).toEqual([
      { source: '{{default contact.first_name "there"}}', label: 'First name · there' },
      { source: '{{contact.full_name}}', label: 'Full name' },
    ])
    expect(e.view.dom.querySelector('.rich-chip')?.getAttribute('contenteditable')).toBe('false')
  })

  it('turns a mustache typed as text into a chip when it is closed', () => {
    const e = editorWith('<p>Hi</p>')
    e.commands.focus('end')
    e.commands.insertContent(' {{contact.first_name')
    expect(e.state.doc.textContent).toBe('Hi {{contact.first_name')
    e.commands.insertContent('}}!')
    expect(valueOf(e)).toBe('<p>Hi {{contact.first_name}}!</p>')
    let chips = 0
    e.state.doc.descendants((n) => void (n.type.name === 'variable' && chips++))
    expect(chips).toBe(1)
  })

  it('leaves {{…}} as text where no variables are offered (compose, replies)', () => {
    const e = new Editor({ element: document.createElement('div'), extensions: richExtensions('', false), content: '<p>Hi</p>' })
    editors.push(e)
    e.commands.focus('end')
    e.commands.insertContent(' {{contact.first_name}}')
    expect(e.view.dom.querySelector('.rich-chip')).toBeNull()
    expect(valueOf(e)).toBe('<p>Hi {{contact.first_name}}</p>')
  })

  it('reads a body the old plain-text editor saved with &quot; inside the mustache as the helper it meant', () => {
    expect(chipsOut(chipsIn('<p>Hi {{default contact.first_name &quot;there&quot;}},</p>'))).toBe('<p>Hi {{default contact.first_name "there"}},</p>')
  })

  it('leaves mustaches in attributes and comments alone', () => {
    const html = '<p><a href="{{unsubscribe_url}}">x</a><!-- {{not.a.chip}} --></p>'
    expect(chipsIn(html)).toBe(html)
  })
})

describe('plain text into the editor', () => {
  it('makes a blank line a paragraph and a newline a line break', () => {
    const e = editorWith('')
    e.view.dispatch(e.state.tr.replaceSelection(sliceOfText(e.view, 'Hi Ava,\n\nSee you on Friday at 10.\nBloom')))
    expect(valueOf(e)).toBe('<p>Hi Ava,</p><p>See you on Friday at 10.<br>Bloom</p>')
  })

  it('is empty when nothing visible is written', () => {
    expect(valueOf(editorWith('<p></p>'))).toBe('')
    expect(isBlankHtml('<p> &nbsp;</p><p></p>')).toBe(true)
    expect(isBlankHtml('<p><img src="data:image/png;base64,iVBORw0KGgo="></p>')).toBe(false)
  })
})

describe('the text alternative of what the editor writes', () => {
  it('keeps paragraphs, numbered and nested lists, link targets and image alt text', () => {
    const e = editorWith(
      '<p>Hi <strong>Paul</strong>, bring:</p><ol><li>your card</li><li>a smile<ul><li>or two</li></ul></li></ol>' +
        '<p><a href="https://bloom.example/find-us">Directions</a> <img src="data:image/png;base64,iVBORw0KGgo=" alt="Bloom logo"></p>',
    )
    expect(htmlToText(valueOf(e))).toBe('Hi Paul, bring:\n\n1. your card\n2. a smile\n◦ or two\n\nDirections (https://bloom.example/find-us) [Bloom logo]')
  })

  it('stays linear on thousands of nested lists', () => {
    const hostile = '<ul><li>x'.repeat(20_000) + '</li></ul>'.repeat(20_000)
    const text = htmlToText(hostile)
    expect(text.length).toBeGreaterThan(20_000)
    // A quadratic pass would take minutes here: the test's timeout is the check, not a measured time.
  }, 30_000)
})
