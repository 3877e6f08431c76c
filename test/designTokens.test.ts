// One look in both themes: colours live only in base.css's tokens, and every text token is readable (WCAG
// AA, 4.5:1) on each surface it is used on, in the light and the dark theme.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BASE_CSS, contrast, over, readTokens, resolve, type Theme } from './tokens'

const STYLES = 'src/renderer/src/styles'
const RENDERER = 'src/renderer/src'
const COLOUR_RE = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/i
// Colour words a stylesheet might use instead of a token (transparent, currentColor and inherit are fine).
const NAMED_RE = /:\s*[^;]*(?<![\w-])(white|black|red|green|blue|gray|grey|orange|yellow|purple|pink)(?![\w-])/i

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : []))
}

/** Lines with a literal colour, as `file:line: text`, comments ignored; `named` also flags colour words. */
export function literalColours(file: string, css: string, named = true): string[] {
  const clean = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
  return clean.split('\n').flatMap((line, i) => (COLOUR_RE.test(line) || (named && NAMED_RE.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []))
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
