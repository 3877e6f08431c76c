// One look in both themes: colours, radii and type sizes live only in base.css's tokens, and every text token
// is readable (WCAG AA, 4.5:1) on each surface it is used on, in the light and the dark theme.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BASE_CSS, contrast, over, readTokens, resolve, type Theme } from './tokens'

const STYLES = 'src/renderer/src/styles'
const RENDERER = 'src/renderer/src'
const COLOUR_RE = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/i
// Every CSS named colour (transparent, currentColor and inherit are fine), matched as a whole word after a
// property's colon.
const NAMES =
  'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen'
const NAMED_RE = new RegExp(`:\\s*[^;{]*(?<![\\w-])(${NAMES.replace(/ /g, '|')})(?![\\w-])`, 'i')

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : []))
}

/** Lines with a literal colour, as `file:line: text`, comments ignored; `named` also flags colour words. */
export function literalColours(file: string, css: string, named = true): string[] {
  const clean = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
  return clean.split('\n').flatMap((line, i) => (COLOUR_RE.test(line) || (named && NAMED_RE.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []))
}

type Declaration = { file: string; line: number; selector: string; prop: string; value: string }

/** Every `prop: value` inside a rule of a stylesheet (one level of @media nesting), comments ignored. */
export function declarations(file: string, css: string): Declaration[] {
  const clean = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
  const out: Declaration[] = []
  for (const rule of clean.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const bodyAt = rule.index + rule[1].length + 1
    const selector = rule[1].trim().replace(/\s+/g, ' ')
    for (const d of rule[2].matchAll(/([\w-]+)\s*:\s*([^;]+)/g)) {
      const line = clean.slice(0, bodyAt + d.index).split('\n').length
      out.push({ file, line, selector, prop: d[1].toLowerCase(), value: d[2].trim() })
    }
  }
  return out
}

// Sizes that are measurements of a box rather than steps of the type scale, with the reason.
const SIZE_EXCEPTIONS: Record<string, string> = {
  // Avatar sizes its initials to its box (0.38 x size); at 18px that is too small to read, so 8px.
  '.who-button .avatar': 'font-size',
}

/** Declarations that write a font size or a radius outside the tokens, as `file:line: selector { prop: value }`. */
export function literalSizes(decls: Declaration[]): string[] {
  const bad = (d: Declaration): boolean => {
    if (SIZE_EXCEPTIONS[d.selector] === d.prop) return false
    const value = d.value.replace(/\s*!important$/, '')
    if (d.prop === 'font-size') return !/^(var\(--fs-[\w-]+\)|inherit)$/.test(value)
    // The shorthand may only reset (font: inherit); a size in it would dodge the scale.
    if (d.prop === 'font') return value !== 'inherit'
    if (/^border(-[a-z]+)*-radius$/.test(d.prop)) return !value.split(/\s+|\//).every((v) => v === '' || /^(var\(--radius(-[\w]+)?\)|0|50%|inherit)$/.test(v))
    return false
  }
  return decls.filter(bad).map((d) => `${d.file}:${d.line}: ${d.selector} { ${d.prop}: ${d.value} }`)
}

describe('colours are tokens', () => {
  it('no stylesheet other than base.css writes a literal colour', () => {
    const found = files(STYLES, /\.css$/)
      .filter((f) => !f.endsWith('base.css'))
      .flatMap((f) => literalColours(f, readFileSync(f, 'utf8')))
    expect(found).toEqual([])
  })

  it('base.css writes colours only in token definitions and its hue/selection rules', () => {
    const css = readFileSync(BASE_CSS, 'utf8')
    const rootEnd = css.indexOf('\n}', css.indexOf(':root {'))
    const rest = css.slice(rootEnd)
    const allowed = /^\s*(background|color): light-dark\((hsl\(var\(--hue|#)/
    expect(literalColours('base.css', rest).filter((l) => !allowed.test(l.split(': ').slice(1).join(': ')))).toEqual([])
  })

  it('no component or screen writes a colour inline', () => {
    // The two mail frames are documents of their own (no access to the app's tokens) and stay light paper
    // on purpose: mail looks the way its sender made it, as in Thunderbird and Apple Mail.
    const paper = new Set([join(RENDERER, 'screens/inbox/MessageBody.tsx'), join(RENDERER, 'screens/automation/TemplatePreview.tsx')])
    const found = files(RENDERER, /\.(tsx|ts)$/)
      .filter((f) => !paper.has(f))
      .flatMap((f) => literalColours(f, readFileSync(f, 'utf8'), false))
    expect(found).toEqual([])
  })

  it('the checker finds hex, rgb and hsl colours and skips comments', () => {
    expect(literalColours('x.css', '.a { color: #fff; }\n/* #000 */\n.b { background: rgba(0, 0, 0, 0.1); }\n.c { color: hsl(1 2% 3%); }\n.d { color: var(--text); }')).toEqual([
      'x.css:1: .a { color: #fff; }',
      'x.css:3: .b { background: rgba(0, 0, 0, 0.1); }',
      'x.css:4: .c { color: hsl(1 2% 3%); }',
    ])
    expect(literalColours('x.css', '.a { border: 1px solid white; }')).toHaveLength(1)
  })

  it('every var(--…) a stylesheet uses is defined', () => {
    const tokens = readTokens()
    const local = new Set<string>()
    const used = new Set<string>()
    // Variables a component sets inline (style={{ '--hue': … }}) count as defined.
    for (const f of files(RENDERER, /\.tsx$/)) for (const m of readFileSync(f, 'utf8').matchAll(/\[?['"](--[\w-]+)['"](?: as string\])?\s*:/g)) local.add(m[1])
    for (const f of files(STYLES, /\.css$/)) {
      const css = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
      for (const m of css.matchAll(/(--[\w-]+)\s*:/g)) local.add(m[1])
      for (const m of css.matchAll(/var\((--[\w-]+)\s*(,)?/g)) if (!m[2]) used.add(m[1])
    }
    const missing = [...used].filter((n) => !tokens.has(n) && !local.has(n))
    expect(missing).toEqual([])
  })
})

// Where text sits: every text token on the app's page surfaces, plus each coloured text on its own soft
// background, and the pairs found in the stylesheets (a rule that sets both color and background).
const PAGE_SURFACES = ['--bg', '--surface', '--surface-2', '--surface-sunken', '--surface-muted', '--hover']
const PAGE_TEXT = ['--text', '--text-2', '--text-3', '--accent', '--danger', '--success', '--warning', '--info']
const DECLARED: Array<[string, string]> = [
  ...PAGE_TEXT.flatMap((t) => PAGE_SURFACES.map((s): [string, string] => [t, s])),
  // Placeholders sit in inputs, which are the card surface.
  ['--text-placeholder', '--surface'],
  ['--text-placeholder', '--surface-2'],
  ['--text', '--accent-soft'],
  ['--text-2', '--accent-soft'],
  ['--text-3', '--accent-soft'],
  ['--accent-text', '--accent-soft'],
  ['--accent', '--accent-soft'],
  ['--success-text', '--success-soft'],
  ['--warning-text', '--warning-soft'],
  ['--warning', '--warning-soft'],
  ['--danger-text', '--danger-soft'],
  ['--danger', '--danger-soft'],
  ['--info-text', '--info-soft'],
  ['--violet-text', '--violet-soft'],
  ['--pink-text', '--pink-soft'],
  ['--teal-text', '--teal-soft'],
  ['--gray-text', '--gray-soft'],
  ['--on-accent', '--accent-solid'],
  ['--on-accent', '--accent-hover'],
  ['--on-accent', '--danger-solid'],
  ['--on-accent', '--danger-hover'],
  ['--inverse-text', '--inverse-surface'],
  ['--inverse-text-2', '--inverse-surface'],
  ['--inverse-accent', '--inverse-surface'],
  ['--inverse-success', '--inverse-surface'],
  ['--inverse-danger', '--inverse-surface'],
  ['--paper-text', '--paper'],
]
// Not text, or exempt from 1.4.3 (disabled controls): these may be lighter.
const NOT_TEXT = new Set(['--text-disabled', '--icon-muted', '--chip-dot', '--dot'])

/** Pairs of (color, background) tokens set in one rule of a stylesheet. */
function pairsInStylesheets(): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = []
  for (const f of files(STYLES, /\.css$/)) {
    const css = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
    for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const fg = /(?:^|;)\s*color:\s*var\((--[\w-]+)\)\s*(?:;|$)/.exec(m[2])?.[1]
      const bg = /(?:^|;)\s*background(?:-color)?:\s*var\((--[\w-]+)\)\s*(?:;|$)/.exec(m[2])?.[1]
      if (fg && bg && !NOT_TEXT.has(fg)) out.push([fg, bg, `${f}: ${m[1].trim()}`])
    }
  }
  return out
}

describe('radii and type sizes are tokens', () => {
  const stylesheets = files(STYLES, /\.css$/).filter((f) => !f.endsWith('base.css'))

  it('no stylesheet other than base.css writes a literal font size or border radius', () => {
    expect(stylesheets.flatMap((f) => literalSizes(declarations(f, readFileSync(f, 'utf8'))))).toEqual([])
  })

  it('the checker finds px, em and rem sizes, radii in shorthands and corners, and skips tokens', () => {
    const css = [
      '.a { font-size: 13px; }',
      '.b { font-size: var(--fs-sm); border-radius: var(--radius) var(--radius) 0 0; }',
      '.c { font-size: 0.9em; }',
      '@media (min-width: 1px) { .d { border-radius: 6px; } }',
      '.e { border-top-left-radius: 1rem; }',
      '.f { border-radius: 50%; font: 600 12px/1 var(--font); }',
      '/* .g { font-size: 9px; } */',
      '.who-button .avatar { font-size: 8px !important; }',
    ].join('\n')
    expect(literalSizes(declarations('x.css', css))).toEqual([
      'x.css:1: .a { font-size: 13px }',
      'x.css:3: .c { font-size: 0.9em }',
      'x.css:4: .d { border-radius: 6px }',
      'x.css:5: .e { border-top-left-radius: 1rem }',
      'x.css:6: .f { font: 600 12px/1 var(--font) }',
    ])
  })

  it('every stylesheet is loaded: imported by a component or by another stylesheet (patterns.css by base.css)', () => {
    const importers = [...files(RENDERER, /\.(tsx|ts)$/), ...files(STYLES, /\.css$/)].map((f) => readFileSync(f, 'utf8')).join('\n')
    const loose = files(STYLES, /\.css$/)
      .map((f) => f.slice(STYLES.length + 1))
      .filter((name) => !new RegExp(`(?:import|@import)\\s+['"][./\\w]*/${name.replace('.', '\\.')}['"]`).test(importers))
    expect(loose).toEqual([])
  })

  it('only colours change with the theme: sizes are the same in light and dark', () => {
    const tokens = readTokens()
    const sized = [...tokens].filter(([name]) => /^--(radius|space|fs|lh)(-|$)/.test(name))
    expect(sized.length).toBeGreaterThan(20)
    expect(sized.filter(([, v]) => /light-dark|var\(/.test(v))).toEqual([])
    // The theme switches (data-theme) set the scheme only; every colour follows it through light-dark().
    const css = readFileSync(BASE_CSS, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
    const themed = declarations('base.css', css).filter((d) => d.selector.startsWith(':root[data-theme='))
    expect(themed.length).toBeGreaterThan(0)
    expect(themed.filter((d) => d.prop !== 'color-scheme' && !d.selector.includes(' '))).toEqual([])
  })

  it('every light-dark() token resolves to a colour in both themes', () => {
    const tokens = readTokens()
    for (const theme of ['light', 'dark'] as Theme[])
      for (const [name, value] of tokens) {
        if (!/light-dark\(/.test(value) || name.startsWith('--shadow')) continue
        expect(() => resolve(tokens, name, theme), name).not.toThrow()
      }
  })
})

describe('text contrast (WCAG AA, 4.5:1) in both themes', () => {
  const tokens = readTokens()

  it('the luminance formula gives the known ratios', () => {
    const white = { r: 255, g: 255, b: 255, a: 1 }
    const black = { r: 0, g: 0, b: 0, a: 1 }
    expect(contrast(white, black)).toBeCloseTo(21, 5)
    expect(contrast(white, white)).toBe(1)
    // #767676 on white is the classic just-passing grey: 4.54:1.
    expect(contrast({ r: 0x76, g: 0x76, b: 0x76, a: 1 }, white)).toBeCloseTo(4.54, 2)
    expect(contrast({ r: 0x77, g: 0x77, b: 0x77, a: 1 }, white)).toBeLessThan(4.5)
  })

  it('finds pairs in the stylesheets (so new rules are checked too)', () => {
    const found = pairsInStylesheets()
    expect(found.length).toBeGreaterThan(10)
    expect(found.some(([fg, bg]) => fg === '--accent-text' && bg === '--accent-soft')).toBe(true)
  })

  for (const theme of ['light', 'dark'] as Theme[]) {
    it(`every text token on each surface it is used on, ${theme}`, () => {
      const pairs: Array<[string, string, string]> = [...DECLARED.map(([fg, bg]): [string, string, string] => [fg, bg, 'declared']), ...pairsInStylesheets()]
      const failing = pairs.flatMap(([fg, bg, where]) => {
        if (!tokens.has(fg) || !tokens.has(bg)) return [] // a rule's local variable (chips), checked via DECLARED
        // A translucent background is painted over the bar it belongs to (inverse ones on the dark bar).
        const under = resolve(tokens, bg.startsWith('--inverse-') ? '--inverse-surface' : '--surface', theme)
        const back = over(resolve(tokens, bg, theme), under)
        const ratio = contrast(over(resolve(tokens, fg, theme), back), back)
        return ratio < 4.5 ? [`${fg} on ${bg}: ${ratio.toFixed(2)} (${where})`] : []
      })
      expect(failing).toEqual([])
    })
  }

  for (const theme of ['light', 'dark'] as Theme[]) {
    it(`the focus ring stands out from every surface it can sit on (3:1, WCAG 1.4.11), ${theme}`, () => {
      const failing = ['--focus-ring'].flatMap((m) =>
        [...PAGE_SURFACES, '--accent-soft'].flatMap((bg) => {
          const back = resolve(tokens, bg, theme)
          const ratio = contrast(resolve(tokens, m, theme), back)
          return ratio < 3 ? [`${m} on ${bg}: ${ratio.toFixed(2)}`] : []
        }),
      )
      expect(failing).toEqual([])
    })
  }
})
