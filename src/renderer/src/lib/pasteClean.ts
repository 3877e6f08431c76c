// Clipboard HTML from Word and Google Docs, cleaned before the editor sees it: their structure (paragraphs,
// headings, lists, tables, links, bold/italic/underline) is kept, their noise is not: Word's mso-* styles,
// conditional comments, <o:p>, VML and list markers typed as text; Google's <b id="docs-internal-guid…"
// style="font-weight:normal"> wrapper and span-per-run styling; classes, ids and empty spans everywhere.
// Works on a detached document from DOMParser, so nothing in the pasted HTML can run or load.

const DROP = new Set(['style', 'script', 'meta', 'link', 'title', 'head', 'xml', 'template', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'select', 'textarea', 'noscript'])
/** Inline wrappers whose meaning (if any) lives in their style; unwrapped after it is read. */
const UNWRAP = new Set(['span', 'font'])
const KEEP_ATTRS: Record<string, string[]> = { a: ['href'], img: ['src', 'alt', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'], ol: ['start'] }

export function cleanPastedHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const body = doc.body
  removeComments(body)
  for (const el of Array.from(body.querySelectorAll('*'))) {
    const name = el.tagName.toLowerCase()
    // Word's namespaced elements (<o:p>, <v:shape>, <w:sdt>); VML images point at local temp files.
    if (DROP.has(name) || /^(o|v|w|m):/.test(name)) el.remove()
  }
  wordLists(doc, body)
  for (const el of Array.from(body.querySelectorAll('*'))) {
    if (!el.isConnected) continue
    const name = el.tagName.toLowerCase()
    if (name === 'span' && el.hasAttribute('data-hb')) continue // a template chip copied from this editor
    if (name === 'img' && !/^(data:image\/|https?:)/i.test(el.getAttribute('src') ?? '')) {
      el.remove() // file:///C:/Users/…/clip_image001.png and friends: nothing the recipient could load
      continue
    }
    // Google wraps the whole paste in <b style="font-weight:normal">: a wrapper, not bold.
    if (name === 'b' && /font-weight\s*:\s*(normal|[1-4]00)\b/i.test(el.getAttribute('style') ?? '')) {
      unwrap(el)
      continue
    }
    const target = name === 'span' || name === 'font' ? marksFromStyle(doc, el) : el
    stripAttributes(target === el ? el : target)
    if (UNWRAP.has(name)) unwrap(el)
  }
  for (const el of Array.from(body.querySelectorAll('span,font,b,strong,i,em,u,s,a'))) {
    // Empty runs (Word's <span style="mso-spacerun:yes">, Google's <span></span>) say nothing.
    if (el.isConnected && el.textContent === '' && !el.querySelector('img,br')) el.remove()
  }
  nestListsInItems(body)
  for (const el of Array.from(body.querySelectorAll('p,h1,h2,h3,h4,h5,h6'))) {
    // Word's blank lines (<p class=MsoNormal><o:p>&nbsp;</o:p></p>): paragraphs are spaced already.
    if (el.textContent!.replace(/\u00a0/g, ' ').trim() === '' && !el.querySelector('img')) el.remove()
  }
  tidyWhitespace(body)
  for (const br of Array.from(body.querySelectorAll('br'))) {
    // Google Docs separates paragraphs with a <br> between them: a gap, not a line of text.
    if (isBlock(br.previousElementSibling) && (isBlock(br.nextElementSibling) || !br.nextSibling)) br.remove()
  }
  return body.innerHTML.trim()
}

const BLOCK = /^(P|H[1-6]|UL|OL|LI|TABLE|BLOCKQUOTE|DIV|PRE|HR)$/
const isBlock = (el: Element | null): boolean => !!el && BLOCK.test(el.tagName)

/** Google Docs nests a sub-list as a sibling of the items (<ol><li/><ul>…</ul></ol>); HTML wants it inside the item before it. */
function nestListsInItems(body: HTMLElement): void {
  for (const list of Array.from(body.querySelectorAll('ul > ul, ul > ol, ol > ul, ol > ol'))) {
    const prev = list.previousElementSibling
    if (prev?.tagName === 'LI') prev.appendChild(list)
    else {
      const li = list.ownerDocument.createElement('li')
      list.parentNode!.insertBefore(li, list)
      li.appendChild(list)
    }
  }
}

/**
 * Word wraps its source at 80 columns: a newline inside text is a space. Whitespace between blocks is
 * source layout, not text; a line break or a block's edge swallows the spaces next to it.
 */
function tidyWhitespace(body: HTMLElement): void {
  const walker = body.ownerDocument.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */)
  const texts: Text[] = []
  while (walker.nextNode()) texts.push(walker.currentNode as Text)
  for (const t of texts) {
    if (t.parentElement?.closest('pre')) continue
    let v = t.data.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ')
    const parent = t.parentElement!
    const between = parent === body || /^(UL|OL|TABLE|TBODY|THEAD|TR)$/.test(parent.tagName) || isBlock(t.previousElementSibling) || isBlock(t.nextElementSibling)
    if (v.trim() === '' && between) {
      t.remove()
      continue
    }
    if (t.previousSibling?.nodeName === 'BR' || (!t.previousSibling && isBlock(parent))) v = v.replace(/^\s+/, '')
    if (!t.nextSibling && isBlock(parent)) v = v.replace(/\s+$/, '')
    t.data = v
  }
}

function removeComments(root: Node): void {
  const doc = root.ownerDocument!
  const walker = doc.createTreeWalker(root, 128 /* NodeFilter.SHOW_COMMENT */)
  const found: Node[] = []
  while (walker.nextNode()) found.push(walker.currentNode)
  for (const c of found) c.parentNode?.removeChild(c)
}

function unwrap(el: Element): void {
  const parent = el.parentNode
  if (!parent) return
  while (el.firstChild) parent.insertBefore(el.firstChild, el)
  parent.removeChild(el)
}

/** Bold, italic, underline and strike-through written as a span's style become real elements around it. */
function marksFromStyle(doc: Document, el: Element): Element {
  const style = el.getAttribute('style') ?? ''
  const wraps: string[] = []
  const weight = /font-weight\s*:\s*(bold|bolder|[5-9]00)\b/i.test(style)
  if (weight && !el.closest('b,strong,h1,h2,h3,h4,h5,h6,th')) wraps.push('strong')
  if (/font-style\s*:\s*italic/i.test(style) && !el.closest('i,em')) wraps.push('em')
  if (/text-decoration[^;]*underline/i.test(style) && !el.closest('u,a')) wraps.push('u')
  if (/text-decoration[^;]*line-through/i.test(style) && !el.closest('s,strike')) wraps.push('s')
  if (/vertical-align\s*:\s*super/i.test(style)) wraps.push('sup')
  else if (/vertical-align\s*:\s*sub/i.test(style)) wraps.push('sub')
  for (const tag of wraps) {
    const mark = doc.createElement(tag)
    while (el.firstChild) mark.appendChild(el.firstChild)
    el.appendChild(mark)
  }
  return el
}

function stripAttributes(el: Element): void {
  const keep = KEEP_ATTRS[el.tagName.toLowerCase()] ?? []
  for (const attr of Array.from(el.attributes)) if (!keep.includes(attr.name.toLowerCase())) el.removeAttribute(attr.name)
  if (el.tagName === 'A' && /^\s*(javascript|vbscript|data):/i.test(el.getAttribute('href') ?? '')) el.removeAttribute('href')
}

/**
 * Word writes a list as paragraphs styled `mso-list:l0 level2 lfo1`, each starting with its bullet or
 * number as text in a `mso-list:Ignore` span. Consecutive such paragraphs become a real (nested) list;
 * "1." / "a)" / "iv." markers make it numbered.
 */
function wordLists(doc: Document, body: HTMLElement): void {
  const items = Array.from(body.querySelectorAll('p,h1,h2,h3,h4,h5,h6')).filter((p) => /mso-list\s*:\s*l\d/i.test(p.getAttribute('style') ?? ''))
  let stack: Array<{ list: HTMLElement; level: number; li: HTMLElement | null }> = []
  let last: Element | null = null
  for (const p of items) {
    const style = p.getAttribute('style') ?? ''
    const level = Number(/level(\d+)/i.exec(style)?.[1] ?? '1')
    const ignore = p.querySelector('[style*="mso-list:Ignore" i], [style*="mso-list: Ignore" i]')
    const marker = (ignore?.textContent ?? '').replace(/\u00a0/g, ' ').trim()
    ignore?.remove()
    const ordered = /^\(?([0-9]{1,3}|[a-z]{1,2}|[ivxlc]{1,5})[.)]$/i.test(marker)
    // A paragraph that does not follow the previous list item starts a new list.
    if (!last || nextElement(last) !== p) stack = []
    while (stack.length && stack[stack.length - 1]!.level > level) stack.pop()
    let top = stack[stack.length - 1]
    if (!top || top.level < level) {
      const list = doc.createElement(ordered ? 'ol' : 'ul')
      if (top?.li) top.li.appendChild(list)
      else p.parentNode!.insertBefore(list, p)
      top = { list, level, li: null }
      stack.push(top)
    }
    const li = doc.createElement('li')
    while (p.firstChild) li.appendChild(p.firstChild)
    top.list.appendChild(li)
    top.li = li
    last = p
    // Keep `p` in the tree (empty) until the next item has been compared with it, then drop it.
    p.setAttribute('data-word-list-done', '')
  }
  for (const p of Array.from(body.querySelectorAll('[data-word-list-done]'))) p.remove()
}

const nextElement = (el: Element): Element | null => {
  let n = el.nextSibling
  while (n && (n.nodeType !== 1 || (n as Element).tagName === 'UL' || (n as Element).tagName === 'OL')) {
    if (n.nodeType === 3 && n.textContent!.trim() !== '') return null
    n = n.nextSibling
  }
  return n as Element | null
}

