// Where the Electron binary lives, if this machine has one.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

export function electronPath(): { path: string | null; reason: string } {
  try {
    const path = createRequire(__filename)('electron') as unknown as string
    return existsSync(path) ? { path, reason: '' } : { path: null, reason: `no Electron binary at ${path}` }
  } catch (err) {
    return { path: null, reason: `no Electron binary on this machine: ${String((err as Error).message).split('\n')[0]}` }
  }
}
