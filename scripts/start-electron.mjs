// `npm start [-- --demo]`: build, make sure the native module matches Electron, and open the desktop app.
// Where there is no Electron binary (it downloads from GitHub), say so and point at the web host.
import { spawnSync } from 'node:child_process'
import { electronBinary, ensureNative } from './native.mjs'

const electron = electronBinary()
if (!electron.path) {
  console.error(`No Electron binary on this machine (${electron.reason}).`)
  console.error('Run the same app in your browser instead:  npm run serve')
  process.exit(1)
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
ensureNative('electron')
run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'])
run(electron.path, ['.', ...process.argv.slice(2)])
