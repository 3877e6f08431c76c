// What an app:// request asks for, decided without Electron (so it is tested under plain Node): a file of
// the built renderer (never one outside it), a message frame (app://mail/<id>), or an error.
import { existsSync, statSync } from 'node:fs'
import { join, normalize, sep } from 'node:path'

export const APP_HOST = 'switchboard'

export type AppRequest = { kind: 'file'; path: string } | { kind: 'mail'; id: number } | { kind: 'error'; status: 400 | 404 }

export function resolveAppRequest(rendererDir: string, rawUrl: string): AppRequest {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return { kind: 'error', status: 400 }
  }
  if (url.protocol !== 'app:') return { kind: 'error', status: 404 }
  if (url.host === 'mail') {
    const id = Number(url.pathname.replace(/^\//, ''))
    return Number.isInteger(id) && id > 0 ? { kind: 'mail', id } : { kind: 'error', status: 404 }
  }
  if (url.host !== APP_HOST) return { kind: 'error', status: 404 }
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return { kind: 'error', status: 400 }
  }
  const root = normalize(rendererDir)
  const file = normalize(join(root, path))
  const inside = file === root || file.startsWith(root + sep)
  // Unknown paths get the app (hash routing never needs them, but a reload on any path must work).
  return { kind: 'file', path: inside && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html') }
}
