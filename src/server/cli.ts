// `npm run serve -- [--port 5190] [--data-dir DIR] [--token T] [--demo] [--restore FILE]`: the engine under
// plain Node, serving the built renderer to a browser on 127.0.0.1.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createEngine, type Engine } from '../main/engine'
import { restoreBackup } from '../main/engine/workspace/restore'
import { manualClock } from '../main/engine/clock'
import { defaultDataDir } from './dataDir'
import { startWebHost } from './webHost'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '5190' },
    'data-dir': { type: 'string' },
    token: { type: 'string' },
    demo: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    /** `--clock test`: time stands still unless `clock.advance` moves it (UI tests). */
    clock: { type: 'string', default: 'system' },
    /** Undo-send window in seconds (default 10). */
    'undo-seconds': { type: 'string' },
    /** Put this backup in place of the workspace database (the current one is kept aside), then start. */
    restore: { type: 'string' },
  },
})

const root = process.cwd()
const staticDir = resolve(root, 'out/renderer')

/** Newest modification time under a folder, to tell whether the built renderer is stale. */
function newest(dir: string): number {
  let max = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    max = Math.max(max, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return max
}

function buildIfNeeded(): void {
  const index = join(staticDir, 'index.html')
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0
  if (args['no-build'] || (builtAt > newest(resolve(root, 'src/renderer')) && builtAt > newest(resolve(root, 'src/shared')))) return
  console.log('Building the renderer…')
  const r = spawnSync(process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

async function main(): Promise<void> {
  buildIfNeeded()
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir())
  if (args.clock !== 'system' && args.clock !== 'test') throw new Error('--clock must be system or test')
  const testClock = args.clock === 'test' ? manualClock(Date.now()) : undefined
  const undo = args['undo-seconds'] === undefined ? undefined : Number(args['undo-seconds']) * 1000
  const restore = (file: string) => {
    const { keptAside } = restoreBackup(dataDir, file)
    console.log(`Restored ${file}${keptAside ? `; the database it replaced is kept as ${keptAside}` : ''}`)
  }
  if (args.restore) restore(resolve(args.restore))
  const open = (): Engine => createEngine({ host: 'web', dataDir, testClock, outbound: { undoMs: undo }, restart: (file) => void restartInto(file) })
  let engine = open()
  // "Restore…" in the app: close the engine, swap the file (the current one is kept aside), open again.
  // The page keeps its connection; calls meanwhile get UNAVAILABLE, and the page reloads when it is back.
  const restartInto = async (file: string) => {
    // Synchronously, inside backups.restore: no call after it reaches the database being replaced.
    host.pause('Switchboard is restarting on a backup; try again in a moment')
    await new Promise((r) => setImmediate(r))
    await engine.close()
    try {
      restore(file)
    } catch (err) {
      console.error(`The restore did not happen: ${err instanceof Error ? err.message : String(err)}`)
    }
    engine = open()
    host.setEngine(engine)
  }
  if (args.demo) {
    const info = await engine.dispatch('app.info', {})
    if (info.ok && (info.value as { firstRun: boolean }).firstRun) await engine.dispatch('app.seedDemo', {})
  }
  const token = args.token ?? randomBytes(18).toString('base64url')
  const host = await startWebHost({ engine, token, staticDir, port: Number(args.port) })
  console.log(`Data: ${dataDir}`)
  console.log(`Switchboard is running at ${host.url}`)
  const stop = async () => {
    await host.close()
    await engine.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
