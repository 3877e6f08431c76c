// The web host's error answers carry the same security headers as its pages (issue 14 item 7), and its
// "Restore…" restarts the workspace on a backup behind the same WebSocket (data safety).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { connect as tcp } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRpcSocket } from './support/rpcSocket'
import { waitFor } from './support/waitFor'

let child: ChildProcess
let port = 0
let dataDir = ''
const token = 'safety-token-123'

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sb-host-safety-'))
  child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/cli.ts', '--port', '0', '--data-dir', dataDir, '--token', token, '--no-build'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += String(d)
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\/\?token=/)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)))
  })
}, 30_000)
afterAll(() => void child?.kill('SIGTERM'))

/** Sends raw bytes and returns the raw answer (fetch refuses to send what Node must reject). */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tcp(port, '127.0.0.1', () => s.write(request))
    let out = ''
    s.on('data', (d) => (out += String(d)))
    s.on('end', () => resolve(out))
    s.on('error', reject)
  })
}

function headersOf(response: string): Record<string, string> {
  const [head] = response.split('\r\n\r\n')
  return Object.fromEntries(head!.split('\r\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
}

const SECURITY = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'cache-control']

describe('web host error responses', () => {
  it('a 200 page, a 400 and a 431 carry the same security headers', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/`)
    const bad = await fetch(`http://127.0.0.1:${port}/%E0%A4%A`)
    expect(bad.status).toBe(400)
    const big = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`)
    expect(big).toMatch(/^HTTP\/1\.1 431 /)
    const malformed = await raw('NOT HTTP AT ALL\r\n\r\n')
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /)
    const refused = await raw(`GET /rpc?token=wrong HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`)
    expect(refused).toMatch(/^HTTP\/1\.1 401 /)
    for (const h of SECURITY) {
      const want = page.headers.get(h)
      expect(want, h).toBeTruthy()
      expect(bad.headers.get(h), `400 ${h}`).toBe(want)
      expect(headersOf(big)[h], `431 ${h}`).toBe(want)
      expect(headersOf(malformed)[h], `malformed ${h}`).toBe(want)
      expect(headersOf(refused)[h], `401 ${h}`).toBe(want)
    }
  })
})

const rpcClient = () => openRpcSocket(port, { token })

describe('restore from the app', () => {
  it('backups.restore closes the engine, swaps the database (keeping the old one) and reopens on the backup', async () => {
    const c = await rpcClient()
    expect((await c.call('contacts.create', { email: 'in-backup@x.co' })).ok).toBe(true)
    expect((await c.call('backups.create', {})).ok).toBe(true)
    type List = { backups: Array<{ id: string }>; running: boolean; canRestore: boolean }
    const list = await waitFor(async () => {
      const l = await c.ok<List>('backups.list', {})
      return l.backups.length > 0 && !l.running && l
    }, { message: 'the backup is written' })
    expect(list.canRestore).toBe(true)
    expect((await c.call('contacts.create', { email: 'after-backup@x.co' })).ok).toBe(true)
    const r = await c.call('backups.restore', { id: list.backups[0]!.id })
    expect(r).toMatchObject({ ok: true, value: { restarting: true } })
    // The same connection answers again once the workspace is back, on the backup's data.
    const emails = await waitFor(async () => {
      const res = await c.call<{ items: Array<{ email: string }> }>('contacts.list', {})
      if (!res.ok) return expect(res.error.code).toBe('UNAVAILABLE'), null
      const now = res.value.items.map((x) => x.email)
      return !now.includes('after-backup@x.co') && now
    }, { timeoutMs: 20_000, message: 'the workspace is back on the backup' })
    expect(emails).toEqual(['in-backup@x.co'])
    expect(readdirSync(dataDir).some((f) => f.startsWith('switchboard.db.before-restore-'))).toBe(true)
    c.close()
  }, 30_000)
})
