// Reads the design tokens out of base.css and works out WCAG contrast, for test/designTokens.test.ts.
// Tokens are `--name: value;` inside the first `:root {…}` block; colour values are light-dark(light, dark)
// and may refer to other tokens with var(--other).
import { readFileSync } from 'node:fs'

export type Theme = 'light' | 'dark'
export type Rgba = { r: number; g: number; b: number; a: number }

export const BASE_CSS = 'src/renderer/src/styles/base.css'

export function readTokens(css = readFileSync(BASE_CSS, 'utf8')): Map<string, string> {
  const start = css.indexOf(':root {')
  const body = css.slice(start + ':root {'.length, css.indexOf('\n}', start))
  const tokens = new Map<string, string>()
  for (const m of body.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) tokens.set(m[1], m[2].trim())
  return tokens
}

/** Splits `a, b` at the top-level comma (not inside rgba(…)). */
function splitTop(s: string): string[] {
  const parts: string[] = []
  let depth = 0
  let last = 0
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++
    else if (s[i] === ')') depth--
    else if (s[i] === ',' && depth === 0) parts.push(s.slice(last, i).trim()), (last = i + 1)
  }
  parts.push(s.slice(last).trim())
  return parts
}

/** The colour a token has in a theme, following var() and picking light-dark()'s side. */
export function resolve(tokens: Map<string, string>, name: string, theme: Theme, seen: string[] = []): Rgba {
  if (seen.includes(name)) throw new Error(`token cycle: ${[...seen, name].join(' -> ')}`)
  const value = tokens.get(name)
  if (value === undefined) throw new Error(`no token ${name}`)
  return parseColour(tokens, value, theme, [...seen, name])
}

function parseColour(tokens: Map<string, string>, value: string, theme: Theme, seen: string[]): Rgba {
  const v = value.trim()
  const ld = /^light-dark\(([\s\S]*)\)$/.exec(v)
  if (ld) {
    const [light, dark] = splitTop(ld[1])
    return parseColour(tokens, theme === 'light' ? light : dark, theme, seen)
  }
  const ref = /^var\((--[\w-]+)\)$/.exec(v)
  if (ref) return resolve(tokens, ref[1], theme, seen)
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v)
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1]
    return { r: parseInt(h.slice(0, 2), 16), g: parseInt(h.slice(2, 4), 16), b: parseInt(h.slice(4, 6), 16), a: 1 }
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(v)
  if (rgb) return { r: +rgb[1], g: +rgb[2], b: +rgb[3], a: rgb[4] === undefined ? 1 : +rgb[4] }
  throw new Error(`not a colour: ${v} (${seen.join(' -> ')})`)
}

/** A translucent colour painted over an opaque one. */
export function over(top: Rgba, under: Rgba): Rgba {
  const mix = (t: number, u: number) => t * top.a + u * (1 - top.a)
  return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b), a: 1 }
}

/** WCAG 2.x relative luminance of an sRGB colour. */
export function luminance({ r, g, b }: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** WCAG contrast ratio, from 1 (same) to 21 (black on white). */
export function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}
