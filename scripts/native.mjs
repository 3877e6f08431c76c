// better-sqlite3 is a native module: Node and Electron need different builds of it. This keeps a marker
// next to the build and rebuilds only when the wanted runtime differs, so nobody does it by hand.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const root = new URL('..', import.meta.url).pathname
const marker = join(root, 'node_modules/better-sqlite3/build/switchboard-runtime.txt')

/** The Electron binary's path, or null with the reason when there is none on this machine. */
export function electronBinary() {
  try {
    const path = require('electron')
    return existsSync(path) ? { path } : { path: null, reason: `the electron package points at ${path}, which does not exist` }
  } catch (err) {
    return { path: null, reason: String(err.message ?? err).split('\n')[0] }
  }
}

/** @param {'node' | 'electron'} runtime */
export function ensureNative(runtime) {
  const want = runtime === 'node' ? `node-${process.versions.modules}` : `electron-${require('electron/package.json').version}`
  const have = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : `node-${process.versions.modules}`
  if (have === want) return
  console.log(`Rebuilding better-sqlite3 for ${want} (was ${have})…`)
  const args = ['rebuild', 'better-sqlite3']
  if (runtime === 'electron')
    args.push(`--runtime=electron`, `--target=${want.slice('electron-'.length)}`, '--dist-url=https://electronjs.org/headers', '--build-from-source')
  else args.push('--build-from-source')
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed`)
  writeFileSync(marker, want + '\n')
}

if (process.argv[1] === new URL(import.meta.url).pathname) ensureNative(process.argv[2] === 'electron' ? 'electron' : 'node')
