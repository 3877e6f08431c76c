// node bench/built.mjs <name> — runs bench/<name>.ts as the app ships its engine: bundled to plain JavaScript
// (esbuild, CommonJS, dependencies left in node_modules as electron-vite leaves them) with the sync's parse
// thread built next to it, then run by plain `node`. Under `tsx` the same bench carries what the app never
// does: the tsx loader in the engine's process and in every parse thread, and esbuild beside them, which is
// memory (and start-up time) the shipped engine does not have. `npm run bench:sync:tsx` keeps the old way.
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

const name = process.argv[2]
if (!name) {
  console.error('usage: node bench/built.mjs <bench name>')
  process.exit(2)
}
const outdir = join('out', 'bench')
mkdirSync(outdir, { recursive: true })
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', sourcemap: false, logLevel: 'warning' }
await build({ ...common, entryPoints: { [name]: join('bench', `${name}.ts`) }, outdir, outExtension: { '.js': '.cjs' } })
// pool.ts looks for parseWorker.js next to the bundle (its CommonJS __dirname).
await build({ ...common, entryPoints: { parseWorker: 'src/main/engine/inbound/sync/parseWorker.ts' }, outdir })
const r = spawnSync(process.execPath, [...process.execArgv, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), join(outdir, `${name}.cjs`)], { stdio: 'inherit', env: { ...process.env, BENCH_BUILT: '1' } })
process.exit(r.status ?? 1)
