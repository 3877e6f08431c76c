// The house's import rules (.dependency-cruiser.cjs) hold for the code, and the checker really catches a
// break of each kind: a fixture tree with one deliberate violation per rule.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '..')
const CONFIG = join(root, '.dependency-cruiser.cjs')
const BIN = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs')

interface Violation { rule: { name: string }; from: string; to: string }

function cruise(cwd: string): Violation[] {
  const r = spawnSync(process.execPath, [BIN, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })
  if (!r.stdout) throw new Error(`dependency-cruiser printed nothing: ${r.stderr}`)
  return (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations
}

const fixtures: string[] = []
afterAll(() => fixtures.forEach((d) => rmSync(d, { recursive: true, force: true })))

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-arch-'))
  fixtures.push(dir)
  writeFileSync(join(dir, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', strict: true } }))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

describe('architecture rules', () => {
  it('the code keeps them: handlers → services → repos → db, no arrow back up', () => {
    const found = cruise(root).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
    expect(found).toEqual([])
  })

  it('catch one break of every rule, and let type-only imports pass', () => {
    const E = 'src/main/engine'
    const dir = fixture({
      [`${E}/index.ts`]: "import { a } from './handlers/a'\nexport const x = a",
      [`${E}/handlers/a.ts`]: "import { b } from './b'\nimport { q } from '../repos/r'\nexport const a = b + q",
      [`${E}/handlers/b.ts`]: "import type { S } from '../services/s'\nimport { s } from '../services/s'\nexport const b: S = s",
      [`${E}/services/s.ts`]: "import { b } from '../handlers/b'\nexport type S = number\nexport const s = 1 + (b as number)",
      [`${E}/repos/r.ts`]: "import { s } from '../services/s'\nexport const q = s",
      [`${E}/outbound/m.ts`]: "import { s } from '../services/s'\nimport { app } from 'electron'\nexport const m = [s, app]",
      'src/renderer/src/v.ts': "import { readFileSync } from 'node:fs'\nimport { m } from '../../main/engine/outbound/m'\nexport const v = [readFileSync, m]",
      'node_modules/electron/index.js': 'module.exports = {}',
      'node_modules/electron/package.json': '{"name":"electron","main":"index.js"}',
    })
    const rules = new Set(cruise(dir).map((v) => v.rule.name))
    expect([...rules].sort()).toEqual([
      'engine-imports-electron', 'handler-imports-handler', 'handler-skips-service', 'machinery-calls-up',
      'only-the-engine-wires-handlers', 'renderer-imports-main', 'renderer-imports-node', 'repo-imports-up', 'service-imports-handler',
    ])
  })
})
