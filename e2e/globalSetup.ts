import { existsSync } from 'node:fs'
import { electronPath } from './electron'

export default function globalSetup(): void {
  if (!existsSync('out/renderer/index.html')) throw new Error('Build first: npx electron-vite build (npm test does it)')
  const electron = electronPath()
  if (!electron.path) console.log(`[e2e] Electron project skipped: ${electron.reason}`)
}
