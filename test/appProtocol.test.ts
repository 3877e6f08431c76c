// The Electron host's app:// protocol, decided without Electron: files of the built renderer only (no
// way out of the folder), message frames by id, and the app for unknown paths.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveAppRequest } from '../src/main/appFiles'

describe('app:// requests', () => {
  const parent = mkdtempSync(join(tmpdir(), 'sb-app-'))
  const root = join(parent, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html>')
  writeFileSync(join(root, 'assets', 'app.js'), '')
  writeFileSync(join(parent, 'secret.key'), 'not for the page')

  it('serves the renderer’s files and the app for unknown paths', () => {
    expect(resolveAppRequest(root, 'app://switchboard/assets/app.js')).toEqual({ kind: 'file', path: join(root, 'assets', 'app.js') })
    expect(resolveAppRequest(root, 'app://switchboard/index.html')).toEqual({ kind: 'file', path: join(root, 'index.html') })
    expect(resolveAppRequest(root, 'app://switchboard/inbox/12')).toEqual({ kind: 'file', path: join(root, 'index.html') })
  })

  it('never serves a file outside the renderer folder', () => {
    for (const url of ['app://switchboard/../secret.key', 'app://switchboard/%2e%2e/secret.key', 'app://switchboard/assets/%2e%2e%2f%2e%2e%2fsecret.key', 'app://switchboard/..%5csecret.key'])
      expect(resolveAppRequest(root, url), url).toEqual({ kind: 'file', path: join(root, 'index.html') })
    expect(resolveAppRequest(root, 'app://switchboard/%E0%A4%A')).toEqual({ kind: 'error', status: 400 })
  })

  it('routes message frames by id and refuses other hosts', () => {
    expect(resolveAppRequest(root, 'app://mail/42?remote=1')).toEqual({ kind: 'mail', id: 42 })
    expect(resolveAppRequest(root, 'app://mail/../1')).toEqual({ kind: 'mail', id: 1 })
    expect(resolveAppRequest(root, 'app://mail/x')).toEqual({ kind: 'error', status: 404 })
    expect(resolveAppRequest(root, 'app://mail/0')).toEqual({ kind: 'error', status: 404 })
    expect(resolveAppRequest(root, 'app://elsewhere/index.html')).toEqual({ kind: 'error', status: 404 })
    expect(resolveAppRequest(root, 'file:///etc/passwd')).toEqual({ kind: 'error', status: 404 })
  })
})
