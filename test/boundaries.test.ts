// Where code runs is part of the design: the engine must run without Electron, the renderer without Node.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}
const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(IMPORT_RE)].map((m) => m[1] ?? m[2] ?? m[3])

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'tls', 'url', 'util', 'stream', 'events', 'worker_threads', 'buffer'])

export function violations(dir: string, bad: (spec: string) => boolean): string[] {
  return sources(dir).flatMap((f) => importsOf(f).filter(bad).map((spec) => `${f} imports ${spec}`))
}

describe('import boundaries', () => {
  it('the engine never imports electron', () => {
    expect(violations('src/main/engine', (s) => s === 'electron' || s.startsWith('electron/'))).toEqual([])
  })
  it('the renderer and shared code never import Node', () => {
    const isNode = (s: string) => s.startsWith('node:') || NODE_BUILTINS.has(s) || s.includes('/main/') || s.includes('/server/')
    expect(violations('src/renderer', isNode)).toEqual([])
    expect(violations('src/shared', isNode)).toEqual([])
  })
  it('the checker itself catches a violation', () => {
    expect(importsOf('src/main/ipc.ts')).toContain('electron')
    expect(violations('src/main', (s) => s === 'electron').length).toBeGreaterThan(0)
  })
})
