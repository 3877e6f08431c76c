// The HTML sanitiser on hostile input: linear work on big bodies, budgets for size and depth, and every known
// way of sneaking a remote image past it (issue 14). No timings: work is counted, behaviour is checked.
import { describe, expect, it } from 'vitest'
import { classifyImageSource, finishHtml, HTML_BUDGET, htmlText, nestingDepth, prepareHtml, sanitizeEmailHtml, scanWork } from '../src/main/engine/inbound/sanitize'

const blocked = (html: string) => sanitizeEmailHtml(html, { allowRemote: false, inline: new Map() })
const allowed = (html: string) => sanitizeEmailHtml(html, { allowRemote: true, inline: new Map() })
/** Anything in the output a browser would fetch from the network. */
const LOADS = /(?<![-\w])src\s*=\s*"(?!data:image\/)|url\s*\(|image-set|@import|\\/i

describe('budgets and linear scanning', () => {
  it('scans a 600 kB body of small tags with work linear in its size, and sanitises it whole', () => {
    const unit = '<p class="x">para <b>bold</b> <a href="https://ok.test/">link</a><!-- c --></p>\n'
    const html = unit.repeat(Math.ceil(600_000 / unit.length)) + '<p>THE END</p>'
    expect(html.length).toBeGreaterThan(600_000)
    scanWork.chars = 0
    const text = htmlText(html)
    // The old scanner sliced the lower-cased body once per tag; the work counted here is each character once.
    expect(scanWork.chars).toBeLessThanOrEqual(html.length)
    expect(text.endsWith('THE END')).toBe(true)
    scanWork.chars = 0
    const p = prepareHtml(html)
    expect(scanWork.chars).toBeLessThanOrEqual(html.length)
    expect(p.state).toBe('ok')
    expect(p.html).toContain('<p>THE END</p>')
  })

  it('stays linear on inputs that made naive scanners rescan: unclosed comments, stray <, unclosed raw text', () => {
    for (const html of ['<!--'.repeat(50_000), '<'.repeat(200_000), '<script>'.repeat(30_000), '<a '.repeat(60_000), '<title>x'.repeat(30_000)]) {
      scanWork.chars = 0
      htmlText(html)
      nestingDepth(html)
      expect(scanWork.chars, html.slice(0, 12)).toBeLessThanOrEqual(2 * html.length)
    }
  })

  it('shows a 20,000-deep <div> as its text (depth budget), stopping the depth count at the budget', () => {
    const deep = '<div>'.repeat(20_000) + 'deep text<script>x()</script>' + '</div>'.repeat(20_000)
    scanWork.chars = 0
    expect(nestingDepth(deep, HTML_BUDGET.maxDepth)).toBe(HTML_BUDGET.maxDepth + 1)
    // Stopped early: only the first few hundred tags were looked at.
    expect(scanWork.chars).toBeLessThan(5 * (HTML_BUDGET.maxDepth + 2))
    expect(prepareHtml(deep)).toEqual({ html: null, state: 'depth', remote: false })
    const shown = blocked(deep).html
    expect(shown).toBe('<div style="white-space:pre-wrap">deep text</div>')
  })

  it('leaves bodies over the size budget unsanitised, for the text view', () => {
    const big = `<p>${'a'.repeat(HTML_BUDGET.maxChars)}</p>`
    expect(prepareHtml(big)).toEqual({ html: null, state: 'size', remote: false })
    expect(prepareHtml('<div>'.repeat(200) + 'ok').state).toBe('ok')
  })
})

describe('remote images cannot get past the sanitiser', () => {
  const vectors: Array<[string, string]> = [
    ['plain https', '<img src="https://t.test/a.png">'],
    ['scheme-relative', '<img src="//t.test/a.png">'],
    ['http with backslashes', '<img src="http:\\\\t.test\\a.png">'],
    ['UNC-style backslashes', '<img src="\\\\t.test\\x.png">'],
    ['slash-backslash', '<img src="/\\t.test/a.png">'],
    ['scheme without slashes', '<img src="https:t.test/a.png">'],
    ['tab inside the scheme', '<img src="ht\ttps://t.test/a.png">'],
    ['entity-encoded scheme', '<img src="&#104;ttps://t.test/a.png">'],
    ['leading control characters', '<img src="\u0001 https://t.test/a.png">'],
  ]
  for (const [name, html] of vectors) {
    it(`<img>: ${name}`, () => {
      const s = blocked(`<p>x</p>${html}`)
      expect(s.remoteImagesBlocked).toBe(true)
      expect(s.html).not.toMatch(LOADS)
      expect(s.html).not.toContain('t.test')
      // Allowed: the normalised URL, never the sender's spelling of it.
      expect(allowed(html).html).toMatch(/^<img src="https?:\/\/t\.test\/(a|x)\.png" \/>$/)
    })
  }

  const css: Array<[string, string]> = [
    ['url()', 'background:url(https://t.test/a.png)'],
    ['escaped url', 'background:u\\72l(https://t.test/a.png)'],
    ['escaped url with a space after the escape', 'background:u\\000072 l(https://t.test/a.png)'],
    ['image-set()', 'background-image:image-set("https://t.test/a.png" 1x)'],
    ['-webkit-image-set()', 'background:-webkit-image-set(url(https://t.test/a.png) 1x)'],
    ['entity-encoded url', 'background:&#117;rl(https://t.test/a.png)'],
    ['escaped property name', 'backgr\\6f und:url(https://t.test/a.png)'],
    ['comment inside', 'background:url/**/(https://t.test/a.png)'],
    ['list-style-image', 'list-style-image:url(https://t.test/a.png)'],
    ['border-image', 'border-image:url(https://t.test/a.png) 30'],
    ['content', 'content:url(https://t.test/a.png)'],
  ]
  for (const [name, style] of css) {
    it(`style: ${name}`, () => {
      const s = blocked(`<div style="${style.replace(/"/g, '&quot;')};color:red">x</div>`)
      expect(s.html).not.toMatch(LOADS)
      expect(s.html).not.toContain('t.test')
      // Harmless declarations beside it survive.
      expect(s.html).toContain('color:red')
      // Remote CSS images never come back, not even when remote images are allowed.
      expect(allowed(`<div style="${style.replace(/"/g, '&quot;')}">x</div>`).html).not.toMatch(LOADS)
    })
  }
  it('counts CSS that would have loaded something as blocked remote content', () => {
    expect(blocked('<div style="background:u\\72l(https://t.test/a.png)">x</div>').remoteImagesBlocked).toBe(true)
    expect(blocked('<div style="color:red">x</div>').remoteImagesBlocked).toBe(false)
  })

  it('keeps harmless styles, colours and raster data: images', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo='
    const s = blocked(`<td style="color:rgb(1,2,3);padding:4px;font-family:Arial, sans-serif"><img src="${png}" alt="a"></td>`)
    expect(s.html).toContain('color:rgb(1,2,3)')
    expect(s.html).toContain('font-family:Arial, sans-serif')
    expect(s.html).toContain(`src="${png}"`)
    expect(s.remoteImagesBlocked).toBe(false)
  })

  it('drops SVG and other non-raster data: URLs, and relative paths that would hit the app origin', () => {
    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://t.test/a.png"/></svg>').toString('base64')}`
    for (const src of [svg, 'data:image/svg+xml,<svg onload=alert(1)>', 'data:text/html;base64,PHNjcmlwdD4=', 'pixel.gif', '/api/x', 'javascript:alert(1)', 'file:///etc/passwd']) {
      const s = blocked(`<img src="${src.replace(/"/g, '&quot;')}" alt="x">`)
      expect(s.html, src).toBe('<img alt="x" />')
      expect(s.remoteImagesBlocked, src).toBe(false)
    }
  })

  it('an SVG inline part (cid:) is never turned into a data: URL; raster ones are', () => {
    const p = prepareHtml('<img src="cid:a@x"><img src="cid:b@x">')
    expect(p.html).toBe('<img data-cid="a@x" /><img data-cid="b@x" />')
    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg><image href="https://t.test/a.png"/></svg>').toString('base64')}`
    const png = 'data:image/png;base64,iVBORw0KGgo='
    const html = finishHtml(p.html!, { allowRemote: true, inline: new Map([['a@x', svg], ['b@x', png]]) })
    expect(html).toBe(`<img /><img src="${png}" />`)
  })

  it('ignores data-cid and data-remote-src written by the sender', () => {
    const p = prepareHtml('<img data-remote-src="https://t.test/a.png" data-cid="x"><p data-remote-src="https://t.test/b.png">t</p>')
    expect(p).toEqual({ html: '<img /><p>t</p>', state: 'ok', remote: false })
    expect(finishHtml(p.html!, { allowRemote: true, inline: new Map([['x', 'data:image/png;base64,AAAA']]) })).toBe('<img /><p>t</p>')
  })

  it('classifies sources as a browser would resolve them', () => {
    expect(classifyImageSource('https:t.test/a')).toEqual({ kind: 'remote', url: 'https://t.test/a' })
    expect(classifyImageSource('/\\t.test/a')).toEqual({ kind: 'remote', url: 'http://t.test/a' })
    expect(classifyImageSource(' cid:<a@b> ')).toEqual({ kind: 'cid', id: 'a@b' })
    expect(classifyImageSource('x.png')).toEqual({ kind: 'none' })
  })
})

describe('links', () => {
  it('keep absolute http(s), mailto:, tel: and anchors, normalised; drop everything else', () => {
    const href = (h: string) => /href="([^"]*)"/.exec(blocked(`<a href="${h}">x</a>`).html)?.[1] ?? null
    expect(href('https://ok.test/a?b=1&amp;c=2')).toBe('https://ok.test/a?b=1&amp;c=2')
    expect(href('https:ok.test/x')).toBe('https://ok.test/x')
    expect(href('mailto:a@b.test')).toBe('mailto:a@b.test')
    expect(href('#top')).toBe('#top')
    for (const bad of ['\u2028javascript:alert(1)', '&#x2006;javascript:alert(1)', ' javascript:alert(1)', 'jav&#x09;ascript:alert(1)', '&#14;javascript:alert(1)', '/api/objects', 'x.html', 'data:text/html,<script>x</script>', 'file:///etc/passwd']) {
      expect(href(bad), bad).toBeNull()
    }
  })
})

describe('what never survives', () => {
  it('strips scripts, handlers, javascript: URLs, frames, forms, meta refresh and base', () => {
    const s = blocked(
      '<p onclick="x()">a</p><script>x()</script><svg onload=x()><a href="javascript:x()">j</a><a href="jav&#x09;ascript:x()">k</a>' +
        '<iframe src="https://e.test"></iframe><frameset><frame src="https://e.test"></frameset><form action="https://e.test"><input></form>' +
        '<meta http-equiv="refresh" content="0;url=https://e.test"><base href="https://e.test/"><object data="x"></object><embed src="x">' +
        '<style>@import "https://e.test/a.css";</style><link rel=stylesheet href="https://e.test/b.css"><video poster="https://e.test/p.png"></video>',
    )
    expect(s.html).not.toMatch(/<script|\son\w+=|javascript:|<i?frame|<form|<input|<meta|<base|<object|<embed|<style|<link|<video|e\.test/i)
  })
})
